/**
 * Opportunity custom values on board cards (`custom.<key>` entries of `getMap('cards')`),
 * with stock y-websocket providers against a real server: a valid value reaches the peer, the
 * stored board and `opportunities.custom_fields`; an option that does not exist is refused and
 * compensated while a valid neighbour in the same update is kept; another team's field and an
 * unknown key are refused on their entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { customCardKey } from '../../schema/wire/board.ts';
import { boardDocName } from '../../schema/wire/docs.ts';
import type { OpportunityDto } from '../../schema/wire/opportunity.ts';
import type { PipelineDto } from '../../schema/wire/pipeline.ts';
import type { User } from '../../server/users/user.ts';
import { ORIGIN, jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';
import { type Client, type HubServer, connect, seedCustomer, startHubServer, storedDoc, until } from './realtime-helpers.ts';

let s: HubServer;
let rep: User;
let repCookie: string;
let mateCookie: string;
let adminCookie: string;
let pipeline: PipelineDto;
let opportunityId: string;
const clients: Client[] = [];

const label = (en: string, zh: string) => ({ en, zh });
const request = (method: string, path: string, cookie: string, body?: unknown) =>
  s.t.app.request(path, method === 'GET' ? { headers: { cookie, origin: ORIGIN } } : jsonRequest(method, body ?? {}, cookie));

async function define(body: Record<string, unknown>): Promise<void> {
  const res = await request('POST', '/api/custom-fields', adminCookie, { entity: 'opportunity', ...body });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  s = await startHubServer();
  const team = await seedTeam(s.ctx);
  const other = await seedTeam(s.ctx);
  rep = await seedUser(s.ctx, { role: 'rep', teamId: team.id });
  const mate = await seedUser(s.ctx, { role: 'rep', teamId: team.id });
  const admin = await seedUser(s.ctx, { role: 'admin' });
  [repCookie, mateCookie, adminCookie] = (await Promise.all([rep, mate, admin].map((u) => login(s.t.app, u.email)))) as [string, string, string];
  const customerId = await seedCustomer(s.ctx, team.id, 'Acme 华为');
  pipeline = ((await (await request('GET', '/api/pipelines', repCookie)).json()) as { items: PipelineDto[] }).items[0]!;
  const created = await request('POST', '/api/opportunities', repCookie, { customerId, name: 'Fleet 车队', amount: 1000 });
  expect(created.status).toBe(201);
  opportunityId = ((await created.json()) as { opportunity: OpportunityDto }).opportunity.id;
  await define({
    key: 'deal_type',
    type: 'select',
    label: label('Deal type', '交易类型'),
    options: [
      { value: 'new', label: label('New business', '新业务') },
      { value: 'renewal', label: label('Renewal', '续约') },
    ],
  });
  await define({ key: 'seats', type: 'number', label: label('Seats', '席位') });
  await define({ key: 'other_only', type: 'text', label: label('Other team', '其他团队'), teamId: other.id });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await s.close();
});

const cardOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('cards').get(opportunityId)!;

async function pair(): Promise<[Client, Client]> {
  const a = connect(s.wsBase, boardDocName(pipeline.id), repCookie);
  const b = connect(s.wsBase, boardDocName(pipeline.id), mateCookie);
  clients.push(a, b);
  await Promise.all([a.synced(), b.synced()]);
  return [a, b];
}

async function projected(): Promise<Record<string, unknown>> {
  await s.ctx.hub.flush();
  const row = await s.ctx.db.selectFrom('opportunities').select('custom_fields').where('id', '=', opportunityId).executeTakeFirstOrThrow();
  return row.custom_fields;
}

describe('opportunity custom values on the board', () => {
  it('a valid value on a card reaches the peer, the stored board, the projection and GET', async () => {
    const [a, b] = await pair();
    cardOf(a.doc).set(customCardKey('deal_type'), 'renewal');
    await until(() => cardOf(b.doc).get('custom.deal_type') === 'renewal', 'peer sees the value');
    expect(await projected()).toEqual({ deal_type: 'renewal' });
    expect(cardOf(await storedDoc(s.ctx, boardDocName(pipeline.id))).get('custom.deal_type')).toBe('renewal');
    const res = await request('GET', `/api/opportunities/${opportunityId}`, repCookie);
    expect(((await res.json()) as { opportunity: OpportunityDto }).opportunity.custom).toEqual({ deal_type: 'renewal' });
    expect(a.refusals).toEqual([]);
  });

  it('an option that does not exist is refused and compensated; a valid neighbour in the same update is kept', async () => {
    const [a, b] = await pair();
    a.doc.transact(() => {
      cardOf(a.doc).set('custom.deal_type', 'upsell');
      cardOf(a.doc).set('custom.seats', 25);
      cardOf(a.doc).set('name', 'Fleet 车队 (25 seats)');
    });
    await until(() => a.refusals.length > 0, 'refusal');
    expect(JSON.parse(a.refusals[0]!)).toMatchObject({ code: 'validation', field: 'custom.deal_type' });
    await until(() => cardOf(a.doc).get('custom.deal_type') === 'renewal', 'sender converges back');
    await until(() => cardOf(b.doc).get('custom.seats') === 25, 'peer gets the neighbour');
    expect(cardOf(b.doc).get('custom.deal_type')).toBe('renewal');
    expect(cardOf(b.doc).get('name')).toBe('Fleet 车队 (25 seats)');
    expect(a.provider.wsconnected).toBe(true);
    const stored = cardOf(await storedDoc(s.ctx, boardDocName(pipeline.id)));
    expect(stored.get('custom.deal_type')).toBe('renewal');
    expect(stored.get('custom.seats')).toBe(25);
    expect(await projected()).toEqual({ deal_type: 'renewal', seats: 25 });
    const row = await s.ctx.db.selectFrom('opportunities').select('name').where('id', '=', opportunityId).executeTakeFirstOrThrow();
    expect(row.name).toBe('Fleet 车队 (25 seats)');
  });

  it('another team’s field, an unknown key, a malformed entry and a nested type are refused on their entry', async () => {
    const [a, b] = await pair();
    a.doc.transact(() => {
      cardOf(a.doc).set('custom.other_only', 'x');
      cardOf(a.doc).set('custom.made_up', 'y');
      cardOf(a.doc).set('custom.seats', 30);
    });
    await until(() => a.refusals.length >= 2, 'two refusals');
    expect(a.refusals.map((r) => (JSON.parse(r) as { field: string }).field).sort()).toEqual(['custom.made_up', 'custom.other_only']);
    await until(() => cardOf(b.doc).get('custom.seats') === 30, 'neighbour kept');
    await until(() => !cardOf(a.doc).has('custom.other_only') && !cardOf(a.doc).has('custom.made_up'), 'sender converges');
    cardOf(a.doc).set('custom.Seats', 1);
    await until(() => a.refusals.length >= 3, 'malformed key refused');
    cardOf(a.doc).set('custom.seats', new Y.Map());
    await until(() => a.refusals.length >= 4, 'nested type refused');
    await until(() => cardOf(a.doc).get('custom.seats') === 30 && !cardOf(a.doc).has('custom.Seats'), 'sender converges again');
    expect(await projected()).toEqual({ deal_type: 'renewal', seats: 30 });
  });

  it('the history records custom changes by key', async () => {
    const rows = await s.ctx.db
      .selectFrom('audit_log')
      .select('changes')
      .where('entity_id', '=', opportunityId)
      .where('action', '=', 'opportunity.update')
      .execute();
    const changes = rows.map((r) => (typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes) as Record<string, unknown>);
    expect(changes.some((c) => JSON.stringify(c['custom.deal_type']) === JSON.stringify([null, 'renewal']))).toBe(true);
  });
});
