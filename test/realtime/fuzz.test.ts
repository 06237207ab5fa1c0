/**
 * Fuzzing the hub through a real server: thousands of generated updates —
 * random edits (valid and invalid), byte mutations of them, and random byte
 * strings — sent over real WebSockets as y-websocket sync messages. The
 * process must stay up and answer `/healthz`, the document must stay
 * loadable and editable, and what is stored must pass the document's rules.
 */
import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CUSTOMER_FIELDS, CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import { fieldProblem, newFollowupProblem, notesProblem, tagProblem } from '../../server/customers/customer-doc.ts';
import { DEFAULT_WRITE_BUDGET } from '../../server/realtime/realtime-config.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { type HubServer, connect, originOf, seedCustomerDoc, startHubServer, storedDoc, until } from './realtime-helpers.ts';

/** Cases per run, per family. */
const EDIT_CASES = 1000;
const MUTATION_CASES = 1200;
const RANDOM_CASES = 800;

let s: HubServer;
let rep: User;
let cookie: string;
let customerId: string;

beforeAll(async () => {
  s = await startHubServer({
    maxRefusalsPerMinute: 1_000_000,
    writeBudget: { ...DEFAULT_WRITE_BUDGET, updatesPerSec: 1e6, burstUpdates: 1e6, userUpdatesPerSec: 1e6, userBurstUpdates: 1e6 },
  });
  const team = await seedTeam(s.ctx);
  rep = await seedUser(s.ctx, { role: 'rep', teamId: team.id });
  cookie = await login(s.t.app, rep.email);
  customerId = await seedCustomerDoc(s.ctx, team.id, rep, 'Fuzz Co');
}, 60_000);
afterAll(async () => {
  await s.close();
});

const docName = () => customerDocName(customerId);
const httpBase = () => originOf(s.wsBase);

// -- a raw y-websocket client that knows when the server has handled a message --

function frame(type: number, sub: number | null, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  if (sub !== null) encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

class RawClient {
  closed = false;
  closeCode = 0;
  private waiting: Array<(stateUpdate: Uint8Array | null) => void> = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(d) !== 0) return;
      if (decoding.readVarUint(d) !== 1) return; // only sync step 2 answers a barrier
      this.waiting.shift()?.(decoding.readVarUint8Array(d));
    });
    ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
      for (const w of this.waiting.splice(0)) w(null);
    });
  }

  static open(): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${s.wsBase}/${docName()}`, { headers: { cookie, origin: originOf(s.wsBase) } });
      ws.on('open', () => resolve(new RawClient(ws)));
      ws.on('error', reject);
    });
  }

  /**
   * Sends a frame, then a sync step 1 with an empty state vector: the server
   * handles a connection's messages in order, so its step 2 answer (the whole
   * durable state) means the frame was handled. Null when the server closed.
   */
  async send(bytes: Uint8Array): Promise<Uint8Array | null> {
    if (this.closed) return null;
    const answered = new Promise<Uint8Array | null>((resolve) => this.waiting.push(resolve));
    this.ws.send(bytes);
    this.ws.send(frame(0, 0, Y.encodeStateVector(new Y.Doc())));
    return withTimeout(answered, 10_000);
  }

  close(): void {
    this.ws.close();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref())]);
}

// -- generated edits -----------------------------------------------------------------

type Op =
  | { t: 'field'; key: string; value: unknown }
  | { t: 'unfield'; key: string }
  | { t: 'tag'; tag: string; value: unknown }
  | { t: 'untag'; tag: string }
  | { t: 'followup'; keys: Record<string, unknown>; textLen: number }
  | { t: 'editFollowup'; index: number; key: string; value: unknown }
  | { t: 'dropFollowup'; index: number }
  | { t: 'note'; element: string; text: string; depth: number }
  | { t: 'dropNote'; index: number };

const anyValue = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom('', ' ', 'x'.repeat(300), '2026-01-05T10:00:00.000Z', 'not a date'),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const fieldKey = fc.oneof(fc.constantFrom(...CUSTOMER_FIELDS), fc.constantFrom('salary', '__proto__', ''));
const followupKey = fc.constantFrom('id', 'type', 'authorId', 'at', 'nextAt', 'outcome', 'text', 'extra');

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('field' as const), key: fieldKey, value: anyValue }),
  fc.record({ t: fc.constant('unfield' as const), key: fieldKey }),
  fc.record({ t: fc.constant('tag' as const), tag: fc.oneof(fc.string({ maxLength: 50 }), fc.constantFrom('vip', ' padded ')), value: fc.oneof(fc.constant(true), anyValue) }),
  fc.record({ t: fc.constant('untag' as const), tag: fc.constantFrom('vip', 'a', '') }),
  fc.record({
    t: fc.constant('followup' as const),
    keys: fc.dictionary(followupKey, anyValue, { maxKeys: 4 }),
    textLen: fc.integer({ min: 0, max: 50 }),
  }),
  fc.record({ t: fc.constant('editFollowup' as const), index: fc.nat(5), key: followupKey, value: anyValue }),
  fc.record({ t: fc.constant('dropFollowup' as const), index: fc.nat(5) }),
  fc.record({
    t: fc.constant('note' as const),
    element: fc.constantFrom('paragraph', 'heading', 'bad name', '1x', 'blockquote'),
    text: fc.string({ maxLength: 40 }),
    depth: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({ t: fc.constant('dropNote' as const), index: fc.nat(3) }),
);

function applyOp(doc: Y.Doc, op: Op): void {
  const fields = doc.getMap(CUSTOMER_ROOTS.fields);
  const tags = doc.getMap(CUSTOMER_ROOTS.tags);
  const followups = doc.getArray<Y.Map<unknown>>(CUSTOMER_ROOTS.followups);
  const notes = doc.getXmlFragment(CUSTOMER_ROOTS.notes);
  switch (op.t) {
    case 'field':
      fields.set(op.key, op.value);
      return;
    case 'unfield':
      fields.delete(op.key);
      return;
    case 'tag':
      tags.set(op.tag, op.value);
      return;
    case 'untag':
      tags.delete(op.tag);
      return;
    case 'followup': {
      const m = new Y.Map<unknown>();
      m.set('id', `f${Math.random().toString(36).slice(2)}`);
      m.set('type', 'call');
      m.set('authorId', rep.id);
      m.set('at', '2026-01-05T10:00:00.000Z');
      m.set('text', new Y.Text('t'.repeat(op.textLen)));
      for (const [k, v] of Object.entries(op.keys)) m.set(k, v);
      followups.push([m]);
      return;
    }
    case 'editFollowup':
      if (followups.length > 0) followups.get(op.index % followups.length).set(op.key, op.value);
      return;
    case 'dropFollowup':
      if (followups.length > 0) followups.delete(op.index % followups.length, 1);
      return;
    case 'note': {
      let parent: Y.XmlFragment = notes;
      for (let i = 0; i < op.depth; i++) {
        const el = new Y.XmlElement(op.element);
        parent.insert(0, [el]);
        parent = el;
      }
      parent.insert(0, [new Y.XmlText(op.text)]);
      return;
    }
    case 'dropNote':
      if (notes.length > 0) notes.delete(op.index % notes.length, 1);
      return;
    default: {
      const never: never = op;
      throw new Error(String(never));
    }
  }
}

/** Byte-level mutations of a valid update. */
type Mutation = { t: 'flip'; at: number; bit: number } | { t: 'set'; at: number; byte: number } | { t: 'insert'; at: number; bytes: Uint8Array } | { t: 'cut'; at: number; len: number } | { t: 'huge'; at: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ t: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ t: fc.constant('set' as const), at: fc.nat(), byte: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff, 10, 116, 119) }),
  fc.record({ t: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ t: fc.constant('cut' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  // A varuint of 2^53-2 in place of a byte: a clock or length far beyond any document.
  fc.record({ t: fc.constant('huge' as const), at: fc.nat() }),
);

const HUGE = (() => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 2 ** 53 - 2);
  return encoding.toUint8Array(e);
})();

function mutate(update: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = Array.from(update);
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    switch (m.t) {
      case 'flip':
        if (b.length > 0) b[at] = b[at]! ^ (1 << m.bit);
        break;
      case 'set':
        if (b.length > 0) b[at] = m.byte;
        break;
      case 'insert':
        b = [...b.slice(0, at), ...m.bytes, ...b.slice(at)];
        break;
      case 'cut':
        b = [...b.slice(0, at), ...b.slice(at + m.len)];
        break;
      case 'huge':
        b = [...b.slice(0, at), ...HUGE, ...b.slice(at + 1)];
        break;
    }
  }
  return new Uint8Array(b);
}

// -- the run ---------------------------------------------------------------------------

interface Tally {
  sent: number;
  closed: number;
  healthChecks: number;
  slowestHealthMs: number;
}

/** Sends generated updates, reconnecting after closes and every 40 cases (held, incomplete updates go with the connection). */
async function run(cases: Array<(mirror: Y.Doc) => Uint8Array>, tally: Tally): Promise<void> {
  let client = await RawClient.open();
  let mirror = new Y.Doc();
  for (let i = 0; i < cases.length; i++) {
    if (client.closed || i % 40 === 39) {
      if (!client.closed) client.close();
      tally.closed += client.closed && client.closeCode !== 1005 ? 1 : 0;
      client = await RawClient.open();
    }
    const update = cases[i]!(mirror);
    const state = await client.send(frame(0, 2, update));
    tally.sent++;
    if (state) {
      mirror.destroy();
      mirror = new Y.Doc();
      Y.applyUpdate(mirror, state);
    }
    if (i % 250 === 0) {
      const started = performance.now();
      const res = await fetch(`${httpBase()}/healthz`);
      const ms = performance.now() - started;
      expect(res.status).toBe(200);
      tally.healthChecks++;
      tally.slowestHealthMs = Math.max(tally.slowestHealthMs, ms);
    }
  }
  client.close();
  mirror.destroy();
}

/** A generated edit of the current server state, as the update a client would send. */
function editCase(ops: Op[], mutation: Mutation[] | null): (mirror: Y.Doc) => Uint8Array {
  return (mirror) => {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(mirror));
    const sv = Y.encodeStateVector(copy);
    copy.transact(() => {
      for (const op of ops) applyOp(copy, op);
    });
    const update = Y.encodeStateAsUpdate(copy, sv);
    copy.destroy();
    return mutation ? mutate(update, mutation) : update;
  };
}

/** Everything stored passes the customer document's rules, and no clock is out of bounds. */
async function expectStoredValid(): Promise<Y.Doc> {
  const doc = await storedDoc(s.ctx, docName());
  for (const clock of Y.decodeStateVector(Y.encodeStateVector(doc)).values()) expect(clock).toBeLessThanOrEqual(2 ** 31);
  expect([...doc.share.keys()].sort()).toEqual(['fields', 'followups', 'notes', 'tags']);
  const fields = doc.getMap(CUSTOMER_ROOTS.fields);
  for (const [k, v] of fields) expect([k, fieldProblem(k, v)]).toEqual([k, null]);
  expect(typeof fields.get('name')).toBe('string');
  for (const [k, v] of doc.getMap(CUSTOMER_ROOTS.tags)) expect([k, tagProblem(k, v)]).toEqual([k, null]);
  for (const entry of doc.getArray(CUSTOMER_ROOTS.followups)) expect(newFollowupProblem(entry, rep)).toBeNull();
  expect(notesProblem(doc.getXmlFragment(CUSTOMER_ROOTS.notes))).toBeNull();
  return doc;
}

describe('fuzzing the hub over real sockets', () => {
  it(`${EDIT_CASES} generated edits, ${MUTATION_CASES} mutations of them and ${RANDOM_CASES} random byte strings: no crash, nothing invalid stored`, async () => {
    const tally: Tally = { sent: 0, closed: 0, healthChecks: 0, slowestHealthMs: 0 };
    const opsArb = fc.array(opArb, { minLength: 1, maxLength: 4 });
    const edits = fc.sample(opsArb, { numRuns: EDIT_CASES, seed: 20261206 }).map((ops) => editCase(ops, null));
    const mutations = fc
      .sample(fc.tuple(opsArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 })), { numRuns: MUTATION_CASES, seed: 7 })
      .map(([ops, ms]) => editCase(ops, ms));
    const randoms = fc.sample(fc.uint8Array({ maxLength: 400 }), { numRuns: RANDOM_CASES, seed: 11 }).map((bytes) => () => bytes);
    // Interleaved, so that junk arrives on documents shaped by earlier edits.
    const all: Array<(mirror: Y.Doc) => Uint8Array> = [];
    for (let i = 0; i < Math.max(edits.length, mutations.length, randoms.length); i++) {
      for (const list of [edits, mutations, randoms]) if (list[i]) all.push(list[i]!);
    }
    await run(all, tally);
    console.log(`fuzz: ${tally.sent} updates sent, ${tally.closed} connections closed by the server, /healthz ${tally.healthChecks}× (slowest ${tally.slowestHealthMs.toFixed(1)} ms)`);
    expect(tally.sent).toBe(EDIT_CASES + MUTATION_CASES + RANDOM_CASES);
    expect(tally.closed).toBeGreaterThan(0);

    // Stored state passes the rules; the row mirrors it; a stock provider loads it and edits.
    const stored = await expectStoredValid();
    const a = connect(s.wsBase, docName(), cookie);
    const b = connect(s.wsBase, docName(), cookie);
    await Promise.all([a.synced(), b.synced()]);
    expect(a.doc.getMap(CUSTOMER_ROOTS.fields).toJSON()).toEqual(stored.getMap(CUSTOMER_ROOTS.fields).toJSON());
    a.doc.getMap(CUSTOMER_ROOTS.fields).set('industry', 'After the storm');
    await until(() => b.doc.getMap(CUSTOMER_ROOTS.fields).get('industry') === 'After the storm', 'an edit after fuzzing');
    a.destroy();
    b.destroy();
    await s.ctx.hub.flush();
    const row = await s.ctx.db.selectFrom('customers').select(['industry', 'name']).where('id', '=', customerId).executeTakeFirstOrThrow();
    expect(row.industry).toBe('After the storm');
    expect(row.name).toBe(stored.getMap(CUSTOMER_ROOTS.fields).get('name'));
  }, 600_000);
});
