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
