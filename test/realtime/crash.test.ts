/**
 * Durability across a crash: the server runs in a child process and is
 * killed with SIGKILL while several clients edit; restarted on the same
 * database, the clients reconnect and every edit of every client is there.
 * On PGlite on disk, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import { bootstrap } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { loadStoredDoc } from '../../server/realtime/doc-store.repository.ts';
import type { User } from '../../server/users/user.ts';
import { freePort } from '../helpers/cluster.ts';
import { createTestDatabase, seedTeam, seedUser, TEST_PASSWORD, type TestDatabase } from '../helpers/context.ts';
import { type Client, connect, newFollowup, seedCustomerDoc, until } from './realtime-helpers.ts';

const CLIENTS = 4;
const EDIT_EVERY_MS = 15;
/** Opening and migrating PGlite on disk is slow on a busy machine. */
const SERVER_START_GIVE_UP_MS = 120_000;

let dataDir: string;
let database: TestDatabase | null = null;
let env: Record<string, string>;
let port: number;
let child: ChildProcess | null = null;


async function startChild(): Promise<void> {
  child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const c = child;
  await until(async () => {
    if (c.exitCode !== null) throw new Error(`the server exited with ${c.exitCode} before it was ready`);
    try {
      return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
    } catch {
      return false;
    }
  }, 'server ready', 100, SERVER_START_GIVE_UP_MS);
}

function stopChild(signal: NodeJS.Signals): Promise<void> {
  const c = child;
  child = null;
  if (!c || c.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    c.once('exit', () => resolve());
    c.kill(signal);
  });
}

async function withContext<T>(fn: (ctx: Awaited<ReturnType<typeof bootstrap>>['ctx']) => Promise<T>): Promise<T> {
  const config = loadConfig(env);
  const { ctx, close } = await bootstrap(config, createLogger('silent'));
  try {
    return await fn(ctx);
  } finally {
    await close();
  }
}

async function signIn(email: string): Promise<string> {
  const origin = `http://127.0.0.1:${port}`;
  const res = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email, password: TEST_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return res.headers.get('set-cookie')!.match(/session=[^;]+/)![0];
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tandem-crash-'));
  if (process.env.TEST_DATABASE_URL) database = await createTestDatabase();
  port = await freePort();
  env = {
    DATABASE_URL: database?.url ?? '',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: String(port),
    DOC_COMPACT_AFTER: '25',
  };
});
afterAll(async () => {
  await stopChild('SIGKILL');
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const idsOf = (doc: Y.Doc) =>
  new Set(
    doc
      .getArray<Y.Map<unknown>>(CUSTOMER_ROOTS.followups)
      .toArray()
      .map((m) => m.get('id') as string),
  );

describe('a crash (SIGKILL) in the middle of edits', () => {
  it('loses no edit of any client once they reconnect to the restarted server', async () => {
    const { users, customerId } = await withContext(async (ctx) => {
      const team = await seedTeam(ctx);
      const users: User[] = [];
      for (let i = 0; i < CLIENTS; i++) users.push(await seedUser(ctx, { role: 'rep', teamId: team.id }));
      const customerId = await seedCustomerDoc(ctx, team.id, users[0]!, 'Crash Test Co');
      return { users, customerId };
    });
    await startChild();
    const name = customerDocName(customerId);
    const wsBase = `ws://127.0.0.1:${port}/yjs`;
    const cookies = await Promise.all(users.map((u) => signIn(u.email)));
    const clients: Client[] = cookies.map((cookie) => connect(wsBase, name, cookie));
    await Promise.all(clients.map((c) => c.synced()));

    // Each client adds follow-ups one by one: 40 while the server is up, is killed and restarts
    // (those made while it is down wait in the client), then 15 more once it is back.
    const written: string[][] = users.map(() => []);
    let limit = 40;
    let finished = false;
    const loops = clients.map(async (c, i) => {
      let n = 0;
      while (!finished || n < limit) {
        if (n >= limit) {
          await new Promise((r) => setTimeout(r, EDIT_EVERY_MS));
          continue;
        }
        const entry = newFollowup(users[i]!.id, `client ${i} edit ${n}`);
        entry.set('id', `c${i}-${n}`);
        c.doc.getArray(CUSTOMER_ROOTS.followups).push([entry]);
        written[i]!.push(`c${i}-${n}`);
        n++;
        await new Promise((r) => setTimeout(r, EDIT_EVERY_MS));
      }
    });

    await new Promise((r) => setTimeout(r, 300));
    await stopChild('SIGKILL');
    await startChild();
    limit = 55;
    finished = true;
    await Promise.all(loops);

    const all = written.flat();
    expect(all.length).toBe(CLIENTS * 55);
    await until(
      () => clients.every((c) => c.provider.synced && all.every((id) => idsOf(c.doc).has(id))),
      'every client has every edit',
      50,
      60_000,
    );
    const fresh = connect(wsBase, name, cookies[0]!);
    await fresh.synced();
    expect([...idsOf(fresh.doc)].sort()).toEqual([...all].sort());
    for (const c of [...clients, fresh]) c.destroy();

    // SIGTERM flushes; the storage alone holds everything, once each.
    await stopChild('SIGTERM');
    const stored = await withContext((ctx) => loadStoredDoc(ctx.db, name));
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(doc, u);
    expect(doc.getArray(CUSTOMER_ROOTS.followups).length).toBe(all.length);
    expect([...idsOf(doc)].sort()).toEqual([...all].sort());
    expect(doc.getMap(CUSTOMER_ROOTS.fields).get('name')).toBe('Crash Test Co');
  }, 400_000);
});
