import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import { loadStoredDoc } from '../../server/realtime/doc-store.repository.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { type HubServer, connect, newFollowup, seedCustomerDoc, startHubServer, until } from './realtime-helpers.ts';

let s: HubServer;
let rep: User;
let cookie: string;
let customerId: string;
let teamId: string;

beforeAll(async () => {
  s = await startHubServer({ compactAfterUpdates: 5, unloadDelayMs: 50 });
  const team = await seedTeam(s.ctx);
  teamId = team.id;
  rep = await seedUser(s.ctx, { role: 'rep', teamId: team.id });
  cookie = await login(s.t.app, rep.email);
  customerId = await seedCustomerDoc(s.ctx, team.id, rep, 'Acme');
});
afterAll(async () => {
  await s.close();
});

const texts = (doc: Y.Doc) =>
  doc
    .getArray<Y.Map<unknown>>(CUSTOMER_ROOTS.followups)
    .toArray()
    .map((m) => (m.get('text') as Y.Text).toString())
    .sort();

describe('compaction', () => {
  it('compacting while three clients type loses nothing, and a reload from storage has it all', async () => {
    const name = customerDocName(customerId);
    const clients = [0, 1, 2].map(() => connect(s.wsBase, name, cookie));
    await Promise.all(clients.map((c) => c.synced()));
    clients.forEach((c, i) => {
      c.doc.getArray(CUSTOMER_ROOTS.followups).push([newFollowup(rep.id, `client${i}:`)]);
    });
    await until(() => clients.every((c) => c.doc.getArray(CUSTOMER_ROOTS.followups).length === 3), 'entries');
    const own = (c: (typeof clients)[number], i: number) =>
      c.doc
        .getArray<Y.Map<unknown>>(CUSTOMER_ROOTS.followups)
        .toArray()
        .find((m) => (m.get('text') as Y.Text).toString().startsWith(`client${i}:`))!;
    for (let k = 0; k < 60; k++) {
      clients.forEach((c, i) => {
        const t = own(c, i).get('text') as Y.Text;
        t.insert(t.length, String.fromCharCode(97 + (k % 26)));
      });
      if (k % 10 === 0) await new Promise((r) => setTimeout(r, 15));
    }
    const expected = [0, 1, 2].map((i) => `client${i}:${Array.from({ length: 60 }, (_, k) => String.fromCharCode(97 + (k % 26))).join('')}`);
    await until(() => clients.every((c) => JSON.stringify(texts(c.doc)) === JSON.stringify(expected)), 'all typed text everywhere');
    await s.ctx.hub.flush();

    const snapshots = await s.ctx.db.selectFrom('doc_snapshots').selectAll().where('doc_name', '=', name).execute();
    expect(snapshots).toHaveLength(1);
    const stored = await loadStoredDoc(s.ctx.db, name);
    expect(stored.updates.length).toBeLessThan(5 + 60 * 3);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, stored.snapshot!);
    for (const u of stored.updates) Y.applyUpdate(reloaded, u);
    expect(texts(reloaded)).toEqual(expected);

    for (const c of clients) c.destroy();
    await until(() => s.ctx.hub.loadedCount === 0, 'unloaded when idle');
    const afterUnload = await loadStoredDoc(s.ctx.db, name);
    expect(afterUnload.updates).toHaveLength(0);
    const fresh = connect(s.wsBase, name, cookie);
    await fresh.synced();
    expect(texts(fresh.doc)).toEqual(expected);
    expect(fresh.doc.getMap(CUSTOMER_ROOTS.fields).get('name')).toBe('Acme');
    fresh.destroy();
  });
});

describe('a document compacted while it stays open', () => {
  it('serves joiners, refusals and reloads from its snapshot: nothing typed before or after it is lost', async () => {
    const id = await seedCustomerDoc(s.ctx, teamId, rep, 'Open Co');
    const name = customerDocName(id);
    const typist = connect(s.wsBase, name, cookie);
    await typist.synced();
    typist.doc.transact(() => {
      typist.doc.getMap(CUSTOMER_ROOTS.fields).set('category', 'vip');
      typist.doc.getArray(CUSTOMER_ROOTS.followups).push([newFollowup(rep.id, 'notes:')]);
    });
    const text = () => typist.doc.getArray<Y.Map<unknown>>(CUSTOMER_ROOTS.followups).get(0).get('text') as Y.Text;
    // Past several compactions (every 5 updates), one update at a time.
    for (let k = 0; k < 12; k++) {
      text().insert(text().length, String(k % 10));
      await new Promise((r) => setTimeout(r, 10));
    }
    const typed = 'notes:012345678901';
    await s.ctx.hub.flush();
    expect(await s.ctx.db.selectFrom('doc_snapshots').select('doc_name').where('doc_name', '=', name).execute()).toHaveLength(1);

    // A joiner gets everything while the document stays loaded.
    const joiner = connect(s.wsBase, name, cookie);
    await joiner.synced();
    expect(texts(joiner.doc)).toEqual([typed]);

    // A refused part needs the stored state (rebuilt from the snapshot): the valid part is kept, the bad one undone.
    const fields = typist.doc.getMap(CUSTOMER_ROOTS.fields);
    const category = fields.get('category');
    expect(category).toBe('vip');
    typist.doc.transact(() => {
      fields.set('industry', 'Kept');
      fields.set('category', 'x'.repeat(51));
    });
    await until(() => joiner.doc.getMap(CUSTOMER_ROOTS.fields).get('industry') === 'Kept', 'the valid part reaches the joiner');
    await until(() => fields.get('category') === category, 'the refused part is restored for its sender');
    // A refused server-side change rebuilds the accepted state from the stored one.
    const refused = await s.ctx.hub.edit(name, rep, (d) => d.getMap(CUSTOMER_ROOTS.fields).set('category', 'y'.repeat(51))).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 400, field: 'category' });
    text().insert(text().length, '!');
    await until(() => JSON.stringify(texts(joiner.doc)) === JSON.stringify([`${typed}!`]), 'typing after the refusal');
    await s.ctx.hub.flush();

    const late = connect(s.wsBase, name, cookie);
    await late.synced();
    expect(texts(late.doc)).toEqual([`${typed}!`]);
    expect(late.doc.getMap(CUSTOMER_ROOTS.fields).get('industry')).toBe('Kept');
    expect(late.doc.getMap(CUSTOMER_ROOTS.fields).get('category')).toBe(category);
    const stored = await loadStoredDoc(s.ctx.db, name);
    const reloaded = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(reloaded, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(reloaded, u);
    expect(texts(reloaded)).toEqual([`${typed}!`]);
    expect(reloaded.getMap(CUSTOMER_ROOTS.fields).get('industry')).toBe('Kept');
    expect(reloaded.getMap(CUSTOMER_ROOTS.fields).get('category')).toBe(category);
    for (const c of [typist, joiner, late]) c.destroy();
  });
});
