import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_TEAMS, seedDemoWorkspace } from '../../server/demo/demo.ts';
import { type TestContext, createTestContext, login } from '../helpers/context.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('the demo workspace', () => {
  it('creates two teams with a manager and reps each, once, whose people can sign in', async () => {
    const messages: string[] = [];
    const first = await seedDemoWorkspace(t.ctx, (m) => messages.push(m));
    const second = await seedDemoWorkspace(t.ctx, () => {});
    expect(first).toHaveLength(2);
    expect(second.map((x) => x.teamId)).toEqual(first.map((x) => x.teamId));
    expect(messages).toHaveLength(2);
    for (const team of first) {
      expect(team.users.filter((u) => u.role === 'manager')).toHaveLength(1);
      expect(team.users.filter((u) => u.role === 'rep').length).toBeGreaterThanOrEqual(2);
    }
    const users = await t.ctx.db.selectFrom('users').select('email').execute();
    expect(users).toHaveLength(DEMO_TEAMS.flatMap((x) => x.people).length);
    const cookie = await login(t.app, DEMO_TEAMS[0]!.people[1]!.email, DEMO_PASSWORD);
    const me = (await (await t.app.request('/api/me', { headers: { cookie } })).json()) as { user: { mustChangePassword: boolean } };
    expect(me.user.mustChangePassword).toBe(false);
  });
});

describe('the full demo', () => {
  it('adds customers and opportunities in every stage to each team, once', async () => {
    const { seedDemo } = await import('../../server/demo/demo.ts');
    const messages: string[] = [];
    await seedDemo(t.ctx, (m) => messages.push(m));
    const customers = await t.ctx.db.selectFrom('customers').select(['team_id']).execute();
    const teams = new Set(customers.map((c) => c.team_id));
    expect(teams.size).toBe(2);
    expect(customers.length).toBeGreaterThanOrEqual(200);
    const stagesUsed = await t.ctx.db.selectFrom('opportunities').select('stage_id').distinct().execute();
    const stages = await t.ctx.db.selectFrom('pipeline_stages').select('id').where('deleted_at', 'is', null).execute();
    expect(stagesUsed.length).toBe(stages.length);
    await seedDemo(t.ctx, () => {});
    expect(await t.ctx.db.selectFrom('customers').select('id').execute()).toHaveLength(customers.length);
    expect(messages.some((m) => m.includes('customers'))).toBe(true);
  }, 180_000);
});
