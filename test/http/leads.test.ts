/** Leads over HTTP: capture, list, work, convert, access, idempotency, the report (docs/leads.md). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactDto, CustomerDto, HistoryEntryDto } from '../../schema/wire/customer.ts';
import type { LeadDto, LeadListDto, LeadReportDto } from '../../schema/wire/lead.ts';
import type { OpportunityDto } from '../../schema/wire/opportunity.ts';
import type { NotificationListDto } from '../../schema/wire/notifications.ts';
import type { User } from '../../server/users/user.ts';
import { ORIGIN, type TestContext, createTestContext, login, seedTeam, seedUser } from '../helpers/context.ts';
import { api, errorOf, json } from '../helpers/customers.ts';

/** Setup signs several users in (argon2id), slow on a busy machine. */
const SETUP_TIMEOUT_MS = 180_000;

let t: TestContext;
let teamA: string;
let admin: ReturnType<typeof api>;
let manager: ReturnType<typeof api>;
let rep: ReturnType<typeof api>;
let rep2: ReturnType<typeof api>;
let repB: ReturnType<typeof api>;
let repUser: User;
let rep2User: User;
let repCookie: string;

beforeAll(async () => {
  t = await createTestContext();
  teamA = (await seedTeam(t.ctx, 'Alpha')).id;
  const teamB = (await seedTeam(t.ctx, 'Beta')).id;
  const adminUser = await seedUser(t.ctx, { role: 'admin' });
  const managerUser = await seedUser(t.ctx, { role: 'manager', teamId: teamA, name: 'Mia Manager' });
  repUser = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Ray Rep' });
  rep2User = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Rita Rep' });
  const repBUser = await seedUser(t.ctx, { role: 'rep', teamId: teamB, name: 'Bo Rep' });
  admin = api(t, await login(t.app, adminUser.email));
  manager = api(t, await login(t.app, managerUser.email));
  repCookie = await login(t.app, repUser.email);
  rep = api(t, repCookie);
  rep2 = api(t, await login(t.app, rep2User.email));
  repB = api(t, await login(t.app, repBUser.email));
}, SETUP_TIMEOUT_MS);
afterAll(() => t.close());

const leadCount = async () => Number((await t.ctx.db.selectFrom('leads').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

async function capture(who: ReturnType<typeof api>, body: Record<string, unknown>): Promise<LeadDto> {
  return (await json<{ lead: LeadDto }>(await who.post('/api/leads', body), 201)).lead;
}

describe('capturing leads', () => {
  it('creates a lead owned by the creator in their team, status new, and reads it back', async () => {
    const lead = await capture(rep, {
      name: '  王小明 ',
      company: '杭州云帆科技',
      phone: '+86 571-8888 0001',
      email: 'wang@yunfan.example',
      source: 'website',
      note: 'Asked for a demo',
    });
    expect(lead).toMatchObject({
      name: '王小明',
      company: '杭州云帆科技',
      source: 'website',
      status: 'new',
      ownerId: repUser.id,
      ownerName: 'Ray Rep',
      teamId: teamA,
      disqualifiedReason: '',
      customerId: null,
    });
    const { lead: again } = await json<{ lead: LeadDto }>(await rep.get(`/api/leads/${lead.id}`));
    expect(again).toEqual(lead);
    const { items } = await json<{ items: HistoryEntryDto[] }>(await rep.get(`/api/leads/${lead.id}/history`));
    expect(items.map((i) => i.action)).toEqual(['create']);
    expect(items[0]!.changes).toMatchObject({ name: [null, '王小明'], status: [null, 'new'] });
  });

  it('refuses bad input with a 400 naming the field, and stores nothing', async () => {
    const before = await leadCount();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ company: 'No name Ltd' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'X', status: 'won' }, 'status'],
      [{ name: 'X', status: 'converted' }, 'status'],
      [{ name: 'X', status: 'disqualified' }, 'disqualifiedReason'],
      [{ name: 'X', email: 'not-an-email' }, 'email'],
      [{ name: 'X', phone: 'call me' }, 'phone'],
      [{ name: 'X', ownerId: 'nobody' }, 'ownerId'],
      [{ name: 'X', surprise: 1 }, ''],
    ];
    for (const [body, field] of cases) {
      const err = await errorOf(await rep.post('/api/leads', body));
      expect(err.status, JSON.stringify(body)).toBe(400);
      expect(err.code).toBe('validation');
      if (field) expect(err.field, JSON.stringify(body)).toBe(field);
    }
    expect(await leadCount()).toBe(before);
  });

  it('lets a disqualified lead be captured with its reason', async () => {
    const lead = await capture(rep, { name: 'Spam Bot', status: 'disqualified', disqualifiedReason: 'Not a real person' });
    expect(lead).toMatchObject({ status: 'disqualified', disqualifiedReason: 'Not a real person' });
  });

  it('refuses a rep giving a new lead to someone else; a manager may, and the new owner is notified', async () => {
    const before = await leadCount();
    expect((await errorOf(await rep.post('/api/leads', { name: 'Handed', ownerId: rep2User.id }))).status).toBe(403);
    expect(await leadCount()).toBe(before);
    const lead = await capture(manager, { name: 'Assigned Lead', ownerId: rep2User.id });
    expect(lead.ownerId).toBe(rep2User.id);
    const { items } = await json<NotificationListDto>(await rep2.get('/api/notifications'));
    const n = items.find((i) => i.link === `/leads/${lead.id}`);
    expect(n).toMatchObject({ type: 'assignment', title: 'A lead was assigned to you: Assigned Lead' });
  });

  it('honours Idempotency-Key: a repeat returns the first answer and creates nothing', async () => {
    const send = () =>
      t.app.request('/api/leads', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, cookie: repCookie, 'idempotency-key': 'lead-once-1' },
        body: JSON.stringify({ name: 'Only Once', source: 'event' }),
      });
    const first = await json<{ lead: LeadDto }>(await send(), 201);
    const before = await leadCount();
    const second = await send();
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(((await second.json()) as { lead: LeadDto }).lead.id).toBe(first.lead.id);
    expect(await leadCount()).toBe(before);
  });
});

describe('listing leads', () => {
  it('searches, filters by status, source and owner, and pages with a cursor', async () => {
    await capture(rep, { name: 'Zhao Search', company: 'Needle Works', source: 'referral', phone: '138 0000 7777' });
    await capture(rep, { name: 'Qian Other', source: 'referral', status: 'contacted' });
    const q = await json<LeadListDto>(await rep.get('/api/leads?q=needle'));
    expect(q.items.map((l) => l.name)).toEqual(['Zhao Search']);
    const byPhone = await json<LeadListDto>(await rep.get('/api/leads?q=0000%207777'));
    expect(byPhone.items.map((l) => l.name)).toEqual(['Zhao Search']);
    const contacted = await json<LeadListDto>(await rep.get('/api/leads?status=contacted'));
    expect(contacted.items.map((l) => l.name)).toEqual(['Qian Other']);
    const referral = await json<LeadListDto>(await rep.get('/api/leads?source=referral'));
    expect(referral.items.map((l) => l.name).sort()).toEqual(['Qian Other', 'Zhao Search']);
    const mine = await json<LeadListDto>(await rep2.get('/api/leads?ownerId=me'));
    expect(mine.items.map((l) => l.name)).toEqual(['Assigned Lead']);

    const all = await json<LeadListDto>(await rep.get('/api/leads'));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: LeadListDto = await json<LeadListDto>(await rep.get(`/api/leads?limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((l) => l.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThan(4);
  });

  it('refuses bad queries with a 400 naming the parameter', async () => {
    for (const [query, field] of [
      ['cursor=garbage', 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify({ t: '9999-99-99T99:99:99.999999Z', i: crypto.randomUUID() })).toString('base64url')}`, 'cursor'],
      ['status=won', 'status'],
      ['ownerId=someone', 'ownerId'],
      ['limit=0', 'limit'],
      ['sort=name', ''],
    ] as const) {
      const err = await errorOf(await rep.get(`/api/leads?${query}`));
      expect(err.status, query).toBe(400);
      if (field) expect(err.field, query).toBe(field);
    }
  });

  it("keeps another team's leads out of sight: not listed, and 404 by id", async () => {
    const theirs = await capture(repB, { name: 'Beta Secret' });
    const list = await json<LeadListDto>(await rep.get('/api/leads?q=secret'));
    expect(list.items).toEqual([]);
    expect((await errorOf(await rep.get(`/api/leads/${theirs.id}`))).status).toBe(404);
    expect((await errorOf(await rep.patch(`/api/leads/${theirs.id}`, { status: 'contacted' }))).status).toBe(404);
    expect((await errorOf(await rep.post(`/api/leads/${theirs.id}/convert`, {}))).status).toBe(404);
    const stored = await t.ctx.db.selectFrom('leads').select('status').where('id', '=', theirs.id).executeTakeFirstOrThrow();
    expect(stored.status).toBe('new');
    // Admins see every team's.
    expect((await json<{ lead: LeadDto }>(await admin.get(`/api/leads/${theirs.id}`))).lead.name).toBe('Beta Secret');
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const missing = await errorOf(await rep.get(`/api/leads/${crypto.randomUUID()}`));
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
    expect(await errorOf(await rep.get('/api/leads/not-an-id'))).toMatchObject({ status: 400, field: 'id' });
  });
});

describe('working leads', () => {
  it('changes status and details; disqualifying needs a reason; the history records each change', async () => {
    const lead = await capture(rep, { name: 'Sun Work', source: 'event' });
    const contacted = await json<{ lead: LeadDto }>(await rep2.patch(`/api/leads/${lead.id}`, { status: 'contacted', note: 'Called once' }));
    expect(contacted.lead).toMatchObject({ status: 'contacted', note: 'Called once' });

    const refused = await errorOf(await rep.patch(`/api/leads/${lead.id}`, { status: 'disqualified' }));
    expect(refused).toMatchObject({ status: 400, field: 'disqualifiedReason' });
    expect((await errorOf(await rep.patch(`/api/leads/${lead.id}`, { status: 'converted' }))).field).toBe('status');
    expect((await json<{ lead: LeadDto }>(await rep.get(`/api/leads/${lead.id}`))).lead.status).toBe('contacted');

    const dq = await json<{ lead: LeadDto }>(await rep.patch(`/api/leads/${lead.id}`, { status: 'disqualified', disqualifiedReason: 'No budget' }));
    expect(dq.lead).toMatchObject({ status: 'disqualified', disqualifiedReason: 'No budget' });
    const reopened = await json<{ lead: LeadDto }>(await rep.patch(`/api/leads/${lead.id}`, { status: 'qualified' }));
    expect(reopened.lead).toMatchObject({ status: 'qualified', disqualifiedReason: '' });

    const { items } = await json<{ items: HistoryEntryDto[] }>(await rep.get(`/api/leads/${lead.id}/history`));
    expect(items.map((i) => i.action)).toEqual(['update', 'update', 'update', 'create']);
    expect(items[1]!.changes).toMatchObject({ status: ['contacted', 'disqualified'], disqualifiedReason: ['', 'No budget'] });
  });

  it('lets a manager reassign a lead (notifying the new owner) but not a rep', async () => {
    const lead = await capture(rep, { name: 'Zhou Reassign' });
    expect((await errorOf(await rep.patch(`/api/leads/${lead.id}`, { ownerId: rep2User.id }))).status).toBe(403);
    expect((await errorOf(await manager.patch(`/api/leads/${lead.id}`, { ownerId: crypto.randomUUID() }))).field).toBe('ownerId');
    const moved = await json<{ lead: LeadDto }>(await manager.patch(`/api/leads/${lead.id}`, { ownerId: rep2User.id }));
    expect(moved.lead.ownerId).toBe(rep2User.id);
    const { items } = await json<NotificationListDto>(await rep2.get('/api/notifications'));
    expect(items.some((i) => i.link === `/leads/${lead.id}` && i.title.includes('Zhou Reassign'))).toBe(true);
  });
});

describe('converting leads', () => {
  it('creates the customer, a contact and an opportunity, marks the lead converted, and refuses a second convert', async () => {
    const lead = await capture(rep, {
      name: '李娜',
      company: 'Convert Corp 转化',
      phone: '+86 10 6666 1234',
      email: 'lina@convert.example',
      source: 'referral',
      status: 'qualified',
    });
    const res = await rep.post(`/api/leads/${lead.id}/convert`, { opportunity: { name: 'CRM seats', amount: 48000 } });
    const made = await json<{ customer: CustomerDto; contact: ContactDto; opportunity: OpportunityDto }>(res);
    expect(made.customer).toMatchObject({ name: 'Convert Corp 转化', kind: 'company', phone: '+86 10 6666 1234', source: 'referral', teamId: teamA, ownerId: repUser.id });
    expect(made.contact).toMatchObject({ name: '李娜', email: 'lina@convert.example', customerId: made.customer.id });
    expect(made.opportunity).toMatchObject({ name: 'CRM seats', amount: 48000, customerId: made.customer.id, teamId: teamA });

    // Everything is really there, through the ordinary routes.
    const { customer } = await json<{ customer: CustomerDto }>(await rep.get(`/api/customers/${made.customer.id}`));
    expect(customer.name).toBe('Convert Corp 转化');
    const contacts = await json<{ items: ContactDto[] }>(await rep.get(`/api/customers/${made.customer.id}/contacts`));
    expect(contacts.items.map((c) => c.name)).toEqual(['李娜']);
    const opp = await json<{ opportunity: OpportunityDto }>(await rep.get(`/api/opportunities/${made.opportunity.id}`));
    expect(opp.opportunity.customerId).toBe(made.customer.id);

    const { lead: after } = await json<{ lead: LeadDto }>(await rep.get(`/api/leads/${lead.id}`));
    expect(after).toMatchObject({ status: 'converted', customerId: made.customer.id, contactId: made.contact.id, opportunityId: made.opportunity.id });
    expect(after.convertedAt).not.toBeNull();

    const history = await json<{ items: HistoryEntryDto[] }>(await rep.get(`/api/customers/${made.customer.id}/history`));
    const fromLead = history.items.find((i) => i.action === 'converted-from-lead');
    expect(fromLead?.changes).toMatchObject({ leadId: lead.id, leadName: '李娜' });
    const leadHistory = await json<{ items: HistoryEntryDto[] }>(await rep.get(`/api/leads/${lead.id}/history`));
    expect(leadHistory.items.map((i) => i.action)).toEqual(['convert', 'create']);

    const customersBefore = await t.ctx.db.selectFrom('customers').select('id').execute();
    const again = await errorOf(await rep.post(`/api/leads/${lead.id}/convert`, { confirm: true }));
    expect(again).toMatchObject({ status: 409, code: 'conflict' });
    expect((await errorOf(await rep.patch(`/api/leads/${lead.id}`, { status: 'new' }))).status).toBe(409);
    expect((await t.ctx.db.selectFrom('customers').select('id').execute()).length).toBe(customersBefore.length);
  });

  it('converts a lead without a company into a person customer, without an opportunity', async () => {
    const lead = await capture(rep, { name: 'Solo Person', email: 'solo@person.example' });
    const made = await json<{ customer: CustomerDto; contact: ContactDto; opportunity?: OpportunityDto }>(
      await rep.post(`/api/leads/${lead.id}/convert`, {}),
    );
    expect(made.customer).toMatchObject({ name: 'Solo Person', kind: 'person' });
    expect(made.opportunity).toBeUndefined();
  });

  it('answers 409 with candidates for a likely duplicate customer, leaving the lead open, until confirmed', async () => {
    const existing = await rep.create({ name: 'Dup Holdings', phone: '+86 21 5555 0000' });
    const lead = await capture(rep, { name: 'Dup Person', company: 'Other Name', phone: '+86 21 5555 0000' });
    const customersBefore = (await t.ctx.db.selectFrom('customers').select('id').execute()).length;
    const res = await rep.post(`/api/leads/${lead.id}/convert`, {});
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string }; candidates: Array<{ id: string }> };
    expect(body.error.code).toBe('conflict');
    expect(body.candidates.map((c) => c.id)).toContain(existing.id);
    expect((await t.ctx.db.selectFrom('customers').select('id').execute()).length).toBe(customersBefore);
    const { lead: still } = await json<{ lead: LeadDto }>(await rep.get(`/api/leads/${lead.id}`));
    expect(still).toMatchObject({ status: 'new', customerId: null, convertedAt: null });

    const made = await json<{ customer: CustomerDto }>(await rep.post(`/api/leads/${lead.id}/convert`, { confirm: true }));
    expect(made.customer.id).not.toBe(existing.id);
  });

  it('refuses converting a disqualified lead and a bad opportunity, creating nothing', async () => {
    const dq = await capture(rep, { name: 'Nope', status: 'disqualified', disqualifiedReason: 'Competitor' });
    expect((await errorOf(await rep.post(`/api/leads/${dq.id}/convert`, {}))).status).toBe(409);
    const lead = await capture(rep, { name: 'Bad Opp', company: 'Bad Opp Co' });
    const err = await errorOf(await rep.post(`/api/leads/${lead.id}/convert`, { opportunity: { name: '', amount: -1 } }));
    expect(err).toMatchObject({ status: 400, field: 'opportunity.name' });
    expect((await json<{ lead: LeadDto }>(await rep.get(`/api/leads/${lead.id}`))).lead.status).toBe('new');
  });
});

describe('the leads report', () => {
  it('counts leads by source with the conversion rate, scoped like the other reports', async () => {
    const today = t.ctx.now().toISOString().slice(0, 10);
    const team = await json<LeadReportDto>(await manager.get(`/api/reports/leads?from=${today}&to=${today}`));
    const teamLeads = await t.ctx.db.selectFrom('leads').select(['source', 'status']).where('team_id', '=', teamA).execute();
    expect(team.data.total.leads).toBe(teamLeads.length);
    expect(team.data.total.converted).toBe(teamLeads.filter((l) => l.status === 'converted').length);
    const referral = team.data.bySource.find((r) => r.source === 'referral')!;
    // Zhao Search, Qian Other, 李娜 (converted).
    expect(referral).toMatchObject({ leads: 3, converted: 1 });
    expect(referral.conversionRate).toBeCloseTo(1 / 3);
    expect(team.data.total.conversionRate).toBeCloseTo(team.data.total.converted / team.data.total.leads);

    // A rep sees their own leads only.
    const mine = await json<LeadReportDto>(await rep2.get(`/api/reports/leads?from=${today}&to=${today}`));
    expect(mine.filters.ownerId).toBe(rep2User.id);
    expect(mine.data.total.leads).toBe(teamLeads.length === 0 ? 0 : (await t.ctx.db.selectFrom('leads').select('id').where('owner_id', '=', rep2User.id).execute()).length);

    // An empty period is zeros, and bad periods are 400s.
    const empty = await json<LeadReportDto>(await manager.get('/api/reports/leads?from=2001-01-01&to=2001-01-31'));
    expect(empty.data).toEqual({ bySource: [], total: { leads: 0, converted: 0, disqualified: 0, conversionRate: null } });
    expect(await errorOf(await manager.get('/api/reports/leads?from=2024-02-30'))).toMatchObject({ status: 400, field: 'from' });
    expect(await errorOf(await manager.get('/api/reports/leads?from=2024-03-01&to=2024-02-01'))).toMatchObject({ status: 400, field: 'from' });
  });
});
