/**
 * Opportunity custom values over HTTP (docs/custom-fields.md, "Opportunities") and the reports'
 * custom field filters (docs/reports.md): PATCH writes through the board document and its
 * projection; a bad value is 400 on `custom.<key>` with nothing of the request stored; the
 * opportunity reports filter by opportunity fields, the customer reports by customer fields;
 * the opportunity exports (CSV and Excel) carry the values and take the same filters.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_ROOTS, boardDocName, customerDocName } from '../../schema/wire/docs.ts';
import type { FunnelDto, OpportunityDto } from '../../schema/wire/opportunity.ts';
import type { PipelineDto } from '../../schema/wire/pipeline.ts';
import type { ForecastMonth, NewCustomersCell, ReportEnvelope, WinRate, ActivityCell } from '../../schema/wire/reports.ts';
import type { User } from '../../server/users/user.ts';
import { type TestContext, createTestContext, login, seedTeam, seedUser } from '../helpers/context.ts';
import { api, errorOf, json } from '../helpers/customers.ts';
import { newFollowup, storedDoc } from '../realtime/realtime-helpers.ts';

const SETUP_TIMEOUT_MS = 180_000;

let t: TestContext;
let teamA: string;
let teamB: string;
let admin: ReturnType<typeof api>;
let rep: ReturnType<typeof api>;
let repB: ReturnType<typeof api>;
let repUser: User;
let repBUser: User;
let pipeline: PipelineDto;
let renewal: OpportunityDto;
let fresh: OpportunityDto;
let goldId: string;

const label = (en: string, zh: string) => ({ en, zh });
const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  t = await createTestContext();
  teamA = (await seedTeam(t.ctx, 'Alpha')).id;
  teamB = (await seedTeam(t.ctx, 'Beta')).id;
  const adminUser = await seedUser(t.ctx, { role: 'admin' });
  repUser = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Ray Rep' });
  repBUser = await seedUser(t.ctx, { role: 'rep', teamId: teamB, name: 'Bo Rep' });
  admin = api(t, await login(t.app, adminUser.email));
  rep = api(t, await login(t.app, repUser.email));
  repB = api(t, await login(t.app, repBUser.email));
  const define = async (body: Record<string, unknown>) => json(await admin.post('/api/custom-fields', body), 201);
  const options = (...values: string[]) => values.map((v) => ({ value: v, label: label(v, v) }));
  await define({ entity: 'opportunity', key: 'deal_type', type: 'select', label: label('Deal type', '交易类型'), options: options('new', 'renewal') });
  await define({ entity: 'opportunity', key: 'strategic', type: 'checkbox', label: label('Strategic', '战略') });
  await define({ entity: 'opportunity', key: 'seats', type: 'number', label: label('Seats', '席位') });
  await define({ entity: 'opportunity', key: 'sponsor', type: 'user', label: label('Sponsor', '发起人') });
  await define({ entity: 'opportunity', key: 'beta_only', type: 'text', label: label('Beta', '贝塔'), teamId: teamB });
  await define({ entity: 'customer', key: 'tier', type: 'select', label: label('Tier', '等级'), options: options('gold', 'silver') });

  const gold = await rep.create({ name: 'Gold Co 金牌' });
  const silver = await rep.create({ name: 'Silver Co 银牌' });
  goldId = gold.id;
  await json(await rep.patch(`/api/customers/${gold.id}`, { custom: { tier: 'gold' } }));
  await json(await rep.patch(`/api/customers/${silver.id}`, { custom: { tier: 'silver' } }));
  pipeline = (await json<{ items: PipelineDto[] }>(await rep.get('/api/pipelines'))).items[0]!;
  const create = async (customerId: string, name: string, amount: number) =>
    (await json<{ opportunity: OpportunityDto }>(await rep.post('/api/opportunities', { customerId, name, amount, expectedCloseDate: today() }), 201))
      .opportunity;
  renewal = await create(gold.id, 'Renewal 续约', 1000);
  fresh = await create(silver.id, 'New deal 新单', 300);
  // A follow-up on each customer (the activity report's customer filter), written as reps write them.
  for (const customerId of [gold.id, silver.id]) {
    await t.ctx.hub.edit(customerDocName(customerId), repUser, (doc) => {
      doc.getArray(CUSTOMER_ROOTS.followups).push([newFollowup(repUser.id, 'Call 电话', { at: new Date().toISOString() })]);
    });
  }
}, SETUP_TIMEOUT_MS);
afterAll(() => t.close());

describe('opportunity custom values over REST', () => {
  it('PATCH custom: stored in the board card, projected, returned by GET', async () => {
    const res = await rep.patch(`/api/opportunities/${renewal.id}`, { custom: { deal_type: 'renewal', strategic: true, seats: 40, sponsor: repUser.id } });
    const { opportunity } = await json<{ opportunity: OpportunityDto }>(res);
    expect(opportunity.custom).toEqual({ deal_type: 'renewal', strategic: true, seats: 40, sponsor: repUser.id });
    const card = (await storedDoc(t.ctx, boardDocName(pipeline.id))).getMap('cards').get(renewal.id) as { get(k: string): unknown };
    expect(card.get('custom.deal_type')).toBe('renewal');
    expect(card.get('custom.seats')).toBe(40);
    const got = await json<{ opportunity: OpportunityDto }>(await rep.get(`/api/opportunities/${renewal.id}`));
    expect(got.opportunity.custom).toEqual({ deal_type: 'renewal', strategic: true, seats: 40, sponsor: repUser.id });
    await json(await rep.patch(`/api/opportunities/${fresh.id}`, { custom: { deal_type: 'new' } }));
  });

  it('null clears a value', async () => {
    const { opportunity } = await json<{ opportunity: OpportunityDto }>(await rep.patch(`/api/opportunities/${renewal.id}`, { custom: { sponsor: null } }));
    expect(opportunity.custom).toEqual({ deal_type: 'renewal', strategic: true, seats: 40 });
  });

  it('a bad value is 400 on custom.<key> and nothing of the request is stored', async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ deal_type: 'upsell' }, 'custom.deal_type'],
      [{ seats: 'forty' }, 'custom.seats'],
      [{ strategic: 'yes' }, 'custom.strategic'],
      [{ made_up: 1 }, 'custom.made_up'],
      [{ beta_only: 'x' }, 'custom.beta_only'],
      [{ sponsor: repBUser.id }, 'custom.sponsor'],
    ];
    for (const [custom, field] of bad) {
      const err = await errorOf(await rep.patch(`/api/opportunities/${renewal.id}`, { name: 'Changed', custom: { seats: 99, ...custom } }));
      expect(err, JSON.stringify(custom)).toMatchObject({ status: 400, field });
    }
    const { opportunity } = await json<{ opportunity: OpportunityDto }>(await rep.get(`/api/opportunities/${renewal.id}`));
    expect(opportunity.name).toBe('Renewal 续约');
    expect(opportunity.custom.seats).toBe(40);
    const card = (await storedDoc(t.ctx, boardDocName(pipeline.id))).getMap('cards').get(renewal.id) as { get(k: string): unknown };
    expect(card.get('custom.seats')).toBe(40);
    expect(card.get('name')).toBe('Renewal 续约');
  });

  it('POST takes custom values into the new card; a bad one or a missing required one is 400 and no card is made', async () => {
    const teamC = (await seedTeam(t.ctx, 'Gamma')).id;
    const repC = api(t, await login(t.app, (await seedUser(t.ctx, { role: 'rep', teamId: teamC })).email));
    await json(
      await admin.post('/api/custom-fields', { entity: 'opportunity', key: 'gamma_po', type: 'text', label: label('PO number', '采购单号'), teamId: teamC, required: true }),
      201,
    );
    const customer = await repC.create({ name: 'Gamma Buyer 伽马' });
    const post = (custom?: Record<string, unknown>) => repC.post('/api/opportunities', { customerId: customer.id, name: 'Gamma deal', amount: 50, ...(custom ? { custom } : {}) });
    const bad: Array<[Record<string, unknown> | undefined, string]> = [
      [undefined, 'custom.gamma_po'],
      [{ deal_type: 'new' }, 'custom.gamma_po'],
      [{ gamma_po: 'PO-1', deal_type: 'upsell' }, 'custom.deal_type'],
      [{ gamma_po: 'PO-1', beta_only: 'x' }, 'custom.beta_only'],
      [{ gamma_po: 'PO-1', seats: 'many' }, 'custom.seats'],
    ];
    for (const [custom, field] of bad) expect(await errorOf(await post(custom)), JSON.stringify(custom)).toMatchObject({ status: 400, field });
    expect(await t.ctx.db.selectFrom('opportunities').select('id').where('customer_id', '=', customer.id).execute()).toEqual([]);

    const { opportunity } = await json<{ opportunity: OpportunityDto }>(await post({ gamma_po: 'PO-2026-7', deal_type: 'new', seats: 5 }), 201);
    expect(opportunity.custom).toEqual({ gamma_po: 'PO-2026-7', deal_type: 'new', seats: 5 });
    const gammaPipeline = (await json<{ items: PipelineDto[] }>(await repC.get('/api/pipelines'))).items[0]!;
    const card = (await storedDoc(t.ctx, boardDocName(gammaPipeline.id))).getMap('cards').get(opportunity.id) as { get(k: string): unknown };
    expect(card.get('custom.gamma_po')).toBe('PO-2026-7');
    // Team B has no required opportunity field: its reps create as before.
    const betaCustomer = await repB.create({ name: 'Beta Buyer' });
    expect((await repB.post('/api/opportunities', { customerId: betaCustomer.id, name: 'Plain deal', amount: 1 })).status).toBe(201);
  });

  it('another team’s rep neither reads nor writes the values', async () => {
    expect((await repB.get(`/api/opportunities/${renewal.id}`)).status).toBe(404);
    expect((await repB.patch(`/api/opportunities/${renewal.id}`, { custom: { seats: 1 } })).status).toBe(404);
  });
});

describe('report filters', () => {
  const report = async <T>(path: string) => (await json<ReportEnvelope<T>>(await rep.get(path))).data;

  it('the funnel filters by an opportunity select and a checkbox', async () => {
    const all = await json<FunnelDto>(await rep.get(`/api/reports/funnel?pipelineId=${pipeline.id}`));
    const count = (f: FunnelDto) => f.stages.reduce((n, s) => n + s.count, 0);
    expect(count(all)).toBe(2);
    const renewals = await json<FunnelDto>(await rep.get(`/api/reports/funnel?pipelineId=${pipeline.id}&custom.deal_type=renewal`));
    expect(count(renewals)).toBe(1);
    expect(renewals.stages.reduce((n, s) => n + s.amount, 0)).toBe(1000);
    const both = await json<FunnelDto>(await rep.get(`/api/reports/funnel?pipelineId=${pipeline.id}&custom.deal_type=renewal,new`));
    expect(count(both)).toBe(2);
    const notStrategic = await json<FunnelDto>(await rep.get(`/api/reports/funnel?pipelineId=${pipeline.id}&custom.strategic=false`));
    expect(notStrategic.stages.reduce((n, s) => n + s.amount, 0)).toBe(300);
  });

  it('the forecast and the win rate filter by an opportunity select', async () => {
    const months = await report<ForecastMonth[]>('/api/reports/forecast?custom.deal_type=new');
    expect(months.reduce((n, m) => n + m.amount, 0)).toBe(300);
    const won = pipeline.stages.find((s) => s.kind === 'won')!;
    await json(await rep.patch(`/api/opportunities/${renewal.id}`, { stageId: won.id }));
    const rate = await report<WinRate>('/api/reports/win-rate?custom.deal_type=renewal');
    expect(rate).toMatchObject({ won: 1, wonAmount: 1000 });
    expect(await report<WinRate>('/api/reports/win-rate?custom.deal_type=new')).toMatchObject({ won: 0, lost: 0 });
  });

  it('the customer reports filter by a customer select', async () => {
    const cells = await report<NewCustomersCell[]>('/api/reports/new-customers?custom.tier=gold');
    expect(cells.reduce((n, c) => n + c.count, 0)).toBe(1);
    const all = await report<NewCustomersCell[]>('/api/reports/new-customers');
    expect(all.reduce((n, c) => n + c.count, 0)).toBe(2);
    const everyActivity = await report<ActivityCell[]>('/api/reports/activity');
    expect(everyActivity.reduce((n, c) => n + c.count, 0)).toBe(2);
    const activity = await report<ActivityCell[]>('/api/reports/activity?custom.tier=gold');
    expect(activity.reduce((n, c) => n + c.count, 0)).toBe(1);
    const envelope = await json<ReportEnvelope<unknown>>(await rep.get('/api/reports/new-customers?custom.tier=silver'));
    expect(envelope.filters.custom).toEqual({ tier: ['silver'] });
    expect(goldId).toBeTruthy();
  });

  it('a bad filter is 400 on custom.<key>', async () => {
    const cases: Array<[string, string]> = [
      [`/api/reports/funnel?pipelineId=${pipeline.id}&custom.deal_type=upsell`, 'custom.deal_type'],
      ['/api/reports/forecast?custom.nope=1', 'custom.nope'],
      ['/api/reports/win-rate?custom.strategic=maybe', 'custom.strategic'],
      // A customer field on an opportunity report, and the other way round.
      ['/api/reports/forecast?custom.tier=gold', 'custom.tier'],
      ['/api/reports/new-customers?custom.deal_type=new', 'custom.deal_type'],
      // Another team's field is not there for this rep.
      ['/api/reports/leaderboard?custom.beta_only=x', 'custom.beta_only'],
      ['/api/reports/forecast?custom.seats=many', 'custom.seats'],
    ];
    for (const [path, field] of cases) {
      const err = await errorOf(await rep.get(path));
      expect(err, path).toMatchObject({ status: 400, field });
    }
    expect((await errorOf(await rep.get('/api/reports/forecast?custom.Bad-Key=1'))).status).toBe(400);
  });
});

describe('exports', () => {
  const rowsOf = async (who: ReturnType<typeof api>, query = '') => {
    const res = await who.get(`/api/opportunities/export.csv${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="opportunities-\d{14}\.csv"$/);
    const [header, ...rows] = parse(await res.text(), { bom: true }) as string[][];
    return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
  };

  it('CSV: the built-in columns and one custom.<key> column per field the user sees, filtered like the list', async () => {
    const all = await rowsOf(rep);
    const now = (await json<{ opportunity: OpportunityDto }>(await rep.get(`/api/opportunities/${renewal.id}`))).opportunity;
    const renewalRow = all.find((r) => r.id === renewal.id)!;
    expect(renewalRow).toMatchObject({
      name: 'Renewal 续约',
      customer: 'Gold Co 金牌',
      status: now.status,
      stage: pipeline.stages.find((st) => st.id === now.stageId)?.name,
      amount: '1000',
      'custom.deal_type': 'renewal',
      'custom.strategic': 'true',
      'custom.seats': '40',
      'custom.sponsor': '',
    });
    expect(Object.keys(renewalRow)).not.toContain('custom.beta_only');
    expect((await rowsOf(rep, '?custom.deal_type=renewal')).map((r) => r.id)).toEqual([renewal.id]);
    expect((await rowsOf(rep, `?customerId=${goldId}&status=${now.status}`)).map((r) => r.id)).toEqual([renewal.id]);
    expect(await rowsOf(rep, `?customerId=${goldId}&status=${now.status === 'lost' ? 'won' : 'lost'}`)).toEqual([]);
    expect(await errorOf(await rep.get('/api/opportunities/export.csv?custom.deal_type=upsell'))).toMatchObject({ status: 400, field: 'custom.deal_type' });
    expect(await errorOf(await rep.get('/api/opportunities/export.csv?status=maybe'))).toMatchObject({ status: 400, field: 'status' });
    // Another team's rep exports none of team A's opportunities.
    expect((await rowsOf(repB)).some((r) => r.id === renewal.id || r.id === fresh.id)).toBe(false);
  });

  it('a cell that a spreadsheet would run as a formula is escaped in CSV, kept as text in Excel', async () => {
    await json(await rep.patch(`/api/opportunities/${fresh.id}`, { name: '=HYPERLINK("http://x.example")' }));
    expect((await rowsOf(rep)).find((r) => r.id === fresh.id)?.name).toBe(`'=HYPERLINK("http://x.example")`);
    const res = await rep.get('/api/opportunities/export.xlsx?custom.deal_type=new');
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.getWorksheet('Opportunities')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toContain('custom.deal_type');
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(header.indexOf('name') + 1).value).toBe('=HYPERLINK("http://x.example")');
    expect(sheet.getRow(2).getCell(header.indexOf('custom.deal_type') + 1).value).toBe('new');
  });
});
