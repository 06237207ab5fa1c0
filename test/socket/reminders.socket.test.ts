/**
 * Reminders fire once: across a restart on the same database, and with two
 * server processes on one database (child processes on PostgreSQL; on the
 * single-process PGlite, two servers in this process sharing its database).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotificationEventDto } from '../../schema/wire/notifications.ts';
import { createApp } from '../../server/app.ts';
import { bootstrap } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import type { AppContext } from '../../server/context.ts';
import { createLogger } from '../../server/logger.ts';
import { Notifier } from '../../server/notifications/notifier.ts';
import { runReminderPass, TASK_DUE_SOON_WINDOW_MS } from '../../server/notifications/reminder-scheduler.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import { createTestDatabase, login, seedTeam, seedUser } from '../helpers/context.ts';
import { type ClientSocket, connect, EVENT_WAIT_MS, Recorder } from './socket-helpers.ts';

const FAST_INTERVAL_MS = 20;
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A database that outlives one server: PostgreSQL, or PGlite in a directory. */
async function durableDatabase(): Promise<{ url: string | undefined; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-reminders-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  if (!onPostgres) return { url: undefined, dataDir };
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return { url: db.url, dataDir };
}

async function openNode(database: { url: string | undefined; dataDir: string }) {
  const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), databaseUrl: database.url, dataDir: database.dataDir };
  const { ctx, close } = await bootstrap(config, createLogger('silent'));
  return { ctx, app: createApp(ctx), close };
}

async function reminderCount(ctx: AppContext, recipientId: string): Promise<number> {
  const r = await ctx.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('recipient_id', '=', recipientId)
    .where('type', '=', 'reminder')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('reminders', () => {
  it('fire once across a restart on the same database', { timeout: 120_000 }, async () => {
    const database = await durableDatabase();
    let clock = new Date('2026-05-04T09:00:00.000Z');

    // First life: seed, start, receive the due-soon and follow-up reminders, stop.
    const first = await openNode(database);
    first.ctx.now = () => clock;
    const team = await seedTeam(first.ctx);
    const rep = await seedUser(first.ctx, { teamId: team.id, name: 'Rena' });
    const cookie = await login(first.app, rep.email);
    let running: RunningServer = await startServer(first.ctx, { port: 0, host: '127.0.0.1', reminders: { intervalMs: FAST_INTERVAL_MS } });
    let socket: ClientSocket = await connect(running.url, cookie);
    const firstLife = new Recorder(socket, 'notification');
    const dueAt = new Date(clock.getTime() + TASK_DUE_SOON_WINDOW_MS / 2);
    const task = await first.ctx.db
      .insertInto('tasks')
      .values({ team_id: team.id, title: 'Call Acme', assignee_id: rep.id, due_at: dueAt, created_by: rep.id, customer_id: null, opportunity_id: null, done_at: null, due_soon_reminded_at: null, overdue_reminded_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const customer = await first.ctx.db
      .insertInto('customers')
      .values({ team_id: team.id, name: '华为', owner_id: rep.id, next_followup_at: new Date(clock.getTime() - 60_000) })
      .returning('id')
      .executeTakeFirstOrThrow();
    // A follow-up date far in the past (imported history) is not reminded.
    await first.ctx.db
      .insertInto('customers')
      .values({ team_id: team.id, name: 'Old', owner_id: rep.id, next_followup_at: new Date('2020-01-01T00:00:00Z') })
      .execute();
    await firstLife.waitFor((n) => n.entity?.id === task.id);
    await firstLife.waitFor((n) => n.entity?.id === customer.id);
    expect(firstLife.events.find((n) => n.entity?.id === task.id)!.title).toBe('Task due soon: Call Acme');
    expect(firstLife.events.find((n) => n.entity?.id === customer.id)!.title).toBe('Time to follow up: 华为');
    socket.close();
    await running.close();
    await first.close();

    // Second life on the same database: nothing fires again until something new is due.
    const second = await openNode(database);
    second.ctx.now = () => clock;
    running = await startServer(second.ctx, { port: 0, host: '127.0.0.1', reminders: { intervalMs: FAST_INTERVAL_MS } });
    cleanups.push(async () => {
      await running.close();
      await second.close();
    });
    socket = await connect(running.url, cookie);
    cleanups.push(() => void socket.close());
    const secondLife = new Recorder(socket, 'notification');
    expect(await runReminderPass(second.ctx)).toBe(0);
    expect(await reminderCount(second.ctx, rep.id)).toBe(2);

    // The task becomes overdue: exactly one more reminder, and it is the overdue one.
    clock = new Date(dueAt.getTime() + 1000);
    const overdue = await secondLife.waitFor();
    expect(overdue).toMatchObject({ type: 'reminder', title: 'Task overdue: Call Acme', entity: { type: 'task', id: task.id } });
    expect(await runReminderPass(second.ctx)).toBe(0);
    expect(await reminderCount(second.ctx, rep.id)).toBe(3);
    expect(secondLife.events).toHaveLength(1);

    // A task completed before it is due never reminds; a moved due time reminds again.
    const cookieApp = cookie;
    const res = await second.app.request(`/api/tasks/${task.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', origin: 'http://localhost', cookie: cookieApp },
      body: JSON.stringify({ dueAt: new Date(clock.getTime() - 60_000).toISOString() }),
    });
    expect(res.status).toBe(200);
    const again = await secondLife.waitFor((n) => secondLife.events.indexOf(n) === 1);
    expect(again.title).toBe('Task overdue: Call Acme');
    expect(await reminderCount(second.ctx, rep.id)).toBe(4);
  });

  it('fire once with two server processes on one database', { timeout: 120_000 }, async () => {
    const TASKS = 240;
    const FOLLOWUPS = 40;
    const database = await durableDatabase();
    const seeder = await openNode(database);
    const team = await seedTeam(seeder.ctx);
    const rep = await seedUser(seeder.ctx, { teamId: team.id });
    const now = new Date();
    await seeder.ctx.db
      .insertInto('tasks')
      .values(
        Array.from({ length: TASKS }, (_, i) => ({
          team_id: team.id,
          title: `Task ${i}`,
          assignee_id: rep.id,
          due_at: new Date(now.getTime() + 86_400_000 + i),
          created_by: rep.id,
          customer_id: null,
          opportunity_id: null,
          done_at: null,
          due_soon_reminded_at: null,
          overdue_reminded_at: null,
        })),
      )
      .execute();
    await seeder.ctx.db
      .insertInto('customers')
      .values(
        Array.from({ length: FOLLOWUPS }, (_, i) => ({
          team_id: team.id,
          name: `Customer ${i}`,
          owner_id: rep.id,
          next_followup_at: new Date(now.getTime() + 86_400_000 + i),
        })),
      )
      .execute();
    const cookie = await login(seeder.app, rep.email);

    // Two nodes, each counting its scheduler passes.
    const passes = [0, 0];
    const fired = [0, 0];
    const onPass = (i: number, n: number) => {
      passes[i]!++;
      fired[i]! += n;
    };
    const urls: string[] = [];
    if (onPostgres) {
      for (let i = 0; i < 2; i++) {
        const child = spawn(process.execPath, ['--import', 'tsx', 'test/socket/fixtures/reminder-node.ts'], {
          env: { ...process.env, DATABASE_URL: database.url, REMINDER_INTERVAL_MS: String(FAST_INTERVAL_MS) },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        cleanups.push(() => stopChild(child));
        urls.push(await childReady(child, (n) => onPass(i, n)));
      }
    } else {
      // PGlite is one process's database: two servers, each with its own notifier and scheduler, share it.
      for (let i = 0; i < 2; i++) {
        const log = createLogger('debug', {
          write: (line: string) => {
            const entry = JSON.parse(line) as { msg?: string; fired?: number };
            if (entry.msg === 'reminder pass') onPass(i, entry.fired ?? 0);
          },
        });
        const ctx: AppContext = { ...seeder.ctx, log, notifier: new Notifier(log) };
        const running = await startServer(ctx, { port: 0, host: '127.0.0.1', reminders: { intervalMs: FAST_INTERVAL_MS } });
        cleanups.push(() => running.close());
        urls.push(running.url);
      }
    }
    cleanups.push(() => seeder.close());

    // The rep has a tab on each node; together they must see each reminder exactly once.
    const received: NotificationEventDto[] = [];
    for (const url of urls) {
      const socket = await connect(url, cookie);
      cleanups.push(() => void socket.close());
      socket.on('notification', (n) => received.push(n));
    }
    // Everything comes due at once, while both nodes are running.
    await seeder.ctx.db.updateTable('tasks').set({ due_at: new Date(Date.now() - 60_000) }).where('team_id', '=', team.id).execute();
    await seeder.ctx.db
      .updateTable('customers')
      .set({ next_followup_at: new Date(Date.now() - 60_000) })
      .where('team_id', '=', team.id)
      .execute();

    await until(async () => (await reminderCount(seeder.ctx, rep.id)) >= TASKS + FOLLOWUPS);
    // Let both schedulers run a few more passes over the now-fired rows.
    const mark = [...passes];
    await until(async () => passes[0]! >= mark[0]! + 3 && passes[1]! >= mark[1]! + 3);

    expect(await reminderCount(seeder.ctx, rep.id)).toBe(TASKS + FOLLOWUPS);
    const perEntity = await seeder.ctx.db
      .selectFrom('notifications')
      .select(['entity_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('recipient_id', '=', rep.id)
      .groupBy('entity_id')
      .execute();
    expect(perEntity).toHaveLength(TASKS + FOLLOWUPS);
    expect(perEntity.every((r) => Number(r.n) === 1)).toBe(true);
    await until(async () => received.length >= TASKS + FOLLOWUPS);
    expect(new Set(received.map((n) => n.id)).size).toBe(TASKS + FOLLOWUPS);
    expect(received).toHaveLength(TASKS + FOLLOWUPS);
    // Every row was claimed by exactly one node: the claims add up to the total.
    expect(fired[0]! + fired[1]!).toBe(TASKS + FOLLOWUPS);
    process.stdout.write(`reminders claimed per node: ${fired.join(' / ')}\n`);
  });
});

/** Polls a condition; fails after EVENT_WAIT_MS * 3. */
async function until(cond: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + EVENT_WAIT_MS * 3;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function childReady(child: ChildProcess, onPass: (fired: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child did not start')), EVENT_WAIT_MS * 3);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let msg: { ready?: number; msg?: string; fired?: number };
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      if (msg.ready) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${msg.ready}`);
      } else if (msg.msg === 'reminder pass') onPass(msg.fired ?? 0);
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
