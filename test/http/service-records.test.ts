/** After-sales service records over HTTP: create, lists, queue, status rules, access, notifications, idempotency, report. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationListDto } from '../../schema/wire/notifications.ts';
import type { ServiceRecordDto, ServiceRecordListDto, ServiceReportDto } from '../../schema/wire/service-records.ts';
import type { User } from '../../server/users/user.ts';
import { type TestContext, createTestContext, login, ORIGIN, seedTeam, seedUser } from '../helpers/context.ts';
import { api, errorOf, json } from '../helpers/customers.ts';

let t: TestContext;
let clock: Date;
let teamA: string;
let teamB: string;
let manager: User;
let rep: User;
let rep2: User;
let outsider: User;
let inactive: User;
let asManager: ReturnType<typeof api>;
let asRep: ReturnType<typeof api>;
let asRep2: ReturnType<typeof api>;
let asOutsider: ReturnType<typeof api>;
let customerA: string;
let customerA2: string;
let customerB: string;
let archivedA: string;

const HOUR = 3600_000;
const DAY = 24 * HOUR;

async function seedCustomer(teamId: string, name: string, archived = false): Promise<string> {
  const row = await t.ctx.db
    .insertInto('customers')
    .values({ team_id: teamId, name, archived_at: archived ? clock : null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function create(as: ReturnType<typeof api>, body: Record<string, unknown>): Promise<ServiceRecordDto> {
  return (await json<{ serviceRecord: ServiceRecordDto }>(await as.post('/api/service-records', body), 201)).serviceRecord;
}

async function patch(as: ReturnType<typeof api>, id: string, body: Record<string, unknown>, status = 200): Promise<ServiceRecordDto> {
  return (await json<{ serviceRecord: ServiceRecordDto }>(await as.patch(`/api/service-records/${id}`, body), status)).serviceRecord;
}

const countRows = async () => Number((await t.ctx.db.selectFrom('service_records').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  t = await createTestContext();
  clock = new Date('2026-03-10T10:00:00.000Z');
  t.ctx.now = () => clock;
  teamA = (await seedTeam(t.ctx)).id;
  teamB = (await seedTeam(t.ctx)).id;
  manager = await seedUser(t.ctx, { role: 'manager', teamId: teamA, name: 'Mary Manager' });
  rep = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Ray Rep' });
  rep2 = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: '张伟' });
  outsider = await seedUser(t.ctx, { role: 'rep', teamId: teamB, name: 'Otto Outsider' });
  inactive = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Gone Rep' });
  await t.ctx.db.updateTable('users').set({ active: false }).where('id', '=', inactive.id).execute();
  const [cm, cr, cr2, co] = await Promise.all([manager, rep, rep2, outsider].map((u) => login(t.app, u.email)));
  asManager = api(t, cm as string);
  asRep = api(t, cr as string);
  asRep2 = api(t, cr2 as string);
  asOutsider = api(t, co as string);
  customerA = await seedCustomer(teamA, 'Acme 华为');
  customerA2 = await seedCustomer(teamA, 'Beta Ltd');
  customerB = await seedCustomer(teamB, 'Other Co');
  archivedA = await seedCustomer(teamA, 'Old Archived', true);
});
afterAll(() => t.close());

describe('create and list', () => {
  it('creates a record in the customer’s team, audited, and lists it on the customer', async () => {
    const r = await create(asRep, {
      customerId: customerA,
      type: 'complaint',
      title: '  Printer jams  ',
      description: 'Jams on every third page',
      channel: 'phone',
      dueAt: '2026-03-12T09:00:00+08:00',
    });
    expect(r).toMatchObject({
      customerId: customerA,
      customerName: 'Acme 华为',
      teamId: teamA,
      type: 'complaint',
      channel: 'phone',
      title: 'Printer jams',
      status: 'open',
      assigneeId: null,
      dueAt: '2026-03-12T01:00:00.000Z',
      resolvedAt: null,
      resolution: '',
      satisfaction: null,
      createdBy: rep.id,
      createdAt: clock.toISOString(),
    });
    const list = await json<{ items: ServiceRecordDto[] }>(await asRep2.get(`/api/customers/${customerA}/service-records`));
    expect(list.items.map((i) => i.id)).toContain(r.id);
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'service_record').where('entity_id', '=', r.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['service_record.create']);
    expect(audit[0]?.actor_id).toBe(rep.id);
    const one = await json<{ serviceRecord: ServiceRecordDto }>(await asManager.get(`/api/service-records/${r.id}`));
    expect(one.serviceRecord.title).toBe('Printer jams');
  });

  it('defaults the channel to other and lists a customer’s records newest first', async () => {
    const first = await create(asRep, { customerId: customerA2, type: 'visit', title: 'First visit' });
    clock = new Date(clock.getTime() + HOUR);
    const second = await create(asRep, { customerId: customerA2, type: 'request', title: 'Second' });
    expect(first.channel).toBe('other');
    const list = await json<{ items: ServiceRecordDto[] }>(await asRep.get(`/api/customers/${customerA2}/service-records`));
    expect(list.items.map((i) => i.id)).toEqual([second.id, first.id]);
  });
});

describe('bad input stores nothing', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['no type', { title: 'x' }, 'type'],
    ['unknown type', { type: 'praise', title: 'x' }, 'type'],
    ['blank title', { type: 'request', title: '   ' }, 'title'],
    ['long title', { type: 'request', title: 'x'.repeat(201) }, 'title'],
    ['unknown channel', { type: 'request', title: 'x', channel: 'fax' }, 'channel'],
    ['bad due date', { type: 'request', title: 'x', dueAt: '2026-02-30' }, 'dueAt'],
    ['assignee not an id', { type: 'request', title: 'x', assigneeId: 'bob' }, 'assigneeId'],
    ['unknown field', { type: 'request', title: 'x', status: 'resolved' }, ''],
    ['customer not an id', { type: 'request', title: 'x', customerId: 42 }, 'customerId'],
  ];
  for (const [name, body, field] of cases) {
    it(`${name} → 400 on ${field || 'the body'}`, async () => {
      const before = await countRows();
      const res = await asRep.post('/api/service-records', { customerId: customerA, ...body });
      const err = await errorOf(res);
      expect(err.status).toBe(400);
      expect(err.code).toBe('validation');
      if (field) expect(err.field).toBe(field);
      expect(await countRows()).toBe(before);
    });
  }

  it('a path id that is not a UUID is a 400 naming id', async () => {
    const err = await errorOf(await asRep.patch('/api/service-records/nope', { title: 'x' }));
    expect(err).toMatchObject({ status: 400, field: 'id' });
    expect(await errorOf(await asRep.get('/api/customers/nope/service-records'))).toMatchObject({ status: 400, field: 'id' });
  });

  it('a non-JSON body is refused', async () => {
    const res = await t.app.request('/api/service-records', { method: 'POST', headers: { origin: ORIGIN, cookie: '' }, body: 'x' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('access follows the customer', () => {
  it('another team’s customer is a 400 on customerId when creating, and nothing is stored', async () => {
    const before = await countRows();
    expect(await errorOf(await asRep.post('/api/service-records', { customerId: customerB, type: 'request', title: 'x' }))).toMatchObject({
      status: 400,
      field: 'customerId',
    });
    expect(await countRows()).toBe(before);
  });

  it('another team’s record is a 404 to read, list and change', async () => {
    const theirs = await create(asOutsider, { customerId: customerB, type: 'feedback', title: 'Theirs' });
    expect((await asRep.get(`/api/service-records/${theirs.id}`)).status).toBe(404);
    expect((await asRep.patch(`/api/service-records/${theirs.id}`, { title: 'Mine now' })).status).toBe(404);
    expect((await asRep.get(`/api/customers/${customerB}/service-records`)).status).toBe(404);
    const queue = await json<ServiceRecordListDto>(await asRep.get('/api/service-records?status=all&limit=200'));
    expect(queue.items.some((i) => i.id === theirs.id)).toBe(false);
    const stored = await t.ctx.db.selectFrom('service_records').select('title').where('id', '=', theirs.id).executeTakeFirstOrThrow();
    expect(stored.title).toBe('Theirs');
  });

  it('another team’s (or an inactive) assignee is a 400 on assigneeId', async () => {
    const before = await countRows();
    for (const assigneeId of [outsider.id, inactive.id]) {
      const err = await errorOf(await asRep.post('/api/service-records', { customerId: customerA, type: 'request', title: 'x', assigneeId }));
      expect(err).toMatchObject({ status: 400, field: 'assigneeId' });
    }
    expect(await countRows()).toBe(before);
    const r = await create(asRep, { customerId: customerA, type: 'request', title: 'Assign later' });
    expect(await errorOf(await asRep.patch(`/api/service-records/${r.id}`, { assigneeId: outsider.id }))).toMatchObject({ status: 400, field: 'assigneeId' });
  });

  it('an archived customer’s records are read-only for reps, writable for managers', async () => {
    const r = await create(asManager, { customerId: archivedA, type: 'maintenance', title: 'Yearly check' });
    expect((await asRep.patch(`/api/service-records/${r.id}`, { title: 'Changed' })).status).toBe(403);
    expect((await asRep.post('/api/service-records', { customerId: archivedA, type: 'request', title: 'x' })).status).toBe(403);
    expect((await patch(asManager, r.id, { title: 'Changed' })).title).toBe('Changed');
  });
});

describe('status rules', () => {
  it('resolving needs a resolution; resolved date set on resolve and cleared on reopen', async () => {
    const r = await create(asRep, { customerId: customerA, type: 'complaint', title: 'Noise' });
    expect(await errorOf(await asRep.patch(`/api/service-records/${r.id}`, { status: 'resolved' }))).toMatchObject({ status: 400, field: 'resolution' });
    expect(await errorOf(await asRep.patch(`/api/service-records/${r.id}`, { status: 'resolved', resolution: '   ' }))).toMatchObject({
      status: 400,
      field: 'resolution',
    });
    const unchanged = await t.ctx.db.selectFrom('service_records').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(unchanged.status).toBe('open');
    expect(unchanged.resolved_at).toBeNull();

    expect((await patch(asRep, r.id, { status: 'in_progress' })).resolvedAt).toBeNull();
    clock = new Date(clock.getTime() + 5 * HOUR);
    const resolved = await patch(asRep, r.id, { status: 'resolved', resolution: 'Replaced the fan' });
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'Replaced the fan', resolvedAt: clock.toISOString() });
    const resolvedAt = resolved.resolvedAt;
    clock = new Date(clock.getTime() + HOUR);
    const closed = await patch(asRep, r.id, { status: 'closed', satisfaction: 4 });
    expect(closed).toMatchObject({ status: 'closed', resolvedAt, satisfaction: 4 });
    const reopened = await patch(asRep, r.id, { status: 'open' });
    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null, satisfaction: null, resolution: 'Replaced the fan' });
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'changes']).where('entity_id', '=', r.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['service_record.create', ...Array(4).fill('service_record.update')]);
    expect(JSON.stringify(audit.at(-1)?.changes)).toContain('"status":["closed","open"]');
  });

  it('satisfaction is refused before the record is resolved, and out of 1–5', async () => {
    const r = await create(asRep, { customerId: customerA, type: 'feedback', title: 'Rating too early' });
    expect(await errorOf(await asRep.patch(`/api/service-records/${r.id}`, { satisfaction: 5 }))).toMatchObject({ status: 400, field: 'satisfaction' });
    expect(await errorOf(await asRep.patch(`/api/service-records/${r.id}`, { status: 'in_progress', satisfaction: 5 }))).toMatchObject({
      status: 400,
      field: 'satisfaction',
    });
    await patch(asRep, r.id, { status: 'resolved', resolution: 'Thanked them' });
    for (const satisfaction of [0, 6, 3.5, '4']) {
      expect(await errorOf(await asRep.patch(`/api/service-records/${r.id}`, { satisfaction }))).toMatchObject({ status: 400, field: 'satisfaction' });
    }
    expect((await patch(asRep, r.id, { satisfaction: 5 })).satisfaction).toBe(5);
    const stored = await t.ctx.db.selectFrom('service_records').select(['status', 'satisfaction']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'resolved', satisfaction: 5 });
  });

  it('an unknown status is a 400 on status', async () => {
    const r = await create(asRep, { customerId: customerA, type: 'feedback', title: 'x' });
    expect(await errorOf(await asRep.patch(`/api/service-records/${r.id}`, { status: 'done' }))).toMatchObject({ status: 400, field: 'status' });
  });
});

describe('assignment notifications', () => {
  it('the assignee is notified on create and on reassignment; self-assignment notifies nobody', async () => {
    const unread = async (as: ReturnType<typeof api>) => (await json<NotificationListDto>(await as.get('/api/notifications'))).items;
    const beforeRep2 = (await unread(asRep2)).length;
    const r = await create(asRep, { customerId: customerA, type: 'request', title: 'Install sensor', assigneeId: rep2.id });
    const items = await unread(asRep2);
    expect(items.length).toBe(beforeRep2 + 1);
    expect(items[0]).toMatchObject({ type: 'assignment', entity: { type: 'service_record', id: r.id } });
    expect(items[0]?.title).toContain('Install sensor');

    const beforeManager = (await unread(asManager)).length;
    await patch(asRep2, r.id, { assigneeId: manager.id });
    expect((await unread(asManager)).length).toBe(beforeManager + 1);

    const beforeSelf = (await unread(asManager)).length;
    await patch(asManager, r.id, { assigneeId: manager.id, title: 'Install sensor (2)' });
    expect((await unread(asManager)).length).toBe(beforeSelf);
  });
});

describe('idempotent create', () => {
  it('a repeat with the same Idempotency-Key returns the first answer and creates nothing', async () => {
    const body = { customerId: customerA, type: 'request', title: 'Once only' };
    const before = await countRows();
    const first = await idemPost(body, 'svc-key-1');
    const again = await idemPost(body, 'svc-key-1');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const a = (await first.json()) as { serviceRecord: ServiceRecordDto };
    const b = (await again.json()) as { serviceRecord: ServiceRecordDto };
    expect(b.serviceRecord.id).toBe(a.serviceRecord.id);
    expect(await countRows()).toBe(before + 1);
  });
});

let repCookie = '';
async function idemPost(body: unknown, key: string): Promise<Response> {
  repCookie ||= await login(t.app, rep.email);
  return t.app.request('/api/service-records', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, cookie: repCookie, 'Idempotency-Key': key },
    body: JSON.stringify(body),
  });
}

describe('the team queue', () => {
  let teamC: string;
  let asLead: ReturnType<typeof api>;
  let asMember: ReturnType<typeof api>;
  let member: User;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    teamC = (await seedTeam(t.ctx)).id;
    const lead = await seedUser(t.ctx, { role: 'manager', teamId: teamC, name: 'Queue Lead' });
    member = await seedUser(t.ctx, { role: 'rep', teamId: teamC, name: 'Queue Member' });
    asLead = api(t, await login(t.app, lead.email));
    asMember = api(t, await login(t.app, member.email));
    const cust = await seedCustomer(teamC, 'Queue Customer');
    const at = (days: number) => new Date(clock.getTime() + days * DAY).toISOString();
    const mk = async (key: string, body: Record<string, unknown>, createdOffsetHours: number) => {
      const saved = clock;
      clock = new Date(saved.getTime() + createdOffsetHours * HOUR);
      ids[key] = (await create(asLead, { customerId: cust, title: key, ...body })).id;
      clock = saved;
    };
    await mk('overdue', { type: 'complaint', dueAt: at(-2), assigneeId: member.id }, -100);
    await mk('soon', { type: 'request', dueAt: at(1) }, -50);
    await mk('later', { type: 'complaint', dueAt: at(5), assigneeId: member.id }, -40);
    await mk('nodue-old', { type: 'visit' }, -30);
    await mk('nodue-new', { type: 'visit', assigneeId: member.id }, -20);
    await mk('done', { type: 'complaint', dueAt: at(-3) }, -10);
    await patch(asLead, ids.done as string, { status: 'resolved', resolution: 'Fixed' });
  });

  const titles = (l: ServiceRecordListDto) => l.items.map((i) => i.title);

  it('lists active records by due date (none last), then age', async () => {
    expect(titles(await json(await asMember.get('/api/service-records')))).toEqual(['overdue', 'soon', 'later', 'nodue-old', 'nodue-new']);
  });

  it('filters by status, assignee=me, type and overdue', async () => {
    expect(titles(await json(await asMember.get('/api/service-records?status=resolved')))).toEqual(['done']);
    expect(titles(await json(await asMember.get('/api/service-records?status=all')))).toEqual(['done', 'overdue', 'soon', 'later', 'nodue-old', 'nodue-new']);
    expect(titles(await json(await asMember.get('/api/service-records?assignee=me')))).toEqual(['overdue', 'later', 'nodue-new']);
    expect(titles(await json(await asLead.get('/api/service-records?assignee=me')))).toEqual([]);
    expect(titles(await json(await asMember.get('/api/service-records?type=complaint')))).toEqual(['overdue', 'later']);
    expect(titles(await json(await asMember.get('/api/service-records?overdue=1')))).toEqual(['overdue']);
    expect(titles(await json(await asMember.get('/api/service-records?overdue=true&status=all')))).toEqual(['overdue']);
  });

  it('pages with a cursor across due dates and the records without one', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/service-records?status=all&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: ServiceRecordListDto = await json(await asMember.get(url));
      seen.push(...titles(page));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['done', 'overdue', 'soon', 'later', 'nodue-old', 'nodue-new']);
    expect(pages).toBe(3);
  });

  it('refuses bad filters and forged cursors with a 400 naming the parameter', async () => {
    for (const [q, field] of [
      ['status=done', 'status'],
      ['assignee=someone', 'assignee'],
      ['type=praise', 'type'],
      ['overdue=maybe', 'overdue'],
      ['limit=0', 'limit'],
      ['cursor=abc', 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify({ d: '9999-99-99T99:99:99.999Z', c: '2026-01-01T00:00:00.000Z', i: teamC })).toString('base64url')}`, 'cursor'],
      ['sort=title', ''],
    ] as const) {
      const err = await errorOf(await asMember.get(`/api/service-records?${q}`));
      expect(err.status, q).toBe(400);
      if (field) expect(err.field, q).toBe(field);
    }
  });

  it('reports open records by age, median time to resolve and mean satisfaction', async () => {
    // Resolve two more in the period: after 12 h and 30 h, rated 3 and 5 ("done", unrated, took 10 h): median 12 h, not the mean.
    const r1 = await create(asLead, { customerId: (await seedCustomer(teamC, 'Report Co')), type: 'request', title: 'r1' });
    clock = new Date(clock.getTime() + 12 * HOUR);
    await patch(asLead, r1.id, { status: 'resolved', resolution: 'ok', satisfaction: 3 });
    clock = new Date(clock.getTime() - 12 * HOUR);
    const r2 = await create(asLead, { customerId: (await seedCustomer(teamC, 'Report Co 2')), type: 'request', title: 'r2' });
    clock = new Date(clock.getTime() + 30 * HOUR);
    await patch(asLead, r2.id, { status: 'closed', resolution: 'ok', satisfaction: 5 });
    // The open ones were created 100 h (4 d), 50 h (2 d), 40 h (1 d), 30 h, 20 h before the base clock; now is base + 30 h.
    const day = clock.toISOString().slice(0, 10);
    const report = await json<ServiceReportDto>(await asMember.get(`/api/reports/service?from=2026-01-01&to=${day}`));
    expect(report.filters).toEqual({ from: '2026-01-01', to: day, teamId: teamC });
    expect(report.open).toBe(5);
    expect(report.openByAge).toEqual([
      { bucket: '0-2', count: 3 },
      { bucket: '3-7', count: 2 },
      { bucket: '8-30', count: 0 },
      { bucket: '31+', count: 0 },
    ]);
    expect(report.resolved).toBe(3);
    expect(report.medianHoursToResolve).toBe(12);
    expect(report.averageSatisfaction).toBe(4);
    expect(report.rated).toBe(2);
    clock = new Date(clock.getTime() - 30 * HOUR);
  });

  it('an empty period has no median or average, and a bad period is a 400', async () => {
    const report = await json<ServiceReportDto>(await asMember.get('/api/reports/service?from=2020-01-01&to=2020-01-31'));
    expect(report).toMatchObject({ resolved: 0, medianHoursToResolve: null, averageSatisfaction: null, rated: 0 });
    expect(await errorOf(await asMember.get('/api/reports/service?from=2026-02-01&to=2026-01-01'))).toMatchObject({ status: 400, field: 'from' });
    expect(await errorOf(await asMember.get('/api/reports/service?from=2026-02-30'))).toMatchObject({ status: 400, field: 'from' });
    expect((await asMember.get(`/api/reports/service?teamId=${teamA}`)).status).toBe(404);
  });
});
