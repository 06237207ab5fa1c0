/**
 * Loading stored documents several at a time (server/realtime/doc-store.repository.ts): one
 * statement reads each document's snapshot and the log rows after it, a name never stored
 * reads as empty; the hub's loads are coalesced into such statements, one at a time
 * (server/db/coalesced.ts, also the customer documents' access lookups).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { coalesced } from '../../server/db/coalesced.ts';
import { appendUpdates, loadStoredDoc, loadStoredDocs, type StoredDoc, writeSnapshot } from '../../server/realtime/doc-store.repository.ts';
import { type TestContext, createTestContext } from '../helpers/context.ts';

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

/** An update that sets `key` in the map `m` of a fresh client. */
function setKey(key: string, value: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('m').set(key, value);
  return Y.encodeStateAsUpdate(doc);
}

function read(stored: StoredDoc): Record<string, unknown> {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc.getMap('m').toJSON();
}

describe('loadStoredDocs', () => {
  it('reads snapshots and the rows after them for several documents in one statement', async () => {
    const [a1, a2, b1] = await appendUpdates(t.ctx.db, [
      { docName: 'test:a', update: setKey('x', '1'), userId: null },
      { docName: 'test:a', update: setKey('y', '2'), userId: null },
      { docName: 'test:b', update: setKey('z', '3'), userId: null },
    ]);
    // `a` is compacted up to its first row; a row after the snapshot stays in the log.
    await t.ctx.db.transaction().execute((trx) => writeSnapshot(trx, 'test:a', setKey('x', '1'), a1!, new Date()));
    const docs = await loadStoredDocs(t.ctx.db, ['test:a', 'test:b', 'test:none']);
    expect([...docs.keys()].sort()).toEqual(['test:a', 'test:b', 'test:none']);
    const a = docs.get('test:a')!;
    expect(a.snapshot).not.toBeNull();
    expect(a.updates).toHaveLength(1);
    expect(a.lastUpdateId).toBe(a2);
    expect(read(a)).toEqual({ x: '1', y: '2' });
    expect(docs.get('test:b')).toMatchObject({ snapshot: null, lastUpdateId: b1 });
    expect(read(docs.get('test:b')!)).toEqual({ z: '3' });
    expect(docs.get('test:none')).toEqual({ snapshot: null, updates: [], lastUpdateId: 0, bytes: 0 });
    // The single-document read answers the same.
    expect(await loadStoredDoc(t.ctx.db, 'test:a')).toEqual(a);
  });
});

describe('coalesced lookups', () => {
  const empty = (): StoredDoc => ({ snapshot: null, updates: [], lastUpdateId: 0, bytes: 0 });

  it('one query for the loads asked in one turn, the next for those asked while it ran, at most `max` each', async () => {
    const queries: string[][] = [];
    let release: () => void = () => {};
    const load = coalesced(async (names: string[]) => {
      queries.push(names);
      if (queries.length === 1) await new Promise<void>((r) => (release = r));
      return new Map(names.map((n) => [n, { ...empty(), lastUpdateId: Number(n) }]));
    }, 3);
    const first = ['1', '2', '2'].map(load);
    await new Promise((r) => setImmediate(r));
    const later = ['3', '4', '5', '6'].map(load);
    release();
    expect((await Promise.all([...first, ...later])).map((d) => d.lastUpdateId)).toEqual([1, 2, 2, 3, 4, 5, 6]);
    expect(queries).toEqual([['1', '2'], ['3', '4', '5'], ['6']]);
  });

  it('a failed query fails its own loads only', async () => {
    let calls = 0;
    const load = coalesced(async (names: string[]) => {
      calls++;
      if (calls === 1) throw new Error('connection lost');
      return new Map(names.map((n) => [n, empty()]));
    }, 10);
    const failed = load('a');
    await expect(failed).rejects.toThrow('connection lost');
    await expect(load('b')).resolves.toEqual(empty());
  });
});
