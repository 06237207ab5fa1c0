import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOC_CLOSE, boardDocName } from '../../schema/wire/docs.ts';
import type { PipelineDto } from '../../schema/wire/pipeline.ts';
import { boardDocKind } from '../../server/opportunities/board.doc-kind.ts';
import { compareCards, rankBetween } from '../../server/opportunities/rank.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import {
  type Caller,
  caller,
  cardsOf,
  createOpportunity,
  expectProjectionMatches,
  insertCustomer,
  json,
  storedBoard,
  teamPipeline,
} from '../helpers/opportunities.ts';
import { type Client, type HubServer, connect, originOf, rawOpen, stableJson, startHubServer, until } from './realtime-helpers.ts';

let s: HubServer;
let teamA: string;
let rep: User;
let rep2: User;
let manager: User;
let repB: User;
let repCookie: string;
let rep2Cookie: string;
let managerCookie: string;
let repBCookie: string;
let adminCookie: string;
let asRep: Caller;
let asAdmin: Caller;
let pipeline: PipelineDto;
let customer: string;

const stage = (name: string) => pipeline.stages.find((st) => st.name === name)!.id;
const docName = () => boardDocName(pipeline.id);
const cardMap = (c: Client) => c.doc.getMap<Y.Map<unknown>>('cards');
const card = (c: Client, id: string) => cardMap(c).get(id)!;

beforeAll(async () => {
  s = await startHubServer();
  teamA = (await seedTeam(s.ctx)).id;
  const teamB = (await seedTeam(s.ctx)).id;
  rep = await seedUser(s.ctx, { role: 'rep', teamId: teamA });
  rep2 = await seedUser(s.ctx, { role: 'rep', teamId: teamA });
  manager = await seedUser(s.ctx, { role: 'manager', teamId: teamA });
  repB = await seedUser(s.ctx, { role: 'rep', teamId: teamB });
  const admin = await seedUser(s.ctx, { role: 'admin' });
  repCookie = await login(s.t.app, rep.email);
  rep2Cookie = await login(s.t.app, rep2.email);
  managerCookie = await login(s.t.app, manager.email);
  repBCookie = await login(s.t.app, repB.email);
  adminCookie = await login(s.t.app, admin.email);
  asRep = caller(s.t.app, repCookie);
  asAdmin = caller(s.t.app, adminCookie);
  pipeline = await teamPipeline(asRep);
  await teamPipeline(caller(s.t.app, repBCookie));
  customer = await insertCustomer(s.ctx, teamA, 'Board customer');
});
afterAll(async () => {
  await s.close();
});

async function open(cookie: string): Promise<Client> {
  const c = connect(s.wsBase, docName(), cookie);
  await c.synced();
  return c;
}

/** The first refusal `c` was sent; a refusal leaves the connection open. */
async function refusalOf(c: Client): Promise<{ code: string; field?: string }> {
  await until(() => c.refusals.length > 0, 'refusal message');
  expect(c.closes).toEqual([]);
  return JSON.parse(c.refusals[0]!) as { code: string; field?: string };
}

/** The column of a stage as a client shows it. */
function column(c: Client, stageId: string): string[] {
  const out: Array<{ id: string; rank: string }> = [];
  cardMap(c).forEach((m, id) => {
    if (m.get('stageId') === stageId) out.push({ id, rank: m.get('rank') as string });
  });
  return out.sort(compareCards).map((x) => x.id);
}

async function dbColumn(stageId: string): Promise<string[]> {
  const { items } = await json<{ items: Array<{ id: string }> }>(await asRep.get(`/api/opportunities?stageId=${stageId}`));
  return items.map((i) => i.id);
}

describe('the board document', () => {
  it('starts with the pipeline’s stages and the cards, and shows a move to everyone, projected with history', async () => {
    const o = await createOpportunity(asRep, { customerId: customer, name: 'Live move', amount: 800 });
    const a = await open(repCookie);
    const b = await open(managerCookie);
    expect(a.doc.getMap('stages').size).toBe(7);
    expect(card(b, o.id).get('name')).toBe('Live move');

    a.doc.transact(() => {
      card(a, o.id).set('stageId', stage('Proposal'));
      card(a, o.id).set('rank', rankBetween(null, null));
    });
    await until(() => card(b, o.id).get('stageId') === stage('Proposal'), 'move reaches the other board');
    await until(async () => (await s.ctx.db.selectFrom('opportunities').select('stage_id').where('id', '=', o.id).executeTakeFirstOrThrow()).stage_id === stage('Proposal'), 'projection');
    const history = await s.ctx.db.selectFrom('opportunity_stage_history').selectAll().where('opportunity_id', '=', o.id).orderBy('id').execute();
    expect(history.map((h) => [h.from_stage_id, h.to_stage_id, h.moved_by])).toEqual([
      [null, stage('Initial contact'), rep.id],
      [stage('Initial contact'), stage('Proposal'), rep.id],
    ]);
    await expectProjectionMatches(s.ctx, pipeline.id);
    a.destroy();
    b.destroy();
  });

  it('accepts a card created by a client and projects a new opportunity', async () => {
    const a = await open(repCookie);
    const id = randomUUID();
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries({ name: 'From the board', amount: 42, customerId: customer, ownerId: rep.id, stageId: stage('Initial contact'), rank: 'a0' })) m.set(k, v);
    cardMap(a).set(id, m);
    await until(async () => (await s.ctx.db.selectFrom('opportunities').select('id').where('id', '=', id).executeTakeFirst()) !== undefined, 'insert');
    const row = await s.ctx.db.selectFrom('opportunities').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ team_id: teamA, pipeline_id: pipeline.id, owner_id: rep.id, created_by: rep.id, status: 'open' });
    await expectProjectionMatches(s.ctx, pipeline.id);
    a.destroy();
  });

  it('re-projecting the whole stored board changes nothing (the projection is idempotent)', async () => {
    await createOpportunity(asRep, { customerId: customer, name: 'Idempotent', amount: 3 });
    const doc = await storedBoard(s.ctx, pipeline.id);
    const count = async (table: 'opportunity_stage_history' | 'audit_log') =>
      Number((await s.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = {
      rows: await s.ctx.db.selectFrom('opportunities').selectAll().where('pipeline_id', '=', pipeline.id).orderBy('id').execute(),
      history: await count('opportunity_stage_history'),
      audit: await count('audit_log'),
    };
    const kind = boardDocKind({ db: s.ctx.db });
    const projection = kind.extract(doc, new Date(), null);
    expect(projection.scope).toBe('all');
    await s.ctx.db
      .transaction()
      .execute((trx) => kind.project({ trx, now: new Date(), afterCommit: () => {}, emit: async () => {} }, [{ id: pipeline.id, projection, user: rep }]));
    expect(await s.ctx.db.selectFrom('opportunities').selectAll().where('pipeline_id', '=', pipeline.id).orderBy('id').execute()).toEqual(before.rows);
    expect(await count('opportunity_stage_history')).toBe(before.history);
    expect(await count('audit_log')).toBe(before.audit);
  });

  it('shows a stage rename and reorder at once on an open board', async () => {
    const a = await open(repCookie);
    const id = stage('Needs confirmed');
    await json(await asAdmin.patch(`/api/pipelines/${pipeline.id}/stages/${id}`, { name: 'Needs qualified', nameZh: '需求已确认' }));
    await until(() => a.doc.getMap<Y.Map<unknown>>('stages').get(id)?.get('name') === 'Needs qualified', 'rename on the board');
    const order = [...pipeline.stages.map((st) => st.id)];
    [order[0], order[1]] = [order[1]!, order[0]!];
    await json(await asAdmin.post(`/api/pipelines/${pipeline.id}/stages/reorder`, { stageIds: order }));
    await until(() => a.doc.getMap<Y.Map<unknown>>('stages').get(order[0]!)?.get('position') === 0, 'reorder on the board');
    expect(a.doc.getMap<Y.Map<unknown>>('stages').get(order[1]!)?.get('position')).toBe(1);
    // Put things back for the other tests.
    await json(await asAdmin.post(`/api/pipelines/${pipeline.id}/stages/reorder`, { stageIds: pipeline.stages.map((st) => st.id) }));
    a.destroy();
  });
});

describe('conflicts', () => {
  it('two clients moving the same card at once end on the same stage everywhere', async () => {
    const o = await createOpportunity(asRep, { customerId: customer, name: 'Contested', amount: 10 });
    const a = await open(repCookie);
    const b = await open(managerCookie);
    // Both edit before either hears of the other.
    card(a, o.id).set('stageId', stage('Proposal'));
    card(b, o.id).set('stageId', stage('Negotiation'));
    await until(() => card(a, o.id).get('stageId') === card(b, o.id).get('stageId'), 'convergence');
    const final = card(a, o.id).get('stageId');
    expect([stage('Proposal'), stage('Negotiation')]).toContain(final);
    const c = await open(rep2Cookie);
    expect(card(c, o.id).get('stageId')).toBe(final);
    await until(async () => (await s.ctx.db.selectFrom('opportunities').select('stage_id').where('id', '=', o.id).executeTakeFirstOrThrow()).stage_id === final, 'projection follows the winner');
    const open_ = await s.ctx.db.selectFrom('opportunity_stage_history').select('to_stage_id').where('opportunity_id', '=', o.id).where('left_at', 'is', null).execute();
    expect(open_.map((h) => h.to_stage_id)).toEqual([final]);
    await expectProjectionMatches(s.ctx, pipeline.id);
    for (const x of [a, b, c]) x.destroy();
  });

  it('rapid updates from several clients, committed together, are all projected', async () => {
    const made: Array<{ id: string }> = [];
    for (let i = 0; i < 12; i++) made.push(await createOpportunity(asRep, { customerId: customer, name: `Burst ${i}`, amount: i }));
    const a = await open(repCookie);
    const b = await open(rep2Cookie);
    const c = await open(managerCookie);
    const clients = [a, b, c];
    // Each change goes out as its own update; many land in one group commit.
    made.forEach((o, i) => {
      const by = clients[i % clients.length]!;
      card(by, o.id).set('amount', 1000 + i);
      card(by, o.id).set('stageId', stage(i % 2 === 0 ? 'Proposal' : 'Negotiation'));
    });
    await until(async () => {
      const rows = await s.ctx.db.selectFrom('opportunities').select(['id', 'amount']).where('id', 'in', made.map((o) => o.id)).execute();
      return rows.every((r, _i, all) => all.length === made.length && Number(r.amount) >= 1000);
    }, 'every burst change projected');
    await expectProjectionMatches(s.ctx, pipeline.id);
    for (const x of clients) x.destroy();
  });

  it('two cards dropped into the same slot show in the same order everywhere', async () => {
    const target = stage('Contract signed');
    const p = await createOpportunity(asRep, { customerId: customer, name: 'P', amount: 1, stageId: target });
    const q = await createOpportunity(asRep, { customerId: customer, name: 'Q', amount: 1, stageId: target });
    const x = await createOpportunity(asRep, { customerId: customer, name: 'X', amount: 1 });
    const y = await createOpportunity(asRep, { customerId: customer, name: 'Y', amount: 1 });
    const a = await open(repCookie);
    const b = await open(rep2Cookie);
    // Both compute the slot between P and Q from the same state: the same rank.
    const slot = rankBetween(card(a, p.id).get('rank') as string, card(a, q.id).get('rank') as string);
    a.doc.transact(() => {
      card(a, x.id).set('stageId', target);
      card(a, x.id).set('rank', slot);
    });
    b.doc.transact(() => {
      card(b, y.id).set('stageId', target);
      card(b, y.id).set('rank', slot);
    });
    await until(() => column(a, target).length === 4 && column(b, target).length === 4, 'both drops everywhere');
    const expected = [p.id, ...[x.id, y.id].sort(), q.id];
    expect(column(a, target)).toEqual(expected);
    expect(column(b, target)).toEqual(expected);
    await until(async () => JSON.stringify(await dbColumn(target)) === JSON.stringify(expected), 'database order');
    await expectProjectionMatches(s.ctx, pipeline.id);
    a.destroy();
    b.destroy();
  });

  it('a move to a stage that was just deleted is refused cleanly', async () => {
    const { pipeline: withExtra } = await json<{ pipeline: PipelineDto }>(
      await asAdmin.post(`/api/pipelines/${pipeline.id}/stages`, { name: 'Short-lived', probability: 30 }),
      201,
    );
    const doomed = withExtra.stages.find((st) => st.name === 'Short-lived')!.id;
    const o = await createOpportunity(asRep, { customerId: customer, name: 'Late mover', amount: 5 });
    const a = await open(repCookie);
    const b = await open(managerCookie);
    await json(await asAdmin.del(`/api/pipelines/${pipeline.id}/stages/${doomed}`));
    // A client that has not caught up drops the card on the deleted column.
    card(a, o.id).set('stageId', doomed);
    expect(await refusalOf(a)).toMatchObject({ code: 'validation', field: 'stageId' });
    expect(card(b, o.id).get('stageId')).toBe(stage('Initial contact'));
    expect(cardsOf(await storedBoard(s.ctx, pipeline.id)).get(o.id)?.stageId).toBe(stage('Initial contact'));
    const row = await s.ctx.db.selectFrom('opportunities').select('stage_id').where('id', '=', o.id).executeTakeFirstOrThrow();
    expect(row.stage_id).toBe(stage('Initial contact'));
    // The board carries on for others.
    card(b, o.id).set('stageId', stage('Proposal'));
    const c = await open(rep2Cookie);
    await until(() => card(c, o.id).get('stageId') === stage('Proposal'), 'later move');
    for (const x of [a, b, c]) x.destroy();
  });
});

describe('permissions and shapes', () => {
  it('another team’s board is refused at the upgrade (404), and a user of no team too', async () => {
    const res = await rawOpen(`${s.wsBase}/${docName()}`, { cookie: repBCookie, origin: originOf(s.wsBase) });
    expect(res).toMatchObject({ status: 404 });
    const err = await s.ctx.hub.edit(docName(), repB, () => {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404 });
  });

  it('a rep reassigning an owner is refused (403); a manager may, to a team member', async () => {
    const o = await createOpportunity(asRep, { customerId: customer, name: 'Ownership', amount: 5 });
    const a = await open(repCookie);
    card(a, o.id).set('ownerId', rep2.id);
    expect(await refusalOf(a)).toMatchObject({ code: 'forbidden', field: 'ownerId' });
    a.destroy();
    expect((await s.ctx.db.selectFrom('opportunities').select('owner_id').where('id', '=', o.id).executeTakeFirstOrThrow()).owner_id).toBe(rep.id);

    const m = await open(managerCookie);
    card(m, o.id).set('ownerId', repB.id);
    expect(await refusalOf(m)).toMatchObject({ code: 'validation', field: 'ownerId' });
    m.destroy();
    const m2 = await open(managerCookie);
    card(m2, o.id).set('ownerId', rep2.id);
    await until(async () => (await s.ctx.db.selectFrom('opportunities').select('owner_id').where('id', '=', o.id).executeTakeFirstOrThrow()).owner_id === rep2.id, 'reassigned');
    await until(async () => (await s.ctx.db.selectFrom('notifications').select('id').where('recipient_id', '=', rep2.id).where('entity_id', '=', o.id).execute()).length === 1, 'assignment notification');
    m2.destroy();
  });

  it('a rep may not touch another team’s card on a shared pipeline', async () => {
    const teamBId = repB.teamId!;
    await json(await asAdmin.patch(`/api/pipelines/${pipeline.id}`, { teamIds: [teamA, teamBId] }));
    const customerB = await insertCustomer(s.ctx, teamBId, 'B customer');
    const o = await createOpportunity(caller(s.t.app, repBCookie), { customerId: customerB, name: 'B deal', amount: 7, stageId: stage('Initial contact') });
    expect(o.pipelineId).toBe(pipeline.id);
    const a = await open(repCookie);
    card(a, o.id).set('amount', 1);
    expect(await refusalOf(a)).toMatchObject({ code: 'forbidden', field: 'cards' });
    a.destroy();
    expect((await asRep.get(`/api/opportunities/${o.id}`)).status).toBe(404);
    await json(await asAdmin.patch(`/api/pipelines/${pipeline.id}`, { teamIds: [teamA] }));
  });

  it('refuses card edits from a team taken off the pipeline while its board was open', async () => {
    const o = await createOpportunity(asRep, { customerId: customer, name: 'Removed team', amount: 5 });
    const a = await open(repCookie);
    const teamBId = repB.teamId!;
    await json(await asAdmin.patch(`/api/pipelines/${pipeline.id}`, { teamIds: [teamBId] }));
    try {
      card(a, o.id).set('amount', 6);
      expect(await refusalOf(a)).toMatchObject({ code: 'forbidden', field: 'cards' });
      expect(Number((await s.ctx.db.selectFrom('opportunities').select('amount').where('id', '=', o.id).executeTakeFirstOrThrow()).amount)).toBe(5);
    } finally {
      await json(await asAdmin.patch(`/api/pipelines/${pipeline.id}`, { teamIds: [teamA] }));
      a.destroy();
    }
  });

  it('refuses bad shapes: bad rank, unknown key, negative amount, unknown stage, removed card, foreign customer, edited stages', async () => {
    const o = await createOpportunity(asRep, { customerId: customer, name: 'Shapes', amount: 5 });
    const otherCustomer = await insertCustomer(s.ctx, repB.teamId!, 'Not ours');
    const b0 = await open(managerCookie);
    const cases: Array<{ change: (c: Client) => void; field: string; code?: string }> = [
      { change: (c) => card(c, o.id).set('rank', 'a0 bad'), field: 'rank' },
      { change: (c) => card(c, o.id).set('rank', ''), field: 'rank' },
      { change: (c) => card(c, o.id).set('rank', 'a10'), field: 'rank' },
      { change: (c) => card(c, o.id).set('probability', 90), field: 'probability' },
      { change: (c) => card(c, o.id).set('amount', -1), field: 'amount' },
      { change: (c) => card(c, o.id).set('amount', '5'), field: 'amount' },
      { change: (c) => card(c, o.id).set('name', ''), field: 'name' },
      { change: (c) => card(c, o.id).set('stageId', randomUUID()), field: 'stageId' },
      { change: (c) => card(c, o.id).set('stageId', stage('Lost')), field: 'lostReason' },
      { change: (c) => card(c, o.id).set('customerId', otherCustomer), field: 'customerId' },
      { change: (c) => card(c, o.id).delete('name'), field: 'name' },
      { change: (c) => cardMap(c).delete(o.id), field: 'cards' },
      { change: (c) => cardMap(c).set('not-a-uuid', new Y.Map()), field: 'cards' },
      { change: (c) => c.doc.getMap<Y.Map<unknown>>('stages').get(stage('Proposal'))!.set('name', 'Hacked'), field: 'stages' },
    ];
    for (const k of cases) {
      const a = await open(repCookie);
      k.change(a);
      expect([k.field, await refusalOf(a)]).toMatchObject([k.field, { field: k.field }]);
      // The compensation brings the sender back to the stored card.
      const view = (c: Client) => stableJson([cardMap(c).toJSON(), c.doc.getMap('stages').toJSON()]);
      await until(() => view(a) === view(b0), `${k.field} undone at the sender`);
      expect(card(b0, o.id).toJSON()).toMatchObject({ name: 'Shapes', amount: 5, stageId: stage('Initial contact') });
      a.destroy();
    }
    // A root the board does not have is malformed: the sender is closed, nothing stored.
    const x = await open(repCookie);
    x.doc.getMap('extra').set('x', 1);
    await until(() => x.closes.some((c) => c.code === DOC_CLOSE.badMessage), 'malformed close');
    x.destroy();
    b0.destroy();
    const stored = await storedBoard(s.ctx, pipeline.id);
    expect(cardsOf(stored).get(o.id)).toMatchObject({ name: 'Shapes', amount: 5, stageId: stage('Initial contact') });
    expect(stored.getMap<Y.Map<unknown>>('stages').get(stage('Proposal'))?.get('name')).toBe('Proposal');
    await expectProjectionMatches(s.ctx, pipeline.id);
  });
});
