/**
 * A bulk writer's documents leave memory soon: `hub.edit(…, {unloadSoon: true})` (imports)
 * unloads a document nobody has open after BULK_UNLOAD_DELAY_MS instead of DOC_UNLOAD_DELAY_MS,
 * and never one a tab has open. The change is stored and projected either way; such an unload
 * leaves the few log rows to the next compaction instead of writing a snapshot per document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import { loadStoredDoc } from '../../server/realtime/doc-store.repository.ts';
import { BULK_UNLOAD_DELAY_MS } from '../../server/realtime/hub.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { type HubServer, connect, seedCustomer, startHubServer, until } from './realtime-helpers.ts';

let s: HubServer;
let manager: User;
let cookie: string;
let teamId: string;

beforeAll(async () => {
  // Ordinary documents stay loaded for a minute: longer than any wait below.
  s = await startHubServer({ unloadDelayMs: 60_000 });
  teamId = (await seedTeam(s.ctx)).id;
  manager = await seedUser(s.ctx, { role: 'manager', teamId });
  cookie = await login(s.t.app, manager.email);
});
afterAll(() => s?.close());

const industryOf = async (id: string) =>
  (await s.ctx.db.selectFrom('customers').select('industry').where('id', '=', id).executeTakeFirstOrThrow()).industry;

describe('documents edited in bulk', () => {
  it('are unloaded soon after the edit, stored and projected', async () => {
    const ids = [await seedCustomer(s.ctx, teamId, 'One'), await seedCustomer(s.ctx, teamId, 'Two')];
    const before = s.ctx.hub.loadedCount;
    for (const id of ids) {
      await s.ctx.hub.edit(customerDocName(id), manager, (d) => d.getMap(CUSTOMER_ROOTS.fields).set('industry', 'Bulk'), { unloadSoon: true });
    }
    expect(await industryOf(ids[1]!)).toBe('Bulk');
    await until(() => s.ctx.hub.loadedCount === before, 'the bulk-edited documents are unloaded', 50, 20 * BULK_UNLOAD_DELAY_MS);
    // Their unload wrote no snapshot: the edit's log row waits for the document's next compaction.
    const stored = await loadStoredDoc(s.ctx.db, customerDocName(ids[1]!));
    expect(stored.updates).toHaveLength(1);
    // Loaded again from storage, the edit is there.
    await s.ctx.hub.edit(customerDocName(ids[0]!), manager, (d) => d.getMap(CUSTOMER_ROOTS.fields).set('size', '1-10'));
    expect(await s.ctx.db.selectFrom('customers').select(['industry', 'size']).where('id', '=', ids[0]!).executeTakeFirstOrThrow()).toEqual({
      industry: 'Bulk',
      size: '1-10',
    });
    // That ordinary edit keeps its document loaded well past the bulk delay.
    await new Promise((r) => setTimeout(r, 2 * BULK_UNLOAD_DELAY_MS));
    expect(s.ctx.hub.loadedCount).toBe(before + 1);
  });

  it('never unloads a document a tab has open', async () => {
    const id = await seedCustomer(s.ctx, teamId, 'Open');
    const tab = connect(s.wsBase, customerDocName(id), cookie);
    try {
      await tab.synced();
      const loaded = s.ctx.hub.loadedCount;
      await s.ctx.hub.edit(customerDocName(id), manager, (d) => d.getMap(CUSTOMER_ROOTS.fields).set('industry', 'Open bulk'), { unloadSoon: true });
      await until(() => tab.doc.getMap(CUSTOMER_ROOTS.fields).get('industry') === 'Open bulk', 'the tab sees the bulk edit');
      await new Promise((r) => setTimeout(r, 2 * BULK_UNLOAD_DELAY_MS));
      expect(s.ctx.hub.loadedCount).toBe(loaded);
      tab.doc.getMap(CUSTOMER_ROOTS.fields).set('size', '10-50');
      await until(async () => (await s.ctx.db.selectFrom('customers').select('size').where('id', '=', id).executeTakeFirstOrThrow()).size === '10-50', 'the tab keeps editing');
    } finally {
      tab.destroy();
    }
  });
});
