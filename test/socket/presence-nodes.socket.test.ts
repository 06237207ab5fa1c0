/**
 * Presence over two nodes on one database and one Redis: lists span both
 * nodes, a user with tabs on both counts once, leaves and disconnects on one
 * node reach the other; with Redis gone, presence still answers from the
 * node's own sockets, and once Redis is back the lists span both nodes again.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceEventDto } from '../../schema/wire/socket-events.ts';
import type { AppContext } from '../../server/context.ts';
import { createLogger } from '../../server/logger.ts';
import { Notifier } from '../../server/notifications/notifier.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import { PRESENCE_QUERY_TIMEOUT_MS, PRESENCE_SETTLE_MS } from '../../server/socket/presence.handlers.ts';
import type { User } from '../../server/users/user.ts';
import { createTestContext, login, seedTeam, seedUser, type TestContext } from '../helpers/context.ts';
import { PrivateRedis } from '../helpers/cluster.ts';
import { type SharedRedis, sharedRedis } from '../helpers/redis.ts';
import { type ClientSocket, connect, emitWithAck, Recorder } from './socket-helpers.ts';

let t: TestContext;
let ann: User;
let bob: User;
let cat: User;
let zoe: User;
let cookies: Record<'ann' | 'bob' | 'cat' | 'zoe', string>;
let teamA: string;
const sockets: ClientSocket[] = [];

const names = (e: PresenceEventDto) => e.users.map((u) => u.name);
/** Lists broadcast through Redis reach the sockets in the room when they are read, so an older list may arrive late: wait for the one expected. */
const listed = (...expected: string[]) => (e: PresenceEventDto) => names(e).join() === expected.join();

/** Log records of one node, to see what it warned about. */
class LogRecords extends Writable {
  readonly records: Array<{ level: number; msg: string }> = [];
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.records.push(JSON.parse(chunk.toString()));
    done();
  }
}

/** Two nodes on the test database, each with its own notifier and Socket.IO server, as two processes would have. */
async function startNodes(redisUrl: string, redisPrefix: string, logs?: LogRecords): Promise<[RunningServer, RunningServer]> {
  const nodes: RunningServer[] = [];
  for (let i = 0; i < 2; i++) {
    const log = logs && i === 0 ? createLogger('info', logs) : t.ctx.log;
    const ctx: AppContext = { ...t.ctx, log, config: { ...t.ctx.config, redisPrefix }, notifier: new Notifier(log) };
    nodes.push(await startServer(ctx, { port: 0, host: '127.0.0.1', reminders: { enabled: false }, socket: { redisUrl } }));
  }
  return nodes as [RunningServer, RunningServer];
}

async function tab(node: RunningServer, cookie: string): Promise<ClientSocket> {
  const socket = await connect(node.url, cookie);
  sockets.push(socket);
  return socket;
}

async function newCustomer(): Promise<string> {
  const row = await t.ctx.db.insertInto('customers').values({ team_id: teamA, name: 'C' }).returning('id').executeTakeFirstOrThrow();
  return `customer:${row.id}`;
}

beforeAll(async () => {
  t = await createTestContext();
  teamA = (await seedTeam(t.ctx)).id;
  ann = await seedUser(t.ctx, { teamId: teamA, name: 'Ann' });
  bob = await seedUser(t.ctx, { teamId: teamA, name: 'Bob' });
  cat = await seedUser(t.ctx, { teamId: teamA, name: 'Cat' });
  zoe = await seedUser(t.ctx, { teamId: (await seedTeam(t.ctx)).id, name: 'Zoe' });
  cookies = {
    ann: await login(t.app, ann.email),
    bob: await login(t.app, bob.email),
    cat: await login(t.app, cat.email),
    zoe: await login(t.app, zoe.email),
  };
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t?.close();
});

describe('presence over two nodes (shared Redis)', () => {
  let redis: SharedRedis;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    redis = sharedRedis();
    [a, b] = await startNodes(redis.url, redis.prefix);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.cleanup();
  });

  it('users on node A and node B see each other; a user with tabs on both counts once; leaves and disconnects reach the other node', async () => {
    const resource = await newCustomer();
    const annOnA = await tab(a, cookies.ann);
    const bobOnB = await tab(b, cookies.bob);
    const seenByAnn = new Recorder(annOnA, 'presence');
    const seenByBob = new Recorder(bobOnB, 'presence');

    expect(await emitWithAck(annOnA, 'presence:join', { resource })).toEqual({ ok: true, data: { resource, users: [{ id: ann.id, name: 'Ann' }] } });
    // Node B asks node A: Bob's answer already holds Ann.
    const bobJoined = await emitWithAck(bobOnB, 'presence:join', { resource });
    expect(bobJoined).toEqual({
      ok: true,
      data: {
        resource,
        users: [
          { id: ann.id, name: 'Ann' },
          { id: bob.id, name: 'Bob' },
        ],
      },
    });
    // The list made on node B reaches Ann on node A.
    await seenByAnn.waitFor(listed('Ann', 'Bob'));

    // A second tab of Bob, on node A: still two users.
    const bobOnA = await tab(a, cookies.bob);
    const second = await emitWithAck(bobOnA, 'presence:join', { resource });
    expect(second.ok && names(second.data)).toEqual(['Ann', 'Bob']);

    // Bob's tab on A closes: Bob is still there through node B.
    const beforeClose = seenByAnn.events.length;
    bobOnA.close();
    // Ann leaves on node A: Bob, on node B, hears it — and Ann never saw a list without Bob before that.
    expect(await emitWithAck(annOnA, 'presence:leave', { resource })).toEqual({ ok: true, data: { resource } });
    await seenByBob.waitFor(listed('Bob'));
    expect(seenByAnn.events.slice(beforeClose).every((e) => names(e).includes('Bob'))).toBe(true);

    // Ann comes back; Bob's last tab (node B) disconnects: Ann, on node A, sees Bob go.
    const back = await emitWithAck(annOnA, 'presence:join', { resource });
    expect(back.ok && names(back.data)).toEqual(['Ann', 'Bob']);
    const mark = seenByAnn.events.length;
    bobOnB.close();
    await seenByAnn.waitFor((e) => listed('Ann')(e) && seenByAnn.events.indexOf(e) >= mark);
  });

  it('team scoping holds across nodes: another team on the same board id sees only itself', async () => {
    const board = 'board:5d2f1c3b-7a4e-4b6c-8d9e-0f1a2b3c4d5e';
    const annOnA = await tab(a, cookies.ann);
    const zoeOnB = await tab(b, cookies.zoe);
    const seenByZoe = new Recorder(zoeOnB, 'presence');
    const fromA = await emitWithAck(annOnA, 'presence:join', { resource: board });
    expect(fromA.ok && names(fromA.data)).toEqual(['Ann']);
    const fromB = await emitWithAck(zoeOnB, 'presence:join', { resource: board });
    expect(fromB.ok && names(fromB.data)).toEqual(['Zoe']);
    // A later join on node A reaches node B's room of Ann's team only: Zoe's events hold only Zoe.
    const bobOnA = await tab(a, cookies.bob);
    await emitWithAck(bobOnA, 'presence:join', { resource: board });
    await emitWithAck(zoeOnB, 'presence:leave', { resource: board });
    await emitWithAck(zoeOnB, 'presence:join', { resource: board });
    await seenByZoe.waitFor();
    expect(seenByZoe.events.every((e) => e.users.every((u) => u.id === zoe.id))).toBe(true);
  });

  it('keeps its Redis keys under REDIS_PREFIX (the Socket.IO stream)', async () => {
    expect(await redis.keys()).toContain(`${redis.prefix}socket.io`);
  });
});

describe('presence while Redis is away', () => {
  let redis: PrivateRedis;
  let a: RunningServer;
  let b: RunningServer;
  const logs = new LogRecords();

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    [a, b] = await startNodes(redis.url, 'tandem-test:', logs);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('answers from the node’s own sockets without an error, warns once, and spans both nodes again when Redis is back', async () => {
    const resource = await newCustomer();
    const annOnA = await tab(a, cookies.ann);
    const bobOnB = await tab(b, cookies.bob);
    const seenByAnn = new Recorder(annOnA, 'presence');
    const seenByBob = new Recorder(bobOnB, 'presence');
    await emitWithAck(annOnA, 'presence:join', { resource });
    const both = await emitWithAck(bobOnB, 'presence:join', { resource });
    expect(both.ok && names(both.data)).toEqual(['Ann', 'Bob']);

    await redis.stop();
    // Cat joins on node A: the list holds node A's users, in time, and Ann hears it at once.
    const catOnA = await tab(a, cookies.cat);
    const started = Date.now();
    const local = await emitWithAck(catOnA, 'presence:join', { resource });
    expect(Date.now() - started).toBeLessThan(PRESENCE_QUERY_TIMEOUT_MS);
    expect(local).toEqual({
      ok: true,
      data: {
        resource,
        users: [
          { id: ann.id, name: 'Ann' },
          { id: cat.id, name: 'Cat' },
        ],
      },
    });
    await seenByAnn.waitFor(listed('Ann', 'Cat'));
    // More changes during the outage: answered too, and still one presence warning.
    expect(await emitWithAck(catOnA, 'presence:leave', { resource })).toEqual({ ok: true, data: { resource } });
    expect((await emitWithAck(catOnA, 'presence:join', { resource })).ok).toBe(true);
    const warnings = logs.records.filter((r) => r.level === 40 && r.msg.startsWith('presence lists'));
    expect(warnings).toHaveLength(1);

    // The outage outlasts the re-check after the last change (which reached node A's tabs only)...
    await new Promise((resolve) => setTimeout(resolve, 2 * PRESENCE_SETTLE_MS));
    expect(seenByBob.events.some((e) => names(e).includes('Cat'))).toBe(false);
    // ...so only the resend after Redis is back tells Bob of Cat.
    await redis.start();
    await seenByBob.waitFor(listed('Ann', 'Bob', 'Cat'));
    await seenByAnn.waitFor(listed('Ann', 'Bob', 'Cat'));
  });
});
