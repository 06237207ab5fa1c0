/**
 * Handing a user's book over (`POST /api/users/:id/handover`, docs/team-operations.md): counts,
 * dry run, split by category, who may do it, one summary notification per recipient, undo, and
 * a live document open in a y-websocket provider that sees the new owner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_ROOTS, boardDocName, customerDocName } from '../../schema/wire/docs.ts';
import type { HandoverDto, HandoverResultDto, HandoverUndoDto } from '../../schema/wire/handover.ts';
import type { NotificationDto } from '../../schema/wire/notifications.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { type Caller, caller, createOpportunity, errorOf, json, teamPipeline } from '../helpers/opportunities.ts';
import { type HubServer, connect, startHubServer, until } from '../realtime/realtime-helpers.ts';

let s: HubServer;

beforeAll(async () => {
  s = await startHubServer();
});
afterAll(async () => {
  await s?.close();
});

interface Team {
  teamId: string;
  manager: User;
  leaver: User;
  a: User;
  b: User;
  asManager: Caller;
  cookies: Map<string, string>;
}

/** A team with a manager, a leaving rep (张伟) and two colleagues. */
async function team(): Promise<Team> {
  const { id: teamId } = await seedTeam(s.ctx);
  const manager = await seedUser(s.ctx, { role: 'manager', teamId, name: 'Manager' });
  const leaver = await seedUser(s.ctx, { role: 'rep', teamId, name: '张伟' });
  const a = await seedUser(s.ctx, { role: 'rep', teamId, name: 'Rep A' });
  const b = await seedUser(s.ctx, { role: 'rep', teamId, name: 'Rep B' });
  const cookies = new Map<string, string>();
  for (const u of [manager, leaver, a, b]) cookies.set(u.id, await login(s.t.app, u.email));
  return { teamId, manager, leaver, a, b, asManager: caller(s.t.app, cookies.get(manager.id)!), cookies };
}

async function customer(t: Team, name: string, ownerId: string, category?: string): Promise<string> {
  const res = await t.asManager.post('/api/customers', { name, ownerId, confirm: true, ...(category ? { category } : {}) });
  return (await json<{ customer: { id: string } }>(res, 201)).customer.id;
}

/** The leaver's book: 4 customers (one VIP), an opportunity on the first, an open and a done task, a service record on nobody's customer. */
async function book(t: Team) {
  const c = [
    await customer(t, 'Alpha 华为', t.leaver.id),
    await customer(t, 'Beta', t.leaver.id),
    await customer(t, 'Gamma', t.leaver.id, 'vip'),
    await customer(t, 'Delta', t.leaver.id),
  ];
  const other = await customer(t, 'Someone else’s', t.a.id);
  const pipeline = await teamPipeline(t.asManager);
  const opp = await createOpportunity(t.asManager, { customerId: c[0], name: 'Deal', amount: 1000, ownerId: t.leaver.id });
  const task = (await json<{ task: { id: string } }>(await t.asManager.post('/api/tasks', { title: 'Call back', assigneeId: t.leaver.id, customerId: c[1] }), 201)).task;
  const done = (await json<{ task: { id: string } }>(await t.asManager.post('/api/tasks', { title: 'Done already', assigneeId: t.leaver.id }), 201)).task;
  await json(await t.asManager.post(`/api/tasks/${done.id}/done`, {}));
  const service = (
    await json<{ serviceRecord: { id: string } }>(
      await t.asManager.post('/api/service-records', { customerId: other, type: 'request', title: 'Fix it', assigneeId: t.leaver.id }),
      201,
    )
  ).serviceRecord;
  return { customers: c, other, pipelineId: pipeline.id, opp: opp.id, task: task.id, done: done.id, service: service.id };
}

const ownerOf = async (id: string) => (await s.ctx.db.selectFrom('customers').select('owner_id').where('id', '=', id).executeTakeFirstOrThrow()).owner_id;

async function notificationsOf(t: Team, user: User): Promise<NotificationDto[]> {
  const res = await caller(s.t.app, t.cookies.get(user.id)!).get('/api/notifications');
  return (await json<{ items: NotificationDto[] }>(res)).items;
}

describe('handover', () => {
  it('a dry run counts what would move and changes nothing', async () => {
    const t = await team();
    const b = await book(t);
    const res = await t.asManager.post(`/api/users/${t.leaver.id}/handover`, { to: [t.a.id, t.b.id], dryRun: true });
    const body = await json<HandoverResultDto>(res);
    expect(body).toMatchObject({ customers: 4, opportunities: 1, tasks: 1, serviceRecords: 1, handover: null });
    expect(body.recipients.map((r) => r.customers)).toEqual([2, 2]);
    for (const id of b.customers) expect(await ownerOf(id)).toBe(t.leaver.id);
    expect(await s.ctx.db.selectFrom('handovers').select('id').where('from_user_id', '=', t.leaver.id).execute()).toHaveLength(0);
  });

  it('moves the whole book round-robin; records follow their customer; one summary notification per recipient', async () => {
    const t = await team();
    const b = await book(t);
    const before = await notificationsOf(t, t.a);
    const body = await json<HandoverResultDto>(await t.asManager.post(`/api/users/${t.leaver.id}/handover`, { to: [t.a.id, t.b.id] }));
    expect(body).toMatchObject({ customers: 4, opportunities: 1, tasks: 1, serviceRecords: 1 });
    expect(body.handover).toMatchObject({ status: 'done', total: 7, processed: 7 });
    // Sorted by name: Alpha → a, Beta → b, Delta → a, Gamma → b.
    expect(await Promise.all(b.customers.map(ownerOf))).toEqual([t.a.id, t.b.id, t.b.id, t.a.id]);
    // The opportunity follows Alpha to a; the task follows Beta to b; the service record's customer did not move: next in turn (a).
    const opp = await s.ctx.db.selectFrom('opportunities').select('owner_id').where('id', '=', b.opp).executeTakeFirstOrThrow();
    expect(opp.owner_id).toBe(t.a.id);
    const tasks = await s.ctx.db.selectFrom('tasks').select(['id', 'assignee_id']).where('id', 'in', [b.task, b.done]).execute();
    expect(Object.fromEntries(tasks.map((x) => [x.id, x.assignee_id]))).toEqual({ [b.task]: t.b.id, [b.done]: t.leaver.id });
    const service = await s.ctx.db.selectFrom('service_records').select('assignee_id').where('id', '=', b.service).executeTakeFirstOrThrow();
    expect(service.assignee_id).toBe(t.a.id);

    // One summary each, instead of one per record.
    const added = (await notificationsOf(t, t.a)).filter((n) => !before.some((x) => x.id === n.id));
    expect(added).toHaveLength(1);
    expect(added[0]!.type).toBe('assignment');
    expect(added[0]!.title).toBe('You received 2 customers, 1 opportunity, 1 service record from 张伟');
    const forB = await notificationsOf(t, t.b);
    expect(forB.filter((n) => n.type === 'assignment')).toHaveLength(1);

    // The history of the customer shows the change of owner, by the manager.
    const history = await json<{ items: Array<{ changes: Record<string, unknown>; actor: { id: string } | null }> }>(
      await t.asManager.get(`/api/customers/${b.customers[0]}/history`),
    );
    expect(history.items.some((h) => 'ownerId' in h.changes)).toBe(true);
    // Progress can be read back.
    const status = await json<{ handover: HandoverDto }>(await t.asManager.get(`/api/handovers/${body.handover!.id}`));
    expect(status.handover).toMatchObject({ status: 'done', processed: 7, fromUserId: t.leaver.id });
  });

  it('splits customers by category, the rest round-robin', async () => {
    const t = await team();
    const b = await book(t);
    const body = await json<HandoverResultDto>(
      await t.asManager.post(`/api/users/${t.leaver.id}/handover`, { to: [t.a.id], split: 'category', categories: { vip: t.b.id } }),
    );
    expect(body.customers).toBe(4);
    expect(await Promise.all(b.customers.map(ownerOf))).toEqual([t.a.id, t.a.id, t.b.id, t.a.id]);
    expect(body.recipients.find((r) => r.userId === t.b.id)?.customers).toBe(1);
  });

  it('refuses reps, other teams’ managers and bad recipients', async () => {
    const t = await team();
    const other = await team();
    await book(t);
    const asRep = caller(s.t.app, t.cookies.get(t.a.id)!);
    expect(await errorOf(await asRep.post(`/api/users/${t.leaver.id}/handover`, { to: [t.b.id] }))).toMatchObject({ status: 403 });
    // Another team's manager does not even see the user.
    expect((await other.asManager.post(`/api/users/${t.leaver.id}/handover`, { to: [other.a.id] })).status).toBe(404);
    // Recipients from another team, the leaver themselves, none at all, an unknown category.
    expect(await errorOf(await t.asManager.post(`/api/users/${t.leaver.id}/handover`, { to: [other.a.id] }))).toMatchObject({ status: 400, field: 'to' });
    expect(await errorOf(await t.asManager.post(`/api/users/${t.leaver.id}/handover`, { to: [t.leaver.id] }))).toMatchObject({ status: 400, field: 'to' });
    expect(await errorOf(await t.asManager.post(`/api/users/${t.leaver.id}/handover`, { to: [] }))).toMatchObject({ status: 400, field: 'to' });
    expect(
      await errorOf(await t.asManager.post(`/api/users/${t.leaver.id}/handover`, { to: [t.a.id], split: 'category', categories: { nope: t.b.id } })),
    ).toMatchObject({ status: 400, field: 'categories' });
    expect(await errorOf(await t.asManager.post(`/api/users/${t.leaver.id}/handover`, { to: [t.a.id], extra: 1 }))).toMatchObject({ status: 400 });
    // Nothing moved.
    expect(await s.ctx.db.selectFrom('customers').select('id').where('owner_id', '=', t.leaver.id).execute()).toHaveLength(4);
    // Another team's manager neither reads nor undoes the operation.
    const done = await json<HandoverResultDto>(await t.asManager.post(`/api/users/${t.leaver.id}/handover`, { to: [t.a.id] }));
    expect((await other.asManager.get(`/api/handovers/${done.handover!.id}`)).status).toBe(404);
    expect((await other.asManager.post(`/api/handovers/${done.handover!.id}/undo`, {})).status).toBe(404);
    expect((await asRep.post(`/api/handovers/${done.handover!.id}/undo`, {})).status).toBe(404);
  });

  it('undo restores previous owners except where the record changed since', async () => {
    const t = await team();
    const b = await book(t);
    const done = await json<HandoverResultDto>(await t.asManager.post(`/api/users/${t.leaver.id}/handover`, { to: [t.a.id, t.b.id] }));
    // Someone reassigns Beta afterwards: undo leaves it alone.
    await json(await t.asManager.patch(`/api/customers/${b.customers[1]}`, { ownerId: t.manager.id }));
    const undo = await json<HandoverUndoDto>(await t.asManager.post(`/api/handovers/${done.handover!.id}/undo`, {}));
    expect(undo).toMatchObject({ restored: 6, kept: 1, handover: { status: 'undone' } });
    expect(await Promise.all(b.customers.map(ownerOf))).toEqual([t.leaver.id, t.manager.id, t.leaver.id, t.leaver.id]);
    const opp = await s.ctx.db.selectFrom('opportunities').select('owner_id').where('id', '=', b.opp).executeTakeFirstOrThrow();
    expect(opp.owner_id).toBe(t.leaver.id);
    const task = await s.ctx.db.selectFrom('tasks').select('assignee_id').where('id', '=', b.task).executeTakeFirstOrThrow();
    expect(task.assignee_id).toBe(t.leaver.id);
    // Once only.
    expect(await errorOf(await t.asManager.post(`/api/handovers/${done.handover!.id}/undo`, {}))).toMatchObject({ status: 409 });
  });

  it('open live documents see the new owner', async () => {
    const t = await team();
    const b = await book(t);
    const cookie = t.cookies.get(t.a.id)!;
    const customerDoc = connect(s.wsBase, customerDocName(b.customers[0]!), cookie);
    const board = connect(s.wsBase, boardDocName(b.pipelineId), cookie);
    try {
      await customerDoc.synced();
      await board.synced();
      expect(customerDoc.doc.getMap(CUSTOMER_ROOTS.fields).get('ownerId')).toBe(t.leaver.id);
      await json(await t.asManager.post(`/api/users/${t.leaver.id}/handover`, { to: [t.a.id, t.b.id] }));
      await until(() => customerDoc.doc.getMap(CUSTOMER_ROOTS.fields).get('ownerId') === t.a.id, 'the customer document shows the new owner');
      const card = () => (board.doc.getMap('cards').get(b.opp) as { get(k: string): unknown } | undefined)?.get('ownerId');
      await until(() => card() === t.a.id, 'the board card shows the new owner');
    } finally {
      customerDoc.destroy();
      board.destroy();
    }
  });
});
