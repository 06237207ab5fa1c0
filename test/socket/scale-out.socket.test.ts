/**
 * Two nodes on one database and one Redis (REDIS_URL): a notification made on
 * one node reaches the recipient's tabs on the other, read state too, and
 * still no one else. Needs `redis-server` on PATH (started here on a free port).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../server/context.ts';
import { Notifier } from '../../server/notifications/notifier.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import type { User } from '../../server/users/user.ts';
import { freePort } from '../helpers/cluster.ts';
import { createTestContext, login, seedTeam, seedUser, type TestContext } from '../helpers/context.ts';
import { api, type ClientSocket, connect, EVENT_WAIT_MS, Recorder } from './socket-helpers.ts';

let t: TestContext;
let redis: ChildProcess;
let redisUrl: string;
const nodes: RunningServer[] = [];
const sockets: ClientSocket[] = [];
let manager: User;
let rep: User;
let outsider: User;


async function startRedis(): Promise<{ child: ChildProcess; url: string }> {
  const bin = execFileSync('sh', ['-c', 'command -v redis-server || true']).toString().trim();
  if (!bin) throw new Error('redis-server is not installed: install it to run the scale-out test');
  const port = await freePort();
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), EVENT_WAIT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, url: `redis://127.0.0.1:${port}` };
}

beforeAll(async () => {
  ({ child: redis, url: redisUrl } = await startRedis());
  t = await createTestContext();
  for (let i = 0; i < 2; i++) {
    // Each node has its own notifier (its own Socket.IO server), as separate processes would.
    const ctx: AppContext = { ...t.ctx, notifier: new Notifier(t.ctx.log) };
    nodes.push(await startServer(ctx, { port: 0, host: '127.0.0.1', reminders: { enabled: false }, socket: { redisUrl } }));
  }
  const team = await seedTeam(t.ctx);
  manager = await seedUser(t.ctx, { role: 'manager', teamId: team.id });
  rep = await seedUser(t.ctx, { teamId: team.id });
  outsider = await seedUser(t.ctx, { teamId: (await seedTeam(t.ctx)).id });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  for (const n of nodes) await n.close();
  await t?.close();
  if (redis && redis.exitCode === null) {
    await new Promise<void>((resolve) => {
      redis.once('exit', () => resolve());
      redis.kill('SIGTERM');
    });
  }
});

describe('two nodes with the Redis adapter', () => {
  it('a change on node A notifies the recipient’s tabs on both nodes; read state follows; no one else hears it', async () => {
    const [cManager, cRep, cOutsider] = [await login(t.app, manager.email), await login(t.app, rep.email), await login(t.app, outsider.email)];
    const [a, b] = nodes as [RunningServer, RunningServer];
    const repOnA = await connect(a.url, cRep);
    const repOnB = await connect(b.url, cRep);
    const outsiderOnB = await connect(b.url, cOutsider);
    const managerOnB = await connect(b.url, cManager);
    sockets.push(repOnA, repOnB, outsiderOnB, managerOnB);
    const gotA = new Recorder(repOnA, 'notification');
    const gotB = new Recorder(repOnB, 'notification');
    const readB = new Recorder(repOnB, 'notifications:read');
    const gotOutsider = new Recorder(outsiderOnB, 'notification');
    const gotManager = new Recorder(managerOnB, 'notification');

    const res = await api(a.url, 'POST', '/api/tasks', cManager, { title: 'Cross-node task', assigneeId: rep.id });
    expect(res.status).toBe(201);
    const [na, nb] = await Promise.all([gotA.waitFor(), gotB.waitFor()]);
    expect(nb).toEqual(na);
    expect(nb.title).toContain('Cross-node task');

    expect((await api(a.url, 'POST', `/api/notifications/${nb.id}/read`, cRep, {})).status).toBe(200);
    expect(await readB.waitFor()).toMatchObject({ ids: [nb.id], unread: 0 });

    // Sentinels through node A for the outsider and the manager: they arrive after anything sent before.
    const outsiderManager = await seedUser(t.ctx, { role: 'manager', teamId: outsider.teamId });
    await api(a.url, 'POST', '/api/tasks', await login(t.app, outsiderManager.email), { title: 'sentinel o', assigneeId: outsider.id });
    await api(a.url, 'POST', '/api/tasks', cRep, { title: 'sentinel m', assigneeId: manager.id });
    await Promise.all([gotOutsider.waitFor(), gotManager.waitFor()]);
    expect(gotOutsider.events.map((e) => e.title)).toEqual([expect.stringContaining('sentinel o')]);
    expect(gotManager.events.map((e) => e.title)).toEqual([expect.stringContaining('sentinel m')]);
    expect(gotB.events).toHaveLength(1);
  });
});
