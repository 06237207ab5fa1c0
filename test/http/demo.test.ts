import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_UNREAD_MAX } from '../../server/demo/demo-activity.ts';
import { DEMO_ADMIN, DEMO_PASSWORD, DEMO_TEAMS, demoLogins, seedDemoWorkspace } from '../../server/demo/demo.ts';
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
    expect(messages).toHaveLength(3);
    for (const team of first) {
      expect(team.users.filter((u) => u.role === 'manager')).toHaveLength(1);
      expect(team.users.filter((u) => u.role === 'rep').length).toBeGreaterThanOrEqual(2);
    }
    const users = await t.ctx.db.selectFrom('users').select('email').execute();
    expect(users).toHaveLength(DEMO_TEAMS.flatMap((x) => x.people).length + 1);
    const cookie = await login(t.app, DEMO_TEAMS[0]!.people[1]!.email, DEMO_PASSWORD);
    const me = (await (await t.app.request('/api/me', { headers: { cookie } })).json()) as { user: { mustChangePassword: boolean } };
    expect(me.user.mustChangePassword).toBe(false);
  });

  it('has an admin of every team who signs in, printed with the others', async () => {
    const cookie = await login(t.app, DEMO_ADMIN.email, DEMO_PASSWORD);
    const me = (await (await t.app.request('/api/me', { headers: { cookie } })).json()) as { user: { role: string; teamId: string | null } };
    expect(me.user).toMatchObject({ role: 'admin', teamId: null });
    const printed = demoLogins();
    expect(printed).toContain(DEMO_ADMIN.email);
    expect(printed).toMatch(/admin\s+admin@demo\.tandem/);
    for (const p of DEMO_TEAMS.flatMap((x) => x.people)) expect(printed).toContain(p.email);
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
    for (const word of ['follow-ups', 'leads', 'service records', 'notifications']) expect(messages.some((m) => m.includes(word))).toBe(true);
  }, 180_000);

  /** The demo's Chinese team and its people. */
  async function chineseTeam() {
    const spec = DEMO_TEAMS.find((x) => x.locale === 'zh-CN')!;
    const team = await t.ctx.db.selectFrom('teams').select('id').where('name', '=', spec.name).executeTakeFirstOrThrow();
    return team.id;
  }
  const CJK = /[\u4e00-\u9fff]/;

  it('speaks Chinese throughout the Chinese workspace', async () => {
    const teamId = await chineseTeam();
    const customers = await t.ctx.db.selectFrom('customers').select(['name', 'industry', 'source']).where('team_id', '=', teamId).execute();
    expect(customers.length).toBeGreaterThan(100);
    for (const c of customers) {
      expect(c.name).toMatch(CJK);
      expect(c.industry).toMatch(CJK);
      expect(c.source).toMatch(CJK);
    }
    const lost = await t.ctx.db
      .selectFrom('opportunities')
      .select(['name', 'lost_reason'])
      .where('team_id', '=', teamId)
      .where('status', '=', 'lost')
      .execute();
    expect(lost.length).toBeGreaterThan(0);
    for (const o of lost) expect(o.lost_reason).toMatch(/^[^A-Za-z]*$/);
    const leads = await t.ctx.db.selectFrom('leads').select(['name', 'source', 'status']).where('team_id', '=', teamId).execute();
    expect(leads.every((l) => CJK.test(l.name) && CJK.test(l.source))).toBe(true);
    const records = await t.ctx.db.selectFrom('service_records').select('title').where('team_id', '=', teamId).execute();
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => CJK.test(r.title))).toBe(true);
  });

  it('has follow-ups with outcomes over the past months, quotes and orders, leads and service records in several states', async () => {
    const teamId = await chineseTeam();
    const activities = await t.ctx.db.selectFrom('activities').select(['at', 'outcome', 'type']).where('team_id', '=', teamId).execute();
    expect(activities.length).toBeGreaterThan(50);
    const times = activities.map((a) => a.at.getTime());
    const now = t.ctx.now().getTime();
    expect(Math.max(...times)).toBeLessThanOrEqual(now);
    expect((Math.max(...times) - Math.min(...times)) / 86_400_000).toBeGreaterThan(90);
    expect(activities.every((a) => CJK.test(a.outcome))).toBe(true);
    expect(new Set(activities.map((a) => a.type)).size).toBeGreaterThanOrEqual(3);
    const monthsWithActivity = new Set(activities.map((a) => a.at.toISOString().slice(0, 7)));
    expect(monthsWithActivity.size).toBeGreaterThanOrEqual(4);

    const quotes = await t.ctx.db.selectFrom('quotes').select('id').execute();
    const orders = await t.ctx.db.selectFrom('orders').select('id').execute();
    expect(quotes.length).toBeGreaterThan(0);
    expect(orders.length).toBeGreaterThan(0);
    const leadStatuses = await t.ctx.db.selectFrom('leads').select('status').distinct().where('team_id', '=', teamId).execute();
    expect(leadStatuses.map((l) => l.status).sort()).toEqual(['contacted', 'disqualified', 'new', 'qualified']);
    const serviceStatuses = await t.ctx.db.selectFrom('service_records').select('status').distinct().where('team_id', '=', teamId).execute();
    expect(serviceStatuses.length).toBeGreaterThanOrEqual(3);
  });

  it(`greets each person with at most ${DEMO_UNREAD_MAX} unread notifications`, async () => {
    const users = await t.ctx.db.selectFrom('users').select(['id', 'email']).execute();
    let total = 0;
    for (const u of users) {
      const cookie = await login(t.app, u.email, DEMO_PASSWORD);
      const body = (await (await t.app.request('/api/notifications', { headers: { cookie } })).json()) as { unread: number };
      expect(body.unread).toBeLessThanOrEqual(DEMO_UNREAD_MAX);
      total += body.unread;
    }
    // Some remain, so the bell has something to show.
    expect(total).toBeGreaterThan(0);
  });
});
