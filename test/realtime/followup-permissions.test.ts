/**
 * Follow-ups you can correct: a written follow-up is changed only by its author or a manager
 * of the team; another rep's change is refused and compensated while the rest of the same
 * update is kept; an archived (deleted) follow-up leaves the activities and the history says so.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { type Client, type HubServer, connect, newFollowup, seedCustomerDoc, startHubServer, storedDoc, until } from './realtime-helpers.ts';

let s: HubServer;
let author: User;
let otherRep: User;
let manager: User;
let authorCookie: string;
let otherCookie: string;
let managerCookie: string;
let customerId: string;
let followupId: string;
const clients: Client[] = [];

const docName = () => customerDocName(customerId);
const open = async (cookie: string) => {
  const c = connect(s.wsBase, docName(), cookie);
  clients.push(c);
  await c.synced();
  return c;
};
const entryOf = (doc: Y.Doc, id = followupId) =>
  doc
    .getArray<Y.Map<unknown>>(CUSTOMER_ROOTS.followups)
    .toArray()
    .find((m) => m.get('id') === id);
const activity = (id = followupId) =>
  s.ctx.db.selectFrom('activities').selectAll().where('customer_id', '=', customerId).where('source_id', '=', id).executeTakeFirst();

beforeAll(async () => {
  s = await startHubServer();
  const team = await seedTeam(s.ctx);
  author = await seedUser(s.ctx, { role: 'rep', teamId: team.id });
  otherRep = await seedUser(s.ctx, { role: 'rep', teamId: team.id });
  manager = await seedUser(s.ctx, { role: 'manager', teamId: team.id });
  [authorCookie, otherCookie, managerCookie] = await Promise.all([login(s.t.app, author.email), login(s.t.app, otherRep.email), login(s.t.app, manager.email)]);
  customerId = await seedCustomerDoc(s.ctx, team.id, author, 'Followup Corp');
  followupId = randomUUID();
  const entry = newFollowup(author.id, 'Called about the renewal', { id: followupId });
  await s.ctx.hub.edit(docName(), author, (d) => d.getArray(CUSTOMER_ROOTS.followups).push([entry]));
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await s.close();
});

describe('who may correct a follow-up', () => {
  it('its author edits the outcome and the text', async () => {
    const a = await open(authorCookie);
    a.doc.transact(() => {
      const e = entryOf(a.doc)!;
      e.set('outcome', 'Renewal agreed');
      (e.get('text') as Y.Text).insert(0, 'Edited: ');
    });
    await until(async () => (await activity())?.outcome === 'Renewal agreed', 'the outcome reaches the activities');
    expect(a.refusals).toEqual([]);
    const stored = entryOf(await storedDoc(s.ctx, docName()))!;
    expect(stored.get('outcome')).toBe('Renewal agreed');
    expect(String(stored.get('text'))).toBe('Edited: Called about the renewal');
  });

  it("another rep's edit is refused and compensated, a neighbouring valid field edit in the same update is kept", async () => {
    const b = await open(otherCookie);
    const watcher = await open(managerCookie);
    b.doc.transact(() => {
      entryOf(b.doc)!.set('outcome', 'Lost to a competitor');
      b.doc.getMap(CUSTOMER_ROOTS.fields).set('phone', '+86 10 5555 0101');
    });
    await until(() => b.refusals.length > 0, 'the refusal');
    const reason = JSON.parse(b.refusals[0]!) as { code: string; field?: string };
    expect(reason.code).toBe('forbidden');
    expect(reason.field).toBe('followups');
    await until(() => entryOf(b.doc)!.get('outcome') === 'Renewal agreed', 'the sender converges back');
    expect(b.provider.wsconnected).toBe(true);
    await until(() => watcher.doc.getMap(CUSTOMER_ROOTS.fields).get('phone') === '+86 10 5555 0101', 'the valid edit reaches others');
    expect(entryOf(watcher.doc)!.get('outcome')).toBe('Renewal agreed');
    const stored = await storedDoc(s.ctx, docName());
    expect(entryOf(stored)!.get('outcome')).toBe('Renewal agreed');
    expect(stored.getMap(CUSTOMER_ROOTS.fields).get('phone')).toBe('+86 10 5555 0101');
  });

  it("another rep may neither edit the text nor archive someone else's follow-up", async () => {
    const b = await open(otherCookie);
    const before = b.refusals.length;
    (entryOf(b.doc)!.get('text') as Y.Text).insert(0, 'Hijacked ');
    await until(() => b.refusals.length > before, 'the text refusal');
    entryOf(b.doc)!.set('archived', true);
    await until(() => b.refusals.length > before + 1, 'the archive refusal');
    await until(() => entryOf(b.doc)!.get('archived') === undefined && !String(entryOf(b.doc)!.get('text')).startsWith('Hijacked'), 'compensated');
    const stored = entryOf(await storedDoc(s.ctx, docName()))!;
    expect(String(stored.get('text'))).toBe('Edited: Called about the renewal');
    expect(stored.get('archived')).toBeUndefined();
    expect(await activity()).toBeDefined();
  });

  it("another rep may not take someone else's follow-up out of the list, and may take out their own", async () => {
    const b = await open(otherCookie);
    const before = b.refusals.length;
    const ownId = randomUUID();
    b.doc.getArray(CUSTOMER_ROOTS.followups).push([newFollowup(otherRep.id, 'My own note', { id: ownId })]);
    await until(async () => (await activity(ownId)) !== undefined, 'their own follow-up is projected');
    const list = b.doc.getArray<Y.Map<unknown>>(CUSTOMER_ROOTS.followups);
    list.delete(list.toArray().findIndex((m) => m.get('id') === followupId), 1);
    await until(() => b.refusals.length > before, 'the removal refusal');
    expect(JSON.parse(b.refusals.at(-1)!) as { code: string; field: string }).toMatchObject({ code: 'forbidden', field: 'followups' });
    await until(() => entryOf(b.doc) !== undefined, 'the follow-up comes back to the sender');
    expect(entryOf(await storedDoc(s.ctx, docName()))).toBeDefined();
    expect(await activity()).toBeDefined();

    list.delete(list.toArray().findIndex((m) => m.get('id') === ownId), 1);
    await until(async () => (await activity(ownId)) === undefined, 'their own follow-up leaves the activities');
    expect(b.refusals.length).toBe(before + 1);
    expect(entryOf(await storedDoc(s.ctx, docName()), ownId)).toBeUndefined();
  });

  it('a manager of the team edits it', async () => {
    const m = await open(managerCookie);
    entryOf(m.doc)!.set('outcome', 'Renewal agreed, 3 years');
    await until(async () => (await activity())?.outcome === 'Renewal agreed, 3 years', 'the manager edit is projected');
    expect(m.refusals).toEqual([]);
  });

  it('archiving hides it from the activities and records it in the history', async () => {
    const a = await open(authorCookie);
    const otherId = randomUUID();
    const other = newFollowup(author.id, 'A second call', { id: otherId });
    a.doc.getArray(CUSTOMER_ROOTS.followups).push([other]);
    await until(async () => (await activity(otherId)) !== undefined, 'the second follow-up is projected');
    entryOf(a.doc)!.set('archived', true);
    await until(async () => (await activity()) === undefined, 'the archived follow-up leaves the activities');
    expect(a.refusals).toEqual([]);
    expect(await activity(otherId)).toBeDefined();
    // Still in the document, for the record.
    expect(entryOf(await storedDoc(s.ctx, docName()))!.get('archived')).toBe(true);
    const history = await s.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'customer')
      .where('entity_id', '=', customerId)
      .where('action', '=', 'followup-archive')
      .execute();
    expect(history).toHaveLength(1);
    expect(history[0]!.actor_id).toBe(author.id);
    expect((history[0]!.changes as { followupId: string }).followupId).toBe(followupId);
  });

  it('a shape error in the new key is refused as bad input', async () => {
    const a = await open(authorCookie);
    const before = a.refusals.length;
    a.doc.getArray<Y.Map<unknown>>(CUSTOMER_ROOTS.followups).toArray().at(-1)!.set('archived', 'yes');
    await until(() => a.refusals.length > before, 'the refusal');
    expect((JSON.parse(a.refusals.at(-1)!) as { field: string }).field).toBe('followups.archived');
  });
});
