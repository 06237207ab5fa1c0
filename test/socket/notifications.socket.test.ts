import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationListDto } from '../../schema/wire/notifications.ts';
import type { TaskDto } from '../../schema/wire/tasks.ts';
import { notifyAssignment } from '../../server/notifications/assignment.ts';
import { withNotifications } from '../../server/notifications/notifier.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { api, type ClientSocket, connect, Recorder, startTestServer, type TestServer } from './socket-helpers.ts';

let s: TestServer;
let teamA: string;
let manager: User;
let rep: User;
let other: User;
let outsider: User;
let cManager: string;
let cRep: string;
let cOther: string;
let cOutsider: string;
const sockets: ClientSocket[] = [];

async function tab(cookie: string): Promise<ClientSocket> {
  const socket = await connect(s.url, cookie);
  sockets.push(socket);
  return socket;
}

beforeAll(async () => {
  s = await startTestServer();
  teamA = (await seedTeam(s.ctx)).id;
  const teamB = (await seedTeam(s.ctx)).id;
  manager = await seedUser(s.ctx, { role: 'manager', teamId: teamA, name: 'Mia Manager' });
  rep = await seedUser(s.ctx, { teamId: teamA, name: 'Rex Rep' });
  other = await seedUser(s.ctx, { teamId: teamA, name: 'Olga Other' });
  outsider = await seedUser(s.ctx, { teamId: teamB, name: 'Oscar Outsider' });
  const cookies = await Promise.all([manager, rep, other, outsider].map((u) => login(s.app, u.email)));
  [cManager, cRep, cOther, cOutsider] = cookies as [string, string, string, string];
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await s.close();
});

async function createTask(cookie: string, body: Record<string, unknown>): Promise<TaskDto> {
  const res = await api(s.url, 'POST', '/api/tasks', cookie, body);
  expect(res.status).toBe(201);
  return ((await res.json()) as { task: TaskDto }).task;
}

async function list(cookie: string): Promise<NotificationListDto> {
  const res = await api(s.url, 'GET', '/api/notifications', cookie);
  expect(res.status).toBe(200);
  return (await res.json()) as NotificationListDto;
}

describe('live delivery', () => {
  it('a task assigned over REST reaches both tabs of the assignee, not the actor, not a teammate, not another team', async () => {
    const [rep1, rep2, actorTab, otherTab, outsiderTab] = await Promise.all([tab(cRep), tab(cRep), tab(cManager), tab(cOther), tab(cOutsider)]);
    const onRep1 = new Recorder(rep1, 'notification');
    const onRep2 = new Recorder(rep2, 'notification');
    const onActor = new Recorder(actorTab, 'notification');
    const onOther = new Recorder(otherTab, 'notification');
    const onOutsider = new Recorder(outsiderTab, 'notification');

    const task = await createTask(cManager, { title: 'Visit Acme on Friday', assigneeId: rep.id });
    const [n1, n2] = await Promise.all([onRep1.waitFor(), onRep2.waitFor()]);
    expect(n1).toEqual(n2);
    expect(n1).toMatchObject({ type: 'assignment', link: `/tasks/${task.id}`, entity: { type: 'task', id: task.id } });
    expect(n1.title).toContain('Visit Acme on Friday');
    expect(Object.keys(n1).sort()).toEqual(['body', 'createdAt', 'entity', 'id', 'link', 'title', 'type']);

    // Sentinels: events to one socket arrive in order, so once each of the others has received
    // a later notification of its own, it has provably not received the first one.
    await createTask(cRep, { title: 'sentinel for manager', assigneeId: manager.id });
    await createTask(cManager, { title: 'sentinel for other', assigneeId: other.id });
    const outsiderManager = await seedUser(s.ctx, { role: 'manager', teamId: outsider.teamId });
    await createTask(await login(s.app, outsiderManager.email), { title: 'sentinel for outsider', assigneeId: outsider.id });
    await Promise.all([onActor.waitFor(), onOther.waitFor(), onOutsider.waitFor()]);
    expect(onActor.events.map((e) => e.title)).toEqual([expect.stringContaining('sentinel for manager')]);
    expect(onOther.events.map((e) => e.title)).toEqual([expect.stringContaining('sentinel for other')]);
    expect(onOutsider.events.map((e) => e.title)).toEqual([expect.stringContaining('sentinel for outsider')]);
    expect(onRep1.events).toHaveLength(1);
  });

  it('a user who was offline finds the notification after signing in', async () => {
    const offline = await seedUser(s.ctx, { teamId: teamA, name: 'Ola Offline' });
    const task = await createTask(cManager, { title: 'While you were away', assigneeId: offline.id });
    const cookie = await login(s.app, offline.email);
    const body = await list(cookie);
    expect(body.unread).toBe(1);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ type: 'assignment', readAt: null, link: `/tasks/${task.id}` });
  });

  it('marking read in one tab tells the other tab, and the counts agree with the list', async () => {
    const reader = await seedUser(s.ctx, { teamId: teamA, name: 'Rita Reader' });
    const cookie = await login(s.app, reader.email);
    const [tabA, tabB] = await Promise.all([tab(cookie), tab(cookie)]);
    const gotB = new Recorder(tabB, 'notification');
    const readA = new Recorder(tabA, 'notifications:read');
    const readB = new Recorder(tabB, 'notifications:read');
    await createTask(cManager, { title: 'first', assigneeId: reader.id });
    await createTask(cManager, { title: 'second', assigneeId: reader.id });
    await gotB.waitFor((n) => n.title.includes('second'));
    const first = gotB.events.find((n) => n.title.includes('first'))!;

    const res = await api(s.url, 'POST', `/api/notifications/${first.id}/read`, cookie, {});
    expect(res.status).toBe(200);
    expect(((await res.json()) as { unread: number }).unread).toBe(1);
    const eventB = await readB.waitFor();
    expect(eventB).toMatchObject({ ids: [first.id], unread: 1 });
    expect((await readA.waitFor()).unread).toBe(1);
    const afterOne = await list(cookie);
    expect(afterOne.unread).toBe(eventB.unread);
    expect(afterOne.items.find((n) => n.id === first.id)!.readAt).toBe(eventB.readAt);

    expect((await api(s.url, 'POST', '/api/notifications/read-all', cookie, {})).status).toBe(200);
    const all = await readB.waitFor((e) => e.ids === 'all');
    expect(all.unread).toBe(0);
    expect((await list(cookie)).unread).toBe(0);
  });

  it('a user cannot read or mark another user’s notification', async () => {
    const mine = (await list(cRep)).items[0]!;
    const res = await api(s.url, 'POST', `/api/notifications/${mine.id}/read`, cOutsider, {});
    expect(res.status).toBe(404);
    expect((await list(cRep)).items.find((n) => n.id === mine.id)!.readAt).toBeNull();
    expect((await api(s.url, 'POST', '/api/notifications/nope/read', cRep, {})).status).toBe(400);
    expect((await api(s.url, 'POST', '/api/notifications/read-all', cRep)).status).not.toBe(401);
    expect((await fetch(`${s.url}/api/notifications`)).status).toBe(401);
  });

  it('a transaction that rolls back stores and sends nothing', async () => {
    const target = await seedUser(s.ctx, { teamId: teamA, name: 'Rolf Rollback' });
    const cookie = await login(s.app, target.email);
    const socket = await tab(cookie);
    const got = new Recorder(socket, 'notification');
    await expect(
      withNotifications(s.ctx.db, async (trx, queue) => {
        queue.add(
          await notifyAssignment(s.ctx, trx, {
            actorId: manager.id,
            recipientId: target.id,
            teamId: teamA,
            entity: { type: 'customer', id: '00000000-0000-4000-8000-000000000001', name: 'Rolled back' },
          }),
        );
        throw new Error('the edit failed');
      }),
    ).rejects.toThrow('the edit failed');
    await withNotifications(s.ctx.db, async (trx, queue) => {
      queue.add(
        await notifyAssignment(s.ctx, trx, {
          actorId: manager.id,
          recipientId: target.id,
          teamId: teamA,
          entity: { type: 'opportunity', id: '00000000-0000-4000-8000-000000000002', name: 'Committed' },
        }),
      );
    });
    await got.waitFor();
    expect(got.events.map((e) => e.title)).toEqual([expect.stringContaining('Committed')]);
    expect(got.events[0]!.link).toBe('/opportunities/00000000-0000-4000-8000-000000000002');
    expect((await list(cookie)).items.map((n) => n.title)).toEqual([expect.stringContaining('Committed')]);
  });

  it('an assignment to someone outside the entity’s team is never stored nor sent', async () => {
    const pending = await withNotifications(s.ctx.db, (trx) =>
      notifyAssignment(s.ctx, trx, {
        actorId: manager.id,
        recipientId: outsider.id,
        teamId: teamA,
        entity: { type: 'customer', id: '00000000-0000-4000-8000-000000000003', name: 'Team A secret' },
      }),
    );
    expect(pending).toBeNull();
    expect((await list(cOutsider)).items.some((n) => n.title.includes('Team A secret'))).toBe(false);

    // Without teamId, the team is read from the entity's row.
    const task = await createTask(cManager, { title: 'Team A task' });
    const entity = { type: 'task' as const, id: task.id, name: task.title };
    const toOutsider = await withNotifications(s.ctx.db, (trx) =>
      notifyAssignment(s.ctx, trx, { actorId: manager.id, recipientId: outsider.id, entity }),
    );
    expect(toOutsider).toBeNull();
    const toRep = await withNotifications(s.ctx.db, (trx) => notifyAssignment(s.ctx, trx, { actorId: manager.id, recipientId: rep.id, entity }));
    expect(toRep?.recipientId).toBe(rep.id);
    const missing = await withNotifications(s.ctx.db, (trx) =>
      notifyAssignment(s.ctx, trx, { actorId: manager.id, recipientId: rep.id, entity: { ...entity, id: '00000000-0000-4000-8000-000000000004' } }),
    );
    expect(missing).toBeNull();
  });

  it('pages the list with a cursor', async () => {
    const pager = await seedUser(s.ctx, { teamId: teamA });
    for (let i = 0; i < 5; i++) await createTask(cManager, { title: `page ${i}`, assigneeId: pager.id });
    const cookie = await login(s.app, pager.email);
    const first = (await (await api(s.url, 'GET', '/api/notifications?limit=3', cookie)).json()) as NotificationListDto;
    expect(first.items).toHaveLength(3);
    expect(first.unread).toBe(5);
    const second = (await (await api(s.url, 'GET', `/api/notifications?limit=3&before=${first.nextCursor}`, cookie)).json()) as NotificationListDto;
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((n) => n.id)).size).toBe(5);
    expect((await api(s.url, 'GET', '/api/notifications?before=garbage', cookie)).status).toBe(400);
    expect((await api(s.url, 'GET', '/api/notifications?limit=0', cookie)).status).toBe(400);
  });
});
