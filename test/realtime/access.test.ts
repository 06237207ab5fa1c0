import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOC_CLOSE, customerDocName } from '../../schema/wire/docs.ts';
import type { User } from '../../server/users/user.ts';
import { jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';
import { type HubServer, connect, originOf, rawOpen, seedCustomerDoc, startHubServer, until } from './realtime-helpers.ts';

let s: HubServer;
let rep: User;
let otherRep: User;
let admin: User;
let customerId: string;

beforeAll(async () => {
  s = await startHubServer({ sessionRecheckMs: 200 });
  const team = await seedTeam(s.ctx);
  const other = await seedTeam(s.ctx);
  rep = await seedUser(s.ctx, { role: 'rep', teamId: team.id });
  otherRep = await seedUser(s.ctx, { role: 'rep', teamId: other.id });
  admin = await seedUser(s.ctx, { role: 'admin' });
  customerId = await seedCustomerDoc(s.ctx, team.id, rep, 'Acme');
});
afterAll(async () => {
  await s.close();
});

async function status(path: string, headers: Record<string, string>): Promise<number> {
  const r = await rawOpen(`${s.wsBase}/${path}`, headers);
  if ('ws' in r) {
    r.ws.close();
    return 101;
  }
  return r.status;
}

describe('the upgrade is refused before any Yjs message', () => {
  it('401 without a session, or with a forged one', async () => {
    const origin = originOf(s.wsBase);
    expect(await status(customerDocName(customerId), { origin })).toBe(401);
    expect(await status(customerDocName(customerId), { origin, cookie: 'session=AAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' })).toBe(401);
  });

  it('404 for unknown kinds, malformed names and missing records', async () => {
    const cookie = await login(s.t.app, rep.email);
    const origin = originOf(s.wsBase);
    expect(await status('nope:123', { origin, cookie })).toBe(404);
    expect(await status('customer:not-a-uuid', { origin, cookie })).toBe(404);
    expect(await status(customerDocName(randomUUID()), { origin, cookie })).toBe(404);
    expect(await status(`${customerDocName(customerId)}%2Fx`, { origin, cookie })).toBe(404);
  });

  it('404 for another team’s customer; admins open every team’s', async () => {
    const origin = originOf(s.wsBase);
    expect(await status(customerDocName(customerId), { origin, cookie: await login(s.t.app, otherRep.email) })).toBe(404);
    expect(await status(customerDocName(customerId), { origin, cookie: await login(s.t.app, admin.email) })).toBe(101);
    expect(await status(customerDocName(customerId), { origin, cookie: await login(s.t.app, rep.email) })).toBe(101);
  });

  it('403 for a foreign Origin (cross-site WebSocket hijacking), and for a pending password change', async () => {
    const cookie = await login(s.t.app, rep.email);
    expect(await status(customerDocName(customerId), { origin: 'https://evil.example', cookie })).toBe(403);
    expect(await status(customerDocName(customerId), { cookie })).toBe(403);
    const pending = await seedUser(s.ctx, { role: 'admin', mustChangePassword: true });
    const pendingCookie = await login(s.t.app, pending.email);
    expect(await status(customerDocName(customerId), { origin: originOf(s.wsBase), cookie: pendingCookie })).toBe(403);
  });
});

describe('access re-checked by domain code (ctx.hub.recheckAccess)', () => {
  it('an archived customer turns a rep read-only (4001, reconnect), a deleted one closes with 4404', async () => {
    const cookie = await login(s.t.app, rep.email);
    const id = await seedCustomerDoc(s.ctx, rep.teamId!, rep, 'Soon Archived');
    const c = connect(s.wsBase, customerDocName(id), cookie);
    await c.synced();
    await s.ctx.db.updateTable('customers').set({ archived_at: new Date() }).where('id', '=', id).execute();
    await s.ctx.hub.recheckAccess(customerDocName(id));
    await until(() => c.closes.some((x) => x.code === DOC_CLOSE.recheck), 'closed for a re-check');
    await until(() => c.provider.synced, 'reconnected');
    // Now read-only: an edit is refused and undone.
    c.doc.getMap('fields').set('industry', 'x');
    await until(() => c.refusals.some((r) => JSON.parse(r).code === 'forbidden'), 'read-only now');
    await until(() => c.doc.getMap('fields').get('industry') === undefined, 'edit undone');
    c.destroy();

    const d = connect(s.wsBase, customerDocName(id), await login(s.t.app, admin.email));
    await d.synced();
    await s.ctx.db.deleteFrom('doc_updates').where('doc_name', '=', customerDocName(id)).execute();
    await s.ctx.db.deleteFrom('doc_snapshots').where('doc_name', '=', customerDocName(id)).execute();
    await s.ctx.db.deleteFrom('customers').where('id', '=', id).execute();
    await s.ctx.hub.recheckAccess(customerDocName(id));
    await until(() => d.closes.some((x) => x.code === DOC_CLOSE.notFound), 'closed: record gone');
    expect(d.provider.shouldConnect).toBe(false);
    d.destroy();
  });
});

describe('archiving over REST', () => {
  it('turns a rep’s open tab read-only at once', async () => {
    const cookie = await login(s.t.app, rep.email);
    const id = await seedCustomerDoc(s.ctx, rep.teamId!, rep, 'Archived over REST');
    const c = connect(s.wsBase, customerDocName(id), cookie);
    await c.synced();
    const res = await s.t.app.request(`/api/customers/${id}/archive`, jsonRequest('POST', {}, await login(s.t.app, admin.email)));
    expect(res.status).toBe(200);
    await until(() => c.closes.some((x) => x.code === DOC_CLOSE.recheck), 'closed for a re-check');
    await until(() => c.provider.synced, 'reconnected');
    c.doc.getMap('fields').set('industry', 'late edit');
    await until(() => c.refusals.some((r) => JSON.parse(r).code === 'forbidden'), 'read-only now');
    await until(() => c.doc.getMap('fields').get('industry') !== 'late edit', 'edit undone');
    const row = await s.ctx.db.selectFrom('customers').select('industry').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.industry).not.toBe('late edit');
    c.destroy();
  });
});

describe('sessions that end close their sockets', () => {
  it('sign-out closes the socket at once with 4401', async () => {
    const cookie = await login(s.t.app, rep.email);
    const c = connect(s.wsBase, customerDocName(customerId), cookie);
    await c.synced();
    const res = await s.t.app.request('/api/auth/logout', jsonRequest('POST', {}, cookie));
    expect(res.status).toBe(204);
    await until(() => c.closes.some((x) => x.code === DOC_CLOSE.unauthenticated), 'closed after sign-out');
    c.destroy();
  });

  it('a session ended elsewhere (row deleted) or a deactivated user is closed by the periodic re-check', async () => {
    const cookie = await login(s.t.app, rep.email);
    const c = connect(s.wsBase, customerDocName(customerId), cookie);
    await c.synced();
    const sessionId = cookie.slice('session='.length).split('.')[0]!;
    await s.ctx.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
    await until(() => c.closes.some((x) => x.code === DOC_CLOSE.unauthenticated), 'closed after the session row went');
    c.destroy();

    const user = await seedUser(s.ctx, { role: 'admin' });
    const cookie2 = await login(s.t.app, user.email);
    const d = connect(s.wsBase, customerDocName(customerId), cookie2);
    await d.synced();
    await s.ctx.db.updateTable('users').set({ active: false }).where('id', '=', user.id).execute();
    await until(() => d.closes.some((x) => x.code === DOC_CLOSE.unauthenticated), 'closed after deactivation');
    d.destroy();
  });
});
