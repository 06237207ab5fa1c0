import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_REFUSALS_BEFORE_DISCONNECT } from '../../server/socket/socket-server.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import {
  api,
  type ClientSocket,
  connect,
  disconnected,
  emitWithAck,
  Recorder,
  refusal,
  startTestServer,
  type TestServer,
} from './socket-helpers.ts';

const BURST = 5;
const RECHECK_MS = 100;

let s: TestServer;
let teamA: string;
let rep: User;
let cRep: string;
let customerA: string;
let customerB: string;
const sockets: ClientSocket[] = [];

async function tab(cookie: string): Promise<ClientSocket> {
  const socket = await connect(s.url, cookie);
  sockets.push(socket);
  return socket;
}

beforeAll(async () => {
  // A tiny refill rate: after the burst, every further event in this file is over the limit.
  s = await startTestServer({ socket: { eventBurst: BURST, eventsPerSecond: 0.001, sessionRecheckIntervalMs: RECHECK_MS } });
  teamA = (await seedTeam(s.ctx)).id;
  const teamB = (await seedTeam(s.ctx)).id;
  rep = await seedUser(s.ctx, { teamId: teamA });
  cRep = await login(s.app, rep.email);
  customerA = (await s.ctx.db.insertInto('customers').values({ team_id: teamA, name: 'A' }).returning('id').executeTakeFirstOrThrow()).id;
  customerB = (await s.ctx.db.insertInto('customers').values({ team_id: teamB, name: 'B' }).returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await s.close();
});

describe('handshake', () => {
  it('refuses a socket without a session cookie, or with a forged one', async () => {
    expect((await refusal(s.url, undefined))?.message).toBe('unauthenticated');
    expect((await refusal(s.url, 'session=abc.def'))?.message).toBe('unauthenticated');
    const [id] = cRep.slice('session='.length).split('.');
    const forged = `session=${id}.${'A'.repeat(43)}`;
    expect((await refusal(s.url, forged))?.message).toBe('unauthenticated');
  });

  it('refuses a user who must change the password first', async () => {
    const u = await seedUser(s.ctx, { teamId: teamA, mustChangePassword: true });
    const cookie = await login(s.app, u.email);
    expect((await refusal(s.url, cookie))?.message).toBe('password_change_required');
  });

  it('refuses a foreign Origin before any Socket.IO packet, over WebSocket and polling', async () => {
    expect(await refusal(s.url, cRep, { origin: 'http://evil.example' })).not.toBeNull();
    expect(await refusal(s.url, cRep, { origin: 'http://evil.example', transports: ['polling'] })).not.toBeNull();
    const res = await fetch(`${s.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'http://evil.example', cookie: cRep } });
    expect(res.status).toBe(403);
    const ok = await fetch(`${s.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: s.url, cookie: cRep } });
    expect(ok.status).toBe(200);
    await ok.text();
    // No Origin at all (not a browser page): refused unless Sec-Fetch-Site says same-origin.
    expect(await refusal(s.url, cRep, { origin: null })).not.toBeNull();
  });

  it('accepts the same user over polling with the page origin', async () => {
    const socket = await connect(s.url, cRep, { transports: ['polling'] });
    sockets.push(socket);
    expect(socket.connected).toBe(true);
  });
});

describe('ended sessions', () => {
  it('signing out disconnects that session’s sockets at once, not the user’s other sessions', async () => {
    const u = await seedUser(s.ctx, { teamId: teamA });
    const cookie1 = await login(s.app, u.email);
    const cookie2 = await login(s.app, u.email);
    const [a, b] = await Promise.all([tab(cookie1), tab(cookie2)]);
    const ended = new Recorder(a, 'session:ended');
    const gone = disconnected(a);
    expect((await api(s.url, 'POST', '/api/auth/logout', cookie1, {})).status).toBe(204);
    expect(await gone).toBe('io server disconnect');
    expect(ended.events).toEqual([{ reason: 'session_ended' }]);
    expect(b.connected).toBe(true);
  });

  it('a session ended elsewhere (row deleted by another process) is found by the periodic re-check', async () => {
    const u = await seedUser(s.ctx, { teamId: teamA });
    const cookie = await login(s.app, u.email);
    const socket = await tab(cookie);
    const gone = disconnected(socket);
    await s.ctx.db.deleteFrom('sessions').where('user_id', '=', u.id).execute();
    expect(await gone).toBe('io server disconnect');
  });

  it('a user moved to another team is disconnected so that rooms are rebuilt', async () => {
    const u = await seedUser(s.ctx, { teamId: teamA });
    const cookie = await login(s.app, u.email);
    const socket = await tab(cookie);
    const ended = new Recorder(socket, 'session:ended');
    const gone = disconnected(socket);
    const otherTeam = (await seedTeam(s.ctx)).id;
    await s.ctx.db.updateTable('users').set({ team_id: otherTeam }).where('id', '=', u.id).execute();
    await gone;
    expect(ended.events).toEqual([{ reason: 'account_changed' }]);
  });
});

describe('client events', () => {
  it('validates payloads, refuses unknown events and other teams’ resources, then rate-limits', async () => {
    const u = await seedUser(s.ctx, { teamId: teamA });
    const socket = await tab(await login(s.app, u.email));
    const errors = new Recorder(socket, 'app:error');

    // 1: a bad payload
    const bad = await emitWithAck(socket, 'presence:join', { resource: 'customer:not-a-uuid' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation' } });
    // 2: extra keys
    expect(await emitWithAck(socket, 'presence:join', { resource: 'customers', extra: 1 })).toMatchObject({ ok: false });
    // 3: not an object at all
    expect(await emitWithAck(socket, 'presence:join', 'customers')).toMatchObject({ ok: false, error: { code: 'validation' } });
    // 4: another team's customer looks like no customer at all
    expect(await emitWithAck(socket, 'presence:join', { resource: `customer:${customerB}` })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    // 5: own team's customer
    expect(await emitWithAck(socket, 'presence:join', { resource: `customer:${customerA}` })).toMatchObject({ ok: true });

    // An unknown event without ack gets an app:error (and is not counted against the budget).
    (socket as unknown as { emit: (e: string, p: unknown) => void }).emit('admin:everything', {});
    expect(await errors.waitFor((e) => e.event === 'admin:everything')).toMatchObject({ code: 'bad_request' });

    // The burst is spent: the next event is refused.
    const limited = await emitWithAck(socket, 'presence:join', { resource: 'customers' });
    expect(limited).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(socket.connected).toBe(true);
  });

  it('a socket that keeps flooding past the limit is disconnected', async () => {
    const u = await seedUser(s.ctx, { teamId: teamA });
    const socket = await tab(await login(s.app, u.email));
    const ended = new Recorder(socket, 'session:ended');
    const gone = disconnected(socket);
    for (let i = 0; i < BURST + SOCKET_REFUSALS_BEFORE_DISCONNECT; i++) socket.emit('presence:join', { resource: 'customers' });
    await gone;
    expect(ended.events).toEqual([{ reason: 'rate_limited' }]);
  });

  it('a message larger than the cap closes the connection', async () => {
    const socket = await tab(cRep);
    const gone = disconnected(socket);
    socket.emit('presence:join', { resource: 'x'.repeat(64 * 1024) });
    expect(await gone).toBe('transport close');
  });
});
