import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunnelDto, OpportunityDto, StageHistoryDto } from '../../schema/wire/opportunity.ts';
import type { PipelineDto } from '../../schema/wire/pipeline.ts';
import type { User } from '../../server/users/user.ts';
import { type TestContext, createTestContext, login, seedTeam, seedUser } from '../helpers/context.ts';
import {
  type Caller,
  caller,
  cardsOf,
  createOpportunity,
  errorOf,
  expectProjectionMatches,
  insertCustomer,
  json,
  storedBoard,
  teamPipeline,
} from '../helpers/opportunities.ts';

let t: TestContext;
let teamA: string;
let teamB: string;
let rep: User;
let rep2: User;
let manager: User;
let repB: User;
let asRep: Caller;
let asRep2: Caller;
let asManager: Caller;
let asRepB: Caller;
let asAdmin: Caller;
let pipeline: PipelineDto;
let customerA: string;
let customerB: string;

const stage = (name: string) => pipeline.stages.find((s) => s.name === name)!;

beforeAll(async () => {
  t = await createTestContext();
  teamA = (await seedTeam(t.ctx)).id;
  teamB = (await seedTeam(t.ctx)).id;
  rep = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Li Lei' });
  rep2 = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Chen Jing' });
  manager = await seedUser(t.ctx, { role: 'manager', teamId: teamA });
  repB = await seedUser(t.ctx, { role: 'rep', teamId: teamB });
  const admin = await seedUser(t.ctx, { role: 'admin' });
  asRep = caller(t.app, await login(t.app, rep.email));
  asRep2 = caller(t.app, await login(t.app, rep2.email));
  asManager = caller(t.app, await login(t.app, manager.email));
  asRepB = caller(t.app, await login(t.app, repB.email));
  asAdmin = caller(t.app, await login(t.app, admin.email));
  pipeline = await teamPipeline(asRep);
  customerA = await insertCustomer(t.ctx, teamA, '华为技术有限公司');
  customerB = await insertCustomer(t.ctx, teamB, 'Other team customer');
});
afterAll(async () => {
  await t.close();
});

const get = async (c: Caller, id: string) =>
  json<{ opportunity: OpportunityDto; stageHistory: StageHistoryDto[] }>(await c.get(`/api/opportunities/${id}`));

describe('creating opportunities', () => {
  it('answers 201 with id and pipelineId, in the first stage, owned by the creator, on the board', async () => {
    const o = await createOpportunity(asRep, { customerId: customerA, name: 'ERP rollout', amount: 250000.5, expectedCloseDate: '2026-12-15' });
    expect(o).toMatchObject({
      pipelineId: pipeline.id,
      teamId: teamA,
      customerId: customerA,
      name: 'ERP rollout',
      amount: 250000.5,
      currency: 'CNY',
      expectedCloseDate: '2026-12-15',
      stageId: pipeline.stages[0]!.id,
      ownerId: rep.id,
      status: 'open',
      closedAt: null,
    });
    expect(o.id).toMatch(/^[0-9a-f-]{36}$/);
    const card = cardsOf(await storedBoard(t.ctx, pipeline.id)).get(o.id);
    expect(card).toMatchObject({ name: 'ERP rollout', amount: 250000.5, customerId: customerA, ownerId: rep.id, stageId: pipeline.stages[0]!.id, rank: o.rank });
    const { stageHistory } = await get(asRep, o.id);
    expect(stageHistory).toHaveLength(1);
    expect(stageHistory[0]).toMatchObject({ fromStageId: null, toStageId: pipeline.stages[0]!.id, leftAt: null, movedBy: rep.id });
    await expectProjectionMatches(t.ctx, pipeline.id);
  });

  it('places new cards at the end of their stage', async () => {
    const a = await createOpportunity(asRep, { customerId: customerA, name: 'Rank A', amount: 1, stageId: stage('Proposal').id });
    const b = await createOpportunity(asRep, { customerId: customerA, name: 'Rank B', amount: 1, stageId: stage('Proposal').id });
    expect(a.rank < b.rank).toBe(true);
  });

  it('refuses bad input with the field named and stores nothing', async () => {
    const before = (await t.ctx.db.selectFrom('opportunities').select('id').execute()).length;
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ customerId: customerA, name: 'X', amount: -1 }, 400, 'amount'],
      [{ customerId: customerA, name: 'X', amount: 1.234 }, 400, 'amount'],
      [{ customerId: customerA, name: 'X', amount: 1e15 }, 400, 'amount'],
      [{ customerId: customerA, name: '', amount: 1 }, 400, 'name'],
      [{ customerId: customerA, name: 'x'.repeat(201), amount: 1 }, 400, 'name'],
      [{ customerId: customerA, name: 'X', amount: 1, currency: 'yuan' }, 400, 'currency'],
      [{ customerId: customerA, name: 'X', amount: 1, expectedCloseDate: '2026-02-30' }, 400, 'expectedCloseDate'],
      [{ customerId: 'nope', name: 'X', amount: 1 }, 400, 'customerId'],
      [{ customerId: customerB, name: 'X', amount: 1 }, 400, 'customerId'],
      [{ customerId: customerA, name: 'X', amount: 1, stageId: '00000000-0000-4000-8000-000000000000' }, 400, 'stageId'],
      [{ customerId: customerA, name: 'X', amount: 1, stageId: stage('Lost').id }, 400, 'lostReason'],
      [{ customerId: customerA, name: 'X', amount: 1, ownerId: rep2.id }, 403, ''],
      [{ customerId: customerA, name: 'X', amount: 1, ownerId: repB.id }, 403, ''],
    ];
    for (const [body, status, field] of cases) {
      const err = await errorOf(await asRep.post('/api/opportunities', body));
      expect([JSON.stringify(body), err.status]).toEqual([JSON.stringify(body), status]);
      if (field) expect(err.field).toBe(field);
    }
    // A manager may assign, but only to an active member of the team.
    const outsider = await errorOf(await asManager.post('/api/opportunities', { customerId: customerA, name: 'X', amount: 1, ownerId: repB.id }));
    expect(outsider).toMatchObject({ status: 400, field: 'ownerId' });
    expect((await t.ctx.db.selectFrom('opportunities').select('id').execute()).length).toBe(before);
  });

  it('lets a manager assign a deal to a rep, who is notified', async () => {
    const o = await createOpportunity(asManager, { customerId: customerA, name: 'Assigned deal', amount: 10, ownerId: rep2.id });
    expect(o.ownerId).toBe(rep2.id);
    const n = await t.ctx.db.selectFrom('notifications').selectAll().where('recipient_id', '=', rep2.id).where('entity_id', '=', o.id).execute();
    expect(n).toHaveLength(1);
    expect(n[0]!.type).toBe('assignment');
  });
});

describe('changing opportunities', () => {
  it('moves through stages, recording history; lost needs a reason; won and lost record closedAt; reopen clears them', async () => {
    const o = await createOpportunity(asRep, { customerId: customerA, name: 'Moves', amount: 5000 });
    let r = await json<{ opportunity: OpportunityDto }>(await asRep.patch(`/api/opportunities/${o.id}`, { stageId: stage('Negotiation').id }));
    expect(r.opportunity).toMatchObject({ stageId: stage('Negotiation').id, status: 'open', closedAt: null });

    const noReason = await errorOf(await asRep.patch(`/api/opportunities/${o.id}`, { stageId: stage('Lost').id }));
    expect(noReason).toMatchObject({ status: 400, field: 'lostReason' });
    expect((await get(asRep, o.id)).opportunity.stageId).toBe(stage('Negotiation').id);

    r = await json(await asRep.patch(`/api/opportunities/${o.id}`, { stageId: stage('Lost').id, lostReason: 'Price too high 价格太高' }));
    expect(r.opportunity).toMatchObject({ status: 'lost', lostReason: 'Price too high 价格太高' });
    expect(r.opportunity.closedAt).not.toBeNull();

    r = await json(await asRep.patch(`/api/opportunities/${o.id}`, { stageId: stage('Proposal').id }));
    expect(r.opportunity).toMatchObject({ status: 'open', closedAt: null, lostReason: null });

    r = await json(await asRep.patch(`/api/opportunities/${o.id}`, { stageId: stage('Won').id }));
    expect(r.opportunity.status).toBe('won');
    expect(r.opportunity.closedAt).not.toBeNull();

    const { stageHistory } = await get(asRep, o.id);
    expect(stageHistory.map((h) => [h.fromStageId, h.toStageId])).toEqual([
      [null, stage('Initial contact').id],
      [stage('Initial contact').id, stage('Negotiation').id],
      [stage('Negotiation').id, stage('Lost').id],
      [stage('Lost').id, stage('Proposal').id],
      [stage('Proposal').id, stage('Won').id],
    ]);
    expect(stageHistory.slice(0, -1).every((h) => h.leftAt !== null)).toBe(true);
    expect(stageHistory.at(-1)!.leftAt).toBeNull();
    await expectProjectionMatches(t.ctx, pipeline.id);
  });

  it('edits fields and orders cards within a column with `after`', async () => {
    const s = stage('Needs confirmed').id;
    const a = await createOpportunity(asRep, { customerId: customerA, name: 'A', amount: 1, stageId: s });
    const b = await createOpportunity(asRep, { customerId: customerA, name: 'B', amount: 1, stageId: s });
    const c = await createOpportunity(asRep, { customerId: customerA, name: 'C', amount: 1, stageId: s });
    await json(await asRep.patch(`/api/opportunities/${c.id}`, { after: a.id, name: 'C2', amount: 99.5, currency: 'USD', expectedCloseDate: null }));
    const { items } = await json<{ items: OpportunityDto[] }>(await asRep.get(`/api/opportunities?pipelineId=${pipeline.id}`));
    const column = items.filter((i) => i.stageId === s && [a.id, b.id, c.id].includes(i.id)).map((i) => i.name);
    expect(column).toEqual(['A', 'C2', 'B']);
    const c2 = (await get(asRep, c.id)).opportunity;
    expect(c2).toMatchObject({ amount: 99.5, currency: 'USD', expectedCloseDate: null });
    await json(await asRep.patch(`/api/opportunities/${b.id}`, { after: null }));
    const again = await json<{ items: OpportunityDto[] }>(await asRep.get(`/api/opportunities?stageId=${s}`));
    expect(again.items.filter((i) => [a.id, b.id, c.id].includes(i.id)).map((i) => i.name)).toEqual(['B', 'A', 'C2']);
    await expectProjectionMatches(t.ctx, pipeline.id);
  });

  it('refuses reassignment by a rep, allows it to a manager, and notifies the new owner', async () => {
    const o = await createOpportunity(asRep, { customerId: customerA, name: 'Owner change', amount: 1 });
    const refused = await errorOf(await asRep.patch(`/api/opportunities/${o.id}`, { ownerId: rep2.id }));
    expect(refused.status).toBe(403);
    expect((await get(asRep, o.id)).opportunity.ownerId).toBe(rep.id);
    const r = await json<{ opportunity: OpportunityDto }>(await asManager.patch(`/api/opportunities/${o.id}`, { ownerId: rep2.id }));
    expect(r.opportunity.ownerId).toBe(rep2.id);
    const n = await t.ctx.db.selectFrom('notifications').select('type').where('recipient_id', '=', rep2.id).where('entity_id', '=', o.id).execute();
    expect(n.map((x) => x.type)).toEqual(['assignment']);
    const bad = await errorOf(await asManager.patch(`/api/opportunities/${o.id}`, { ownerId: repB.id }));
    expect(bad).toMatchObject({ status: 400, field: 'ownerId' });
  });

  it('refuses bad changes with the field named', async () => {
    const o = await createOpportunity(asRep, { customerId: customerA, name: 'Bad changes', amount: 1 });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ amount: -5 }, 'amount'],
      [{ stageId: '00000000-0000-4000-8000-000000000000' }, 'stageId'],
      [{ name: '' }, 'name'],
      [{ lostReason: 'x'.repeat(1001) }, 'lostReason'],
      [{ unknown: 1 }, ''],
    ];
    for (const [body, field] of cases) {
      const err = await errorOf(await asRep.patch(`/api/opportunities/${o.id}`, body));
      expect(err.status).toBe(400);
      if (field) expect(err.field).toBe(field);
    }
    expect((await get(asRep, o.id)).opportunity).toMatchObject({ amount: 1, name: 'Bad changes', stageId: o.stageId });
  });
});

describe('team scope', () => {
  it('answers 404 to another team for reading and writing, and lists only the team’s deals', async () => {
    const o = await createOpportunity(asRep, { customerId: customerA, name: 'Private', amount: 1 });
    expect((await asRepB.get(`/api/opportunities/${o.id}`)).status).toBe(404);
    expect((await asRepB.patch(`/api/opportunities/${o.id}`, { name: 'Hijack' })).status).toBe(404);
    expect((await asRepB.get(`/api/opportunities/${o.id}/quotes`)).status).toBe(404);
    expect((await asRepB.post(`/api/opportunities/${o.id}/quotes`, { title: 'Q', items: [] })).status).toBe(404);
    const { items } = await json<{ items: OpportunityDto[] }>(await asRepB.get(`/api/opportunities?customerId=${customerA}`));
    expect(items).toHaveLength(0);
    expect((await get(asAdmin, o.id)).opportunity.name).toBe('Private');
    expect((await get(asRep, o.id)).opportunity.name).toBe('Private');
  });

  it('filters by pipeline, owner, customer and close month', async () => {
    const other = await insertCustomer(t.ctx, teamA, 'Filter customer');
    const a = await createOpportunity(asRep, { customerId: other, name: 'Nov', amount: 1, expectedCloseDate: '2026-11-03' });
    const b = await createOpportunity(asRep2, { customerId: other, name: 'Dec', amount: 1, expectedCloseDate: '2026-12-03' });
    const ids = async (q: string) => (await json<{ items: OpportunityDto[] }>(await asManager.get(`/api/opportunities?${q}`))).items.map((i) => i.id);
    expect(await ids(`customerId=${other}`)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(await ids(`customerId=${other}&ownerId=${rep2.id}`)).toEqual([b.id]);
    expect(await ids(`customerId=${other}&closeMonth=2026-11`)).toEqual([a.id]);
    expect(await ids(`pipelineId=${pipeline.id}&customerId=${other}&closeMonth=2026-12`)).toEqual([b.id]);
    expect((await errorOf(await asManager.get('/api/opportunities?closeMonth=2026-13'))).field).toBe('closeMonth');
  });
});

describe('funnel', () => {
  it('counts open and closed opportunities per stage and follows every move', async () => {
    const team = (await seedTeam(t.ctx)).id;
    const r = await seedUser(t.ctx, { role: 'rep', teamId: team });
    const c = caller(t.app, await login(t.app, r.email));
    const p = await teamPipeline(c);
    const customer = await insertCustomer(t.ctx, team);
    const at = (name: string) => p.stages.find((s) => s.name === name)!.id;
    const x = await createOpportunity(c, { customerId: customer, name: 'x', amount: 0.1 });
    await createOpportunity(c, { customerId: customer, name: 'y', amount: 0.2 });
    await createOpportunity(c, { customerId: customer, name: 'z', amount: 100, stageId: at('Won') });
    const funnel = async () => (await json<FunnelDto>(await c.get(`/api/reports/funnel?pipelineId=${p.id}`))).stages;
    let f = await funnel();
    expect(f.map((s) => s.name)).toEqual(p.stages.map((s) => s.name));
    expect(f.find((s) => s.stageId === at('Initial contact'))).toMatchObject({ count: 2, amount: 0.3 });
    expect(f.find((s) => s.stageId === at('Won'))).toMatchObject({ count: 1, amount: 100 });
    await json(await c.patch(`/api/opportunities/${x.id}`, { stageId: at('Lost'), lostReason: 'No budget' }));
    f = await funnel();
    expect(f.find((s) => s.stageId === at('Initial contact'))).toMatchObject({ count: 1, amount: 0.2 });
    expect(f.find((s) => s.stageId === at('Lost'))).toMatchObject({ count: 1, amount: 0.1 });
    expect((await asRepB.get(`/api/reports/funnel?pipelineId=${p.id}`)).status).toBe(404);
  });
});

describe('quotes and orders', () => {
  it('computes quote totals, follows the status rules, and records one order from the accepted quote', async () => {
    const o = await createOpportunity(asRep, { customerId: customerA, name: 'Quoted deal', amount: 1000 });
    const created = await json<{ quote: { id: string; subtotal: number; tax: number; total: number; status: string; items: Array<{ lineTotal: number }> } }>(
      await asRep.post(`/api/opportunities/${o.id}/quotes`, {
        title: 'Initial offer',
        taxPercent: 13,
        items: [
          { description: 'Licences', quantity: 10, unitPrice: 99.99 },
          { description: 'Setup', quantity: 1, unitPrice: 500, discountPercent: 10 },
        ],
      }),
      201,
    );
    expect(created.quote.items.map((i) => i.lineTotal)).toEqual([999.9, 450]);
    expect(created.quote).toMatchObject({ subtotal: 1449.9, tax: 188.49, total: 1638.39, status: 'draft' });
    const qid = created.quote.id;

    expect((await errorOf(await asRep.patch(`/api/opportunities/${o.id}/quotes/${qid}`, { status: 'accepted' }))).status).toBe(409);
    await json(await asRep.patch(`/api/opportunities/${o.id}/quotes/${qid}`, { status: 'sent' }));
    expect((await errorOf(await asRep.patch(`/api/opportunities/${o.id}/quotes/${qid}`, { items: [] }))).status).toBe(409);
    const accepted = await json<{ quote: { status: string } }>(await asRep.patch(`/api/opportunities/${o.id}/quotes/${qid}`, { status: 'accepted' }));
    expect(accepted.quote.status).toBe('accepted');
    expect((await errorOf(await asRep.post(`/api/opportunities/${o.id}/quotes`, { title: 'Q', items: [{ description: 'x', quantity: 0, unitPrice: 1 }] }))).field).toBe(
      'items.0.quantity',
    );

    const noQuote = await errorOf(await asRep.post(`/api/opportunities/${o.id}/order`, { contractNumber: 'HT-2026-001', signedOn: '2026-11-20' }));
    expect(noQuote).toMatchObject({ status: 400, field: 'quoteId' });
    await json(await asRep.patch(`/api/opportunities/${o.id}`, { stageId: stage('Won').id }));
    const order = await json<{ order: { amount: number; contractNumber: string; quoteId: string } }>(
      await asRep.post(`/api/opportunities/${o.id}/order`, { contractNumber: 'HT-2026-001', signedOn: '2026-11-20', quoteId: qid }),
      201,
    );
    expect(order.order).toMatchObject({ amount: 1638.39, contractNumber: 'HT-2026-001', quoteId: qid });
    expect((await errorOf(await asRep.post(`/api/opportunities/${o.id}/order`, { contractNumber: 'HT-2026-002', signedOn: '2026-11-20', quoteId: qid }))).status).toBe(409);
    const updated = await json<{ order: { status: string } }>(await asRep.patch(`/api/opportunities/${o.id}/order`, { status: 'delivered' }));
    expect(updated.order.status).toBe('delivered');
    expect((await json<{ order: { status: string } }>(await asRep.get(`/api/opportunities/${o.id}/order`))).order.status).toBe('delivered');

    // The customer's 360° page lists them; other teams see none.
    expect((await json<{ items: unknown[] }>(await asRep.get(`/api/quotes?customerId=${customerA}`))).items.length).toBeGreaterThan(0);
    expect((await json<{ items: unknown[] }>(await asRep.get(`/api/orders?customerId=${customerA}`))).items).toHaveLength(1);
    expect((await json<{ items: unknown[] }>(await asRepB.get(`/api/orders?customerId=${customerA}`))).items).toHaveLength(0);
    expect((await asRepB.get(`/api/opportunities/${o.id}/order`)).status).toBe(404);
  });
});
