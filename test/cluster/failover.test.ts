/**
 * Failures with two nodes on one PostgreSQL database:
 * - a node killed with SIGKILL while clients edit: its clients reconnect
 *   through the balancer to the other node and no edit is lost;
 * - Redis stopped and started again while clients on both nodes edit: each
 *   node keeps serving its own clients, reports not ready, and once Redis is
 *   back every client converges. This Redis is the test's own, on a port of
 *   its own, so that stopping it disturbs nothing else.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import { loadStoredDoc } from '../../server/realtime/doc-store.repository.ts';
import type { User } from '../../server/users/user.ts';
import { type Balancer, type Cluster, PrivateRedis, startBalancer, startCluster } from '../helpers/cluster.ts';
import { seedTeam, seedUser } from '../helpers/context.ts';
import { type Client, connect, followupIds, newFollowup, seedCustomer, until } from '../realtime/realtime-helpers.ts';

const EDIT_EVERY_MS = 20;
const clients: Client[] = [];
const stops: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const stop of stops.reverse()) await stop();
}, 60_000);

async function seed(cluster: Cluster, people: number): Promise<{ users: User[]; customerId: string }> {
  return cluster.withContext(async (ctx) => {
    const team = await seedTeam(ctx);
    const users: User[] = [];
    for (let i = 0; i < people; i++) users.push(await seedUser(ctx, { teamId: team.id }));
    return { users, customerId: await seedCustomer(ctx, team.id, 'Failover Co') };
  });
}

/** Each client adds follow-ups every EDIT_EVERY_MS until `stop()`; `written` lists them all. */
function editLoop(cs: Client[], users: User[], tag: string) {
  const written: string[] = [];
  let running = true;
  const loops = cs.map(async (c, i) => {
    for (let n = 0; running; n++) {
      const entry = newFollowup(users[i]!.id, `${tag} client ${i} edit ${n}`);
      entry.set('id', `${tag}-c${i}-${n}`);
      c.doc.getArray(CUSTOMER_ROOTS.followups).push([entry]);
      written.push(`${tag}-c${i}-${n}`);
      await new Promise((r) => setTimeout(r, EDIT_EVERY_MS));
    }
  });
  return {
    written,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function storedIds(cluster: Cluster, name: string): Promise<string[]> {
  const stored = await cluster.withContext((ctx) => loadStoredDoc(ctx.db, name));
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return followupIds(doc);
}

describe('two nodes, one killed', () => {
  let cluster: Cluster;
  let balancer: Balancer;

  it('its clients reconnect to the other node through the balancer and nothing is lost', async () => {
    cluster = await startCluster({ nodes: 2, env: { DOC_COMPACT_AFTER: '40' } });
    stops.push(() => cluster.stop());
    const [n1, n2] = cluster.nodes as [NonNullable<(typeof cluster.nodes)[0]>, NonNullable<(typeof cluster.nodes)[1]>];
    // Node 1 first: the balancer sends everyone there while it lives.
    balancer = await startBalancer([n1, n2]);
    stops.push(() => balancer.close());
    const { users, customerId } = await seed(cluster, 4);
    const name = customerDocName(customerId);
    const cookies = await Promise.all(users.map((u) => n2.signIn(u.email)));
    // Two clients through the balancer (on node 1), two straight on node 2.
    const cs = [
      connect(balancer.wsBase, name, cookies[0]!),
      connect(balancer.wsBase, name, cookies[1]!),
      connect(n2.wsBase, name, cookies[2]!),
      connect(n2.wsBase, name, cookies[3]!),
    ];
    clients.push(...cs);
    await Promise.all(cs.map((c) => c.synced()));

    const edits = editLoop(cs, users, 'kill');
    await new Promise((r) => setTimeout(r, 600));
    await n1.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 600));
    await edits.stop();

    const all = [...edits.written].sort();
    await until(() => cs.every((c) => c.provider.wsconnected && c.provider.synced), 'every client connected again');
    await until(() => cs.every((c) => followupIds(c.doc).length === all.length), 'every client has every edit', 50, 60_000);
    for (const c of cs) expect(followupIds(c.doc)).toEqual(all);
    await until(async () => (await storedIds(cluster, name)).length === all.length, 'the store has every edit', 100, 30_000);
    expect(await storedIds(cluster, name)).toEqual(all);
  }, 240_000);
});

describe('Redis stopped and started again during edits', () => {
  it('each node serves its own clients meanwhile; once Redis is back everyone converges', async () => {
    const redis = await PrivateRedis.start();
    stops.push(() => redis.stop());
    const cluster = await startCluster({ nodes: 2, redisUrl: redis.url });
    stops.push(() => cluster.stop());
    const [n1, n2] = cluster.nodes as [NonNullable<(typeof cluster.nodes)[0]>, NonNullable<(typeof cluster.nodes)[1]>];
    const { users, customerId } = await seed(cluster, 3);
    const name = customerDocName(customerId);
    const cookies = await Promise.all(users.map((u) => n1.signIn(u.email)));
    const a = connect(n1.wsBase, name, cookies[0]!);
    const aWatcher = connect(n1.wsBase, name, cookies[1]!);
    const b = connect(n2.wsBase, name, cookies[2]!);
    clients.push(a, aWatcher, b);
    await Promise.all([a, aWatcher, b].map((c) => c.synced()));

    const before = editLoop([a, b], [users[0]!, users[2]!], 'before');
    await new Promise((r) => setTimeout(r, 300));
    await redis.stop();
    await until(async () => (await n1.ready()) === 503 && (await n2.ready()) === 503, 'both nodes report not ready', 50);
    const body = await (await fetch(`${n1.url}/readyz`)).json();
    expect(body).toEqual({ ok: false, checks: { database: 'ok', redis: 'down' } });

    // Without Redis, node 1 still serves its clients: a's edits reach the other client on node 1.
    const during = editLoop([a, b], [users[0]!, users[2]!], 'during');
    await new Promise((r) => setTimeout(r, 500));
    const marker = newFollowup(users[0]!.id, 'while Redis is away');
    marker.set('id', 'marker-during-outage');
    a.doc.getArray(CUSTOMER_ROOTS.followups).push([marker]);
    await until(() => followupIds(aWatcher.doc).includes('marker-during-outage'), 'node 1 serves its own clients');
    await before.stop();
    await during.stop();

    await redis.start();
    await until(async () => (await n1.ready()) === 200 && (await n2.ready()) === 200, 'both nodes ready again', 100, 30_000);
    const after = editLoop([a, b], [users[0]!, users[2]!], 'after');
    await new Promise((r) => setTimeout(r, 300));
    await after.stop();

    const all = [...before.written, ...during.written, 'marker-during-outage', ...after.written].sort();
    await until(() => [a, aWatcher, b].every((c) => followupIds(c.doc).length === all.length), 'every client converged', 50, 30_000);
    for (const c of [a, aWatcher, b]) expect(followupIds(c.doc)).toEqual(all);
    await until(async () => (await storedIds(cluster, name)).length === all.length, 'the store has every edit', 100, 30_000);
  }, 240_000);
});

describe('a node started while Redis is away', () => {
  it('serves its own clients and reports not ready, then joins the others once Redis comes', async () => {
    const redis = await PrivateRedis.start();
    stops.push(() => redis.stop());
    await redis.stop();
    const cluster = await startCluster({ nodes: 2, redisUrl: redis.url, until: 'answering' });
    stops.push(() => cluster.stop());
    const [n1, n2] = cluster.nodes as [NonNullable<(typeof cluster.nodes)[0]>, NonNullable<(typeof cluster.nodes)[1]>];
    expect(await (await fetch(`${n1.url}/readyz`)).json()).toEqual({ ok: false, checks: { database: 'ok', redis: 'down' } });
    const { users, customerId } = await seed(cluster, 2);
    const name = customerDocName(customerId);
    const a = connect(n1.wsBase, name, await n1.signIn(users[0]!.email));
    const b = connect(n2.wsBase, name, await n2.signIn(users[1]!.email));
    clients.push(a, b);
    await Promise.all([a.synced(), b.synced()]);
    const edits = editLoop([a, b], users, 'start');
    await new Promise((r) => setTimeout(r, 300));

    await redis.start();
    await until(async () => (await n1.ready()) === 200 && (await n2.ready()) === 200, 'both nodes ready', 100, 30_000);
    // Awareness crosses once Redis is there: the nodes announce their clients to each other.
    a.provider.awareness.setLocalStateField('user', { name: 'on node 1' });
    await until(
      () => [...b.provider.awareness.getStates().values()].some((st) => (st.user as { id?: string } | undefined)?.id === users[0]!.id),
      'awareness from node 1 on node 2',
    );
    await edits.stop();
    const all = [...edits.written].sort();
    await until(() => [a, b].every((c) => followupIds(c.doc).length === all.length), 'both clients converged', 50, 30_000);
    for (const c of [a, b]) expect(followupIds(c.doc)).toEqual(all);
  }, 240_000);
});
