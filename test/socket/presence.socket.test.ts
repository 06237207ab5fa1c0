import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceEventDto } from '../../schema/wire/socket-events.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { type ClientSocket, connect, emitWithAck, Recorder, startTestServer, type TestServer } from './socket-helpers.ts';

let s: TestServer;
let teamA: string;
let teamB: string;
let ann: User;
let bob: User;
let zoe: User;
let cAnn: string;
let cBob: string;
let cZoe: string;
let customerA: string;
const sockets: ClientSocket[] = [];

async function tab(cookie: string): Promise<ClientSocket> {
  const socket = await connect(s.url, cookie);
  sockets.push(socket);
  return socket;
}

const names = (e: PresenceEventDto) => e.users.map((u) => u.name);

beforeAll(async () => {
  s = await startTestServer();
  teamA = (await seedTeam(s.ctx)).id;
  teamB = (await seedTeam(s.ctx)).id;
  ann = await seedUser(s.ctx, { teamId: teamA, name: 'Ann' });
  bob = await seedUser(s.ctx, { teamId: teamA, name: 'Bob' });
  zoe = await seedUser(s.ctx, { teamId: teamB, name: 'Zoe' });
  cAnn = await login(s.app, ann.email);
  cBob = await login(s.app, bob.email);
  cZoe = await login(s.app, zoe.email);
  customerA = (await s.ctx.db.insertInto('customers').values({ team_id: teamA, name: 'A' }).returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await s.close();
});

describe('presence', () => {
  it('join, second tab, leave and disconnect on a customer page', async () => {
    const resource = `customer:${customerA}`;
    const annTab = await tab(cAnn);
    const bobTab1 = await tab(cBob);
    const bobTab2 = await tab(cBob);
    const seenByAnn = new Recorder(annTab, 'presence');

    const joined = await emitWithAck(annTab, 'presence:join', { resource });
    expect(joined).toEqual({ ok: true, data: { resource, users: [{ id: ann.id, name: 'Ann' }] } });

    await emitWithAck(bobTab1, 'presence:join', { resource: resource.toUpperCase().replace('CUSTOMER', 'customer') });
    expect(names(await seenByAnn.waitFor((e) => e.users.length === 2))).toEqual(['Ann', 'Bob']);

    // A second tab of Bob: still two users.
    const second = await emitWithAck(bobTab2, 'presence:join', { resource });
    expect(second.ok && names(second.data)).toEqual(['Ann', 'Bob']);

    // Bob's first tab leaves: Bob is still there through the second tab, so no change is broadcast.
    expect(await emitWithAck(bobTab1, 'presence:leave', { resource })).toEqual({ ok: true, data: { resource } });
    const countBefore = seenByAnn.events.length;
    // The second tab closes: Bob is gone.
    bobTab2.close();
    const afterClose = await seenByAnn.waitFor((e) => e.users.length === 1 && seenByAnn.events.indexOf(e) >= countBefore);
    expect(names(afterClose)).toEqual(['Ann']);
    expect(seenByAnn.events.slice(countBefore)).toHaveLength(1);
  });

  it('board and list presence are scoped by team: another team on the same board id sees only itself', async () => {
    const board = 'board:0b6f3c2e-8a1d-4c3b-9f2e-1a2b3c4d5e6f';
    const annTab = await tab(cAnn);
    const zoeTab = await tab(cZoe);
    const seenByZoe = new Recorder(zoeTab, 'presence');
    const a = await emitWithAck(annTab, 'presence:join', { resource: board });
    expect(a.ok && names(a.data)).toEqual(['Ann']);
    const z = await emitWithAck(zoeTab, 'presence:join', { resource: board });
    expect(z.ok && names(z.data)).toEqual(['Zoe']);
    // Zoe's team lists: after a join of her own on the customer list, she has only seen herself.
    await emitWithAck(zoeTab, 'presence:join', { resource: 'customers' });
    await emitWithAck(annTab, 'presence:join', { resource: 'customers' });
    await seenByZoe.waitFor((e) => e.resource === 'customers');
    const zoeTab2 = await tab(cZoe);
    await emitWithAck(zoeTab2, 'presence:join', { resource: 'customers' });
    await emitWithAck(zoeTab2, 'presence:leave', { resource: 'customers' });
    expect(seenByZoe.events.every((e) => e.users.every((u) => u.id === zoe.id))).toBe(true);
    expect(await emitWithAck(zoeTab, 'presence:join', { resource: `customer:${customerA}` })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await emitWithAck(zoeTab, 'presence:join', { resource: 'board:42' })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await emitWithAck(zoeTab, 'presence:join', { resource: 'pipeline:0b6f3c2e-8a1d-4c3b-9f2e-1a2b3c4d5e6f' })).toMatchObject({
      ok: false,
    });
  });
});
