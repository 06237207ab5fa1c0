import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { boardDocName } from '../../schema/wire/docs.ts';
import type { OpportunityDto } from '../../schema/wire/opportunity.ts';
import type { PipelineDto } from '../../schema/wire/pipeline.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { type ClientSocket, Recorder, api, connect as connectSocket, startTestServer, type TestServer } from '../socket/socket-helpers.ts';
import { connect as connectBoard, until } from './realtime-helpers.ts';

let s: TestServer;
let rep: User;
let rep2: User;
let manager: User;
let repCookie: string;
let rep2Cookie: string;
let managerCookie: string;
let pipeline: PipelineDto;
let customerId: string;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  s = await startTestServer();
  const teamId = (await seedTeam(s.ctx)).id;
  rep = await seedUser(s.ctx, { role: 'rep', teamId });
  rep2 = await seedUser(s.ctx, { role: 'rep', teamId });
  manager = await seedUser(s.ctx, { role: 'manager', teamId });
  repCookie = await login(s.app, rep.email);
  rep2Cookie = await login(s.app, rep2.email);
  managerCookie = await login(s.app, manager.email);
  pipeline = ((await (await api(s.url, 'GET', '/api/pipelines', repCookie)).json()) as { items: PipelineDto[] }).items[0]!;
  customerId = (await s.ctx.db.insertInto('customers').values({ team_id: teamId, name: 'Assigned Co' }).returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await s.close();
});

async function tab(cookie: string): Promise<ClientSocket> {
  const socket = await connectSocket(s.url, cookie);
  sockets.push(socket);
  return socket;
}

async function create(cookie: string, body: Record<string, unknown>): Promise<OpportunityDto> {
  const res = await api(s.url, 'POST', '/api/opportunities', cookie, body);
  expect(res.status).toBe(201);
  return ((await res.json()) as { opportunity: OpportunityDto }).opportunity;
}

describe('opportunity assignment notifications, live', () => {
  it('reach the new owner’s open tab when a manager reassigns over REST, after the change is stored', async () => {
    const onRep2 = new Recorder(await tab(rep2Cookie), 'notification');
    const o = await create(repCookie, { customerId, name: 'Fleet renewal 车队续约', amount: 9000 });
    const res = await api(s.url, 'PATCH', `/api/opportunities/${o.id}`, managerCookie, { ownerId: rep2.id });
    expect(res.status).toBe(200);
    const n = await onRep2.waitFor((e) => e.entity?.id === o.id);
    expect(n).toMatchObject({ type: 'assignment', link: `/opportunities/${o.id}`, entity: { type: 'opportunity', id: o.id } });
    expect(n.title).toContain('Fleet renewal');
    const row = await s.ctx.db.selectFrom('notifications').select('id').where('id', '=', n.id).executeTakeFirst();
    expect(row?.id).toBe(n.id);
  });

  it('reach the new owner when a manager drags the owner on the board, and not the actor', async () => {
    const onRep = new Recorder(await tab(repCookie), 'notification');
    const onManager = new Recorder(await tab(managerCookie), 'notification');
    const o = await create(managerCookie, { customerId, name: 'Scanner pilot', amount: 500, ownerId: rep2.id });
    const board = connectBoard(`${s.url.replace(/^http/, 'ws')}/yjs`, boardDocName(pipeline.id), managerCookie);
    await board.synced();
    (board.doc.getMap<Y.Map<unknown>>('cards').get(o.id) as Y.Map<unknown>).set('ownerId', rep.id);
    await until(async () => (await s.ctx.db.selectFrom('opportunities').select('owner_id').where('id', '=', o.id).executeTakeFirstOrThrow()).owner_id === rep.id, 'stored');
    const n = await onRep.waitFor((e) => e.entity?.id === o.id);
    expect(n).toMatchObject({ type: 'assignment', entity: { type: 'opportunity', id: o.id } });
    // Sentinel: events to one socket arrive in order, so once the manager receives a later
    // assignment made by someone else, they provably got none for their own change.
    const sentinel = await create(repCookie, { customerId, name: 'Sentinel for the manager', amount: 1 });
    const admin = await seedUser(s.ctx, { role: 'admin' });
    expect((await api(s.url, 'PATCH', `/api/opportunities/${sentinel.id}`, await login(s.app, admin.email), { ownerId: manager.id })).status).toBe(200);
    await onManager.waitFor((e) => e.entity?.id === sentinel.id);
    expect(onManager.events.map((e) => e.entity?.id)).toEqual([sentinel.id]);
    board.destroy();
  });
});
