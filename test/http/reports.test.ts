/**
 * Every report against figures worked out by hand for the dataset below
 * (period: March 2026, currency CNY, team A unless said otherwise).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineDto } from '../../schema/wire/pipeline.ts';
import type { ActivityCell, ConversionStage, ForecastMonth, LeaderboardRow, NewCustomersCell, WinRate } from '../../schema/wire/reports.ts';
import type { User } from '../../server/users/user.ts';
import { type TestContext, createTestContext, login, seedTeam, seedUser } from '../helpers/context.ts';

let t: TestContext;
let rep1: User;
let rep2: User;
let manager: User;
let adminCookie: string;
let managerCookie: string;
let rep1Cookie: string;
let teamA: string;
let teamB: string;
let stages: Record<'s0' | 's1' | 's2' | 's3' | 's4' | 'won' | 'lost', string>;

const d = (s: string) => new Date(`${s}T10:00:00Z`);
const MARCH = 'from=2026-03-01&to=2026-03-31';

async function get<T>(path: string, cookie: string): Promise<{ status: number; body: T }> {
  const res = await t.app.request(path, { headers: { cookie } });
  return { status: res.status, body: (await res.json()) as T };
}
const data = async <T>(path: string, cookie = managerCookie) => {
  const r = await get<{ data: T }>(path, cookie);
  expect(r.status).toBe(200);
  return r.body.data;
};

beforeAll(async () => {
  t = await createTestContext();
  teamA = (await seedTeam(t.ctx, 'A')).id;
  teamB = (await seedTeam(t.ctx, 'B')).id;
  const admin = await seedUser(t.ctx, { role: 'admin' });
  manager = await seedUser(t.ctx, { role: 'manager', teamId: teamA, name: 'Carol Manager' });
  rep1 = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Alice Rep1' });
  rep2 = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Bob Rep2' });
  const repB = await seedUser(t.ctx, { role: 'rep', teamId: teamB, name: 'Dan RepB' });
  adminCookie = await login(t.app, admin.email);
  managerCookie = await login(t.app, manager.email);
  rep1Cookie = await login(t.app, rep1.email);
  const repBCookie = await login(t.app, repB.email);

  // The default pipeline is created for each team on first use.
  const pipelines = (await get<{ items: PipelineDto[] }>('/api/pipelines', managerCookie)).body.items;
  const pipelineA = pipelines[0]!;
  const pipelineB = (await get<{ items: PipelineDto[] }>('/api/pipelines', repBCookie)).body.items[0]!;
  const byName = (p: PipelineDto, n: string) => p.stages.find((s) => s.name === n)!.id;
  stages = {
    s0: byName(pipelineA, 'Initial contact'),
    s1: byName(pipelineA, 'Needs confirmed'),
    s2: byName(pipelineA, 'Proposal'),
    s3: byName(pipelineA, 'Negotiation'),
    s4: byName(pipelineA, 'Contract signed'),
    won: byName(pipelineA, 'Won'),
    lost: byName(pipelineA, 'Lost'),
  };

  const db = t.ctx.db;
  const customer = async (team: string, created: string, source: string, category: string, ownerId: string | null = null) =>
    (
      await db
        .insertInto('customers')
        .values({ team_id: team, name: `C ${created} ${source}`, created_at: d(created), source, category, owner_id: ownerId })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const cA = await customer(teamA, '2026-03-03', 'web', 'potential');
  await customer(teamA, '2026-03-20', 'web', 'potential');
  await customer(teamA, '2026-03-25', 'referral', 'vip');
  await customer(teamA, '2026-02-10', 'web', 'potential');
  const cB = await customer(teamB, '2026-03-04', 'web', 'potential');

  type Stay = [stage: keyof typeof stages, entered: string, left: string | null];
  const opportunity = async (o: {
    team?: string;
    pipeline?: string;
    customer?: string;
    amount: number;
    currency?: string;
    created: string;
    owner: string;
    stage: string;
    status: 'open' | 'won' | 'lost';
    closed?: string;
    expected?: string;
    stays: Stay[];
  }) => {
    const id = randomUUID();
    await db
      .insertInto('opportunities')
      .values({
        id,
        team_id: o.team ?? teamA,
        pipeline_id: o.pipeline ?? pipelineA.id,
        customer_id: o.customer ?? cA,
        name: `Deal ${o.amount}`,
        amount: o.amount,
        currency: o.currency ?? 'CNY',
        expected_close_date: o.expected ?? null,
        stage_id: o.stage,
        owner_id: o.owner,
        rank: 'a0',
        status: o.status,
        closed_at: o.closed ? d(o.closed) : null,
        created_at: d(o.created),
      })
      .execute();
    let from: string | null = null;
    for (const [stage, entered, left] of o.stays) {
      await db
        .insertInto('opportunity_stage_history')
        .values({
          opportunity_id: id,
          pipeline_id: o.pipeline ?? pipelineA.id,
          from_stage_id: from,
          to_stage_id: stages[stage],
          entered_at: d(entered),
          left_at: left ? d(left) : null,
          moved_by: o.owner,
        })
        .execute();
      from = stages[stage];
    }
  };
  // o1: open in Proposal, expected in May.
  await opportunity({ amount: 100_000, created: '2026-03-02', owner: rep1.id, stage: stages.s2, status: 'open', expected: '2026-05-15',
    stays: [['s0', '2026-03-02', '2026-03-12'], ['s1', '2026-03-12', '2026-03-22'], ['s2', '2026-03-22', null]] });
  // o2: skipped two stages, won.
  await opportunity({ amount: 50_000, created: '2026-03-05', owner: rep1.id, stage: stages.won, status: 'won', closed: '2026-03-17',
    stays: [['s0', '2026-03-05', '2026-03-07'], ['s3', '2026-03-07', '2026-03-17'], ['won', '2026-03-17', null]] });
  // o3: lost from the first stage.
  await opportunity({ amount: 30_000, created: '2026-03-10', owner: rep2.id, stage: stages.lost, status: 'lost', closed: '2026-03-20',
    stays: [['s0', '2026-03-10', '2026-03-20'], ['lost', '2026-03-20', null]] });
  // o4: won, then reopened into Negotiation; expected in April.
  await opportunity({ amount: 80_000, created: '2026-03-15', owner: rep2.id, stage: stages.s3, status: 'open', expected: '2026-04-10',
    stays: [['s0', '2026-03-15', '2026-03-16'], ['s1', '2026-03-16', '2026-03-20'], ['won', '2026-03-20', '2026-03-25'], ['s3', '2026-03-25', null]] });
  // o5: another currency, left out of CNY figures.
  await opportunity({ amount: 9_999, currency: 'USD', created: '2026-03-03', owner: rep1.id, stage: stages.s0, status: 'open', expected: '2026-04-01',
    stays: [['s0', '2026-03-03', null]] });
  // o7: created in January, won in March.
  await opportunity({ amount: 20_000, created: '2026-01-10', owner: rep2.id, stage: stages.won, status: 'won', closed: '2026-03-05',
    stays: [['s0', '2026-01-10', '2026-03-05'], ['won', '2026-03-05', null]] });
  // o6: team B, never in team A's figures.
  const bWon = pipelineB.stages.find((s) => s.kind === 'won')!.id;
  await db.insertInto('opportunities').values({ id: randomUUID(), team_id: teamB, pipeline_id: pipelineB.id, customer_id: cB, name: 'B deal',
    amount: 1_000_000, currency: 'CNY', expected_close_date: '2026-04-02', stage_id: bWon, owner_id: repB.id, rank: 'a0', status: 'won',
    closed_at: d('2026-03-10'), created_at: d('2026-03-03') }).execute();

  const activity = (team: string, author: string, type: string, at: string, customerId = cA) =>
    db.insertInto('activities').values({ team_id: team, customer_id: customerId, source_id: randomUUID(), author_id: author, type, at: d(at) }).execute();
  await activity(teamA, rep1.id, 'call', '2026-03-03');
  await activity(teamA, rep1.id, 'call', '2026-03-04');
  await activity(teamA, rep1.id, 'meeting', '2026-03-10');
  await activity(teamA, rep2.id, 'visit', '2026-03-09');
  await activity(teamA, rep2.id, 'visit', '2026-02-20');
  await activity(teamB, repB.id, 'call', '2026-03-09', cB);
});
afterAll(() => t.close());

describe('conversion and days in stage', () => {
  it('counts skipped stages as passed and a reopened deal once', async () => {
    const rows = await data<ConversionStage[]>(`/api/reports/conversion?${MARCH}`);
    expect(rows.map((r) => [r.stageId, r.reached])).toEqual([
      [stages.s0, 4],
      [stages.s1, 3],
      [stages.s2, 3],
      [stages.s3, 2],
      [stages.s4, 2],
      [stages.won, 2],
    ]);
    expect(rows.map((r) => r.conversionToNext)).toEqual([0.75, 1, 2 / 3, 1, 1, null]);
    const days = Object.fromEntries(rows.map((r) => [r.stageId, r.avgDaysInStage]));
    expect(days[stages.s0]).toBeCloseTo(5.75, 6);
    expect(days[stages.s1]).toBeCloseTo(7, 6);
    expect(days[stages.s2]).toBeNull();
    expect(days[stages.s3]).toBeCloseTo(10, 6);
    expect(days[stages.won]).toBeCloseTo(5, 6);
  });

  it('is all zero for an empty period', async () => {
    const rows = await data<ConversionStage[]>('/api/reports/conversion?from=2025-01-01&to=2025-01-31');
    expect(rows.every((r) => r.reached === 0 && r.conversionToNext === null && r.avgDaysInStage === null)).toBe(true);
  });
});

describe('win rate', () => {
  it('counts deals closed in the period, not deals reopened since', async () => {
    expect(await data<WinRate>(`/api/reports/win-rate?${MARCH}`)).toEqual({ won: 2, lost: 1, rate: 2 / 3, wonAmount: 70_000, lostAmount: 30_000 });
  });

  it('is null with nothing closed, and per currency', async () => {
    expect((await data<WinRate>('/api/reports/win-rate?from=2025-01-01&to=2025-01-31')).rate).toBeNull();
    expect(await data<WinRate>(`/api/reports/win-rate?${MARCH}&currency=USD`)).toMatchObject({ won: 0, lost: 0 });
    const r = await get<{ currencies: string[] }>(`/api/reports/win-rate?${MARCH}`, managerCookie);
    expect(r.body.currencies).toEqual(['CNY', 'USD']);
  });
});

describe('weighted forecast', () => {
  it('weights open deals by stage probability per expected close month, empty months included', async () => {
    expect(await data<ForecastMonth[]>('/api/reports/forecast?from=2026-03-01&to=2026-05-31')).toEqual([
      { month: '2026-03', count: 0, amount: 0, weighted: 0 },
      { month: '2026-04', count: 1, amount: 80_000, weighted: 60_000 },
      { month: '2026-05', count: 1, amount: 100_000, weighted: 50_000 },
    ]);
  });
});

describe('leaderboard', () => {
  it('ranks the team by won amount with deals, open pipeline and activities', async () => {
    const rows = await data<LeaderboardRow[]>(`/api/reports/leaderboard?${MARCH}`);
    expect(rows.map((r) => [r.name, r.wonAmount, r.wonDeals, r.openAmount, r.activities])).toEqual([
      ['Alice Rep1', 50_000, 1, 100_000, 3],
      ['Bob Rep2', 20_000, 1, 80_000, 1],
      ['Carol Manager', 0, 0, 0, 0],
    ]);
  });
});

describe('activity per rep and week', () => {
  it('counts follow-ups by ISO week and type', async () => {
    const cells = await data<ActivityCell[]>(`/api/reports/activity?${MARCH}`);
    expect(cells.map((c) => [c.name, c.week, c.type, c.count])).toEqual([
      ['Alice Rep1', '2026-03-02', 'call', 2],
      ['Alice Rep1', '2026-03-09', 'meeting', 1],
      ['Bob Rep2', '2026-03-09', 'visit', 1],
    ]);
  });
});

describe('new customers', () => {
  it('counts by month, source and category', async () => {
    expect((await data<NewCustomersCell[]>(`/api/reports/new-customers?${MARCH}`)).map((c) => [c.period, c.source, c.category, c.count])).toEqual([
      ['2026-03-01', 'referral', 'vip', 1],
      ['2026-03-01', 'web', 'potential', 2],
    ]);
  });

  it('counts by week', async () => {
    expect((await data<NewCustomersCell[]>(`/api/reports/new-customers?${MARCH}&period=week`)).map((c) => [c.period, c.count])).toEqual([
      ['2026-03-02', 1],
      ['2026-03-16', 1],
      ['2026-03-23', 1],
    ]);
  });
});

describe('who sees what', () => {
  it('shows a rep their own figures, and refuses another rep’s', async () => {
    expect(await data<WinRate>(`/api/reports/win-rate?${MARCH}`, rep1Cookie)).toMatchObject({ won: 1, lost: 0, wonAmount: 50_000 });
    const other = await get<{ error: { code: string } }>(`/api/reports/win-rate?${MARCH}&ownerId=${rep2.id}`, rep1Cookie);
    expect(other.status).toBe(403);
    // The leaderboard is the team's standings for everyone in it.
    expect(await data<LeaderboardRow[]>(`/api/reports/leaderboard?${MARCH}`, rep1Cookie)).toHaveLength(3);
  });

  it('keeps a manager to their team and lets an admin pick one or all', async () => {
    expect((await get(`/api/reports/win-rate?${MARCH}&teamId=${teamB}`, managerCookie)).status).toBe(404);
    expect(await data<WinRate>(`/api/reports/win-rate?${MARCH}&teamId=${teamB}`, adminCookie)).toMatchObject({ won: 1, wonAmount: 1_000_000 });
    expect(await data<WinRate>(`/api/reports/win-rate?${MARCH}`, adminCookie)).toMatchObject({ won: 3, wonAmount: 1_070_000 });
  });

  it('needs a session', async () => {
    expect((await t.app.request('/api/reports/leaderboard')).status).toBe(401);
  });
});

describe('bad filters', () => {
  it.each([
    ['from=2026-04-01&to=2026-03-01', 'from'],
    ['from=2026-13-01', 'from'],
    ['from=yesterday', 'from'],
    ['from=2020-01-01&to=2026-01-01', 'to'],
    ['currency=yuan', 'currency'],
    ['teamId=42', 'teamId'],
    ['period=day', 'period'],
  ])('refuses %s naming the field', async (query, field) => {
    const r = await get<{ error: { code: string; field: string } }>(`/api/reports/leaderboard?${query}`, managerCookie);
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe(field);
  });

  it('refuses an unknown parameter', async () => {
    expect((await get(`/api/reports/forecast?${MARCH}&drop=table`, managerCookie)).status).toBe(400);
  });
});

describe('CSV export', () => {
  it('is the table under the chart, with formula cells escaped', async () => {
    await t.ctx.db.updateTable('users').set({ name: '=HYPERLINK("x")' }).where('id', '=', rep2.id).execute();
    const res = await t.app.request(`/api/reports/leaderboard?${MARCH}&format=csv`, { headers: { cookie: managerCookie } });
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = (await res.text()).replace(/^\uFEFF/, '');
    expect(text.split('\r\n')).toEqual([
      'Rep,Won amount,Won deals,Open amount,Activities,Currency',
      'Alice Rep1,50000,1,100000,3,CNY',
      `"'=HYPERLINK(""x"")",20000,1,80000,1,CNY`,
      'Carol Manager,0,0,0,0,CNY',
      '',
    ]);
    await t.ctx.db.updateTable('users').set({ name: 'Bob Rep2' }).where('id', '=', rep2.id).execute();
  });
});
