/** `serviceRecord:changed` reaches every open tab of the record's team, and no other team. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceRecordDto } from '../../schema/wire/service-records.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { api, type ClientSocket, connect, Recorder, startTestServer, type TestServer } from './socket-helpers.ts';

let s: TestServer;
let cRep: string;
let cMate: string;
let cOutsider: string;
let customerId: string;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  s = await startTestServer();
  const teamA = (await seedTeam(s.ctx)).id;
  const teamB = (await seedTeam(s.ctx)).id;
  const rep = await seedUser(s.ctx, { teamId: teamA, name: 'Rex Rep' });
  const mate = await seedUser(s.ctx, { teamId: teamA, name: 'Mo Mate' });
  const outsider = await seedUser(s.ctx, { teamId: teamB, name: 'Oscar Outsider' });
  [cRep, cMate, cOutsider] = (await Promise.all([rep, mate, outsider].map((u) => login(s.app, u.email)))) as [string, string, string];
  customerId = (await s.ctx.db.insertInto('customers').values({ team_id: teamA, name: 'Acme' }).returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await s.close();
});

describe('serviceRecord:changed', () => {
  it('a teammate’s tab hears of a create and of a status change; another team’s does not', async () => {
    const [mateTab, outsiderTab] = await Promise.all([connect(s.url, cMate), connect(s.url, cOutsider)]);
    sockets.push(mateTab, outsiderTab);
    const onMate = new Recorder(mateTab, 'serviceRecord:changed');
    const onOutsider = new Recorder(outsiderTab, 'serviceRecord:changed');

    const res = await api(s.url, 'POST', '/api/service-records', cRep, { customerId, type: 'complaint', title: 'Leaking valve' });
    expect(res.status).toBe(201);
    const { serviceRecord } = (await res.json()) as { serviceRecord: ServiceRecordDto };
    expect(await onMate.waitFor((e) => e.id === serviceRecord.id)).toEqual({ id: serviceRecord.id, customerId });

    const changed = await api(s.url, 'PATCH', `/api/service-records/${serviceRecord.id}`, cRep, { status: 'in_progress' });
    expect(changed.status).toBe(200);
    await onMate.waitFor(() => onMate.events.length >= 2);
    expect(onMate.events).toHaveLength(2);

    // A refused change (no resolution) sends nothing.
    const refused = await api(s.url, 'PATCH', `/api/service-records/${serviceRecord.id}`, cRep, { status: 'resolved' });
    expect(refused.status).toBe(400);
    // A marker event after it: once the marker arrives, anything the refusal had sent would have too.
    const marker = await api(s.url, 'PATCH', `/api/service-records/${serviceRecord.id}`, cRep, { title: 'Leaking valve (kitchen)' });
    expect(marker.status).toBe(200);
    await onMate.waitFor(() => onMate.events.length >= 3);
    expect(onMate.events).toHaveLength(3);
    expect(onOutsider.events).toEqual([]);
  });
});
