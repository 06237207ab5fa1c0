import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineDto } from '../../schema/wire/pipeline.ts';
import type { User } from '../../server/users/user.ts';
import { type TestContext, createTestContext, login, seedTeam, seedUser } from '../helpers/context.ts';

let t: TestContext;
let rep: User;
let other: User;
let repCookie: string;
let managerCookie: string;
const NOW = new Date('2026-06-15T09:00:00Z');

interface Dashboard {
  pipeline: { openCount: number; openAmount: number; weighted: number; wonThisMonth: { count: number; amount: number }; byStage: Array<{ name: string; count: number; amount: number }> };
  tasksToday: Array<{ title: string }>;
  overdueFollowups: Array<{ name: string }>;
  recentActivity: Array<{ customerName: string; type: string; authorName: string }>;
  team: null | { funnel: { stages: Array<{ count: number }> }; leaderboard: Array<{ name: string; wonAmount: number }> };
}

beforeAll(async () => {
  t = await createTestContext();
  t.ctx.now = () => NOW;
  const team = (await seedTeam(t.ctx)).id;
  const manager = await seedUser(t.ctx, { role: 'manager', teamId: team, name: 'Manager M' });
  rep = await seedUser(t.ctx, { role: 'rep', teamId: team, name: 'Rep R' });
  other = await seedUser(t.ctx, { role: 'rep', teamId: team, name: 'Rep O' });
  repCookie = await login(t.app, rep.email);
  managerCookie = await login(t.app, manager.email);
  const pipeline = ((await (await t.app.request('/api/pipelines', { headers: { cookie: repCookie } })).json()) as { items: PipelineDto[] }).items[0]!;
  const stage = (name: string) => pipeline.stages.find((s) => s.name === name)!.id;
  const db = t.ctx.db;
  const customer = async (name: string, ownerId: string, nextFollowup: string | null) =>
    (await db.insertInto('customers').values({ team_id: team, name, owner_id: ownerId, next_followup_at: nextFollowup ? new Date(nextFollowup) : null }).returning('id').executeTakeFirstOrThrow()).id;
  const mine = await customer('Mine overdue', rep.id, '2026-06-10T00:00:00Z');
  await customer('Mine later', rep.id, '2026-07-01T00:00:00Z');
  const theirs = await customer('Theirs overdue', other.id, '2026-06-01T00:00:00Z');
  const opp = (stageId: string, amount: number, status: 'open' | 'won', closed: string | null, ownerId = rep.id) =>
    db.insertInto('opportunities').values({ id: randomUUID(), team_id: team, pipeline_id: pipeline.id, customer_id: mine, name: 'D', amount, stage_id: stageId,
      owner_id: ownerId, rank: 'a0', status, closed_at: closed ? new Date(closed) : null }).execute();
  await opp(stage('Proposal'), 100_000, 'open', null);
  await opp(stage('Negotiation'), 40_000, 'open', null);
  await opp(stage('Won'), 70_000, 'won', '2026-06-02T00:00:00Z');
  await opp(stage('Won'), 5_000, 'won', '2026-05-20T00:00:00Z');
  await opp(stage('Proposal'), 999, 'open', null, other.id);
  const task = (title: string, due: string, done = false, assignee = rep.id) =>
    db.insertInto('tasks').values({ team_id: team, title, assignee_id: assignee, due_at: new Date(due), created_by: rep.id, done_at: done ? NOW : null }).execute();
  await task('Overdue call', '2026-06-14T08:00:00Z');
  await task('Today visit', '2026-06-15T16:00:00Z');
  await task('Tomorrow', '2026-06-16T09:00:00Z');
  await task('Done today', '2026-06-15T10:00:00Z', true);
  await task('Not mine', '2026-06-15T10:00:00Z', false, other.id);
  const act = (customerId: string, authorId: string, type: string, at: string) =>
    db.insertInto('activities').values({ team_id: team, customer_id: customerId, source_id: randomUUID(), author_id: authorId, type, at: new Date(at) }).execute();
  await act(mine, other.id, 'call', '2026-06-14T10:00:00Z');
  await act(mine, rep.id, 'visit', '2026-06-12T10:00:00Z');
  await act(theirs, rep.id, 'meeting', '2026-06-13T10:00:00Z');
});
afterAll(() => t.close());

describe('the start page', () => {
  it('shows a rep their pipeline, today’s tasks, overdue follow-ups and activity on their customers', async () => {
    const res = await t.app.request('/api/dashboard', { headers: { cookie: repCookie } });
    expect(res.status).toBe(200);
    const d = (await res.json()) as Dashboard;
    expect(d.pipeline).toMatchObject({ openCount: 2, openAmount: 140_000, weighted: 80_000, wonThisMonth: { count: 1, amount: 70_000 } });
    expect(d.pipeline.byStage.map((s) => [s.name, s.count, s.amount])).toEqual([
      ['Proposal', 1, 100_000],
      ['Negotiation', 1, 40_000],
    ]);
    expect(d.tasksToday.map((x) => x.title)).toEqual(['Overdue call', 'Today visit']);
    expect(d.overdueFollowups.map((x) => x.name)).toEqual(['Mine overdue']);
    expect(d.recentActivity.map((a) => [a.customerName, a.type, a.authorName])).toEqual([
      ['Mine overdue', 'call', 'Rep O'],
      ['Mine overdue', 'visit', 'Rep R'],
    ]);
    expect(d.team).toBeNull();
  });

  it('adds the team funnel and this month’s leaderboard for a manager', async () => {
    const d = (await (await t.app.request('/api/dashboard', { headers: { cookie: managerCookie } })).json()) as Dashboard;
    expect(d.team!.funnel.stages.reduce((n, s) => n + s.count, 0)).toBe(5);
    expect(d.team!.leaderboard.map((r) => [r.name, r.wonAmount])).toEqual([
      ['Rep R', 70_000],
      ['Manager M', 0],
      ['Rep O', 0],
    ]);
  });

  it('refuses a bad currency and needs a session', async () => {
    expect((await t.app.request('/api/dashboard?currency=rmb', { headers: { cookie: repCookie } })).status).toBe(400);
    expect((await t.app.request('/api/dashboard')).status).toBe(401);
  });
});
