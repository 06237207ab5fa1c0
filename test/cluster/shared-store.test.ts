/**
 * Two hubs on one PostgreSQL database whose Redis messages never reach each
 * other (each on a prefix of its own, reconciliation off): the worst case of
 * lost pub/sub messages. The advisory lock and catch-up of each commit and
 * compaction must still keep the store and the projection whole:
 * - a projection written by a node that had not heard of another node's
 *   change describes that change too, and does not undo it (no reverted
 *   field, no history entry or notification for an owner change it never made);
 * - a compaction by a node that had not heard of another node's updates
 *   keeps them.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import { bootstrap } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import type { AppContext } from '../../server/context.ts';
import { createLogger } from '../../server/logger.ts';
import { loadStoredDoc } from '../../server/realtime/doc-store.repository.ts';
import type { User } from '../../server/users/user.ts';
import { CLUSTER_DATABASE_URL, CLUSTER_REDIS_URL } from '../helpers/cluster.ts';
import { createPostgresDatabase, seedTeam, seedUser, type TestDatabase } from '../helpers/context.ts';
import { seedCustomer } from '../realtime/realtime-helpers.ts';

let database: TestDatabase;
const nodes: Array<{ ctx: AppContext; close(): Promise<void> }> = [];
let a: AppContext;
let b: AppContext;
let manager: User;
let rep: User;
let other: User;
let teamId: string;

beforeAll(async () => {
  database = await createPostgresDatabase(CLUSTER_DATABASE_URL, 'tandem_shared');
  for (const prefix of ['a', 'b']) {
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: CLUSTER_REDIS_URL,
      REDIS_PREFIX: `test-${randomBytes(6).toString('hex')}-${prefix}:`,
      LOG_LEVEL: 'silent',
      DOC_RECONCILE_MS: '600000',
      DOC_COMPACT_AFTER: '4',
    };
    const config = loadConfig(env);
    nodes.push(await bootstrap(config, createLogger(config.logLevel)));
  }
  [a, b] = nodes.map((n) => n.ctx) as [AppContext, AppContext];
  expect(a.hub.clustered && b.hub.clustered).toBe(true);
  const team = await seedTeam(a);
  teamId = team.id;
  manager = await seedUser(a, { role: 'manager', teamId });
  rep = await seedUser(a, { teamId });
  other = await seedUser(a, { teamId });
});

afterAll(async () => {
  for (const n of [...nodes, ...extraNodes]) await n.close();
  await database?.drop();
});


/** Two more nodes on the test's database, on the given Redis prefixes; closed after the file. */
const extraNodes: Array<{ ctx: AppContext; close(): Promise<void> }> = [];
async function startNodes(prefixes: [string, string], env: Record<string, string>): Promise<[AppContext, AppContext]> {
  const out: AppContext[] = [];
  for (const prefix of prefixes) {
    const config = loadConfig({ DATABASE_URL: database.url, REDIS_URL: CLUSTER_REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent', ...env });
    const node = await bootstrap(config, createLogger(config.logLevel));
    extraNodes.push(node);
    out.push(node.ctx);
  }
  return out as [AppContext, AppContext];
}


const setField = (key: string, value: unknown) => (doc: Y.Doc) => {
  doc.getMap(CUSTOMER_ROOTS.fields).set(key, value);
};

describe('two nodes that do not hear each other', () => {
  it('write projections that describe both nodes’ changes and undo none', async () => {
    const id = await seedCustomer(a, teamId, 'Shared Co');
    const name = customerDocName(id);
    await a.hub.edit(name, manager, setField('name', 'Shared Co'));
    await b.hub.edit(name, manager, setField('industry', 'Retail'));
    // Node A assigns the customer; node B, which never heard of it, then edits another field.
    await a.hub.edit(name, manager, setField('ownerId', rep.id));
    await b.hub.edit(name, other, setField('website', 'https://shared.example'));

    const row = await a.db
      .selectFrom('customers')
      .select(['name', 'industry', 'owner_id', 'website'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ name: 'Shared Co', industry: 'Retail', owner_id: rep.id, website: 'https://shared.example' });

    // One owner change in the history, by the manager; the other user recorded only the website.
    const history = await a.db
      .selectFrom('audit_log')
      .select(['actor_id', 'changes'])
      .where('entity_type', '=', 'customer')
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    const ownerChanges = history.filter((h) => 'ownerId' in (h.changes as object));
    expect(ownerChanges).toHaveLength(1);
    expect(ownerChanges[0]!.actor_id).toBe(manager.id);
    const byOther = history.filter((h) => h.actor_id === other.id);
    expect(byOther.map((h) => Object.keys(h.changes as object))).toEqual([['website']]);

    // One assignment notification, for the rep.
    const notes = await a.db.selectFrom('notifications').select(['recipient_id', 'type']).where('entity_id', '=', id).execute();
    expect(notes).toEqual([{ recipient_id: rep.id, type: 'assignment' }]);
  });

  it('compact without dropping updates the compacting node never received', async () => {
    const id = await seedCustomer(a, teamId, 'Compact Co');
    const name = customerDocName(id);
    const expected: string[] = [];
    // Alternate nodes; with DOC_COMPACT_AFTER=4 each node compacts several times, each time behind the other.
    for (let i = 0; i < 12; i++) {
      const [ctx, who] = i % 2 === 0 ? [a, 'a'] : [b, 'b'];
      const key = `${who}${i}`;
      await ctx.hub.edit(name, manager, (doc) => {
        doc.getMap(CUSTOMER_ROOTS.fields).set('name', 'Compact Co');
        doc.getMap(CUSTOMER_ROOTS.tags).set(key, true);
      });
      expected.push(key);
    }
    await a.hub.flush();
    await b.hub.flush();
    const stored = await loadStoredDoc(a.db, name);
    expect(stored.snapshot).not.toBeNull();
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(doc, u);
    expect([...doc.getMap(CUSTOMER_ROOTS.tags).keys()].sort()).toEqual([...expected].sort());
  });
});

describe('two nodes on one Redis', () => {
  it('count another node’s updates once, whether the bus or the log brought them', async () => {
    const prefix = `test-${randomBytes(6).toString('hex')}:`;
    const [x, y] = await startNodes([prefix, prefix], { DOC_RECONCILE_MS: '50' });
    const id = await seedCustomer(x, teamId, 'Counted Co');
    const name = customerDocName(id);
    const held = await y.hub.acquire(await y.hub.authorize(name, manager));
    try {
      for (let i = 0; i < 20; i++) await x.hub.edit(name, manager, setField('industry', `industry ${i}`));
      const stored = await loadStoredDoc(x.db, name);
      // The log reconciliation (every 50 ms) has confirmed the rows the bus delivered.
      const until = Date.now() + 10_000;
      while (held.lastUpdateId < stored.lastUpdateId && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(held.lastUpdateId).toBe(stored.lastUpdateId);
      expect(held.doc.getMap(CUSTOMER_ROOTS.fields).get('industry')).toBe('industry 19');
      expect(held.logRows).toBe(stored.updates.length);
      expect(held.storedBytes).toBe(stored.bytes);
    } finally {
      y.hub.release(held);
    }
  });
});

describe('a node that Redis never tells', () => {
  it('still gets another node’s edits, from the log, within the reconciliation period', async () => {
    const tag = randomBytes(6).toString('hex');
    const [x, y] = await startNodes([`test-${tag}-x:`, `test-${tag}-y:`], { DOC_RECONCILE_MS: '50' });
    const id = await seedCustomer(x, teamId, 'Unheard Co');
    const name = customerDocName(id);
    const held = await y.hub.acquire(await y.hub.authorize(name, manager));
    try {
      for (let i = 0; i < 5; i++) await x.hub.edit(name, manager, setField('industry', `quiet ${i}`));
      const until = Date.now() + 10_000;
      while (held.doc.getMap(CUSTOMER_ROOTS.fields).get('industry') !== 'quiet 4' && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(held.doc.getMap(CUSTOMER_ROOTS.fields).get('industry')).toBe('quiet 4');
      expect(held.lastUpdateId).toBe((await loadStoredDoc(x.db, name)).lastUpdateId);
    } finally {
      y.hub.release(held);
    }
  });
});
