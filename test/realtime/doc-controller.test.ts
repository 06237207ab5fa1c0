/**
 * The client's DocController in Node against a real hub: states, peers from
 * awareness, read-only access, refusals of access, and refused changes. A
 * refused change never replaces the controller's Y.Doc: the hub keeps the
 * permitted parts of the update, explains the refused ones, and its
 * compensating update restores them in the local copy (schema/wire/docs.ts).
 * Close codes and backoff against a scripted server: doc-controller-closes.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { CUSTOMER_ROOTS, type DocAccessDto, customerDocName } from '../../schema/wire/docs.ts';
import { peerColor } from '../../schema/wire/presence.ts';
import { DocController, type DocRefusal } from '../../client/src/realtime/doc-controller.ts';
import type { User } from '../../server/users/user.ts';
import { jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';
import { type HubServer, originOf, seedCustomerDoc, startHubServer, until, wsClass } from './realtime-helpers.ts';

let s: HubServer;
let rep: User;
let manager: User;
let otherRep: User;
let customerId: string;
const opened: DocController[] = [];

beforeAll(async () => {
  s = await startHubServer();
  const team = await seedTeam(s.ctx);
  rep = await seedUser(s.ctx, { role: 'rep', teamId: team.id, name: 'Rep Ren' });
  manager = await seedUser(s.ctx, { role: 'manager', teamId: team.id, name: 'Manager Mei' });
  otherRep = await seedUser(s.ctx, { role: 'rep', teamId: (await seedTeam(s.ctx)).id });
  customerId = await seedCustomerDoc(s.ctx, team.id, rep, 'Acme');
});
afterEach(() => {
  // A failed test must not leave a socket that keeps the server from closing.
  for (const c of opened.splice(0)) c.hostDisconnected();
});
afterAll(async () => {
  await s.close();
});

/** A controller as an element would hold it, speaking to the real server with a cookie. */
function open(user: User, cookie: string, docName = customerDocName(customerId)) {
  const host = { updates: 0, addController() {}, removeController() {}, requestUpdate() { host.updates++; }, updateComplete: Promise.resolve(true) };
  const docs: Y.Doc[] = [];
  const refusals: DocRefusal[] = [];
  const http = originOf(s.wsBase);
  const controller = new DocController(host, {
    docName,
    user: { id: user.id, name: user.name, role: user.role },
    wsBase: s.wsBase,
    WebSocketImpl: wsClass(cookie, http) as unknown as typeof WebSocket,
    onDoc: (d) => docs.push(d),
    onRefusal: (r) => refusals.push(r),
    fetchAccess: async (name) => {
      const res = await fetch(`${http}/api/docs/${encodeURIComponent(name)}`, { headers: { cookie, origin: http } });
      const body = (await res.json()) as DocAccessDto & { error?: { code: string; message: string } };
      if (!res.ok) throw Object.assign(new Error(body.error!.message), { status: res.status, code: body.error!.code });
      return body;
    },
  });
  controller.hostConnected();
  opened.push(controller);
  return { controller, host, docs, refusals };
}

const storedIndustry = async (id = customerId) =>
  (await s.ctx.db.selectFrom('customers').select('industry').where('id', '=', id).executeTakeFirst())?.industry ?? null;

describe('DocController', () => {
  it('syncs and shows the other people present with name and colour', async () => {
    const a = open(rep, await login(s.t.app, rep.email));
    const b = open(manager, await login(s.t.app, manager.email));
    await until(() => a.controller.status === 'synced' && b.controller.status === 'synced', 'both synced');
    expect(a.controller.readOnly).toBe(false);
    expect(a.controller.doc.getMap(CUSTOMER_ROOTS.fields).get('name')).toBe('Acme');
    await until(() => a.controller.peers.some((p) => p.user.name === 'Manager Mei'), 'peer shown');
    const mei = a.controller.peers.find((p) => p.user.name === 'Manager Mei')!;
    expect(mei.user).toMatchObject({ id: manager.id, color: peerColor(manager.id), role: 'manager' });
    expect(a.host.updates).toBeGreaterThan(0);
    b.controller.hostDisconnected();
    await until(() => !a.controller.peers.some((p) => p.user.name === 'Manager Mei'), 'peer gone');
  });

  it('a refused change keeps the local document: the valid part of the same update is stored, the refused field returns by itself', async () => {
    const id = await seedCustomerDoc(s.ctx, rep.teamId!, rep, 'Mixed Co');
    const a = open(rep, await login(s.t.app, rep.email), customerDocName(id));
    await until(() => a.controller.status === 'synced', 'synced');
    const first = a.controller.doc;
    const fields = first.getMap(CUSTOMER_ROOTS.fields);
    // One update: a permitted change and one a rep may not make.
    first.transact(() => {
      fields.set('industry', 'Logistics');
      fields.set('ownerId', rep.id);
    });
    await until(() => a.controller.refusalFor('ownerId') !== null, 'refusal recorded');
    expect(a.controller.refusalFor('ownerId')).toMatchObject({ code: 'forbidden', field: 'ownerId' });
    expect(a.refusals.map((r) => r.field)).toEqual(['ownerId']);
    // The server's compensation restores the refused field; the connection stays up.
    await until(() => fields.get('ownerId') === undefined, 'ownerId restored by the compensation');
    await until(async () => (await storedIndustry(id)) === 'Logistics', 'valid part stored');
    expect(a.controller.doc).toBe(first);
    expect(a.docs).toEqual([]);
    expect(a.controller.status).toBe('synced');
    expect(a.controller.error).toBeNull();
    expect(fields.get('industry')).toBe('Logistics');
    // Editing goes on in the same document.
    fields.set('industry', 'Freight');
    await until(async () => (await storedIndustry(id)) === 'Freight', 'later edit stored');
    a.controller.dismissRefusal('ownerId');
    expect(a.controller.refusalFor('ownerId')).toBeNull();
  });

  it('an earlier offline edit survives a refused one sent with it on reconnection', async () => {
    const id = await seedCustomerDoc(s.ctx, rep.teamId!, rep, 'Offline Co');
    const a = open(rep, await login(s.t.app, rep.email), customerDocName(id));
    await until(() => a.controller.status === 'synced', 'synced');
    const first = a.controller.doc;
    const fields = first.getMap(CUSTOMER_ROOTS.fields);
    a.controller.hostDisconnected();
    fields.set('industry', 'Offline edit');
    fields.set('ownerId', rep.id);
    a.controller.hostConnected();
    await until(() => a.controller.refusalFor('ownerId') !== null, 'refusal recorded');
    await until(() => fields.get('ownerId') === undefined, 'ownerId restored by the compensation');
    await until(async () => (await storedIndustry(id)) === 'Offline edit', 'offline edit stored');
    expect(a.controller.doc).toBe(first);
    expect(a.docs).toEqual([]);
    expect(a.controller.status).toBe('synced');
  });

  it('drops unsent changes only when asked (reset), loading the saved document', async () => {
    const id = await seedCustomerDoc(s.ctx, rep.teamId!, rep, 'Reset Co');
    const a = open(rep, await login(s.t.app, rep.email), customerDocName(id));
    await until(() => a.controller.status === 'synced', 'synced');
    const first = a.controller.doc;
    a.controller.hostDisconnected();
    first.getMap(CUSTOMER_ROOTS.fields).set('industry', 'Never sent');
    a.controller.hostConnected();
    a.controller.reset();
    expect(a.docs).toHaveLength(1);
    expect(a.controller.doc).toBe(a.docs[0]);
    expect(a.controller.doc).not.toBe(first);
    await until(() => a.controller.status === 'synced', 'synced again');
    expect(a.controller.doc.getMap(CUSTOMER_ROOTS.fields).get('name')).toBe('Reset Co');
    expect(a.controller.doc.getMap(CUSTOMER_ROOTS.fields).get('industry')).toBeUndefined();
    expect(await storedIndustry(id)).not.toBe('Never sent');
  });

  it('marks read-only access (an archived customer, for a rep)', async () => {
    const id = await seedCustomerDoc(s.ctx, rep.teamId!, rep, 'Archived Co');
    await s.ctx.db.updateTable('customers').set({ archived_at: new Date() }).where('id', '=', id).execute();
    const a = open(rep, await login(s.t.app, rep.email), customerDocName(id));
    await until(() => a.controller.status === 'synced', 'synced');
    expect(a.controller.readOnly).toBe(true);
    expect(a.controller.doc.getMap(CUSTOMER_ROOTS.fields).get('name')).toBe('Archived Co');
  });

  it('is refused (no retry) for another team’s record and after sign-out', async () => {
    const other = open(otherRep, await login(s.t.app, otherRep.email));
    await until(() => other.controller.status === 'refused', 'refused access');
    expect(other.controller.error).toMatchObject({ code: 'not_found' });

    const cookie = await login(s.t.app, rep.email);
    const a = open(rep, cookie);
    await until(() => a.controller.status === 'synced', 'synced');
    const doc = a.controller.doc;
    await s.t.app.request('/api/auth/logout', jsonRequest('POST', {}, cookie));
    await until(() => a.controller.status === 'refused', 'refused after sign-out');
    expect(a.controller.error).toMatchObject({ code: 'unauthenticated' });
    // What the page holds stays (nothing is dropped on a refusal).
    expect(a.controller.doc).toBe(doc);
  });
});
