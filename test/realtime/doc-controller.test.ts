import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { CUSTOMER_ROOTS, type DocAccessDto, customerDocName } from '../../schema/wire/docs.ts';
import { DocController, peerColor } from '../../client/src/realtime/doc-controller.ts';
import type { User } from '../../server/users/user.ts';
import { jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';
import { type HubServer, originOf, seedCustomerDoc, startHubServer, until, wsClass } from './realtime-helpers.ts';

let s: HubServer;
let rep: User;
let manager: User;
let otherRep: User;
let customerId: string;

beforeAll(async () => {
  s = await startHubServer();
  const team = await seedTeam(s.ctx);
  rep = await seedUser(s.ctx, { role: 'rep', teamId: team.id, name: 'Rep Ren' });
  manager = await seedUser(s.ctx, { role: 'manager', teamId: team.id, name: 'Manager Mei' });
  otherRep = await seedUser(s.ctx, { role: 'rep', teamId: (await seedTeam(s.ctx)).id });
  customerId = await seedCustomerDoc(s.ctx, team.id, rep, 'Acme');
});
afterAll(async () => {
  await s.close();
});

/** A controller as an element would hold it, speaking to the real server with a cookie. */
function open(user: User, cookie: string, docName = customerDocName(customerId)) {
  const host = { updates: 0, addController() {}, removeController() {}, requestUpdate() { host.updates++; }, updateComplete: Promise.resolve(true) };
  const docs: Y.Doc[] = [];
  const http = originOf(s.wsBase);
  const controller = new DocController(host, {
    docName,
    user: { id: user.id, name: user.name },
    wsBase: s.wsBase,
    WebSocketImpl: wsClass(cookie, http) as unknown as typeof WebSocket,
    onDoc: (d) => docs.push(d),
    fetchAccess: async (name) => {
      const res = await fetch(`${http}/api/docs/${encodeURIComponent(name)}`, { headers: { cookie, origin: http } });
      const body = (await res.json()) as DocAccessDto & { error?: { code: string; message: string } };
      if (!res.ok) throw Object.assign(new Error(body.error!.message), { status: res.status, code: body.error!.code });
      return body;
    },
  });
  controller.hostConnected();
  return { controller, host, docs };
}

describe('DocController', () => {
  it('syncs and shows the other people present with name and colour', async () => {
    const a = open(rep, await login(s.t.app, rep.email));
    const b = open(manager, await login(s.t.app, manager.email));
    await until(() => a.controller.status === 'synced' && b.controller.status === 'synced', 'both synced');
    expect(a.controller.readOnly).toBe(false);
    expect(a.controller.doc.getMap(CUSTOMER_ROOTS.fields).get('name')).toBe('Acme');
    await until(() => a.controller.peers.some((p) => p.name === 'Manager Mei'), 'peer shown');
    expect(a.controller.peers.find((p) => p.name === 'Manager Mei')?.color).toBe(peerColor(manager.id));
    expect(a.host.updates).toBeGreaterThan(0);
    b.controller.hostDisconnected();
    await until(() => !a.controller.peers.some((p) => p.name === 'Manager Mei'), 'peer gone');
    a.controller.hostDisconnected();
  });

  it('a refused edit shows the reason and resyncs to the server’s state in a fresh document', async () => {
    const a = open(rep, await login(s.t.app, rep.email));
    await until(() => a.controller.status === 'synced', 'synced');
    const first = a.controller.doc;
    first.getMap(CUSTOMER_ROOTS.fields).set('ownerId', rep.id);
    await until(() => a.controller.error !== null, 'refusal shown');
    expect(a.controller.error).toMatchObject({ code: 'forbidden', field: 'ownerId' });
    await until(() => a.controller.status === 'synced' && a.controller.doc !== first, 'resynced');
    expect(a.docs).toContain(a.controller.doc);
    expect(a.controller.doc.getMap(CUSTOMER_ROOTS.fields).get('ownerId')).toBeUndefined();
    expect(a.controller.doc.getMap(CUSTOMER_ROOTS.fields).get('name')).toBe('Acme');
    // Editing goes on after the resync.
    a.controller.doc.getMap(CUSTOMER_ROOTS.fields).set('industry', 'Logistics');
    await until(async () => {
      const row = await s.ctx.db.selectFrom('customers').select('industry').where('id', '=', customerId).executeTakeFirst();
      return row?.industry === 'Logistics';
    }, 'edit after resync stored');
    a.controller.dismissError();
    expect(a.controller.error).toBeNull();
    a.controller.hostDisconnected();
  });

  it('marks read-only access (an archived customer, for a rep)', async () => {
    const id = await seedCustomerDoc(s.ctx, rep.teamId!, rep, 'Archived Co');
    await s.ctx.db.updateTable('customers').set({ archived_at: new Date() }).where('id', '=', id).execute();
    const a = open(rep, await login(s.t.app, rep.email), customerDocName(id));
    await until(() => a.controller.status === 'synced', 'synced');
    expect(a.controller.readOnly).toBe(true);
    expect(a.controller.doc.getMap(CUSTOMER_ROOTS.fields).get('name')).toBe('Archived Co');
    a.controller.hostDisconnected();
  });

  it('is refused (no retry) for another team’s record and after sign-out', async () => {
    const other = open(otherRep, await login(s.t.app, otherRep.email));
    await until(() => other.controller.status === 'refused', 'refused access');
    expect(other.controller.error).toMatchObject({ code: 'not_found' });

    const cookie = await login(s.t.app, rep.email);
    const a = open(rep, cookie);
    await until(() => a.controller.status === 'synced', 'synced');
    await s.t.app.request('/api/auth/logout', jsonRequest('POST', {}, cookie));
    await until(() => a.controller.status === 'refused', 'refused after sign-out');
    expect(a.controller.error).toMatchObject({ code: 'unauthenticated' });
    a.controller.hostDisconnected();
    other.controller.hostDisconnected();
  });
});
