/**
 * Reports that read right: CSV exports in the reader's language (headers,
 * stage names, category, source and follow-up type labels), the forecast
 * looking ahead by default, and amounts never added up across currencies.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunnelDto } from '../../schema/wire/opportunity.ts';
import type { PipelineDto } from '../../schema/wire/pipeline.ts';
import type { ForecastMonth, ReportEnvelope, WinRate } from '../../schema/wire/reports.ts';
import { type TestContext, createTestContext, login, seedTeam, seedUser } from '../helpers/context.ts';
import { errorOf, json } from '../helpers/opportunities.ts';

/** Today for this file: the forecast's three months end on 28 February (no 31st). */
const NOW = new Date('2026-11-30T09:00:00Z');

let t: TestContext;
let teamA: string;
let pipeline: PipelineDto;
let zhCookie: string;
let enCookie: string;
let repBCookie: string;

const get = (path: string, cookie: string) => t.app.request(path, { headers: { cookie } });

/** The CSV's rows as cells (no quoting in these datasets), without the BOM. */
async function csvRows(res: Response): Promise<string[][]> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder()
    .decode(bytes)
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));
}

beforeAll(async () => {
  t = await createTestContext();
  t.ctx.now = () => NOW;
  teamA = (await seedTeam(t.ctx, 'A')).id;
  const teamB = (await seedTeam(t.ctx, 'B')).id;
  const zhManager = await seedUser(t.ctx, { role: 'manager', teamId: teamA, name: '王芳' });
  const enManager = await seedUser(t.ctx, { role: 'manager', teamId: teamA, name: 'Olivia Hart' });
  const repB = await seedUser(t.ctx, { role: 'rep', teamId: teamB });
  await t.ctx.db.updateTable('users').set({ locale: 'zh-CN' }).where('id', '=', zhManager.id).execute();
  zhCookie = await login(t.app, zhManager.email);
  enCookie = await login(t.app, enManager.email);
  repBCookie = await login(t.app, repB.email);
  pipeline = (await json<{ items: PipelineDto[] }>(await get('/api/pipelines', enCookie))).items[0]!;
  const stage = (name: string) => pipeline.stages.find((s) => s.name === name)!.id;

  const db = t.ctx.db;
  const customer = async (source: string, category: string) =>
    (
      await db
        .insertInto('customers')
        .values({ team_id: teamA, name: `C ${source} ${category}`, source, category, created_at: new Date('2026-11-10T10:00:00Z') })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const c1 = await customer('website', 'potential');
  await customer('展会', 'vip');
  await db
    .insertInto('activities')
    .values({ team_id: teamA, customer_id: c1, source_id: randomUUID(), author_id: zhManager.id, type: 'call', at: new Date('2026-11-16T10:00:00Z') })
    .execute();

  const deal = (stageName: string, amount: number, currency: string, expected: string) => ({
    id: randomUUID(),
    team_id: teamA,
    pipeline_id: pipeline.id,
    customer_id: c1,
    name: `Deal ${amount} ${currency}`,
    amount,
    currency,
    expected_close_date: expected,
    stage_id: stage(stageName),
    owner_id: zhManager.id,
    rank: 'a0',
    created_at: new Date('2026-11-05T10:00:00Z'),
  });
  await db
    .insertInto('opportunities')
    .values([
      // In the coming months: December, January, February (Proposal, 50 %).
      deal('Proposal', 100_000, 'CNY', '2026-12-15'),
      deal('Proposal', 7_000, 'USD', '2026-12-20'),
      deal('Proposal', 40_000, 'CNY', '2027-02-28'),
      // Past the default forecast (1 March) and before it (October).
      deal('Proposal', 5_000, 'CNY', '2027-03-01'),
      deal('Initial contact', 20_000, 'CNY', '2026-10-10'),
    ])
    .execute();
});

afterAll(async () => {
  await t.close();
});

describe('CSV exports in the reader’s language', () => {
  it('gives a Chinese reader Chinese headers and stage names, an English reader English ones', async () => {
    const zh = await csvRows(await get('/api/reports/funnel?format=csv', zhCookie));
    expect(zh[0]).toEqual(['阶段', '销售机会数', '金额', '币种']);
    expect(zh.slice(1).map((r) => r[0])).toEqual(['初步接触', '需求确认', '方案制定', '商务谈判', '合同签订', '赢单', '输单']);
    expect(zh.find((r) => r[0] === '方案制定')).toEqual(['方案制定', '4', '145000', 'CNY']);

    const en = await csvRows(await get('/api/reports/funnel?format=csv', enCookie));
    expect(en[0]).toEqual(['Stage', 'Deals', 'Amount', 'Currency']);
    expect(en.slice(1).map((r) => r[0])).toEqual(['Initial contact', 'Needs confirmed', 'Proposal', 'Negotiation', 'Contract signed', 'Won', 'Lost']);
  });

  it('names the conversion ladder’s stages in Chinese, and the JSON carries the Chinese name', async () => {
    const range = 'from=2026-11-01&to=2026-11-30';
    const zh = await csvRows(await get(`/api/reports/conversion?${range}&format=csv`, zhCookie));
    expect(zh[0]).toEqual(['阶段', '到达数', '转化到下一阶段', '平均停留天数']);
    expect(zh.slice(1).map((r) => r[0])).toEqual(['初步接触', '需求确认', '方案制定', '商务谈判', '合同签订', '赢单']);
    const body = await json<ReportEnvelope<Array<{ name: string; nameZh: string | null }>>>(await get(`/api/reports/conversion?${range}`, enCookie));
    expect(body.data[0]).toMatchObject({ name: 'Initial contact', nameZh: '初步接触' });
    const en = await csvRows(await get(`/api/reports/conversion?${range}&format=csv`, enCookie));
    expect(en[1]![0]).toBe('Initial contact');
  });

  it('translates built-in categories, suggested sources and follow-up types; other sources stay as typed', async () => {
    const range = 'from=2026-11-01&to=2026-11-30';
    const zh = await csvRows(await get(`/api/reports/new-customers?${range}&format=csv`, zhCookie));
    expect(zh[0]).toEqual(['期间', '来源', '类别', '新客户']);
    expect(zh.slice(1).map((r) => r.slice(1, 3)).sort()).toEqual([
      ['官网', '潜在客户'],
      ['展会', 'VIP 客户'],
    ]);
    const en = await csvRows(await get(`/api/reports/new-customers?${range}&format=csv`, enCookie));
    expect(en.slice(1).map((r) => r.slice(1, 3)).sort()).toEqual([
      ['Website', 'Potential'],
      ['展会', 'VIP'],
    ]);
    const activity = await csvRows(await get(`/api/reports/activity?${range}&format=csv`, zhCookie));
    expect(activity[0]).toEqual(['销售', '周（起始日）', '类型', '活动数']);
    expect(activity[1]).toEqual(['王芳', '2026-11-16', '电话', '1']);
  });
});

describe('the forecast looks ahead', () => {
  it('covers today to three months on by default, every month listed', async () => {
    const body = await json<ReportEnvelope<ForecastMonth[]>>(await get('/api/reports/forecast', enCookie));
    expect(body.filters).toMatchObject({ from: '2026-11-30', to: '2027-02-28' });
    expect(body.data.map((m) => [m.month, m.count, m.amount, m.weighted])).toEqual([
      ['2026-11', 0, 0, 0],
      ['2026-12', 1, 100_000, 50_000],
      ['2027-01', 0, 0, 0],
      ['2027-02', 1, 40_000, 20_000],
    ]);
  });

  it('keeps a period that was asked for, and the other reports still look back 90 days', async () => {
    const asked = await json<ReportEnvelope<ForecastMonth[]>>(await get('/api/reports/forecast?from=2026-10-01&to=2026-10-31', enCookie));
    expect(asked.data).toEqual([{ month: '2026-10', count: 1, amount: 20_000, weighted: 2_000 }]);
    const fromOnly = await json<ReportEnvelope<ForecastMonth[]>>(await get('/api/reports/forecast?from=2027-01-31', enCookie));
    expect(fromOnly.filters).toMatchObject({ from: '2027-01-31', to: '2027-04-30' });
    const winRate = await json<ReportEnvelope<WinRate>>(await get('/api/reports/win-rate', enCookie));
    expect(winRate.filters).toMatchObject({ from: '2026-09-02', to: '2026-11-30' });
  });
});

describe('amounts per currency, never added up', () => {
  it('sums the funnel in one currency while counting every deal, and lists the currencies', async () => {
    const cny = await json<FunnelDto>(await get('/api/reports/funnel', enCookie));
    const proposal = (f: FunnelDto) => f.stages.find((s) => s.name === 'Proposal')!;
    expect(cny).toMatchObject({ currency: 'CNY', currencies: ['CNY', 'USD'] });
    expect(proposal(cny)).toMatchObject({ count: 4, amount: 145_000 });
    const usd = await json<FunnelDto>(await get('/api/reports/funnel?currency=USD', enCookie));
    expect(usd.currency).toBe('USD');
    expect(proposal(usd)).toMatchObject({ count: 4, amount: 7_000 });
    const csv = await csvRows(await get('/api/reports/funnel?currency=USD&format=csv', enCookie));
    expect(csv.find((r) => r[0] === 'Proposal')).toEqual(['Proposal', '4', '7000', 'USD']);
  });

  it('forecasts each currency on its own, and says which in the CSV', async () => {
    const usd = await json<ReportEnvelope<ForecastMonth[]>>(await get('/api/reports/forecast?currency=USD', enCookie));
    expect(usd.currencies).toEqual(['CNY', 'USD']);
    expect(usd.data.find((m) => m.month === '2026-12')).toEqual({ month: '2026-12', count: 1, amount: 7_000, weighted: 3_500 });
    const csv = await csvRows(await get('/api/reports/forecast?currency=USD&format=csv', zhCookie));
    expect(csv[0]).toEqual(['预计成交月份', '销售机会数', '金额', '加权金额', '币种']);
    expect(csv).toContainEqual(['2026-12', '1', '7000', '3500', 'USD']);
  });

  it('shows the dashboard’s team funnel in the asked currency', async () => {
    const body = await json<{ team: { funnel: FunnelDto } }>(await get('/api/dashboard?currency=USD', enCookie));
    expect(body.team.funnel.stages.find((s) => s.name === 'Proposal')).toMatchObject({ count: 4, amount: 7_000 });
  });
});

describe('refusals', () => {
  it('refuses a bad currency with the field named, and another team’s figures', async () => {
    const bad = await errorOf(await get('/api/reports/funnel?currency=usd&format=csv', enCookie));
    expect(bad).toMatchObject({ status: 400, field: 'currency' });
    expect((await get(`/api/reports/forecast?teamId=${teamA}&format=csv`, repBCookie)).status).toBe(404);
    expect((await get(`/api/reports/funnel?pipelineId=${pipeline.id}&format=csv`, repBCookie)).status).toBe(404);
    expect((await t.app.request('/api/reports/funnel?format=csv')).status).toBe(401);
  });
});
