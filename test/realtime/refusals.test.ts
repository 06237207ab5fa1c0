import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { CUSTOMER_ROOTS, DOC_CLOSE, customerDocName } from '../../schema/wire/docs.ts';
import { AppError } from '../../server/http/app-error.ts';
import { loadStoredDoc } from '../../server/realtime/doc-store.repository.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { type Client, type HubServer, connect, newFollowup, seedCustomerDoc, startHubServer, storedDoc, until } from './realtime-helpers.ts';

let s: HubServer;
let rep: User;
let manager: User;
let otherRep: User;
let repCookie: string;
let managerCookie: string;
let customerId: string;
let teamId: string;

beforeAll(async () => {
  s = await startHubServer();
  const team = await seedTeam(s.ctx);
  teamId = team.id;
  rep = await seedUser(s.ctx, { role: 'rep', teamId });
  manager = await seedUser(s.ctx, { role: 'manager', teamId });
  const otherTeam = await seedTeam(s.ctx);
  otherRep = await seedUser(s.ctx, { role: 'rep', teamId: otherTeam.id });
  repCookie = await login(s.t.app, rep.email);
  managerCookie = await login(s.t.app, manager.email);
  customerId = await seedCustomerDoc(s.ctx, teamId, rep, 'Acme');
});
afterAll(async () => {
  await s.close();
});

const docName = () => customerDocName(customerId);

/** The document as stored (snapshot + log), rebuilt from the database. */
const stored = () => storedDoc(s.ctx, docName());

async function pair(cookieA: string, cookieB: string): Promise<[Client, Client]> {
  const a = connect(s.wsBase, docName(), cookieA);
  const b = connect(s.wsBase, docName(), cookieB);
  await Promise.all([a.synced(), b.synced()]);
  return [a, b];
}

/**
 * Makes `a` send a refused change, then proves: `a` is told why, stays
 * connected and converges back; `b`, storage and a newcomer never show the
 * refused value; a later good edit flows.
 */
async function expectRefused(a: Client, b: Client, change: (doc: Y.Doc) => void, seen: (doc: Y.Doc) => boolean) {
  change(a.doc);
  await until(() => a.refusals.length > 0, 'refusal message');
  const reason = JSON.parse(a.refusals[0]!) as { code: string; message: string; field?: string };
  expect(reason.message.length).toBeGreaterThan(0);
  // The compensation reaches the sender: its copy returns to the server's state, on the same connection.
  await until(() => !seen(a.doc), 'sender converged');
  expect(a.closes).toEqual([]);
  expect(a.provider.wsconnected).toBe(true);
  const marker = `m${Math.random().toString(36).slice(2, 8)}`;
  b.doc.getMap(CUSTOMER_ROOTS.fields).set('source', marker);
  const c = connect(s.wsBase, docName(), managerCookie);
  await c.synced();
  await until(() => c.doc.getMap(CUSTOMER_ROOTS.fields).get('source') === marker, 'later edit');
  await until(() => a.doc.getMap(CUSTOMER_ROOTS.fields).get('source') === marker, 'later edit reaches the refused sender');
  expect(seen(b.doc)).toBe(false);
  expect(seen(c.doc)).toBe(false);
  expect(seen(await stored())).toBe(false);
  c.destroy();
  return reason;
}

describe('refused parts reach neither storage nor other clients, and the sender stays', () => {
  it('a rep changing ownerId is refused with 403 on ownerId', async () => {
    const [a, b] = await pair(repCookie, managerCookie);
    const reason = await expectRefused(
      a,
      b,
      (d) => d.getMap(CUSTOMER_ROOTS.fields).set('ownerId', rep.id),
      (d) => d.getMap(CUSTOMER_ROOTS.fields).get('ownerId') !== undefined,
    );
    expect(reason).toMatchObject({ code: 'forbidden', field: 'ownerId' });
    const row = await s.ctx.db.selectFrom('customers').select('owner_id').where('id', '=', customerId).executeTakeFirstOrThrow();
    expect(row.owner_id).toBeNull();
    a.destroy();
    b.destroy();
  });

  it('a manager may change ownerId, but only to an active member of the team', async () => {
    const [a, b] = await pair(managerCookie, repCookie);
    const reason = await expectRefused(
      a,
      b,
      (d) => d.getMap(CUSTOMER_ROOTS.fields).set('ownerId', otherRep.id),
      (d) => d.getMap(CUSTOMER_ROOTS.fields).get('ownerId') === otherRep.id,
    );
    expect(reason).toMatchObject({ code: 'validation', field: 'ownerId' });
    // The same connection then makes an allowed change.
    a.doc.getMap(CUSTOMER_ROOTS.fields).set('ownerId', rep.id);
    await until(() => b.doc.getMap(CUSTOMER_ROOTS.fields).get('ownerId') === rep.id, 'owner change broadcast');
    await s.ctx.hub.flush();
    const row = await s.ctx.db.selectFrom('customers').select('owner_id').where('id', '=', customerId).executeTakeFirstOrThrow();
    expect(row.owner_id).toBe(rep.id);
    a.destroy();
    b.destroy();
  });

  it('bad shapes are refused: unknown field, empty name, over-long value, bad tag, bad follow-up', async () => {
    const cases: Array<{ change: (d: Y.Doc) => void; seen: (d: Y.Doc) => boolean; field: string }> = [
      { change: (d) => d.getMap('fields').set('salary', '1'), seen: (d) => d.getMap('fields').has('salary'), field: 'fields.salary' },
      { change: (d) => d.getMap('fields').set('name', '  '), seen: (d) => d.getMap('fields').get('name') === '  ', field: 'name' },
      { change: (d) => d.getMap('fields').set('phone', '1'.repeat(41)), seen: (d) => String(d.getMap('fields').get('phone')).length === 41, field: 'phone' },
      { change: (d) => d.getMap('tags').set('hot', 'yes'), seen: (d) => d.getMap('tags').has('hot'), field: 'tags' },
      {
        change: (d) => d.getArray('followups').push([newFollowup(manager.id, 'written as someone else')]),
        seen: (d) => d.getArray('followups').length > 0,
        field: 'followups.authorId',
      },
    ];
    const [a, b] = await pair(repCookie, managerCookie);
    for (const c of cases) {
      a.refusals.length = 0;
      const reason = await expectRefused(a, b, c.change, c.seen);
      expect(reason).toMatchObject({ code: 'validation', field: c.field });
    }
    a.destroy();
    b.destroy();
  });

  it('a foreign root is malformed: nothing stored, the sender closed with 4400', async () => {
    const [a, b] = await pair(repCookie, managerCookie);
    const before = await loadStoredDoc(s.ctx.db, docName());
    a.doc.getMap('evil').set('x', 1);
    await until(() => a.closes.some((c) => c.code === DOC_CLOSE.badMessage), 'malformed close');
    await s.ctx.hub.flush();
    expect((await loadStoredDoc(s.ctx.db, docName())).lastUpdateId).toBe(before.lastUpdateId);
    expect(b.doc.share.has('evil')).toBe(false);
    a.destroy();
    b.destroy();
  });
});

describe('server-side edits (ctx.hub.edit)', () => {
  it('are validated, stored, projected in the same transaction and broadcast', async () => {
    const watcher = connect(s.wsBase, docName(), repCookie);
    await watcher.synced();
    await s.ctx.hub.edit(docName(), rep, (d) => {
      d.getMap(CUSTOMER_ROOTS.fields).set('email', ' Sales@Acme.EXAMPLE ');
      d.getMap(CUSTOMER_ROOTS.tags).set('price sensitive', true);
      d.getArray(CUSTOMER_ROOTS.followups).push([newFollowup(rep.id, 'call back', { nextAt: '2099-03-01T09:00:00.000Z' })]);
    });
    const row = await s.ctx.db.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirstOrThrow();
    expect(row.email_norm).toBe('sales@acme.example');
    expect(row.tags).toContain('price sensitive');
    expect(row.next_followup_at?.toISOString()).toBe('2099-03-01T09:00:00.000Z');
    await until(() => watcher.doc.getMap(CUSTOMER_ROOTS.tags).get('price sensitive') === true, 'broadcast of a server edit');
    expect((await stored()).getMap(CUSTOMER_ROOTS.tags).get('price sensitive')).toBe(true);
    watcher.destroy();
  });

  it('refuses bad changes with an AppError naming the field, storing nothing', async () => {
    const before = await loadStoredDoc(s.ctx.db, docName());
    const err = await s.ctx.hub
      .edit(docName(), rep, (d) => d.getMap(CUSTOMER_ROOTS.fields).set('category', 'x'.repeat(51)))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 400, field: 'category' });
    const after = await loadStoredDoc(s.ctx.db, docName());
    expect(after.lastUpdateId).toBe(before.lastUpdateId);
    const forbidden = await s.ctx.hub.edit(docName(), rep, (d) => d.getMap(CUSTOMER_ROOTS.fields).set('ownerId', manager.id)).catch((e: unknown) => e);
    expect(forbidden).toMatchObject({ status: 403, field: 'ownerId' });
    const hidden = await s.ctx.hub.edit(docName(), otherRep, (d) => d.getMap(CUSTOMER_ROOTS.fields).set('industry', 'x')).catch((e: unknown) => e);
    expect(hidden).toMatchObject({ status: 404 });
    const unknown = await s.ctx.hub.edit('customer:nope', rep, () => {}).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ status: 404 });
  });

  it('archived customers are read-only for reps but not for managers', async () => {
    const id = await seedCustomerDoc(s.ctx, teamId, rep, 'Old Co');
    await s.ctx.db.updateTable('customers').set({ archived_at: new Date() }).where('id', '=', id).execute();
    const err = await s.ctx.hub.edit(customerDocName(id), rep, (d) => d.getMap('fields').set('industry', 'x')).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 403 });
    await s.ctx.hub.edit(customerDocName(id), manager, (d) => d.getMap('fields').set('industry', 'Mining'));
    // A rep still reads it; its updates are refused and undone, and it stays connected.
    const r = connect(s.wsBase, customerDocName(id), repCookie);
    await r.synced();
    expect(r.doc.getMap('fields').get('industry')).toBe('Mining');
    r.doc.getMap('fields').set('industry', 'Fishing');
    await until(() => r.refusals.length > 0, 'read-only refusal');
    expect(JSON.parse(r.refusals[0]!)).toMatchObject({ code: 'forbidden' });
    await until(() => r.doc.getMap('fields').get('industry') === 'Mining', 'read-only edit undone');
    expect(r.closes).toEqual([]);
    r.destroy();
    const row = await s.ctx.db.selectFrom('customers').select('industry').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.industry).toBe('Mining');
  });
});
