import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate, DEFAULT_UPDATE_LIMITS, isEmptyUpdate } from '../../server/realtime/update-check.ts';

// The structural check of untrusted Yjs updates: what Yjs writes passes with the counts Yjs
// decodes; hand-written hostile bytes (the GC struct of length 2^53−2 that once poisoned a
// document, the 10,000-deep XmlElement chain that overflowed the stack) are refused; and fuzzing
// shows the check never throws and accepts only bytes Yjs reads to structs within the limits.

const MAX_CLOCK = DEFAULT_UPDATE_LIMITS.maxClock;
const MAX_CLIENT = DEFAULT_UPDATE_LIMITS.maxClient;
const MAX_DEPTH = DEFAULT_UPDATE_LIMITS.maxDepth;

/** Checks an update Yjs wrote, and that the check counts what Yjs decodes. */
function expectAccepted(update: Uint8Array) {
  const result = checkUpdate(update);
  if (!result.ok) expect.fail(`refused a valid update: ${result.reason}`);
  const decoded = Y.decodeUpdate(update);
  expect(result.structs).toBe(decoded.structs.length);
  expect(result.deletes).toBe([...decoded.ds.clients.values()].reduce((n, ranges) => n + ranges.length, 0));
  return result;
}

function expectRefused(update: Uint8Array, reason?: RegExp) {
  const result = checkUpdate(update);
  if (result.ok) expect.fail('accepted a hostile update');
  if (reason) expect(result.reason).toMatch(reason);
}

/** Records every update a doc emits. */
function recorded(doc: Y.Doc): Uint8Array[] {
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  return updates;
}

/** A chain of `depth` XmlElements, each inserted into the previous one after it is integrated. */
function xmlChain(depth: number): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    let parent: Y.XmlElement | Y.XmlFragment = doc.getXmlFragment('body');
    for (let i = 0; i < depth; i++) {
      const child = new Y.XmlElement('p');
      parent.insert(0, [child]);
      parent = child;
    }
  });
  return Y.encodeStateAsUpdate(doc);
}

// Hand-written v1 updates, field by field, in the layout `readClientsStructRefs` reads.
type Write = (e: encoding.Encoder) => void;
const varUint =
  (n: number): Write =>
  (e) =>
    encoding.writeVarUint(e, n);
const str =
  (s: string): Write =>
  (e) =>
    encoding.writeVarString(e, s);
const raw =
  (...bs: number[]): Write =>
  (e) => {
    for (const b of bs) encoding.writeUint8(e, b);
  };
const seq =
  (...parts: Write[]): Write =>
  (e) => {
    for (const p of parts) p(e);
  };
function bytes(...parts: Write[]): Uint8Array {
  const e = encoding.createEncoder();
  seq(...parts)(e);
  return encoding.toUint8Array(e);
}
const NO_DELETES = varUint(0);
/** One client block holding `structs`, then a delete set. */
const update = (client: number, clock: number, structs: Write[], deletes: Write = NO_DELETES) =>
  bytes(varUint(1), varUint(structs.length), varUint(client), varUint(clock), ...structs, deletes);
const onlyDeletes = (client: number, ranges: Array<[number, number]>) =>
  bytes(varUint(0), varUint(1), varUint(client), varUint(ranges.length), ...ranges.flatMap(([c, l]) => [varUint(c), varUint(l)]));
const gc = (length: number) => seq(raw(0), varUint(length));
const skip = (length: number) => seq(raw(10), varUint(length));
const PARENT_SUB = 0x20;
const ORIGIN = 0x80;
const inRoot = (root: string) => seq(varUint(1), str(root));
const inParent = (client: number, clock: number) => seq(varUint(0), varUint(client), varUint(clock));
/** `root.set(key, 1)` on a Y.Map: a ContentAny item with parentSub. */
const mapSet = (root: string, key: string) => seq(raw(8 | PARENT_SUB), inRoot(root), str(key), varUint(1), raw(125), raw(1));
const anyItem = (...values: Write[]) => seq(raw(8), inRoot('r'), varUint(values.length), ...values);
const typeItem = (parent: Write, typeRef: number) => seq(raw(7), parent, varUint(typeRef));
const nestedArrays = (depth: number) => seq(...Array.from({ length: depth }, () => raw(117, 1)), raw(126));

describe('updates Yjs writes are accepted', () => {
  it('the empty update', () => {
    const empty = Y.encodeStateAsUpdate(new Y.Doc());
    expect(isEmptyUpdate(empty)).toBe(true);
    expect(expectAccepted(empty)).toMatchObject({ structs: 0, deletes: 0, typeDepth: 0, anyDepth: 0 });
    expect(isEmptyUpdate(new Uint8Array([0, 0, 0]))).toBe(false);
  });

  it('a map key, byte for byte as the hand-written one', () => {
    const doc = new Y.Doc();
    doc.clientID = 7;
    doc.getMap('deal').set('stage', 1);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(update(7, 0, [mapSet('deal', 'stage')]));
    const result = expectAccepted(update(7, 0, [mapSet('deal', 'stage')]));
    expect(result).toMatchObject({ structs: 1, deletes: 0, roots: new Set(['deal']), typeDepth: 0, anyDepth: 0 });
  });

  it('nested maps, arrays of any-values and deletions', () => {
    const doc = new Y.Doc();
    const deal = doc.getMap('deal');
    const contacts = new Y.Map<unknown>();
    deal.set('contacts', contacts);
    const phones = new Y.Map<unknown>();
    contacts.set('ana', phones);
    phones.set('work', '+49 30 1234');
    const list = doc.getArray<unknown>('list');
    list.insert(0, [1, 'two', { three: [3] }, new Uint8Array([4]), null, true, 2.5, -7, 2 ** 40]);
    list.delete(0, 2);
    const result = expectAccepted(Y.encodeStateAsUpdate(doc));
    expect(result).toMatchObject({ roots: new Set(['deal', 'list']), typeDepth: 2, anyDepth: 2 });
    if (result.ok) expect(result.deletes).toBeGreaterThan(0);
  });

  it('text with formatting, embeds and deletions', () => {
    const doc = new Y.Doc();
    const text = doc.getText('notes');
    text.insert(0, 'héllo 👋 world', { bold: true });
    text.format(0, 3, { italic: true, link: { href: 'https://example.com' } });
    text.insertEmbed(4, { image: 'logo.png' });
    text.delete(1, 2);
    const result = expectAccepted(Y.encodeStateAsUpdate(doc));
    expect(result).toMatchObject({ roots: new Set(['notes']), typeDepth: 0, anyDepth: 1 });
  });

  it('XML elements, text, hooks and fragments', () => {
    const doc = new Y.Doc();
    const body = doc.getXmlFragment('body');
    const p = new Y.XmlElement('p');
    p.setAttribute('class', 'lead');
    body.insert(0, [p]);
    // Yjs' typings keep hooks out of fragments; a map holds one just as well.
    doc.getMap('hooks').set('mention', new Y.XmlHook('mention'));
    const bold = new Y.XmlElement('b');
    p.insert(0, [new Y.XmlText('Hello '), bold]);
    bold.insert(0, [new Y.XmlText('there')]);
    const result = expectAccepted(Y.encodeStateAsUpdate(doc));
    expect(result).toMatchObject({ roots: new Set(['body', 'hooks']), typeDepth: 3 });
  });

  it('a state with garbage-collected content', () => {
    const doc = new Y.Doc();
    const deal = doc.getMap('deal');
    const notes = new Y.Map<unknown>();
    deal.set('notes', notes);
    notes.set('a', 'x'.repeat(10));
    notes.set('b', new Y.Text('gone'));
    deal.delete('notes');
    doc.getText('t').insert(0, 'abcdef');
    doc.getText('t').delete(1, 3);
    const state = Y.encodeStateAsUpdate(doc);
    expect(Y.decodeUpdate(state).structs.some((s) => s instanceof Y.GC)).toBe(true);
    expect(expectAccepted(state).ok).toBe(true);
  });

  it('merged updates, with and without gaps (Skip structs)', () => {
    const doc = new Y.Doc();
    const updates = recorded(doc);
    const text = doc.getText('t');
    for (const word of ['one ', 'two ', 'three ']) text.insert(text.length, word);
    doc.getMap('m').set('k', 'v');
    text.delete(0, 2);
    expectAccepted(Y.mergeUpdates(updates));
    const gapped = Y.mergeUpdates([updates[0]!, updates[2]!]);
    expect(Y.decodeUpdate(gapped).structs.some((s) => s instanceof Y.Skip)).toBe(true);
    expectAccepted(gapped);
  });

  it('updates from several clients', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getText('t').insert(0, 'from a');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    b.getText('t').insert(3, ' and b ');
    b.getArray('l').insert(0, [{ x: 1 }]);
    a.getMap('m').set('k', new Y.Array());
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    a.getText('t').delete(0, 4);
    const state = Y.encodeStateAsUpdate(a);
    expect(new Set(Y.decodeUpdate(state).structs.map((s) => s.id.client)).size).toBe(2);
    expect(expectAccepted(state)).toMatchObject({ roots: new Set(['t', 'l', 'm']) });
    expectAccepted(Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  });

  it('every any-value tag lib0 writes', () => {
    const values = [
      raw(127),
      raw(126),
      raw(125, 0xc1, 0x01), // varInt -65
      raw(124, 0, 0, 0x80, 0x3f), // float32
      raw(123, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f), // float64
      raw(122, 0, 0, 0, 0, 0, 0, 0, 1), // bigint
      raw(121),
      raw(120),
      seq(raw(119), str('ünïcödé')),
      seq(raw(118), varUint(1), str('k'), raw(117), varUint(1), raw(126)),
      seq(raw(116), varUint(2), raw(1, 2)),
    ];
    expect(expectAccepted(update(1, 0, [anyItem(...values)]))).toMatchObject({ structs: 1, anyDepth: 2 });
  });

  it('legacy ContentJSON, "undefined" included', () => {
    const json = seq(raw(2), inRoot('r'), varUint(3), str('{"a":[1]}'), str('undefined'), str('"x"'));
    const result = expectAccepted(update(1, 0, [json]));
    expect(result).toMatchObject({ structs: 1, anyDepth: 2 });
  });

  it('types nested exactly maxDepth deep', () => {
    expect(expectAccepted(xmlChain(MAX_DEPTH))).toMatchObject({ typeDepth: MAX_DEPTH });
    expect(expectAccepted(update(1, 0, [anyItem(nestedArrays(MAX_DEPTH))]))).toMatchObject({ anyDepth: MAX_DEPTH });
  });

  it('a large update, in time linear in its size', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    // Prepending keeps every insert its own item: 20,000 structs.
    for (let i = 0; i < 20_000; i++) text.insert(0, i % 2 ? 'ab' : 'ç');
    const state = Y.encodeStateAsUpdate(doc);
    const start = performance.now();
    expectAccepted(state);
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});

describe('hostile updates are refused', () => {
  it('NUL in any string: a map value, a key, text, an XML attribute, an embed', () => {
    const cases: Array<(doc: Y.Doc) => void> = [
      (d) => d.getMap('fields').set('name', 'A\u0000B'),
      (d) => d.getMap('tags').set('t\u0000', true),
      (d) => d.getText('t').insert(0, 'x\u0000y'),
      (d) => {
        const el = new Y.XmlElement('p');
        d.getXmlFragment('notes').insert(0, [el]);
        el.setAttribute('href', 'a\u0000');
      },
      (d) => d.getText('t').insertEmbed(0, { src: '\u0000' }),
    ];
    for (const change of cases) {
      const doc = new Y.Doc();
      change(doc);
      expectRefused(Y.encodeStateAsUpdate(doc), /NUL/);
    }
    // The same strings without NUL pass.
    const ok = new Y.Doc();
    ok.getMap('fields').set('name', 'A B');
    ok.getText('t').insertEmbed(0, { src: 'x' });
    expectAccepted(Y.encodeStateAsUpdate(ok));
  });

  it('struct ranges ending past maxClock', () => {
    expectRefused(update(1, 0, [gc(2 ** 53 - 2)]), /ends past clock/);
    expectRefused(update(1, 0, [gc(2 ** 52)]), /ends past clock/);
    expectRefused(update(1, 0, [gc(MAX_CLOCK + 1)]), /ends past clock/);
    expectRefused(update(1, 0, [skip(2 ** 52)]), /ends past clock/);
    expectRefused(update(1, 2 ** 53 - 2, [mapSet('deal', 'stage')]), /ends past clock/);
    expectRefused(update(1, MAX_CLOCK, [mapSet('deal', 'stage')]), /ends past clock/);
    // The sum of two structs passes the limit even though neither does alone.
    expectRefused(update(1, 0, [gc(MAX_CLOCK - 1), mapSet('deal', 'stage'), mapSet('deal', 'x')]), /ends past clock/);
    expect(checkUpdate(update(1, 0, [gc(MAX_CLOCK)])).ok).toBe(true);
    expect(checkUpdate(update(1, MAX_CLOCK - 1, [mapSet('deal', 'stage')])).ok).toBe(true);
    expect(checkUpdate(update(1, 0, [gc(100)]), { maxClock: 99 }).ok).toBe(false);
  });

  it('delete ranges ending past maxClock', () => {
    expectRefused(onlyDeletes(1, [[0, 2 ** 40]]), /ends past clock/);
    expectRefused(onlyDeletes(1, [[2 ** 40, 1]]), /ends past clock/);
    expect(checkUpdate(onlyDeletes(1, [[0, MAX_CLOCK]]))).toMatchObject({ ok: true, deletes: 1 });
  });

  it('origins and parents beyond maxClock', () => {
    const withOrigin = seq(raw(8 | ORIGIN), varUint(2), varUint(MAX_CLOCK), varUint(1), raw(126));
    expectRefused(update(1, 0, [withOrigin]), /out of range/);
    expectRefused(update(1, 0, [typeItem(inParent(2, 2 ** 50), 1)]), /out of range/);
  });

  it('client ids above maxClient', () => {
    expectRefused(update(2 ** 53, 0, [gc(1)]));
    expectRefused(update(MAX_CLIENT + 1, 0, [gc(1)]), /client/);
    expectRefused(onlyDeletes(MAX_CLIENT + 1, [[0, 1]]), /client/);
    expect(checkUpdate(update(MAX_CLIENT, 0, [gc(1)])).ok).toBe(true);
    expect(checkUpdate(update(5, 0, [gc(1)]), { maxClient: 4 }).ok).toBe(false);
  });

  it('counts the remaining bytes cannot carry', () => {
    expectRefused(bytes(varUint(2 ** 40), varUint(1), varUint(1), varUint(0), gc(1), NO_DELETES), /client blocks/);
    expectRefused(bytes(varUint(1), varUint(1e9), varUint(1), varUint(0), gc(1), NO_DELETES), /structs/);
    expectRefused(bytes(varUint(0), varUint(1e9), varUint(1), varUint(1), varUint(0), varUint(1)), /delete-set clients/);
    expectRefused(bytes(varUint(0), varUint(1), varUint(1), varUint(1e9), varUint(0), varUint(1)), /delete ranges/);
    expectRefused(update(1, 0, [seq(raw(8), inRoot('r'), varUint(2 ** 50), raw(126))]), /any values/);
    expectRefused(update(1, 0, [anyItem(raw(117), varUint(1e9), raw(126))]), /array values/);
    expectRefused(update(1, 0, [anyItem(raw(118), varUint(1e9), str('k'), raw(126))]), /object entries/);
    expectRefused(update(1, 0, [seq(raw(2), inRoot('r'), varUint(1e9), str('1'))]), /JSON values/);
  });

  it('strings and buffers longer than the bytes left', () => {
    expectRefused(update(1, 0, [seq(raw(4), inRoot('r'), varUint(1e9), raw(65))]), /truncated/);
    expectRefused(update(1, 0, [seq(raw(4), varUint(1), varUint(2 ** 52), raw(65))]), /truncated/);
    expectRefused(update(1, 0, [anyItem(raw(116), varUint(1e9))]), /truncated/);
    expectRefused(update(1, 0, [seq(raw(3), inRoot('r'), varUint(1e9))]), /truncated/);
  });

  it('truncated and trailing bytes', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'hello', { bold: true });
    doc.getMap('m').set('k', [1, { a: 'b' }]);
    doc.getText('t').delete(0, 1);
    const state = Y.encodeStateAsUpdate(doc);
    expectAccepted(state);
    for (let end = 0; end < state.length; end++) expectRefused(state.subarray(0, end));
    expectRefused(new Uint8Array([...state, 0]), /trailing/);
    expectRefused(new Uint8Array([0, 0, 0]), /trailing/);
  });

  it('subdocuments', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('sub', new Y.Doc());
    expectRefused(Y.encodeStateAsUpdate(doc), /ContentDoc/);
  });

  it('unknown struct, content, type and any-value tags', () => {
    expectRefused(update(1, 0, [typeItem(inRoot('r'), 7)]), /type ref 7/);
    expectRefused(update(1, 0, [typeItem(inRoot('r'), 2 ** 40)]), /type ref/);
    expectRefused(update(1, 0, [seq(raw(11), inRoot('r'), varUint(1))]), /content ref 11/);
    expectRefused(update(1, 0, [seq(raw(31), inRoot('r'), varUint(1))]), /content ref 31/);
    expectRefused(update(1, 0, [anyItem(raw(115))]), /any tag 115/);
    // Found by the mutation fuzz: lib0 has no tag above 127 either.
    expectRefused(update(1, 0, [anyItem(raw(128))]), /any tag 128/);
    expectRefused(update(1, 0, [seq(raw(0x80), varUint(1))]), /flags on a GC/);
    expectRefused(update(1, 0, [seq(raw(10 | 0x20), varUint(1))]), /flags on a Skip/);
    expectRefused(update(1, 0, [seq(raw(8), varUint(2), str('r'), varUint(1), raw(126))]), /parent info 2/);
    for (const keyed of [3, 5]) expect(checkUpdate(update(1, 0, [seq(typeItem(inRoot('r'), keyed), str('p'))])).ok).toBe(true);
  });

  it('zero lengths Yjs never writes', () => {
    expectRefused(update(1, 0, [gc(0)]), /of 0/);
    expectRefused(update(1, 0, [skip(0)]), /of 0/);
    expectRefused(update(1, 0, [seq(raw(1), inRoot('r'), varUint(0))]), /deleted length of 0/);
    expectRefused(update(1, 0, [seq(raw(4), inRoot('r'), str(''))]), /string length of 0/);
    expectRefused(update(1, 0, [anyItem()]), /any count of 0/);
    expectRefused(update(1, 0, [seq(raw(2), inRoot('r'), varUint(0))]), /JSON count of 0/);
    expectRefused(onlyDeletes(1, [[3, 0]]), /delete length of 0/);
    const empty = seq(varUint(0), varUint(1), varUint(0));
    const full = seq(varUint(3), varUint(2), varUint(0), gc(1), gc(1), gc(1));
    expectRefused(bytes(varUint(2), empty, full, NO_DELETES), /empty client block/);
  });

  it('malformed strings, JSON and varints', () => {
    expectRefused(update(1, 0, [seq(raw(4), inRoot('r'), varUint(2), raw(0xc3, 0x28))]), /UTF-8/);
    expectRefused(update(1, 0, [seq(raw(5), inRoot('r'), str('{nope'))]), /invalid JSON/);
    expectRefused(update(1, 0, [seq(raw(6), inRoot('r'), str('bold'), str('undefined'))]), /invalid JSON/);
    const deepJson = `${'['.repeat(MAX_DEPTH + 1)}${']'.repeat(MAX_DEPTH + 1)}`;
    expectRefused(update(1, 0, [seq(raw(5), inRoot('r'), str(deepJson))]), /anyDepth/);
    expectRefused(bytes(raw(0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)), /varint too long/);
    expectRefused(bytes(raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)), /out of range/);
    expectRefused(update(1, 0, [anyItem(raw(125, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01))]), /varint too long/);
  });

  it('two blocks for one client (Yjs would keep only the last)', () => {
    expectRefused(bytes(varUint(2), varUint(1), varUint(1), varUint(0), gc(1), varUint(1), varUint(1), varUint(1), gc(1), NO_DELETES), /two blocks/);
  });

  it('ContentAny nested 10,000 deep, without overflowing the stack', () => {
    expectRefused(update(1, 0, [anyItem(nestedArrays(10_000))]), /anyDepth/);
    expectRefused(update(1, 0, [anyItem(nestedArrays(MAX_DEPTH + 1))]), /anyDepth/);
    const nestedObjects = seq(...Array.from({ length: 10_000 }, () => seq(raw(118), varUint(1), str('k'))), raw(126));
    expectRefused(update(1, 0, [anyItem(nestedObjects)]), /anyDepth/);
  });

  it('an XmlElement chain 10,000 deep in one update', () => {
    const chain = xmlChain(10_000);
    expectRefused(chain, /typeDepth/);
    expectRefused(xmlChain(MAX_DEPTH + 1), /typeDepth/);
    expect(checkUpdate(chain, { maxDepth: 10_000 })).toMatchObject({ ok: true, typeDepth: 10_000 });
  });

  it('a type chain hidden behind origins: a child inherits its origin parent', () => {
    // Client 1 nests maps by parent ID; client 2 adds a map after (origin) the deepest one.
    const chain = Array.from({ length: MAX_DEPTH }, (_, i) => typeItem(i === 0 ? inRoot('r') : inParent(1, i - 1), 1));
    const below = typeItem(inParent(1, MAX_DEPTH - 1), 1);
    const beside = seq(raw(7 | ORIGIN), varUint(1), varUint(MAX_DEPTH - 1), varUint(1));
    const twoClients = (last: Write) =>
      bytes(varUint(2), varUint(MAX_DEPTH), varUint(1), varUint(0), ...chain, varUint(1), varUint(2), varUint(0), last, NO_DELETES);
    expect(checkUpdate(twoClients(beside))).toMatchObject({ ok: true, typeDepth: MAX_DEPTH });
    expectRefused(twoClients(below), /typeDepth/);
  });

  it('reference cycles', () => {
    expectRefused(update(1, 0, [typeItem(inParent(1, 0), 1)]), /cycle/);
    const a = seq(raw(8 | ORIGIN), varUint(2), varUint(0), varUint(1), raw(126));
    const b = seq(raw(8 | ORIGIN), varUint(1), varUint(0), varUint(1), raw(126));
    expectRefused(bytes(varUint(2), varUint(1), varUint(1), varUint(0), a, varUint(1), varUint(2), varUint(0), b, NO_DELETES), /cycle/);
  });

  it('100,000 items chained by origins, checked without recursion', () => {
    const n = 100_000;
    const e = encoding.createEncoder();
    seq(varUint(1), varUint(n), varUint(1), varUint(0), anyItem(raw(126)))(e);
    for (let i = 1; i < n; i++) seq(raw(8 | ORIGIN), varUint(1), varUint(i - 1), varUint(1), raw(126))(e);
    NO_DELETES(e);
    expect(checkUpdate(encoding.toUint8Array(e))).toMatchObject({ ok: true, structs: n, typeDepth: 0 });
  });
});

// --- Property-based tests ---

/** varUint encodings around every limit, and varints Yjs never writes. */
const EXTREMES: number[][] = [
  ...[0, 1, 127, 128, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 52, 2 ** 53 - 2, 2 ** 53 - 1].map((n) => [...bytes(varUint(n))]),
  Array(9).fill(0xff),
  [...Array(9).fill(0x80), 0],
  [116, 117, 118, 119, 125, 126, 127],
  [7, 9, 10, 31],
];

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'overwrite'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; count: number };

const someBytes = fc.oneof(fc.constantFrom(...EXTREMES), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }));
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: someBytes }),
  fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), bytes: someBytes }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }),
);

function mutate(update: Uint8Array, mutations: Mutation[]): Uint8Array {
  const out = [...update];
  for (const m of mutations) {
    const at = m.at % (out.length + 1);
    if (m.kind === 'flip' && at < out.length) out[at]! ^= 1 << m.bit;
    else if (m.kind === 'set' && at < out.length) out[at] = m.byte;
    else if (m.kind === 'insert') out.splice(at, 0, ...m.bytes);
    else if (m.kind === 'overwrite') out.splice(at, m.bytes.length, ...m.bytes);
    else if (m.kind === 'delete') out.splice(at, m.count);
  }
  return new Uint8Array(out);
}

type Edit =
  | { kind: 'map'; who: number; key: string; value: unknown; nest: boolean }
  | { kind: 'text'; who: number; at: number; text: string; bold: boolean }
  | { kind: 'array'; who: number; at: number; values: unknown[] }
  | { kind: 'xml'; who: number; at: number; name: string; text: string }
  | { kind: 'delete'; who: number; target: 'text' | 'array' | 'xml' | 'map'; at: number; length: number }
  | { kind: 'sync' };

const who = fc.integer({ min: 0, max: 1 });
const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.uint8Array({ maxLength: 4 }));
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('map' as const), who, key: fc.constantFrom('a', 'b', 'stage'), value, nest: fc.boolean() }),
  fc.record({ kind: fc.constant('text' as const), who, at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 6, unit: 'grapheme' }), bold: fc.boolean() }),
  fc.record({ kind: fc.constant('array' as const), who, at: fc.nat(), values: fc.array(value, { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('xml' as const), who, at: fc.nat(), name: fc.constantFrom('p', 'h1'), text: fc.string({ minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('delete' as const), who, target: fc.constantFrom('text', 'array', 'xml', 'map'), at: fc.nat(), length: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('sync' as const) }),
);
const outputArb = fc.constantFrom('state', 'merged', 'last', 'diff');

function applyEdit(docs: Y.Doc[], edit: Edit): void {
  if (edit.kind === 'sync') {
    Y.applyUpdate(docs[0]!, Y.encodeStateAsUpdate(docs[1]!));
    Y.applyUpdate(docs[1]!, Y.encodeStateAsUpdate(docs[0]!));
    return;
  }
  const doc = docs[edit.who]!;
  const text = doc.getText('notes');
  const array = doc.getArray<unknown>('list');
  const body = doc.getXmlFragment('body');
  const map = doc.getMap<unknown>('deal');
  switch (edit.kind) {
    case 'map':
      if (edit.nest) {
        const inner = new Y.Map<unknown>();
        map.set(edit.key, inner);
        inner.set('v', edit.value);
      } else map.set(edit.key, edit.value);
      return;
    case 'text':
      text.insert(edit.at % (text.length + 1), edit.text, edit.bold ? { bold: true } : {});
      return;
    case 'array':
      array.insert(edit.at % (array.length + 1), edit.values);
      return;
    case 'xml': {
      const el = new Y.XmlElement(edit.name);
      body.insert(edit.at % (body.length + 1), [el]);
      el.insert(0, [new Y.XmlText(edit.text)]);
      return;
    }
    case 'delete': {
      if (edit.target === 'map') return void map.delete('a');
      const type = edit.target === 'text' ? text : edit.target === 'array' ? array : body;
      if (type.length === 0) return;
      const at = edit.at % type.length;
      type.delete(at, Math.min(edit.length, type.length - at));
    }
  }
}

/** A valid v1 update made by replaying edits on two docs. */
function build(edits: Edit[], output: string): Uint8Array {
  const docs = [new Y.Doc(), new Y.Doc()];
  const updates = recorded(docs[0]!);
  for (const edit of edits) applyEdit(docs, edit);
  if (output === 'merged') return Y.mergeUpdates(updates);
  if (output === 'last' && updates.length > 0) return updates[updates.length - 1]!;
  if (output === 'diff') return Y.encodeStateAsUpdate(docs[0]!, Y.encodeStateVector(docs[1]!));
  return Y.encodeStateAsUpdate(docs[0]!);
}

function expectWithinBounds(update: Uint8Array) {
  const result = checkUpdate(update);
  if (!result.ok) return result;
  expect(result.structs * 2).toBeLessThanOrEqual(update.length);
  expect(result.deletes * 2).toBeLessThanOrEqual(update.length);
  expect(result.typeDepth).toBeLessThanOrEqual(MAX_DEPTH);
  expect(result.anyDepth).toBeLessThanOrEqual(MAX_DEPTH);
  return result;
}

describe('property: the check is total and agrees with Yjs', () => {
  it('random bytes never throw and answer within bounds', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), (u) => void expectWithinBounds(u)),
      { numRuns: 4000 },
    );
    // Small varints and tags, far likelier than uniform bytes to get past the first fields.
    const token = fc.oneof(fc.constantFrom(...EXTREMES), fc.constantFrom([0], [1], [2], [4], [8], [65], [0x80 | 8], [126]));
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => void expectWithinBounds(new Uint8Array(tokens.flat()))),
      { numRuns: 4000 },
    );
  });

  it('every update made by random edits is accepted, with the counts Yjs decodes', () => {
    fc.assert(
      fc.property(fc.array(editArb, { maxLength: 12 }), outputArb, (edits, output) => {
        expectAccepted(build(edits, output));
      }),
      { numRuns: 400 },
    );
  });

  it('mutated updates never throw, and what is accepted stays within limits for Yjs', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(editArb, { minLength: 1, maxLength: 8 }), outputArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (edits, output, mutations) => {
        const mutated = mutate(build(edits, output), mutations);
        const result = expectWithinBounds(mutated);
        if (!result.ok) return;
        accepted++;
        // Accepted bytes are ones Yjs reads too, to the same structs and ranges.
        const decoded = Y.decodeUpdate(mutated);
        expect(result.structs).toBe(decoded.structs.length);
        for (const s of decoded.structs) {
          expect(s.id.clock + s.length).toBeLessThanOrEqual(MAX_CLOCK);
          expect(s.id.client).toBeLessThanOrEqual(MAX_CLIENT);
        }
        for (const [client, ranges] of decoded.ds.clients) {
          expect(client).toBeLessThanOrEqual(MAX_CLIENT);
          for (const r of ranges) expect(r.clock + r.len).toBeLessThanOrEqual(MAX_CLOCK);
        }
        try {
          Y.applyUpdate(new Y.Doc(), mutated);
        } catch {
          // Yjs may still refuse what is structurally sound (a parent that is no type); it must not crash.
        }
      }),
      { numRuns: 3000 },
    );
    // Not vacuous: many mutations (inside strings, values, clocks) stay well-formed.
    expect(accepted).toBeGreaterThan(100);
  });
});
