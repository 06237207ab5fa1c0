/**
 * Notification latency: 1,000 Socket.IO connections (100 users × 10 tabs) on
 * loopback, then owner changes; for each arrival of the resulting
 * `notification` in a tab, the time since the change committed (the moment
 * the notifier hands it to Socket.IO, right after COMMIT) and since the
 * change was requested. The sockets live in a child process (the load
 * generator); the server runs here. Target: p99 ≤ 50 ms from commit.
 *
 *   tsx test/bench/notify.bench.ts [--quick] [--db=pglite,postgres]
 *
 * PostgreSQL: a fresh database is created (and dropped) on BENCH_DATABASE_URL,
 * TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres.
 */
import { fork } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createSession } from '../../server/auth/session.service.ts';
import { bootstrap } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import type { AppContext } from '../../server/context.ts';
import { createLogger } from '../../server/logger.ts';
import { notifyAssignment } from '../../server/notifications/assignment.ts';
import { withNotifications } from '../../server/notifications/notifier.ts';
import { startServer } from '../../server/server.ts';
import { createPostgresDatabase, seedTeam, seedUser } from '../helpers/context.ts';
import { benchPostgresUrl } from './hub/tandem-defaults.ts';
import type { Arrival, LoadToParent, ParentToLoad } from './notify/ipc.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const USERS = 100;
const TABS_PER_USER = 10;
const READY_TIMEOUT_MS = 120_000;
/** After the last change, how long to wait for stragglers before counting them lost. */
const DRAIN_TIMEOUT_MS = 30_000;
const REPORT_POLL_MS = 100;
const TARGET_P99_MS = 50;

type Kind = 'task-rest' | 'customer-projection';
interface Scenario {
  label: string;
  kind: Kind;
  changes: number;
  concurrency: number;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const dbArg = args.find((a) => a.startsWith('--db='))?.slice(5) ?? 'pglite,postgres';
const engines = dbArg.split(',').filter((e): e is 'pglite' | 'postgres' => e === 'pglite' || e === 'postgres');

const scenarios: Scenario[] = [
  { label: 'task reassigned (REST), one at a time', kind: 'task-rest', changes: quick ? 60 : 300, concurrency: 1 },
  { label: 'task reassigned (REST), 20 in flight', kind: 'task-rest', changes: quick ? 100 : 600, concurrency: 20 },
  { label: 'customer owner change (projection path)', kind: 'customer-projection', changes: quick ? 60 : 300, concurrency: 1 },
];

const now = () => performance.timeOrigin + performance.now();

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function withDatabase<T>(engine: 'pglite' | 'postgres', fn: (url: string) => Promise<T>): Promise<T> {
  if (engine === 'pglite') return fn('memory://');
  const database = await createPostgresDatabase(benchPostgresUrl(), 'tandem_bench');
  try {
    return await fn(database.url);
  } finally {
    await database.drop();
  }
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function runEngine(engine: 'pglite' | 'postgres'): Promise<string[][]> {
  return withDatabase(engine, async (url) => {
    const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), databaseUrl: url };
    const { ctx, close } = await bootstrap(config, createLogger('silent'));
    const running = await startServer(ctx, { port: 0, host: '127.0.0.1', reminders: { enabled: false } });
    const committedAt = new Map<string, number>();
    ctx.notifier.wrapTransport((inner) => ({
      sendNotification(recipientId, n) {
        if (n.entity) committedAt.set(n.entity.id, now());
        inner.sendNotification(recipientId, n);
      },
      sendRead: (userId, e) => inner.sendRead(userId, e),
    }));

    const team = await seedTeam(ctx);
    const manager = await seedUser(ctx, { role: 'manager', teamId: team.id, name: 'Bench Manager' });
    const reps = [];
    for (let i = 0; i < USERS; i++) reps.push(await seedUser(ctx, { teamId: team.id, name: `Rep ${i}` }));
    const cookieOf = async (userId: string) => `session=${(await createSession(ctx.db, userId, ctx.now())).token}`;
    const managerCookie = await cookieOf(manager.id);
    const cookies = await Promise.all(reps.map((r) => cookieOf(r.id)));

    const child = fork(resolve(HERE, 'notify/load.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    const inbox: LoadToParent[] = [];
    let wake: (() => void) | null = null;
    child.on('message', (m: LoadToParent) => {
      inbox.push(m);
      wake?.();
    });
    const tell = (m: ParentToLoad) => child.send(m);
    const receive = async (type: LoadToParent['type'], timeoutMs: number): Promise<LoadToParent> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = inbox.findIndex((m) => m.type === type || m.type === 'error');
        if (i >= 0) {
          const m = inbox.splice(i, 1)[0]!;
          if (m.type === 'error') throw new Error(`load generator: ${m.message}`);
          return m;
        }
        if (Date.now() > deadline) throw new Error(`load generator: no ${type} in time`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, REPORT_POLL_MS);
        });
      }
    };

    const rows: string[][] = [];
    try {
      tell({ type: 'start', config: { url: running.url, cookies, tabsPerUser: TABS_PER_USER } });
      const ready = await receive('ready', READY_TIMEOUT_MS);
      if (ready.type !== 'ready') throw new Error('unexpected');
      process.stdout.write(`${engine}: ${ready.sockets} sockets connected in ${Math.round(ready.connectMs)} ms\n`);

      for (const scenario of scenarios) {
        committedAt.clear();
        const requestedAt = new Map<string, number>();
        const ids: { id: string; rep: (typeof reps)[number] }[] = [];
        for (let i = 0; i < scenario.changes; i++) {
          const rep = reps[i % USERS]!;
          const id =
            scenario.kind === 'task-rest'
              ? (
                  await ctx.db
                    .insertInto('tasks')
                    .values({ team_id: team.id, title: `Bench task ${i}`, assignee_id: manager.id, created_by: manager.id, due_at: null, customer_id: null, opportunity_id: null, done_at: null, due_soon_reminded_at: null, overdue_reminded_at: null })
                    .returning('id')
                    .executeTakeFirstOrThrow()
                ).id
              : (await ctx.db.insertInto('customers').values({ team_id: team.id, name: `Bench customer ${i}`, owner_id: manager.id }).returning('id').executeTakeFirstOrThrow()).id;
          ids.push({ id, rep });
        }
        await pool(ids, scenario.concurrency, async ({ id, rep }) => {
          requestedAt.set(id, now());
          if (scenario.kind === 'task-rest') {
            const res = await fetch(`${running.url}/api/tasks/${id}`, {
              method: 'PATCH',
              headers: { 'content-type': 'application/json', origin: running.url, cookie: managerCookie },
              body: JSON.stringify({ assigneeId: rep.id }),
            });
            if (res.status !== 200) throw new Error(`PATCH answered ${res.status}`);
            await res.arrayBuffer();
          } else {
            await withNotifications(ctx.db, async (trx, queue) => {
              await trx.updateTable('customers').set({ owner_id: rep.id, updated_at: ctx.now() }).where('id', '=', id).execute();
              queue.add(
                await notifyAssignment(ctx as AppContext, trx, {
                  actorId: manager.id,
                  recipientId: rep.id,
                  previousRecipientId: manager.id,
                  teamId: team.id,
                  entity: { type: 'customer', id, name: `Bench customer` },
                }),
              );
            });
            // In the server, each document edit arrives as its own network event; without this turn of
            // the event loop the back-to-back transactions (a promise chain on PGlite) would hold back
            // the sockets' write callbacks and measure the loop rather than the delivery.
            await new Promise((r) => setImmediate(r));
          }
        });

        const expected = scenario.changes * TABS_PER_USER;
        const arrivals: Arrival[] = [];
        const drainUntil = Date.now() + DRAIN_TIMEOUT_MS;
        while (arrivals.length < expected && Date.now() < drainUntil) {
          tell({ type: 'report' });
          const m = await receive('arrivals', DRAIN_TIMEOUT_MS);
          if (m.type === 'arrivals') arrivals.push(...m.arrivals);
          if (arrivals.length < expected) await new Promise((r) => setTimeout(r, REPORT_POLL_MS));
        }
        const fromCommit = arrivals.map((a) => a.at - committedAt.get(a.entityId)!).sort((a, b) => a - b);
        const fromRequest = arrivals.map((a) => a.at - requestedAt.get(a.entityId)!).sort((a, b) => a - b);
        const f = (v: number) => v.toFixed(1);
        const p99 = percentile(fromCommit, 99);
        rows.push([
          `${engine}: ${scenario.label}`,
          String(scenario.changes),
          `${arrivals.length}/${expected}`,
          f(percentile(fromCommit, 50)),
          f(p99),
          f(fromCommit.at(-1) ?? Number.NaN),
          f(percentile(fromRequest, 50)),
          f(percentile(fromRequest, 99)),
          p99 <= TARGET_P99_MS && arrivals.length === expected ? 'yes' : 'NO',
        ]);
      }
    } finally {
      tell({ type: 'stop' });
      await new Promise<void>((r) => {
        if (child.exitCode !== null) r();
        else child.once('exit', () => r());
      });
      await running.close();
      await close();
    }
    return rows;
  });
}

const allRows: string[][] = [];
for (const engine of engines) allRows.push(...(await runEngine(engine)));
process.stdout.write(
  `\nNotification latency, ${USERS} users × ${TABS_PER_USER} tabs = ${USERS * TABS_PER_USER} sockets on loopback; ${cpus().length} CPU(s) ${cpus()[0]?.model ?? ''}\n` +
    'ms; "commit" = change committed and handed to Socket.IO; "request" = HTTP request (or transaction) started\n\n',
);
process.stdout.write(
  `${table(['scenario', 'changes', 'arrivals', 'commit p50', 'commit p99', 'commit max', 'request p50', 'request p99', `p99≤${TARGET_P99_MS}`], allRows)}\n`,
);
