import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOpportunities } from '../../server/opportunities/opportunity.demo.ts';
import { listPipelines } from '../../server/pipelines/pipeline.repository.ts';
import type { User } from '../../server/users/user.ts';
import { type TestContext, createTestContext, seedTeam, seedUser } from '../helpers/context.ts';
import { expectProjectionMatches, insertCustomer } from '../helpers/opportunities.ts';

let t: TestContext;
let teamId: string;
let users: User[];
let customers: string[];

beforeAll(async () => {
  t = await createTestContext();
  teamId = (await seedTeam(t.ctx)).id;
  users = [
    await seedUser(t.ctx, { role: 'manager', teamId }),
    await seedUser(t.ctx, { role: 'rep', teamId }),
    await seedUser(t.ctx, { role: 'rep', teamId }),
  ];
  customers = [];
  for (let i = 0; i < 12; i++) customers.push(await insertCustomer(t.ctx, teamId, `Demo customer ${i}`));
});
afterAll(async () => {
  await t.close();
});

describe('demo opportunities', () => {
  it('fill every stage with realistic deals, through the board, with history, quotes and contracts', async () => {
    const ids = await seedDemoOpportunities(t.ctx, { teamId, users, customers, count: 40 });
    expect(ids).toHaveLength(40);
    const pipeline = (await listPipelines(t.ctx.db, { teamId }))[0]!;
    const rows = await t.ctx.db.selectFrom('opportunities').selectAll().where('team_id', '=', teamId).execute();
    expect(rows).toHaveLength(40);
    for (const s of pipeline.stages) expect([s.name, rows.some((r) => r.stage_id === s.id)]).toEqual([s.name, true]);
    for (const r of rows) {
      expect(Number(r.amount)).toBeGreaterThanOrEqual(20_000);
      expect(Number(r.amount)).toBeLessThanOrEqual(2_000_000);
      expect(r.expected_close_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(users.filter((u) => u.role === 'rep').map((u) => u.id)).toContain(r.owner_id);
      if (r.status === 'lost') expect(r.lost_reason).toBeTruthy();
      expect(r.status === 'open').toBe(r.closed_at === null);
      expect(r.created_at.getTime()).toBeLessThan(t.ctx.now().getTime() - 2 * 86_400_000);
    }
    const won = rows.filter((r) => r.status === 'won');
    const orders = await t.ctx.db.selectFrom('orders').select('opportunity_id').where('team_id', '=', teamId).execute();
    expect(orders.map((o) => o.opportunity_id).sort()).toEqual(won.map((r) => r.id).sort());
    // A contract per won deal, a year's term with a renewal reminder before it ends.
    const contracts = await t.ctx.db.selectFrom('contracts').selectAll().where('team_id', '=', teamId).execute();
    expect(contracts.map((c) => c.opportunity_id).sort()).toEqual(won.map((r) => r.id).sort());
    for (const c of contracts) {
      expect(c.renewal_remind_at!.getTime()).toBeLessThan(new Date(c.ends_at).getTime());
      expect(new Set(contracts.map((x) => x.number)).size).toBe(contracts.length);
    }
    const quotes = await t.ctx.db.selectFrom('quotes').select('id').where('team_id', '=', teamId).execute();
    expect(quotes.length).toBeGreaterThanOrEqual(won.length);
    const history = await t.ctx.db.selectFrom('opportunity_stage_history').selectAll().where('pipeline_id', '=', pipeline.id).execute();
    for (const r of rows) {
      const mine = history.filter((h) => h.opportunity_id === r.id);
      expect(mine.filter((h) => h.left_at === null).map((h) => h.to_stage_id)).toEqual([r.stage_id]);
    }
    await expectProjectionMatches(t.ctx, pipeline.id);
  });

  it('name deals, lost reasons and quotes in a Chinese workspace’s language', async () => {
    const zhTeam = (await seedTeam(t.ctx)).id;
    const zhUsers = [await seedUser(t.ctx, { role: 'manager', teamId: zhTeam }), await seedUser(t.ctx, { role: 'rep', teamId: zhTeam })];
    const zhCustomers = [await insertCustomer(t.ctx, zhTeam, '上海华信科技有限公司')];
    await seedDemoOpportunities(t.ctx, { teamId: zhTeam, users: zhUsers, customers: zhCustomers, count: 30, locale: 'zh-CN' });
    const rows = await t.ctx.db.selectFrom('opportunities').select(['name', 'status', 'lost_reason']).where('team_id', '=', zhTeam).execute();
    const cjk = /[\u4e00-\u9fff]/;
    expect(rows.every((r) => cjk.test(r.name))).toBe(true);
    const lost = rows.filter((r) => r.status === 'lost');
    expect(lost.length).toBeGreaterThan(0);
    for (const r of lost) expect(r.lost_reason).toMatch(/^[^A-Za-z]+$/);
    const quotes = await t.ctx.db.selectFrom('quotes').select('title').where('team_id', '=', zhTeam).execute();
    expect(quotes.length).toBeGreaterThan(0);
    expect(quotes.every((q) => q.title.endsWith('报价'))).toBe(true);
  });

  it('leave a team that already has opportunities alone', async () => {
    expect(await seedDemoOpportunities(t.ctx, { teamId, users, customers })).toEqual([]);
  });
});
