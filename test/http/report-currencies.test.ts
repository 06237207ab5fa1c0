/** The currencies a report lists: those of the opportunities in scope (team, owner), sorted, each once. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportFilters } from '../../schema/wire/reports.ts';
import { currenciesInScope } from '../../server/reports/report.repository.ts';
import { type TestContext, createTestContext, login, seedTeam, seedUser } from '../helpers/context.ts';
import { caller, insertCustomer, json, teamPipeline } from '../helpers/opportunities.ts';

describe('currencies in scope', () => {
  let t: TestContext;
  let teamA: string;
  let teamB: string;
  let teamEmpty: string;
  let rep1: string;
  let rep2: string;
  let repB: string;

  beforeAll(async () => {
    t = await createTestContext();
    teamA = (await seedTeam(t.ctx)).id;
    teamB = (await seedTeam(t.ctx)).id;
    teamEmpty = (await seedTeam(t.ctx)).id;
    const r1 = await seedUser(t.ctx, { role: 'rep', teamId: teamA });
    rep1 = r1.id;
    rep2 = (await seedUser(t.ctx, { role: 'rep', teamId: teamA })).id;
    repB = (await seedUser(t.ctx, { role: 'rep', teamId: teamB })).id;
    const pipeline = await teamPipeline(caller(t.app, await login(t.app, r1.email)));
    const cA = await insertCustomer(t.ctx, teamA);
    const cB = await insertCustomer(t.ctx, teamB);
    const deals: Array<[string, string, string | null, string]> = [
      [teamA, cA, rep1, 'USD'],
      [teamA, cA, rep1, 'CNY'],
      [teamA, cA, rep1, 'USD'],
      [teamA, cA, rep2, 'EUR'],
      [teamA, cA, null, 'JPY'],
      [teamB, cB, repB, 'HKD'],
      [teamB, cB, repB, 'CNY'],
    ];
    await t.ctx.db
      .insertInto('opportunities')
      .values(
        deals.map(([team, customer, owner, currency], i) => ({
          id: randomUUID(),
          team_id: team,
          pipeline_id: pipeline.id,
          customer_id: customer,
          name: `Deal ${i}`,
          amount: 1,
          currency,
          expected_close_date: null,
          stage_id: pipeline.stages[0]!.id,
          owner_id: owner,
          rank: `a${i}`,
          lost_reason: null,
          closed_at: null,
          created_by: null,
        })),
      )
      .execute();
  });
  afterAll(async () => {
    await t.close();
  });

  const scope = (teamId: string | null, ownerId: string | null): ReportFilters => ({
    from: '2026-01-01',
    to: '2026-12-31',
    teamId,
    ownerId,
    pipelineId: null,
    currency: 'CNY',
  });

  it('lists a team’s currencies, or one owner’s within it', async () => {
    expect(await currenciesInScope(t.ctx.db, scope(teamA, null))).toEqual(['CNY', 'EUR', 'JPY', 'USD']);
    expect(await currenciesInScope(t.ctx.db, scope(teamA, rep1))).toEqual(['CNY', 'USD']);
    expect(await currenciesInScope(t.ctx.db, scope(teamA, rep2))).toEqual(['EUR']);
    expect(await currenciesInScope(t.ctx.db, scope(teamA, repB))).toEqual([]);
    expect(await currenciesInScope(t.ctx.db, scope(teamB, null))).toEqual(['CNY', 'HKD']);
    expect(await currenciesInScope(t.ctx.db, scope(teamEmpty, null))).toEqual([]);
  });

  it('lists every team’s currencies without a team', async () => {
    expect(await currenciesInScope(t.ctx.db, scope(null, null))).toEqual(['CNY', 'EUR', 'HKD', 'JPY', 'USD']);
    expect(await currenciesInScope(t.ctx.db, scope(null, repB))).toEqual(['CNY', 'HKD']);
  });

  it('answers the same through the HTTP report', async () => {
    const cookie = await login(t.app, (await seedUser(t.ctx, { role: 'manager', teamId: teamA })).email);
    const body = await json<{ currencies: string[] }>(await t.app.request('/api/reports/win-rate', { headers: { cookie } }));
    expect(body.currencies).toEqual(['CNY', 'EUR', 'JPY', 'USD']);
  });
});

describe('the funnel’s currency', () => {
  let t: TestContext;
  afterAll(async () => {
    await t.close();
  });

  it('is the deals’ own when none is in CNY, the one asked for otherwise, and never a sum of several', async () => {
    t = await createTestContext();
    const team = (await seedTeam(t.ctx)).id;
    const manager = await seedUser(t.ctx, { role: 'manager', teamId: team });
    const cookie = await login(t.app, manager.email);
    const pipeline = await teamPipeline(caller(t.app, cookie));
    const customer = await insertCustomer(t.ctx, team);
    const deal = (amount: number, currency: string, i: number) => ({
      id: randomUUID(),
      team_id: team,
      pipeline_id: pipeline.id,
      customer_id: customer,
      name: `Deal ${i}`,
      amount,
      currency,
      expected_close_date: null,
      stage_id: pipeline.stages[0]!.id,
      owner_id: manager.id,
      rank: `a${i}`,
      lost_reason: null,
      closed_at: null,
      created_by: null,
    });
    await t.ctx.db.insertInto('opportunities').values([deal(500, 'USD', 0), deal(250, 'USD', 1)]).execute();
    type Funnel = { currency: string; currencies: string[]; stages: Array<{ stageId: string; count: number; amount: number }> };
    const funnel = async (query = '') => json<Funnel>(await t.app.request(`/api/reports/funnel?pipelineId=${pipeline.id}${query}`, { headers: { cookie } }));
    const first = (f: Funnel) => f.stages.find((s) => s.stageId === pipeline.stages[0]!.id)!;

    const usd = await funnel();
    expect(usd.currency).toBe('USD');
    expect([first(usd).count, first(usd).amount]).toEqual([2, 750]);

    await t.ctx.db.insertInto('opportunities').values(deal(1000, 'CNY', 2)).execute();
    const cny = await funnel();
    expect(cny.currency).toBe('CNY');
    expect(cny.currencies).toEqual(['CNY', 'USD']);
    expect([first(cny).count, first(cny).amount]).toEqual([3, 1000]);
    expect(first(await funnel('&currency=USD')).amount).toBe(750);
  });
});
