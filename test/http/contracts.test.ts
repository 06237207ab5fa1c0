/**
 * Quote → order → contract over HTTP: the quote status flow, orders only from accepted quotes
 * and their status chain, contracts (create, read, change, bad input, other teams, idempotency),
 * a contract's attachments, the won-customer rule and the renewal reminder firing once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractDto } from '../../schema/wire/contracts.ts';
import type { NotificationListDto } from '../../schema/wire/notifications.ts';
import type { OpportunityDto, OrderDto, QuoteDto } from '../../schema/wire/opportunity.ts';
import type { PipelineDto } from '../../schema/wire/pipeline.ts';
import { runReminderPass } from '../../server/notifications/reminder-scheduler.ts';
import type { User } from '../../server/users/user.ts';
import { createTestContext, login, ORIGIN, seedTeam, seedUser, type TestContext } from '../helpers/context.ts';
import { api, errorOf, json } from '../helpers/customers.ts';

type Api = ReturnType<typeof api>;

let t: TestContext;
let clock: Date;
let teamA: string;
let rep: User;
let asRep: Api;
let asRep2: Api;
let asOutsider: Api;
let asAdmin: Api;
let repCookie: string;
let pipeline: PipelineDto;
let customerA: string;

const stage = (name: string) => pipeline.stages.find((s) => s.name === name)!;

async function newOpportunity(name: string, stageName = 'Negotiation', customerId = customerA): Promise<OpportunityDto> {
  const body = { customerId, name, amount: 1000, stageId: stage(stageName).id };
  return (await json<{ opportunity: OpportunityDto }>(await asRep.post('/api/opportunities', body), 201)).opportunity;
}

async function acceptedQuote(oppId: string): Promise<QuoteDto> {
  const items = [{ description: '服务器', quantity: 2, unitPrice: 5000, discountPercent: 10 }];
  const q = (await json<{ quote: QuoteDto }>(await asRep.post(`/api/opportunities/${oppId}/quotes`, { title: 'Q1', items, taxPercent: 13, validUntil: '2026-04-30' }), 201)).quote;
  await json(await asRep.patch(`/api/opportunities/${oppId}/quotes/${q.id}`, { status: 'sent' }));
  return (await json<{ quote: QuoteDto }>(await asRep.patch(`/api/opportunities/${oppId}/quotes/${q.id}`, { status: 'accepted' }))).quote;
}

const contractBody = (opportunityId: string, number: string, extra: Record<string, unknown> = {}) => ({
  opportunityId,
  number,
  signedAt: '2026-03-10',
  startsAt: '2026-04-01',
  endsAt: '2027-03-31',
  value: 11300,
  ...extra,
});

async function createContract(body: Record<string, unknown>, as: Api = asRep): Promise<ContractDto> {
  return (await json<{ contract: ContractDto }>(await as.post('/api/contracts', body), 201)).contract;
}

beforeAll(async () => {
  t = await createTestContext();
  clock = new Date('2026-03-10T10:00:00.000Z');
  t.ctx.now = () => clock;
  teamA = (await seedTeam(t.ctx)).id;
  const teamB = (await seedTeam(t.ctx)).id;
  rep = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Li Lei' });
  const rep2 = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Han Meimei' });
  const outsider = await seedUser(t.ctx, { role: 'rep', teamId: teamB, name: 'Otto Outsider' });
  const admin = await seedUser(t.ctx, { role: 'admin' });
  repCookie = await login(t.app, rep.email);
  asRep = api(t, repCookie);
  asRep2 = api(t, await login(t.app, rep2.email));
  asOutsider = api(t, await login(t.app, outsider.email));
  asAdmin = api(t, await login(t.app, admin.email));
  customerA = (await asRep.create({ name: '华为技术有限公司' })).id;
  pipeline = (await json<{ items: PipelineDto[] }>(await asRep.get('/api/pipelines'))).items[0]!;
});
afterAll(() => t.close());

describe('quotes', () => {
  it('totals line items with discount and tax, and walks draft → sent → accepted; rejected can be reopened', async () => {
    const o = await newOpportunity('Servers');
    const q = await acceptedQuote(o.id);
    expect(q).toMatchObject({ status: 'accepted', subtotal: 9000, tax: 1170, total: 10170, validUntil: '2026-04-30' });
    expect(q.items[0]?.lineTotal).toBe(9000);
    const draft = (await json<{ quote: QuoteDto }>(await asRep.post(`/api/opportunities/${o.id}/quotes`, { title: 'Q2', items: [] }), 201)).quote;
    const skip = await errorOf(await asRep.patch(`/api/opportunities/${o.id}/quotes/${draft.id}`, { status: 'accepted' }));
    expect(skip).toMatchObject({ status: 409, field: 'status' });
    await json(await asRep.patch(`/api/opportunities/${o.id}/quotes/${draft.id}`, { status: 'sent' }));
    await json(await asRep.patch(`/api/opportunities/${o.id}/quotes/${draft.id}`, { status: 'rejected' }));
    const back = await json<{ quote: QuoteDto }>(await asRep.patch(`/api/opportunities/${o.id}/quotes/${draft.id}`, { status: 'draft' }));
    expect(back.quote.status).toBe('draft');
    expect((await errorOf(await asRep.patch(`/api/opportunities/${o.id}/quotes/${draft.id}`, { status: 'paid' }))).field).toBe('status');
  });
});

describe('orders', () => {
  it('come from an accepted quote only and follow confirmed → delivered → invoiced → paid', async () => {
    const o = await newOpportunity('Storage');
    const draft = (await json<{ quote: QuoteDto }>(await asRep.post(`/api/opportunities/${o.id}/quotes`, { title: 'Draft', items: [] }), 201)).quote;
    expect(await errorOf(await asRep.post(`/api/opportunities/${o.id}/order`, { contractNumber: 'PO-1', signedOn: '2026-03-10' }))).toMatchObject({
      status: 400,
      field: 'quoteId',
    });
    expect(await errorOf(await asRep.post(`/api/opportunities/${o.id}/order`, { contractNumber: 'PO-1', signedOn: '2026-03-10', quoteId: draft.id }))).toMatchObject({
      status: 409,
      field: 'quoteId',
    });
    const q = await acceptedQuote(o.id);
    const order = (await json<{ order: OrderDto }>(await asRep.post(`/api/opportunities/${o.id}/order`, { contractNumber: 'PO-1', signedOn: '2026-03-10', quoteId: q.id }), 201)).order;
    expect(order).toMatchObject({ status: 'confirmed', amount: 10170, quoteId: q.id });

    const status = async (s: string, code = 200) => {
      const r = await asRep.patch(`/api/opportunities/${o.id}/order`, { status: s });
      return code === 200 ? json<{ order: OrderDto }>(r) : errorOf(r);
    };
    expect(await status('delivered')).toMatchObject({ order: { status: 'delivered' } });
    expect(await status('confirmed', 409)).toMatchObject({ status: 409, field: 'status' });
    expect(await status('paid')).toMatchObject({ order: { status: 'paid' } });
    expect(await status('cancelled', 409)).toMatchObject({ status: 409, field: 'status' });
    expect(await errorOf(await asRep.patch(`/api/opportunities/${o.id}/order`, { status: 'fulfilled' }))).toMatchObject({ status: 400, field: 'status' });

    const mine = await json<{ items: OrderDto[] }>(await asRep.get(`/api/customers/${customerA}/orders`));
    expect(mine.items.map((i) => i.id)).toContain(order.id);
    expect((await json<{ items: OrderDto[] }>(await asOutsider.get(`/api/customers/${customerA}/orders`))).items).toEqual([]);
    expect((await asOutsider.patch(`/api/opportunities/${o.id}/order`, { status: 'cancelled' })).status).toBe(404);
  });
});

describe('contracts', () => {
  it('creates, reads, lists and changes a contract attached to its opportunity and customer', async () => {
    const o = await newOpportunity('ERP', 'Contract signed');
    const c = await createContract(contractBody(o.id, 'HT-2026-0001', { renewalRemindAt: '2027-02-01T09:00:00+08:00', currency: 'USD' }));
    expect(c).toMatchObject({
      opportunityId: o.id,
      customerId: customerA,
      teamId: teamA,
      number: 'HT-2026-0001',
      value: 11300,
      currency: 'USD',
      status: 'active',
      renewalRemindAt: '2027-02-01T01:00:00.000Z',
      renewalRemindedAt: null,
    });
    expect((await json<{ contract: ContractDto }>(await asRep2.get(`/api/contracts/${c.id}`))).contract.id).toBe(c.id);
    expect((await json<{ contract: ContractDto }>(await asRep.get(`/api/opportunities/${o.id}/contract`))).contract.id).toBe(c.id);
    expect((await json<{ items: ContractDto[] }>(await asRep.get(`/api/customers/${customerA}/contracts`))).items.map((i) => i.id)).toContain(c.id);

    const changed = await json<{ contract: ContractDto }>(await asRep.patch(`/api/contracts/${c.id}`, { value: 12000.5, endsAt: '2027-06-30', status: 'expired' }));
    expect(changed.contract).toMatchObject({ value: 12000.5, endsAt: '2027-06-30', status: 'expired' });
    expect((await json<{ contract: ContractDto }>(await asRep.patch(`/api/contracts/${c.id}`, { status: 'terminated' }))).contract.status).toBe('terminated');
    expect(await errorOf(await asRep.patch(`/api/contracts/${c.id}`, { status: 'active' }))).toMatchObject({ status: 409, field: 'status' });

    // One contract per opportunity; numbers are unique in the workspace.
    expect(await errorOf(await asRep.post('/api/contracts', contractBody(o.id, 'HT-2026-0099')))).toMatchObject({ status: 409, field: 'opportunityId' });
    const other = await newOpportunity('CRM', 'Contract signed');
    expect(await errorOf(await asRep.post('/api/contracts', contractBody(other.id, 'HT-2026-0001')))).toMatchObject({ status: 409, field: 'number' });
    expect((await asRep.get(`/api/opportunities/${other.id}/contract`)).status).toBe(404);
  });

  it('answers bad input with 400 naming the field, and writes nothing', async () => {
    const o = await newOpportunity('Bad input', 'Contract signed');
    const count = async () => Number((await t.ctx.db.selectFrom('contracts').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const cases: Array<[Record<string, unknown>, string]> = [
      [contractBody(o.id, ''), 'number'],
      [contractBody(o.id, 'X-1', { signedAt: '2026-02-30' }), 'signedAt'],
      [contractBody(o.id, 'X-1', { endsAt: '2026-01-01' }), 'endsAt'],
      [contractBody(o.id, 'X-1', { value: -1 }), 'value'],
      [contractBody(o.id, 'X-1', { value: 1.001 }), 'value'],
      [contractBody(o.id, 'X-1', { currency: 'yuan' }), 'currency'],
      [contractBody(o.id, 'X-1', { renewalRemindAt: 'tomorrow' }), 'renewalRemindAt'],
      [contractBody('not-an-id', 'X-1'), 'opportunityId'],
      [contractBody(o.id, 'X-1', { extra: true }), ''],
    ];
    for (const [body, field] of cases) {
      const e = await errorOf(await asRep.post('/api/contracts', body));
      expect(e.status, JSON.stringify(body)).toBe(400);
      if (field) expect(e.field).toBe(field);
    }
    expect(await count()).toBe(before);
    const c = await createContract(contractBody(o.id, 'HT-BAD-1'));
    expect(await errorOf(await asRep.patch(`/api/contracts/${c.id}`, { startsAt: '2028-01-01' }))).toMatchObject({ status: 400, field: 'endsAt' });
    expect((await asRep.get('/api/contracts/nope')).status).toBe(400);
  });

  it('refuses another team: 404 to read or change, 400 to create on its opportunity', async () => {
    const o = await newOpportunity('Secret', 'Contract signed');
    const c = await createContract(contractBody(o.id, 'HT-SECRET-1'));
    expect((await asOutsider.get(`/api/contracts/${c.id}`)).status).toBe(404);
    expect((await asOutsider.patch(`/api/contracts/${c.id}`, { value: 1 })).status).toBe(404);
    expect((await asOutsider.get(`/api/opportunities/${o.id}/contract`)).status).toBe(404);
    expect((await json<{ items: ContractDto[] }>(await asOutsider.get(`/api/customers/${customerA}/contracts`))).items).toEqual([]);
    const other = await newOpportunity('Secret 2', 'Contract signed');
    expect(await errorOf(await asOutsider.post('/api/contracts', contractBody(other.id, 'HT-OUT-1')))).toMatchObject({ status: 400, field: 'opportunityId' });
    expect((await asOutsider.get(`/api/contracts/${c.id}/attachments`)).status).toBe(404);
    // The admin sees every team's.
    expect((await asAdmin.get(`/api/contracts/${c.id}`)).status).toBe(200);
  });

  it('creates once for a repeated Idempotency-Key', async () => {
    const o = await newOpportunity('Idempotent', 'Contract signed');
    const send = () =>
      t.app.request('/api/contracts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, cookie: repCookie, 'Idempotency-Key': 'contract-key-1' },
        body: JSON.stringify(contractBody(o.id, 'HT-IDEM-1')),
      });
    const first = await send();
    const again = await send();
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { contract: ContractDto }).contract.id).toBe(((await first.json()) as { contract: ContractDto }).contract.id);
    const rows = await t.ctx.db.selectFrom('contracts').select('id').where('number', '=', 'HT-IDEM-1').execute();
    expect(rows).toHaveLength(1);
  });

  it('carries attachments with the opportunity’s access', async () => {
    const o = await newOpportunity('With files', 'Contract signed');
    const c = await createContract(contractBody(o.id, 'HT-FILE-1'));
    const form = new FormData();
    form.set('parentType', 'contract');
    form.set('parentId', c.id);
    form.set('file', new File(['signed copy'], '合同.txt', { type: 'text/plain' }));
    const up = await t.app.request('/api/attachments', { method: 'POST', headers: { cookie: repCookie, origin: ORIGIN }, body: form });
    expect(up.status).toBe(201);
    const list = await json<{ items: Array<{ fileName: string }> }>(await asRep2.get(`/api/contracts/${c.id}/attachments`));
    expect(list.items.map((i) => i.fileName)).toEqual(['合同.txt']);
  });
});

describe('renewal reminder', () => {
  it('notifies the opportunity owner once when the date arrives, and again after the date changes', async () => {
    const o = await newOpportunity('Renewal', 'Contract signed');
    const c = await createContract(contractBody(o.id, 'HT-RENEW-1', { renewalRemindAt: '2026-03-10T12:00:00Z' }));
    const reminders = async () =>
      (await json<NotificationListDto>(await asRep.get('/api/notifications'))).items.filter((n) => n.type === 'reminder' && n.title.includes('HT-RENEW-1'));
    await runReminderPass(t.ctx);
    expect(await reminders()).toHaveLength(0);
    clock = new Date('2026-03-10T12:00:01Z');
    // Two passes at once (as two nodes would run them): one reminder.
    await Promise.all([runReminderPass(t.ctx), runReminderPass(t.ctx)]);
    await runReminderPass(t.ctx);
    const fired = await reminders();
    expect(fired).toHaveLength(1);
    expect(fired[0]?.link).toBe(`/opportunities/${o.id}`);
    expect((await json<{ contract: ContractDto }>(await asRep.get(`/api/contracts/${c.id}`))).contract.renewalRemindedAt).toBe('2026-03-10T12:00:01.000Z');
    await json(await asRep.patch(`/api/contracts/${c.id}`, { renewalRemindAt: '2026-03-11T00:00:00Z' }));
    clock = new Date('2026-03-11T00:00:01Z');
    await runReminderPass(t.ctx);
    expect(await reminders()).toHaveLength(2);
    clock = new Date('2026-03-10T10:00:00.000Z');
  });
});

describe('winning', () => {
  const category = async (id: string) => (await json<{ customer: { category: string } }>(await asRep.get(`/api/customers/${id}`))).customer.category;
  async function eventually(read: () => Promise<string>, want: string): Promise<string> {
    let got = await read();
    for (let i = 0; i < 100 && got !== want; i++) {
      await new Promise((r) => setTimeout(r, 50));
      got = await read();
    }
    return got;
  }

  it('records the close date and makes the customer a won customer, unless the admin turns the rule off', async () => {
    const customer = (await asRep.create({ name: '比亚迪' })).id;
    expect(await category(customer)).toBe('potential');
    const o = await newOpportunity('Fleet', 'Contract signed', customer);
    const won = await json<{ opportunity: OpportunityDto }>(await asRep.patch(`/api/opportunities/${o.id}`, { stageId: stage('Won').id }));
    expect(won.opportunity).toMatchObject({ status: 'won', closedAt: clock.toISOString() });
    expect(await eventually(() => category(customer), 'closed-won')).toBe('closed-won');

    expect((await asRep.get('/api/workspace/deals')).status).toBe(403);
    expect((await asRep.patch('/api/workspace/deals', { wonSetsCustomerCategory: false })).status).toBe(403);
    expect(await json(await asAdmin.get('/api/workspace/deals'))).toEqual({ wonSetsCustomerCategory: true });
    expect((await errorOf(await asAdmin.patch('/api/workspace/deals', { wonSetsCustomerCategory: 'no' }))).field).toBe('wonSetsCustomerCategory');
    expect(await json(await asAdmin.patch('/api/workspace/deals', { wonSetsCustomerCategory: false }))).toEqual({ wonSetsCustomerCategory: false });

    const other = (await asRep.create({ name: '小米' })).id;
    const o2 = await newOpportunity('Phones', 'Contract signed', other);
    await json(await asRep.patch(`/api/opportunities/${o2.id}`, { stageId: stage('Won').id }));
    // The rule is decided in the projection's transaction; give a stray edit time to show.
    await new Promise((r) => setTimeout(r, 300));
    expect(await category(other)).toBe('potential');
    await json(await asAdmin.patch('/api/workspace/deals', { wonSetsCustomerCategory: true }));
  });
});
