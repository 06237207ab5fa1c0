import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationListDto } from '../../schema/wire/notifications.ts';
import { TASK_DESCRIPTION_MAX, TASK_TITLE_MAX, type MyDayDto, type TaskDto, type TaskListDto } from '../../schema/wire/tasks.ts';
import { runReminderPass } from '../../server/notifications/reminder-scheduler.ts';
import type { User } from '../../server/users/user.ts';
import { type TestContext, createTestContext, jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';

let t: TestContext;
let clock: Date;
let teamA: string;
let teamB: string;
let manager: User;
let rep: User;
let rep2: User;
let outsider: User;
let cManager: string;
let cRep: string;
let cRep2: string;
let cOutsider: string;
let customerA: string;
let customerB: string;

async function seedCustomer(teamId: string, name: string): Promise<string> {
  const row = await t.ctx.db.insertInto('customers').values({ team_id: teamId, name }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  t = await createTestContext();
  clock = new Date('2026-03-10T10:00:00.000Z');
  t.ctx.now = () => clock;
  teamA = (await seedTeam(t.ctx)).id;
  teamB = (await seedTeam(t.ctx)).id;
  manager = await seedUser(t.ctx, { role: 'manager', teamId: teamA, name: 'Mary Manager' });
  rep = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Ray Rep' });
  rep2 = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: '张伟' });
  outsider = await seedUser(t.ctx, { role: 'rep', teamId: teamB, name: 'Otto Outsider' });
  [cManager, cRep, cRep2, cOutsider] = await Promise.all([
    login(t.app, manager.email),
    login(t.app, rep.email),
    login(t.app, rep2.email),
    login(t.app, outsider.email),
  ]);
  customerA = await seedCustomer(teamA, 'Acme 华为');
  customerB = await seedCustomer(teamB, 'Other Co');
});
afterAll(() => t.close());

const req = (method: string, path: string, cookie: string, body?: unknown) =>
  t.app.request(path, body === undefined && method === 'GET' ? { headers: { cookie } } : jsonRequest(method, body ?? {}, cookie));

async function create(cookie: string, body: Record<string, unknown>): Promise<TaskDto> {
  const res = await req('POST', '/api/tasks', cookie, body);
  expect(res.status).toBe(201);
  return ((await res.json()) as { task: TaskDto }).task;
}

async function errorOf(res: Response) {
  const body = (await res.json()) as { error: { code: string; field?: string } };
  return { status: res.status, ...body.error };
}

async function notificationsOf(cookie: string): Promise<NotificationListDto> {
  const res = await req('GET', '/api/notifications', cookie);
  expect(res.status).toBe(200);
  return (await res.json()) as NotificationListDto;
}

async function taskCount(): Promise<number> {
  const r = await t.ctx.db.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('creating tasks', () => {
  it('creates a task for oneself without notifying anyone', async () => {
    const before = (await notificationsOf(cRep)).items.length;
    const task = await create(cRep, { title: 'Call back Acme', dueAt: '2026-03-10T15:00:00Z', customerId: customerA });
    expect(task).toMatchObject({ title: 'Call back Acme', assigneeId: rep.id, customerId: customerA, done: false, teamId: teamA });
    expect(task.dueAt).toBe('2026-03-10T15:00:00.000Z');
    expect((await notificationsOf(cRep)).items.length).toBe(before);
  });

  it('a rep may create a task for a teammate, who is notified (not the actor)', async () => {
    const repBefore = (await notificationsOf(cRep)).items.length;
    const task = await create(cRep, { title: 'Send the quote', assigneeId: rep2.id });
    expect(task.assigneeId).toBe(rep2.id);
    const list = await notificationsOf(cRep2);
    expect(list.items[0]).toMatchObject({ type: 'assignment', link: `/tasks/${task.id}`, readAt: null });
    expect(list.items[0]!.entity).toEqual({ type: 'task', id: task.id });
    expect(list.unread).toBeGreaterThanOrEqual(1);
    expect((await notificationsOf(cRep)).items.length).toBe(repBefore);
  });

  it('renders the notification in the recipient language', async () => {
    await t.ctx.db.updateTable('users').set({ locale: 'zh-CN' }).where('id', '=', rep2.id).execute();
    await create(cManager, { title: '准备合同', assigneeId: rep2.id });
    const list = await notificationsOf(cRep2);
    expect(list.items[0]!.title).toBe('有任务分配给你：准备合同');
    expect(list.items[0]!.body).toBe('分配人：Mary Manager');
    await t.ctx.db.updateTable('users').set({ locale: 'en' }).where('id', '=', rep2.id).execute();
  });

  it('notifies teammates mentioned in the description', async () => {
    const task = await create(cManager, { title: 'Prepare the visit', description: 'Please help, @张伟 and @ray rep' });
    const mentions2 = (await notificationsOf(cRep2)).items.filter((n) => n.type === 'mention' && n.entity?.id === task.id);
    const mentions1 = (await notificationsOf(cRep)).items.filter((n) => n.type === 'mention' && n.entity?.id === task.id);
    expect(mentions2).toHaveLength(1);
    expect(mentions1).toHaveLength(1);
    expect(mentions1[0]!.title).toContain('Mary Manager');
  });

  it.each([
    [{}, 'title'],
    [{ title: '   ' }, 'title'],
    [{ title: 'x'.repeat(TASK_TITLE_MAX + 1) }, 'title'],
    [{ title: 'ok', description: 'x'.repeat(TASK_DESCRIPTION_MAX + 1) }, 'description'],
    [{ title: 'ok', dueAt: 'tomorrow' }, 'dueAt'],
    [{ title: 'ok', dueAt: '2026-02-30T10:00:00Z' }, 'dueAt'],
    [{ title: 'ok', dueAt: '2026-03-10T10:00:00' }, 'dueAt'],
    [{ title: 'ok', assigneeId: 'not-a-uuid' }, 'assigneeId'],
    [{ title: 'ok', assigneeId: '00000000-0000-4000-8000-000000000000' }, 'assigneeId'],
    [{ title: 'ok', customerId: '00000000-0000-4000-8000-000000000000' }, 'customerId'],
    [{ title: 'ok', extra: 1 }, ''],
  ])('refuses bad input %j and creates nothing', async (body, field) => {
    const before = await taskCount();
    const err = await errorOf(await req('POST', '/api/tasks', cRep, body));
    expect(err.status).toBe(400);
    expect(err.code).toBe('validation');
    if (field) expect(err.field).toBe(field);
    expect(await taskCount()).toBe(before);
  });

  it('refuses an assignee or a customer of another team', async () => {
    const before = await taskCount();
    const e1 = await errorOf(await req('POST', '/api/tasks', cRep, { title: 'x', assigneeId: outsider.id }));
    expect(e1).toMatchObject({ status: 400, field: 'assigneeId' });
    const e2 = await errorOf(await req('POST', '/api/tasks', cRep, { title: 'x', customerId: customerB }));
    expect(e2).toMatchObject({ status: 400, field: 'customerId' });
    expect(await taskCount()).toBe(before);
    expect((await notificationsOf(cOutsider)).items).toHaveLength(0);
  });

  it('refuses non-JSON, unauthenticated and cross-origin requests', async () => {
    expect((await t.app.request('/api/tasks', { method: 'POST', headers: { cookie: cRep, origin: 'http://localhost' }, body: 'x' })).status).toBe(415);
    expect((await t.app.request('/api/tasks', jsonRequest('POST', { title: 'x' }))).status).toBe(401);
    const res = await t.app.request('/api/tasks', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cRep, origin: 'http://evil.example' },
      body: JSON.stringify({ title: 'x' }),
    });
    expect(res.status).toBe(403);
  });
});

describe('changing tasks', () => {
  it('reassigning notifies the new assignee once, and re-saving the same assignee does not', async () => {
    const task = await create(cManager, { title: 'Renewal call' });
    const before = (await notificationsOf(cRep)).items.length;
    const res = await req('PATCH', `/api/tasks/${task.id}`, cManager, { assigneeId: rep.id });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { task: TaskDto }).task.assigneeId).toBe(rep.id);
    expect((await notificationsOf(cRep)).items.length).toBe(before + 1);
    await req('PATCH', `/api/tasks/${task.id}`, cManager, { assigneeId: rep.id, title: 'Renewal call (2)' });
    expect((await notificationsOf(cRep)).items.length).toBe(before + 1);
  });

  it('done and reopen', async () => {
    const task = await create(cRep, { title: 'Finish me' });
    const done = (await (await req('POST', `/api/tasks/${task.id}/done`, cRep)).json()) as { task: TaskDto };
    expect(done.task).toMatchObject({ done: true, doneAt: clock.toISOString() });
    const open = (await (await req('POST', `/api/tasks/${task.id}/reopen`, cRep)).json()) as { task: TaskDto };
    expect(open.task).toMatchObject({ done: false, doneAt: null });
  });

  it('another team gets 404 for read, change, done; a rep who is neither assignee nor creator gets 403', async () => {
    const task = await create(cManager, { title: 'Private to team A', assigneeId: rep.id });
    for (const [method, path, body] of [
      ['GET', `/api/tasks/${task.id}`, undefined],
      ['PATCH', `/api/tasks/${task.id}`, { title: 'hijack' }],
      ['POST', `/api/tasks/${task.id}/done`, {}],
      ['POST', `/api/tasks/${task.id}/reopen`, {}],
    ] as const) {
      expect((await req(method, path, cOutsider, body)).status).toBe(404);
    }
    expect((await req('PATCH', `/api/tasks/${task.id}`, cRep2, { title: 'not mine' })).status).toBe(403);
    expect((await req('GET', `/api/tasks/${task.id}`, cRep2)).status).toBe(200);
    const after = (await (await req('GET', `/api/tasks/${task.id}`, cRep)).json()) as { task: TaskDto };
    expect(after.task.title).toBe('Private to team A');
    expect(after.task.done).toBe(false);
  });

  it('refuses bad changes and leaves the task as it was', async () => {
    const task = await create(cRep, { title: 'Stable', customerId: customerA });
    for (const [body, field] of [
      [{ title: '' }, 'title'],
      [{ dueAt: 'soon' }, 'dueAt'],
      [{ assigneeId: outsider.id }, 'assigneeId'],
      [{ customerId: customerB }, 'customerId'],
    ] as const) {
      const err = await errorOf(await req('PATCH', `/api/tasks/${task.id}`, cRep, body));
      expect(err).toMatchObject({ status: 400, field });
    }
    const after = (await (await req('GET', `/api/tasks/${task.id}`, cRep)).json()) as { task: TaskDto };
    expect(after.task).toMatchObject({ title: 'Stable', customerId: customerA, assigneeId: rep.id });
    expect((await req('PATCH', '/api/tasks/not-a-uuid', cRep, { title: 'x' })).status).toBe(400);
    expect((await req('PATCH', '/api/tasks/00000000-0000-4000-8000-000000000000', cRep, { title: 'x' })).status).toBe(404);
  });
});

describe('listing', () => {
  it('scope=mine, scope=team, status and customer filters stay inside the team', async () => {
    const mine = (await (await req('GET', '/api/tasks?scope=mine', cRep)).json()) as TaskListDto;
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((x) => x.assigneeId === rep.id && !x.done)).toBe(true);
    const team = (await (await req('GET', '/api/tasks?scope=team&status=all', cRep)).json()) as TaskListDto;
    expect(team.items.some((x) => x.assigneeId === rep2.id)).toBe(true);
    expect(team.items.every((x) => x.teamId === teamA)).toBe(true);
    const byCustomer = (await (await req('GET', `/api/tasks?scope=team&customerId=${customerA}`, cRep)).json()) as TaskListDto;
    expect(byCustomer.items.length).toBeGreaterThan(0);
    expect(byCustomer.items.every((x) => x.customerId === customerA)).toBe(true);
    const outsiders = (await (await req('GET', `/api/tasks?scope=team&status=all&customerId=${customerA}`, cOutsider)).json()) as TaskListDto;
    expect(outsiders.items).toHaveLength(0);
    expect((await req('GET', '/api/tasks?scope=everyone', cRep)).status).toBe(400);
    expect((await req('GET', '/api/tasks?limit=100000', cRep)).status).toBe(400);
  });

  it('pages with nextCursor', async () => {
    const first = (await (await req('GET', '/api/tasks?scope=team&status=all&limit=2', cRep)).json()) as TaskListDto;
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = (await (await req('GET', `/api/tasks?scope=team&status=all&limit=2&before=${first.nextCursor}`, cRep)).json()) as TaskListDto;
    expect(second.items.map((x) => x.id)).not.toContain(first.items[0]!.id);
    expect((await req('GET', '/api/tasks?before=abc', cRep)).status).toBe(400);
  });
});

describe('my day', () => {
  it('splits open tasks into overdue, today and upcoming in the given time zone', async () => {
    const t2 = await createTestContext();
    try {
      const team = await seedTeam(t2.ctx);
      const u = await seedUser(t2.ctx, { teamId: team.id });
      const cookie = await login(t2.app, u.email);
      // 2026-03-10T20:00Z is 2026-03-11 04:00 in Shanghai: "today" there ends at 2026-03-11T16:00Z.
      const now = new Date('2026-03-10T20:00:00.000Z');
      t2.ctx.now = () => now;
      const mk = async (title: string, dueAt: string | null) => {
        const res = await t2.app.request('/api/tasks', jsonRequest('POST', { title, dueAt }, cookie));
        expect(res.status).toBe(201);
      };
      await mk('late', '2026-03-10T19:00:00Z');
      await mk('tonight utc', '2026-03-10T23:00:00Z');
      await mk('shanghai afternoon', '2026-03-11T08:00:00Z');
      await mk('shanghai tomorrow', '2026-03-11T17:00:00Z');
      await mk('someday', null);
      const get = async (tz?: string) => {
        const res = await t2.app.request(`/api/tasks/my-day${tz ? `?tz=${encodeURIComponent(tz)}` : ''}`, { headers: { cookie } });
        expect(res.status).toBe(200);
        return (await res.json()) as MyDayDto;
      };
      const sh = await get('Asia/Shanghai');
      expect(sh.dayStart).toBe('2026-03-10T16:00:00.000Z');
      expect(sh.dayEnd).toBe('2026-03-11T16:00:00.000Z');
      expect(sh.overdue.map((x) => x.title)).toEqual(['late']);
      expect(sh.today.map((x) => x.title)).toEqual(['tonight utc', 'shanghai afternoon']);
      expect(sh.upcoming.map((x) => x.title)).toEqual(['shanghai tomorrow', 'someday']);
      const utc = await get();
      expect(utc.timeZone).toBe('UTC');
      expect(utc.today.map((x) => x.title)).toEqual(['tonight utc']);
      expect(utc.upcoming.map((x) => x.title)).toEqual(['shanghai afternoon', 'shanghai tomorrow', 'someday']);
      const ny = await get('America/New_York');
      expect(ny.dayStart).toBe('2026-03-10T04:00:00.000Z');
      for (const bad of ['Mars/Olympus', '../etc', 'x'.repeat(100)]) {
        const res = await t2.app.request(`/api/tasks/my-day?tz=${encodeURIComponent(bad)}`, { headers: { cookie } });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { field: string } }).error.field).toBe('tz');
      }
    } finally {
      await t2.close();
    }
  });
});

describe('reminders without a socket server', () => {
  it('are stored for the assignee, once, and never for someone who left the team', async () => {
    const stayer = await seedUser(t.ctx, { teamId: teamA, name: 'Stella Stayer' });
    const leaver = await seedUser(t.ctx, { teamId: teamA, name: 'Leo Leaver' });
    const due = new Date(clock.getTime() - 60_000).toISOString();
    const kept = await create(cManager, { title: 'Overdue for Stella', assigneeId: stayer.id, dueAt: due });
    const left = await create(cManager, { title: 'Overdue for Leo', assigneeId: leaver.id, dueAt: due });
    await t.ctx.db.updateTable('users').set({ team_id: teamB }).where('id', '=', leaver.id).execute();
    await runReminderPass(t.ctx);
    await runReminderPass(t.ctx);
    const reminders = await t.ctx.db
      .selectFrom('notifications')
      .select(['recipient_id', 'entity_id', 'title'])
      .where('type', '=', 'reminder')
      .where('entity_id', 'in', [kept.id, left.id])
      .execute();
    expect(reminders).toEqual([{ recipient_id: stayer.id, entity_id: kept.id, title: 'Task overdue: Overdue for Stella' }]);
    const leftRow = await t.ctx.db.selectFrom('tasks').select('overdue_reminded_at').where('id', '=', left.id).executeTakeFirstOrThrow();
    expect(leftRow.overdue_reminded_at).not.toBeNull();
  });
});
