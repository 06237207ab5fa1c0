/**
 * Live lists: `customer:changed`, `opportunity:changed` and `task:changed` reach
 * the tabs that may read the record (its team's, admins') and no other team's,
 * whether the change came through a live document, a REST call or a task.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { connect as connectDoc, type Client } from '../realtime/realtime-helpers.ts';
import { api, type ClientSocket, connect, Recorder, startTestServer, type TestServer } from './socket-helpers.ts';

let s: TestServer;
let teamA: string;
let owner: User;
let mate: User;
let manager: User;
const cookies: Record<'owner' | 'mate' | 'manager' | 'outsider' | 'admin', string> = {
  owner: '',
  mate: '',
  manager: '',
  outsider: '',
  admin: '',
};
const sockets: ClientSocket[] = [];
const docs: Client[] = [];

beforeAll(async () => {
  s = await startTestServer();
  teamA = (await seedTeam(s.ctx)).id;
  const teamB = (await seedTeam(s.ctx)).id;
  owner = await seedUser(s.ctx, { teamId: teamA, name: '陈静' });
  mate = await seedUser(s.ctx, { teamId: teamA, name: 'Mo Mate' });
  manager = await seedUser(s.ctx, { teamId: teamA, role: 'manager', name: 'Mia Manager' });
  const outsider = await seedUser(s.ctx, { teamId: teamB, name: 'Oscar Outsider' });
  const admin = await seedUser(s.ctx, { role: 'admin', teamId: null, name: 'Ada Admin' });
  const users = { owner, mate, manager, outsider, admin };
  for (const [k, u] of Object.entries(users)) cookies[k as keyof typeof cookies] = await login(s.app, u.email);
});
afterAll(async () => {
  for (const d of docs) d.destroy();
  for (const socket of sockets) socket.close();
  await s.close();
});

async function tab(who: keyof typeof cookies): Promise<ClientSocket> {
  const socket = await connect(s.url, cookies[who]);
  sockets.push(socket);
  return socket;
}

async function createCustomer(who: keyof typeof cookies, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await api(s.url, 'POST', '/api/customers', cookies[who], { name, confirm: true, ...extra });
  expect(res.status).toBe(201);
  return ((await res.json()) as { customer: { id: string } }).customer.id;
}

describe('customer:changed', () => {
  it('an edit through the live document reaches the team and admins, not another team', async () => {
    const id = await createCustomer('owner', 'Acme Live');
    const [mateTab, outsiderTab, adminTab] = await Promise.all([tab('mate'), tab('outsider'), tab('admin')]);
    const onMate = new Recorder(mateTab, 'customer:changed');
    const onOutsider = new Recorder(outsiderTab, 'customer:changed');
    const onAdmin = new Recorder(adminTab, 'customer:changed');

    const client = connectDoc(`${s.url.replace(/^http/, 'ws')}/yjs`, customerDocName(id), cookies.owner);
    docs.push(client);
    await client.synced();
    client.doc.getMap(CUSTOMER_ROOTS.fields).set('phone', '+86 10 5555 0101');

    expect(await onMate.waitFor((e) => e.id === id)).toEqual({ id, ownerId: owner.id });
    await onAdmin.waitFor((e) => e.id === id);
    // One edit, one event per tab (coalesced per projection run).
    expect(onMate.events.filter((e) => e.id === id)).toHaveLength(1);

    // A marker in the outsider's own team: once it arrives, a leaked event would have too.
    const marker = await createCustomer('outsider', 'Marker B');
    await onOutsider.waitFor((e) => e.id === marker);
    expect(onOutsider.events.map((e) => e.id)).toEqual([marker]);
    expect(onMate.events.some((e) => e.id === marker)).toBe(false);
  });

  it('a reassignment reaches the previous and the new owner, naming both', async () => {
    const id = await createCustomer('owner', 'Acme Handover');
    const [ownerTab, mateTab] = await Promise.all([tab('owner'), tab('mate')]);
    const onOwner = new Recorder(ownerTab, 'customer:changed');
    const onMate = new Recorder(mateTab, 'customer:changed');

    const res = await api(s.url, 'PATCH', `/api/customers/${id}`, cookies.manager, { ownerId: mate.id });
    expect(res.status).toBe(200);
    const expected = { id, ownerId: mate.id, previousOwnerId: owner.id };
    expect(await onOwner.waitFor((e) => e.id === id)).toEqual(expected);
    expect(await onMate.waitFor((e) => e.id === id)).toEqual(expected);
  });

  it('an archive tells the team the record is archived', async () => {
    const id = await createCustomer('manager', 'Acme Archive', { ownerId: owner.id });
    const onOwner = new Recorder(await tab('owner'), 'customer:changed');
    const res = await api(s.url, 'POST', `/api/customers/${id}/archive`, cookies.manager);
    expect(res.status).toBe(200);
    expect(await onOwner.waitFor((e) => e.id === id && e.archived === true)).toMatchObject({ ownerId: owner.id });
  });
});

describe('task:changed and opportunity:changed', () => {
  it('a task handed to a teammate reaches the team, not another team', async () => {
    const [mateTab, outsiderTab] = await Promise.all([tab('mate'), tab('outsider')]);
    const onMate = new Recorder(mateTab, 'task:changed');
    const onOutsider = new Recorder(outsiderTab, 'task:changed');
    const created = await api(s.url, 'POST', '/api/tasks', cookies.owner, { title: 'Call back' });
    expect(created.status).toBe(201);
    const { task } = (await created.json()) as { task: { id: string } };
    expect(await onMate.waitFor((e) => e.id === task.id)).toMatchObject({ ownerId: owner.id, archived: false });

    const handed = await api(s.url, 'PATCH', `/api/tasks/${task.id}`, cookies.owner, { assigneeId: mate.id });
    expect(handed.status).toBe(200);
    expect(await onMate.waitFor((e) => e.id === task.id && e.ownerId === mate.id)).toMatchObject({ previousOwnerId: owner.id });

    const marker = await api(s.url, 'POST', '/api/tasks', cookies.outsider, { title: 'Marker' });
    expect(marker.status).toBe(201);
    const markerId = ((await marker.json()) as { task: { id: string } }).task.id;
    await onOutsider.waitFor((e) => e.id === markerId);
    expect(onOutsider.events.map((e) => e.id)).toEqual([markerId]);
  });

  it('a new opportunity reaches the team through the board projection', async () => {
    const customerId = await createCustomer('owner', 'Acme Deals');
    const onMate = new Recorder(await tab('mate'), 'opportunity:changed');
    const res = await api(s.url, 'POST', '/api/opportunities', cookies.owner, { customerId, name: 'ERP rollout', amount: 1000 });
    expect(res.status).toBe(201);
    const { opportunity } = (await res.json()) as { opportunity: { id: string } };
    expect(await onMate.waitFor((e) => e.id === opportunity.id)).toEqual({ id: opportunity.id, ownerId: owner.id, customerId });
  });
});
