/**
 * Custom field values in the live document (`getMap('custom')`), with stock y-websocket
 * providers against a real server: valid values are stored, projected to
 * `customers.custom_fields` and filterable; a value the definitions refuse (unknown option,
 * text in a number, unknown key, archived field) is compensated while its neighbours in the
 * same update stay; definition changes reach open tabs as `customFields:changed`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { CustomFieldDto } from '../../schema/wire/custom-fields.ts';
import type { CustomerListDto } from '../../schema/wire/customer.ts';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import type { User } from '../../server/users/user.ts';
import { ORIGIN, jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';
import { type ClientSocket, Recorder, connect as connectSocket } from '../socket/socket-helpers.ts';
import { type Client, type HubServer, connect, seedCustomerDoc, startHubServer, storedDoc, until } from './realtime-helpers.ts';

let s: HubServer;
let rep: User;
let repCookie: string;
let mateCookie: string;
let adminCookie: string;
let customerId: string;
const fields: Record<string, CustomFieldDto> = {};
const clients: Client[] = [];

const label = (en: string, zh: string) => ({ en, zh });
const request = (method: string, path: string, cookie: string, body?: unknown) =>
  s.t.app.request(path, method === 'GET' ? { headers: { cookie, origin: ORIGIN } } : jsonRequest(method, body ?? {}, cookie));

async function define(body: Record<string, unknown>): Promise<CustomFieldDto> {
  const res = await request('POST', '/api/custom-fields', adminCookie, { entity: 'customer', ...body });
  expect(res.status).toBe(201);
  return ((await res.json()) as { field: CustomFieldDto }).field;
}

beforeAll(async () => {
  s = await startHubServer();
  const team = await seedTeam(s.ctx);
  rep = await seedUser(s.ctx, { role: 'rep', teamId: team.id });
  const mate = await seedUser(s.ctx, { role: 'rep', teamId: team.id });
  const admin = await seedUser(s.ctx, { role: 'admin' });
  [repCookie, mateCookie, adminCookie] = (await Promise.all([rep, mate, admin].map((u) => login(s.t.app, u.email)))) as [string, string, string];
  customerId = await seedCustomerDoc(s.ctx, team.id, rep, 'Acme');
  fields.tier = await define({
    key: 'tier',
    type: 'select',
    label: label('Tier', '等级'),
    options: [
      { value: 'gold', label: label('Gold', '金牌') },
      { value: 'silver', label: label('Silver', '银牌') },
    ],
  });
  fields.seats = await define({ key: 'seats', type: 'number', label: label('Seats', '席位') });
  fields.note = await define({ key: 'note', type: 'text', label: label('Note', '备注') });
  fields.legacy = await define({ key: 'legacy', type: 'text', label: label('Legacy', '旧字段') });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await s.close();
});

const docName = () => customerDocName(customerId);
const custom = (doc: Y.Doc) => doc.getMap(CUSTOMER_ROOTS.custom);

async function pair(): Promise<[Client, Client]> {
  const a = connect(s.wsBase, docName(), repCookie);
  const b = connect(s.wsBase, docName(), mateCookie);
  clients.push(a, b);
  await Promise.all([a.synced(), b.synced()]);
  return [a, b];
}

async function projected(): Promise<Record<string, unknown>> {
  await s.ctx.hub.flush();
  const row = await s.ctx.db.selectFrom('customers').select('custom_fields').where('id', '=', customerId).executeTakeFirstOrThrow();
  return row.custom_fields;
}

describe('custom values over Yjs', () => {
  it('a valid value is stored, reaches the other tab, is projected and filterable', async () => {
    const [a, b] = await pair();
    custom(a.doc).set('tier', 'gold');
    await until(() => custom(b.doc).get('tier') === 'gold', 'peer sees the value');
    expect((await projected()).tier).toBe('gold');
    expect(custom(await storedDoc(s.ctx, docName())).get('tier')).toBe('gold');
    const res = await request('GET', '/api/customers?custom.tier=gold', repCookie);
    const list = (await res.json()) as CustomerListDto;
    expect(list.items.map((c) => c.id)).toEqual([customerId]);
    const none = (await (await request('GET', '/api/customers?custom.tier=silver', repCookie)).json()) as CustomerListDto;
    expect(none.items).toEqual([]);
    expect(a.refusals).toEqual([]);
  });

  it('an unknown option is refused and compensated; a valid neighbour in the same update is kept', async () => {
    const [a, b] = await pair();
    a.doc.transact(() => {
      custom(a.doc).set('tier', 'platinum');
      custom(a.doc).set('seats', 42);
    });
    await until(() => a.refusals.length > 0, 'refusal');
    const reason = JSON.parse(a.refusals[0]!) as { code: string; field: string };
    expect(reason).toMatchObject({ code: 'validation', field: 'custom.tier' });
    await until(() => custom(a.doc).get('tier') === 'gold', 'sender converges back');
    await until(() => custom(b.doc).get('seats') === 42, 'peer gets the neighbour');
    expect(custom(b.doc).get('tier')).toBe('gold');
    expect(a.provider.wsconnected).toBe(true);
    const stored = custom(await storedDoc(s.ctx, docName()));
    expect(stored.get('tier')).toBe('gold');
    expect(stored.get('seats')).toBe(42);
    expect(await projected()).toMatchObject({ tier: 'gold', seats: 42 });
  });

  it('text in a number field and an unknown key are refused, each on its own key', async () => {
    const [a, b] = await pair();
    a.doc.transact(() => {
      custom(a.doc).set('seats', 'many');
      custom(a.doc).set('made_up', 'x');
      custom(a.doc).set('note', 'kept');
    });
    await until(() => a.refusals.length >= 2, 'two refusals');
    const refused = a.refusals.map((r) => (JSON.parse(r) as { field: string }).field).sort();
    expect(refused).toEqual(['custom.made_up', 'custom.seats']);
    await until(() => custom(b.doc).get('note') === 'kept', 'neighbour kept');
    await until(() => custom(a.doc).get('seats') === 42 && !custom(a.doc).has('made_up'), 'sender converges');
    expect(custom(b.doc).get('seats')).toBe(42);
    expect(custom(b.doc).has('made_up')).toBe(false);
    expect(await projected()).not.toHaveProperty('made_up');
  });

  it('a value of an archived field is refused; its definition change reaches open tabs', async () => {
    const [a] = await pair();
    const teamTab: ClientSocket = await connectSocket(s.running.url, mateCookie);
    try {
      const heard = new Recorder(teamTab, 'customFields:changed');
      const res = await request('POST', `/api/custom-fields/${fields.legacy!.id}/archive`, adminCookie);
      expect(res.status).toBe(200);
      expect(await heard.waitFor((e) => e.entity === 'customer')).toEqual({ entity: 'customer', teamId: null });
    } finally {
      teamTab.close();
    }
    custom(a.doc).set('legacy', 'old');
    await until(() => a.refusals.length > 0, 'refusal');
    expect(JSON.parse(a.refusals[0]!)).toMatchObject({ field: 'custom.legacy' });
    await until(() => !custom(a.doc).has('legacy'), 'sender converges');
    expect(custom(await storedDoc(s.ctx, docName())).has('legacy')).toBe(false);
  });

  it('ctx.hub.edit with a bad custom value is refused whole with 400 on custom.<key>', async () => {
    await expect(
      s.ctx.hub.edit(docName(), rep, (doc) => {
        custom(doc).set('tier', 'bronze');
      }),
    ).rejects.toMatchObject({ status: 400, field: 'custom.tier' });
    expect(custom(await storedDoc(s.ctx, docName())).get('tier')).toBe('gold');
  });
});
