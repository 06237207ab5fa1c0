/**
 * Updates that mix permitted and refused changes: the permitted ones are
 * kept, the refused ones compensated everywhere, the sender stays connected
 * and converges. Stock y-websocket providers against a real server.
 */
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CUSTOMER_ROOTS, DOC_CLOSE, customerDocName } from '../../schema/wire/docs.ts';
import { loadStoredDoc } from '../../server/realtime/doc-store.repository.ts';
import type { User } from '../../server/users/user.ts';
import { jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';
import { type Client, type HubServer, connect, newFollowup, originOf, seedCustomerDoc, stableJson, startHubServer, storedDoc, until } from './realtime-helpers.ts';

let s: HubServer;
let rep: User;
let manager: User;
let repCookie: string;
let managerCookie: string;
let teamId: string;

beforeAll(async () => {
  s = await startHubServer();
  teamId = (await seedTeam(s.ctx)).id;
  rep = await seedUser(s.ctx, { role: 'rep', teamId });
  manager = await seedUser(s.ctx, { role: 'manager', teamId });
  repCookie = await login(s.t.app, rep.email);
  managerCookie = await login(s.t.app, manager.email);
});
afterAll(async () => {
  await s.close();
});

const storedOf = (name: string) => storedDoc(s.ctx, name);

async function open(name: string, cookie: string): Promise<Client> {
  const c = connect(s.wsBase, name, cookie);
  await c.synced();
  return c;
}

const fieldsOf = (doc: Y.Doc) => doc.getMap(CUSTOMER_ROOTS.fields);
const reasons = (c: Client) => c.refusals.map((r) => JSON.parse(r) as { code: string; field?: string });

/** Waits until every client shows the same customer document as storage. */
async function converged(name: string, clients: Client[]): Promise<void> {
  await s.ctx.hub.flush();
  const stored = stableJson((await storedOf(name)).getMap(CUSTOMER_ROOTS.fields).toJSON());
  for (const c of clients) await until(() => stableJson(fieldsOf(c.doc).toJSON()) === stored, 'converged with storage');
}

/** Sends one raw sync update message on a fresh socket; answers the close code (0: still open after a second). */
function sendRaw(name: string, cookie: string, update: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${s.wsBase}/${name}`, { headers: { cookie, origin: originOf(s.wsBase) } });
    let timer: NodeJS.Timeout | null = null;
    ws.on('open', () => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, update);
      ws.send(encoding.toUint8Array(e));
      timer = setTimeout(() => {
        ws.close();
        resolve(0);
      }, 1000);
    });
    ws.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve(code);
    });
    ws.on('error', reject);
  });
}

const varUint = (e: encoding.Encoder, n: number) => encoding.writeVarUint(e, n);

/** An update of one client: a GC struct of `length` at clock 0, then (optionally) `fields.industry = 1` right after it. */
function gcThenField(client: number, length: number, withField: boolean): Uint8Array {
  const e = encoding.createEncoder();
  varUint(e, 1);
  varUint(e, withField ? 2 : 1);
  varUint(e, client);
  varUint(e, 0);
  encoding.writeUint8(e, 0); // GC
  varUint(e, length);
  if (withField) {
    encoding.writeUint8(e, 8 | 0x20); // ContentAny, parentSub
    varUint(e, 1);
    encoding.writeVarString(e, 'fields');
    encoding.writeVarString(e, 'industry');
    varUint(e, 1);
    encoding.writeUint8(e, 119); // string
    encoding.writeVarString(e, 'd');
  }
  varUint(e, 0); // no deletions
  return encoding.toUint8Array(e);
}

/** A delete set alone: one range of `length` at clock 0 of `client`. */
function deleteRange(client: number, length: number): Uint8Array {
  const e = encoding.createEncoder();
  varUint(e, 0);
  varUint(e, 1);
  varUint(e, client);
  varUint(e, 1);
  varUint(e, 0);
  varUint(e, length);
  return encoding.toUint8Array(e);
}

describe('the defects that once crashed or poisoned the hub', () => {
  it('a 10,000-deep element in the notes, a 2^53 GC struct, junk ranges, a 10,000-deep outcome: closed with 4400, nothing stored, the record still editable', async () => {
    const id = await seedCustomerDoc(s.ctx, teamId, manager, 'Hostile Co');
    const name = customerDocName(id);
    const before = await loadStoredDoc(s.ctx.db, name);

    const deepNotes = new Y.Doc();
    deepNotes.transact(() => {
      let parent: Y.XmlElement | Y.XmlFragment = deepNotes.getXmlFragment(CUSTOMER_ROOTS.notes);
      for (let i = 0; i < 10_000; i++) {
        const child = new Y.XmlElement('p');
        parent.insert(0, [child]);
        parent = child;
      }
    });
    const deepOutcome = new Y.Doc();
    deepOutcome.transact(() => {
      const entry = new Y.Map<unknown>();
      deepOutcome.getArray(CUSTOMER_ROOTS.followups).push([entry]);
      let parent = entry;
      for (let i = 0; i < 10_000; i++) {
        const child = new Y.Map<unknown>();
        parent.set(i === 0 ? 'outcome' : 'x', child);
        parent = child;
      }
    });
    const hostile: Array<[string, Uint8Array]> = [
      ['notes nested 10,000 deep', Y.encodeStateAsUpdate(deepNotes)],
      ['a GC struct of 2^53-2, then a field at its end', gcThenField(424242, 2 ** 53 - 2, true)],
      ['a GC struct of 2^52', gcThenField(434343, 2 ** 52, false)],
      ['a deleted range of 2^40', deleteRange(444444, 2 ** 40)],
      ['an outcome nested 10,000 deep', Y.encodeStateAsUpdate(deepOutcome)],
    ];
    for (const [what, update] of hostile) expect([what, await sendRaw(name, repCookie, update)]).toEqual([what, DOC_CLOSE.badMessage]);

    await s.ctx.hub.flush();
    expect((await loadStoredDoc(s.ctx.db, name)).lastUpdateId).toBe(before.lastUpdateId);
    const res = await s.t.app.request(`/api/customers/${id}`, jsonRequest('PATCH', { industry: 'Still fine' }, repCookie));
    expect(res.status).toBe(200);
    const c = await open(name, repCookie);
    expect(fieldsOf(c.doc).get('industry')).toBe('Still fine');
    const sv = Y.decodeStateVector(Y.encodeStateVector(c.doc));
    for (const clock of sv.values()) expect(clock).toBeLessThan(2 ** 31);
    c.destroy();
  });
});

describe('text the database cannot hold', () => {
  it('a NUL in a field closes its sender with 4400 and stores nothing; the projection goes on for everyone else', async () => {
    const id = await seedCustomerDoc(s.ctx, teamId, manager, 'Nul Co');
    const name = customerDocName(id);
    const before = await loadStoredDoc(s.ctx.db, name);
    const a = await open(name, repCookie);
    const b = await open(name, managerCookie);
    fieldsOf(a.doc).set('industry', 'bad\u0000value');
    await until(() => a.closes.some((c) => c.code === DOC_CLOSE.badMessage), 'closed as malformed');
    a.destroy();
    await s.ctx.hub.flush();
    expect((await loadStoredDoc(s.ctx.db, name)).lastUpdateId).toBe(before.lastUpdateId);
    fieldsOf(b.doc).set('industry', 'Mining');
    await until(async () => {
      const row = await s.ctx.db.selectFrom('customers').select('industry').where('id', '=', id).executeTakeFirstOrThrow();
      return row.industry === 'Mining';
    }, 'a later edit projected');
    b.destroy();
  });
});

describe('a refusal costs only the refused change', () => {
  it('a valid and a forbidden change in one transaction: the valid one is stored and seen, the forbidden one reverted everywhere', async () => {
    const id = await seedCustomerDoc(s.ctx, teamId, manager, 'Mixed Co');
    const name = customerDocName(id);
    const a = await open(name, repCookie);
    const b = await open(name, managerCookie);
    a.doc.transact(() => {
      fieldsOf(a.doc).set('phone', '+86 10 5555 0101');
      fieldsOf(a.doc).set('ownerId', rep.id);
    });
    await until(() => fieldsOf(b.doc).get('phone') === '+86 10 5555 0101', 'valid change seen by others');
    await until(() => fieldsOf(a.doc).get('ownerId') === undefined, 'forbidden change undone at the sender');
    expect(fieldsOf(b.doc).get('ownerId')).toBeUndefined();
    expect(reasons(a)).toEqual([expect.objectContaining({ code: 'forbidden', field: 'ownerId' })]);
    expect(a.closes).toEqual([]);
    expect(a.provider.wsconnected).toBe(true);
    await converged(name, [a, b]);
    const row = await s.ctx.db.selectFrom('customers').select(['phone', 'owner_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ phone: '+86 10 5555 0101', owner_id: null });
    // The history shows the result only: the phone, never an owner.
    const history = await s.ctx.db.selectFrom('audit_log').select('changes').where('entity_id', '=', id).execute();
    const changed = history.flatMap((h) => Object.keys(h.changes as Record<string, unknown>));
    expect(changed).toContain('phone');
    expect(changed).not.toContain('ownerId');
    a.destroy();
    b.destroy();
  });

  it('an invalid value next to a valid one: the empty name returns, the industry stays', async () => {
    const id = await seedCustomerDoc(s.ctx, teamId, manager, 'Named Co');
    const name = customerDocName(id);
    const a = await open(name, repCookie);
    const b = await open(name, managerCookie);
    a.doc.transact(() => {
      fieldsOf(a.doc).set('name', '');
      fieldsOf(a.doc).set('industry', 'Logistics');
    });
    await until(() => fieldsOf(b.doc).get('industry') === 'Logistics', 'industry seen');
    await until(() => fieldsOf(a.doc).get('name') === 'Named Co', 'name restored at the sender');
    expect(fieldsOf(b.doc).get('name')).toBe('Named Co');
    expect(reasons(a)).toEqual([expect.objectContaining({ code: 'validation', field: 'name' })]);
    await converged(name, [a, b]);
    a.destroy();
    b.destroy();
  });

  it('an offline batch of 20 valid edits and one forbidden change keeps all 20', async () => {
    const id = await seedCustomerDoc(s.ctx, teamId, manager, 'Offline Co');
    const name = customerDocName(id);
    const a = await open(name, repCookie);
    const b = await open(name, managerCookie);
    a.provider.disconnect();
    for (let i = 0; i < 20; i++) a.doc.getMap(CUSTOMER_ROOTS.tags).set(`visit-${i}`, true);
    fieldsOf(a.doc).set('website', 'https://offline.example');
    fieldsOf(a.doc).set('ownerId', rep.id);
    a.provider.connect();
    await until(() => b.doc.getMap(CUSTOMER_ROOTS.tags).size === 20, 'all 20 tags arrive');
    await until(() => fieldsOf(b.doc).get('website') === 'https://offline.example', 'website arrives');
    await until(() => fieldsOf(a.doc).get('ownerId') === undefined, 'owner change undone');
    expect(reasons(a)).toEqual([expect.objectContaining({ field: 'ownerId' })]);
    const stored = await storedOf(name);
    expect(stored.getMap(CUSTOMER_ROOTS.tags).size).toBe(20);
    expect(stored.getMap(CUSTOMER_ROOTS.fields).get('ownerId')).toBeUndefined();
    const row = await s.ctx.db.selectFrom('customers').select(['tags', 'website', 'owner_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.tags).toHaveLength(20);
    expect(row).toMatchObject({ website: 'https://offline.example', owner_id: null });
    await converged(name, [a, b]);
    a.destroy();
    b.destroy();
  });

  it('a follow-up whose outcome is not text is taken out; the one beside it stays', async () => {
    const id = await seedCustomerDoc(s.ctx, teamId, manager, 'Followup Co');
    const name = customerDocName(id);
    const a = await open(name, repCookie);
    const b = await open(name, managerCookie);
    let nested = new Y.Map<unknown>();
    const deepest = nested;
    for (let i = 0; i < 20; i++) {
      const outer = new Y.Map<unknown>();
      outer.set('x', nested);
      nested = outer;
    }
    deepest.set('leaf', 'x');
    const good = newFollowup(rep.id, 'called, will send a quote');
    const bad = newFollowup(rep.id, 'outcome as a map', { outcome: nested });
    a.doc.transact(() => a.doc.getArray(CUSTOMER_ROOTS.followups).push([good, bad]));
    await until(() => b.doc.getArray(CUSTOMER_ROOTS.followups).length === 1, 'the valid follow-up arrives');
    await until(() => a.doc.getArray(CUSTOMER_ROOTS.followups).length === 1, 'the bad follow-up is taken out at the sender');
    expect(String((b.doc.getArray(CUSTOMER_ROOTS.followups).get(0) as Y.Map<unknown>).get('text'))).toBe('called, will send a quote');
    expect(reasons(a)).toEqual([expect.objectContaining({ field: 'followups.outcome' })]);
    const stored = await storedOf(name);
    expect(stored.getArray(CUSTOMER_ROOTS.followups).length).toBe(1);
    const activities = await s.ctx.db.selectFrom('activities').select('id').where('customer_id', '=', id).execute();
    expect(activities).toHaveLength(1);
    a.destroy();
    b.destroy();
  });

  it('notes nested past the limit are refused and undone; the process stays up and the document editable', async () => {
    const id = await seedCustomerDoc(s.ctx, teamId, manager, 'Deep Notes Co');
    const name = customerDocName(id);
    const a = await open(name, repCookie);
    const b = await open(name, managerCookie);
    const notes = a.doc.getXmlFragment(CUSTOMER_ROOTS.notes);
    a.doc.transact(() => {
      let parent: Y.XmlElement | Y.XmlFragment = notes;
      for (let i = 0; i < 40; i++) {
        const el: Y.XmlElement = new Y.XmlElement('blockquote');
        parent.insert(0, [el]);
        parent = el;
      }
      fieldsOf(a.doc).set('source', 'trade fair');
    });
    await until(() => fieldsOf(b.doc).get('source') === 'trade fair', 'neighbouring edit kept');
    await until(() => notes.length === 0, 'deep notes undone at the sender');
    expect(reasons(a)).toEqual([expect.objectContaining({ field: 'notes' })]);
    expect(b.doc.getXmlFragment(CUSTOMER_ROOTS.notes).length).toBe(0);
    const health = await fetch(`${s.wsBase.replace('ws', 'http').replace('/yjs', '')}/healthz`);
    expect(health.status).toBe(200);
    // Still editable by everyone.
    b.doc.getXmlFragment(CUSTOMER_ROOTS.notes).insert(0, [new Y.XmlText('plain note')]);
    await until(() => notes.length === 1, 'a later note arrives');
    a.destroy();
    b.destroy();
  });
});

describe('three viewers of one board', () => {
  it('concurrent moves of one card, one refused: every board converges, no connection closes', async () => {
    const { caller, createOpportunity, insertCustomer, teamPipeline, expectProjectionMatches } = await import('../helpers/opportunities.ts');
    const asRep = caller(s.t.app, repCookie);
    const pipeline = await teamPipeline(asRep);
    const customer = await insertCustomer(s.ctx, teamId, 'Board Co');
    const o = await createOpportunity(asRep, { customerId: customer, name: 'Contested', amount: 100 });
    const stageOf = (n: string) => pipeline.stages.find((st) => st.name === n)!.id;
    const boardName = `board:${pipeline.id}`;
    // Yjs lets the highest client id win concurrent writes of one key: the refused move is the one that shows.
    const withClient = (clientID: number) => {
      const doc = new Y.Doc();
      doc.clientID = clientID;
      return doc;
    };
    const viewers: Client[] = [];
    for (const [clientID, cookie] of [[1001, repCookie], [2002, managerCookie], [3003, repCookie]] as const) {
      const c = connect(s.wsBase, boardName, cookie, { doc: withClient(clientID) });
      await c.synced();
      viewers.push(c);
    }
    const cardOf = (c: Client) => c.doc.getMap<Y.Map<unknown>>('cards').get(o.id)!;
    // In the same turn, before any of them hears of the others: two valid moves and one to Lost without a reason.
    cardOf(viewers[0]!).set('stageId', stageOf('Proposal'));
    cardOf(viewers[1]!).set('stageId', stageOf('Negotiation'));
    cardOf(viewers[2]!).set('stageId', stageOf('Lost'));
    const view = (c: Client) => stableJson(cardOf(c).toJSON());
    await until(() => view(viewers[0]!) === view(viewers[1]!) && view(viewers[1]!) === view(viewers[2]!), 'boards converge');
    expect(cardOf(viewers[0]!).get('stageId')).not.toBe(stageOf('Lost'));
    expect(reasons(viewers[2]!)).toEqual([expect.objectContaining({ field: 'lostReason' })]);
    for (const v of viewers) expect(v.closes).toEqual([]);
    await s.ctx.hub.flush();
    await expectProjectionMatches(s.ctx, pipeline.id);
    for (const v of viewers) v.destroy();
  });
});

describe('limits on a connection', () => {
  let limited: HubServer;
  let cookie: string;
  let id: string;
  beforeAll(async () => {
    const { DEFAULT_WRITE_BUDGET } = await import('../../server/realtime/realtime-config.ts');
    limited = await startHubServer({
      maxRefusalsPerMinute: 3,
      writeBudget: { ...DEFAULT_WRITE_BUDGET, bytesPerSec: 4096, burstBytes: 32 * 1024, userBytesPerSec: 8192, userBurstBytes: 64 * 1024, maxWaitMs: 500 },
    });
    const team = await seedTeam(limited.ctx);
    const user = await seedUser(limited.ctx, { role: 'rep', teamId: team.id });
    cookie = await login(limited.t.app, user.email);
    id = await seedCustomerDoc(limited.ctx, team.id, user, 'Budget Co');
  });
  afterAll(async () => {
    await limited.close();
  });

  it('paste and delete cycles are held to the write budget, then closed with 4429', async () => {
    const name = customerDocName(id);
    const before = await loadStoredDoc(limited.ctx.db, name);
    const c = connect(limited.wsBase, name, cookie);
    await c.synced();
    const started = Date.now();
    const notes = c.doc.getXmlFragment(CUSTOMER_ROOTS.notes);
    const paste = 'x'.repeat(4000);
    for (let i = 0; i < 200 && c.closes.length === 0; i++) {
      notes.insert(0, [new Y.XmlText(paste)]);
      notes.delete(0, 1);
      await new Promise((r) => setTimeout(r, 2));
    }
    await until(() => c.closes.some((x) => x.code === DOC_CLOSE.tooManyRequests), 'closed for the budget');
    expect(reasons(c).some((r) => r.code === 'rate_limited')).toBe(true);
    const elapsed = (Date.now() - started) / 1000;
    await limited.ctx.hub.flush();
    const after = await loadStoredDoc(limited.ctx.db, name);
    const written = after.bytes - before.bytes;
    // At most the burst, the refill over the run, and one update in flight.
    expect(written).toBeLessThanOrEqual(32 * 1024 + 4096 * elapsed + 16 * 1024);
    c.destroy();
  });

  it('a sender refused again and again is closed with 4429', async () => {
    const name = customerDocName(id);
    const c = connect(limited.wsBase, name, cookie);
    await c.synced();
    for (let i = 0; i < 5 && c.closes.length === 0; i++) {
      fieldsOf(c.doc).set('name', '');
      await until(() => c.refusals.length > i || c.closes.length > 0, 'refusal');
    }
    await until(() => c.closes.some((x) => x.code === DOC_CLOSE.tooManyRequests), 'closed for refusals');
    expect(c.closes[0]!.reason).toMatch(/refused/);
    c.destroy();
  });
});
