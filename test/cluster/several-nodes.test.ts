/**
 * Several nodes: three Tandem processes on one PostgreSQL database and the
 * machine's Redis. Clients on different nodes co-edit one customer and
 * converge, each update stored once and the row projected from everything;
 * awareness crosses nodes; a board move on one node reaches a viewer on
 * another and its row; an assignment made through one node notifies the
 * rep's tab on another; an archive on one node re-checks open tabs on the
 * others; a session ended on one node closes its live connections on the others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CUSTOMER_ROOTS, boardDocName, customerDocName } from '../../schema/wire/docs.ts';
import { loadStoredDoc } from '../../server/realtime/doc-store.repository.ts';
import type { User } from '../../server/users/user.ts';
import { type Cluster, type ClusterNode, startCluster } from '../helpers/cluster.ts';
import { seedTeam, seedUser } from '../helpers/context.ts';
import { type Client, connect, followupIds, newFollowup, seedCustomer, until } from '../realtime/realtime-helpers.ts';
import { connect as connectSocket, type ClientSocket, Recorder } from '../socket/socket-helpers.ts';

let cluster: Cluster;
let nodes: ClusterNode[];
let manager: User;
let reps: User[];
let teamId: string;
const clients: Client[] = [];
const sockets: ClientSocket[] = [];

function call(node: ClusterNode, cookie: string) {
  const headers = { cookie, origin: node.url, 'content-type': 'application/json' };
  return {
    get: (path: string) => fetch(`${node.url}${path}`, { headers }),
    send: (method: string, path: string, body: unknown) => fetch(`${node.url}${path}`, { method, headers, body: JSON.stringify(body) }),
  };
}

beforeAll(async () => {
  // The periodic session re-check and log reconciliation are off (10 min): only Redis carries changes between nodes here.
  cluster = await startCluster({ nodes: 3, env: { DOC_SESSION_RECHECK_MS: '600000', DOC_RECONCILE_MS: '600000' } });
  nodes = cluster.nodes;
  ({ manager, reps, teamId } = await cluster.withContext(async (ctx) => {
    const team = await seedTeam(ctx);
    const manager = await seedUser(ctx, { role: 'manager', teamId: team.id });
    const reps = [await seedUser(ctx, { teamId: team.id }), await seedUser(ctx, { teamId: team.id }), await seedUser(ctx, { teamId: team.id })];
    return { manager, reps, teamId: team.id };
  }));
}, 240_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.close();
  await cluster?.stop();
}, 60_000);

describe('three nodes on one database and one Redis', () => {
  it('clients on different nodes co-edit a customer: they converge, each update is stored once, the row describes all of it', async () => {
    const customerId = await cluster.withContext((ctx) => seedCustomer(ctx, teamId, 'Cross-node Co'));
    const name = customerDocName(customerId);
    const cookies = await Promise.all(reps.map((r, i) => nodes[i]!.signIn(r.email)));
    const cs = cookies.map((cookie, i) => connect(nodes[i]!.wsBase, name, cookie));
    clients.push(...cs);
    await Promise.all(cs.map((c) => c.synced()));

    // Awareness crosses nodes: the client on node 1 sees the one on node 3.
    // Shown as its session's user whatever it writes (awareness-guard.ts).
    cs[2]!.provider.awareness.setLocalStateField('user', { name: 'rep on node 3' });
    await until(
      () => [...cs[0]!.provider.awareness.getStates().values()].some((s) => (s.user as { id?: string } | undefined)?.id === reps[2]!.id),
      'awareness from node 3 on node 1',
    );

    const written: string[] = [];
    for (let round = 0; round < 10; round++) {
      cs.forEach((c, i) => {
        const entry = newFollowup(reps[i]!.id, `node ${i + 1} round ${round}`);
        entry.set('id', `n${i}-r${round}`);
        c.doc.getArray(CUSTOMER_ROOTS.followups).push([entry]);
        written.push(`n${i}-r${round}`);
      });
      await new Promise((r) => setTimeout(r, 10));
    }
    // Concurrent writes of one field on three nodes, then one on node 2 after it has seen them all.
    cs.forEach((c, i) => {
      c.doc.getMap(CUSTOMER_ROOTS.fields).set('industry', `industry ${i}`);
    });
    await until(
      () => cs.every((c) => followupIds(c.doc).length === written.length),
      'every client has every follow-up',
      20,
      30_000,
    );
    await until(() => new Set(cs.map((c) => c.doc.getMap(CUSTOMER_ROOTS.fields).get('industry'))).size === 1, 'one industry everywhere');
    cs[1]!.doc.getMap(CUSTOMER_ROOTS.fields).set('website', 'https://cross-node.example');
    await until(() => cs.every((c) => c.doc.getMap(CUSTOMER_ROOTS.fields).get('website') === 'https://cross-node.example'), 'website everywhere');
    for (const c of cs) expect(followupIds(c.doc)).toEqual([...written].sort());

    // The store holds each update once: replaying it gives every follow-up exactly once.
    await until(
      async () => {
        const stored = await cluster.withContext((ctx) => loadStoredDoc(ctx.db, name));
        const doc = new Y.Doc();
        if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
        for (const u of stored.updates) Y.applyUpdate(doc, u);
        return doc.getArray(CUSTOMER_ROOTS.followups).length === written.length && doc.getMap(CUSTOMER_ROOTS.fields).get('website') !== undefined;
      },
      'the store has everything',
      100,
    );
    const logRows = await cluster.withContext(async (ctx) => {
      const rows = await ctx.db.selectFrom('doc_updates').select('update').where('doc_name', '=', name).execute();
      return rows.map((r) => Buffer.from(r.update).toString('base64'));
    });
    expect(new Set(logRows).size).toBe(logRows.length);

    // The projection (row, activities) describes the merged document, whichever node wrote last.
    const industry = cs[0]!.doc.getMap(CUSTOMER_ROOTS.fields).get('industry');
    await until(
      async () => {
        const row = await cluster.withContext((ctx) =>
          ctx.db.selectFrom('customers').select(['industry', 'website']).where('id', '=', customerId).executeTakeFirstOrThrow(),
        );
        return row.industry === industry && row.website === 'https://cross-node.example';
      },
      'the row has the merged fields',
      100,
    );
    const activities = await cluster.withContext((ctx) =>
      ctx.db.selectFrom('activities').select(({ fn }) => fn.countAll<string>().as('n')).where('customer_id', '=', customerId).executeTakeFirstOrThrow(),
    );
    expect(Number(activities.n)).toBe(written.length);
  }, 120_000);

  it('a board move on node 1 reaches a viewer on node 2, and its row', async () => {
    const cManager = await nodes[0]!.signIn(manager.email);
    const onNode1 = call(nodes[0]!, cManager);
    const { items } = (await (await onNode1.get('/api/pipelines')).json()) as { items: Array<{ id: string; stages: Array<{ id: string; name: string }> }> };
    const pipeline = items[0]!;
    const customerId = await cluster.withContext((ctx) => seedCustomer(ctx, teamId, 'Board Co'));
    const created = await onNode1.send('POST', '/api/opportunities', { name: 'Cross-node deal', amount: 1000, customerId, stageId: pipeline.stages[0]!.id });
    expect(created.status).toBe(201);
    const { opportunity } = (await created.json()) as { opportunity: { id: string } };

    const mover = connect(nodes[0]!.wsBase, boardDocName(pipeline.id), cManager);
    const viewer = connect(nodes[1]!.wsBase, boardDocName(pipeline.id), await nodes[1]!.signIn(reps[0]!.email));
    clients.push(mover, viewer);
    await Promise.all([mover.synced(), viewer.synced()]);
    const cardOf = (c: Client) => c.doc.getMap<Y.Map<unknown>>('cards').get(opportunity.id);
    await until(() => cardOf(viewer) !== undefined, 'the card on node 2');
    const target = pipeline.stages[2]!.id;
    cardOf(mover)!.set('stageId', target);
    await until(() => cardOf(viewer)!.get('stageId') === target, 'the move on node 2');
    await until(
      async () => {
        const row = await cluster.withContext((ctx) => ctx.db.selectFrom('opportunities').select('stage_id').where('id', '=', opportunity.id).executeTakeFirstOrThrow());
        return row.stage_id === target;
      },
      'the row moved',
      100,
    );
  }, 60_000);

  it('an assignment made through node 1 notifies the rep’s tab on node 2, and no one else', async () => {
    const rep = reps[1]!;
    const customerId = await cluster.withContext((ctx) => seedCustomer(ctx, teamId, 'Assigned Co'));
    const repTab = await connectSocket(nodes[1]!.url, await nodes[1]!.signIn(rep.email));
    const otherTab = await connectSocket(nodes[2]!.url, await nodes[2]!.signIn(reps[2]!.email));
    sockets.push(repTab, otherTab);
    const got = new Recorder(repTab, 'notification');
    const other = new Recorder(otherTab, 'notification');
    const res = await call(nodes[0]!, await nodes[0]!.signIn(manager.email)).send('PATCH', `/api/customers/${customerId}`, { ownerId: rep.id });
    expect(res.status).toBe(200);
    const n = await got.waitFor();
    expect(n.title).toContain('Assigned Co');
    expect(other.events).toEqual([]);
  }, 60_000);

  it('a sign-out on node 1 closes the same session’s live connection on node 3', async () => {
    const cookie = await nodes[0]!.signIn(reps[2]!.email);
    const customerId = await cluster.withContext((ctx) => seedCustomer(ctx, teamId, 'Session Co'));
    const c = connect(nodes[2]!.wsBase, customerDocName(customerId), cookie);
    clients.push(c);
    await c.synced();
    expect((await call(nodes[0]!, cookie).send('POST', '/api/auth/logout', {})).status).toBeLessThan(300);
    await until(() => c.closes.some((e) => e.code === 4401), 'the connection on node 3 closed', 20, 10_000);
    c.provider.disconnect();
  }, 30_000);

  it('archiving on node 1 makes a rep’s open tab on node 2 read-only at once', async () => {
    const customerId = await cluster.withContext((ctx) => seedCustomer(ctx, teamId, 'Archived Co'));
    const c = connect(nodes[1]!.wsBase, customerDocName(customerId), await nodes[1]!.signIn(reps[0]!.email));
    clients.push(c);
    await c.synced();
    const res = await call(nodes[0]!, await nodes[0]!.signIn(manager.email)).send('POST', `/api/customers/${customerId}/archive`, {});
    expect(res.status).toBe(200);
    // Access changed: node 2 closes the connection (4001) and the client reconnects read-only.
    await until(() => c.closes.some((e) => e.code === 4001), 'the connection on node 2 re-checked', 20, 10_000);
  }, 30_000);

  it('/readyz reports the database and Redis on every node', async () => {
    for (const node of nodes) {
      const res = await fetch(`${node.url}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, checks: { database: 'ok', redis: 'ok' } });
    }
  });
});
