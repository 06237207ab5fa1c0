/**
 * Persistence of live documents: the append-only update log, the compacted
 * snapshots and the projection watermarks. The engine reaches them through
 * `DocStore` (below), handed to it at bootstrap.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../schema/types.ts';
import { coalesced } from '../db/coalesced.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface StoredDoc {
  snapshot: Uint8Array | null;
  /** Log rows after the snapshot, in order. */
  updates: Uint8Array[];
  /** The id of the last log row included (snapshot or update); 0 when none. */
  lastUpdateId: number;
  /** Bytes stored for the document (snapshot + log rows). */
  bytes: number;
}

/**
 * The stored document: its snapshot and the log rows after it. One statement,
 * so that a compaction committing meanwhile (by another node) cannot make the
 * rows read miss those the snapshot read does not cover.
 */
export async function loadStoredDoc(db: Q, docName: string): Promise<StoredDoc> {
  return (await loadStoredDocs(db, [docName])).get(docName)!;
}

/** `loadStoredDoc` for several documents in one statement: each name maps to its stored document, an empty one for a name never stored. */
export async function loadStoredDocs(db: Q, docNames: readonly string[]): Promise<Map<string, StoredDoc>> {
  const { rows } = await sql<{ doc_name: string; kind: 's' | 'u'; id: string; bytes: Uint8Array }>`
    with snap as (select doc_name, state, last_update_id from doc_snapshots where doc_name = any(${sql.val([...docNames])}::text[]))
    select doc_name, 's' as kind, last_update_id as id, state as bytes from snap
    union all
    select u.doc_name, 'u' as kind, u.id, u.update as bytes from doc_updates u
      left join snap on snap.doc_name = u.doc_name
      where u.doc_name = any(${sql.val([...docNames])}::text[]) and u.id > coalesce(snap.last_update_id, 0)
    order by 1, 2, 3
  `.execute(db);
  const out = new Map<string, StoredDoc>(docNames.map((n) => [n, { snapshot: null, updates: [], lastUpdateId: 0, bytes: 0 }]));
  for (const r of rows) {
    const doc = out.get(r.doc_name)!;
    const bytes = new Uint8Array(r.bytes);
    if (r.kind === 's') doc.snapshot = bytes;
    else doc.updates.push(bytes);
    doc.lastUpdateId = Math.max(doc.lastUpdateId, Number(r.id));
    doc.bytes += bytes.length;
  }
  return out;
}

/** One update to append to the log. */
export interface LogRow {
  docName: string;
  update: Uint8Array;
  userId: string | null;
}

/** Appends updates; returns their ids in the order given. */
export async function appendUpdates(db: Q, rows: readonly LogRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto('doc_updates')
    .values(rows.map((r) => ({ doc_name: r.docName, update: r.update, user_id: r.userId })))
    .returning('id')
    .execute();
  // Ids of one multi-row insert come from the sequence in row order.
  return inserted.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** Replaces the snapshot and deletes the log rows it now covers. Run inside one transaction. */
export async function writeSnapshot(trx: Q, docName: string, state: Uint8Array, lastUpdateId: number, now: Date): Promise<void> {
  await trx
    .insertInto('doc_snapshots')
    .values({ doc_name: docName, state, last_update_id: lastUpdateId, updated_at: now })
    .onConflict((oc) =>
      oc.column('doc_name').doUpdateSet({ state, last_update_id: lastUpdateId, updated_at: now }),
    )
    .execute();
  await trx.deleteFrom('doc_updates').where('doc_name', '=', docName).where('id', '<=', lastUpdateId).execute();
}

/**
 * Takes each document's transaction-scoped advisory lock (PostgreSQL),
 * in one global order so that two nodes never deadlock. While held, no other
 * node appends to, projects or compacts these documents; ids of one
 * document's log rows therefore follow the order of their commits.
 */
export async function lockDocs(trx: Q, docNames: string[]): Promise<void> {
  if (docNames.length === 0) return;
  await sql`
    select pg_advisory_xact_lock(h)
    from (select distinct hashtextextended(n, 0) as h from unnest(${docNames}::text[]) as n order by h) as locks
  `.execute(trx);
}

/**
 * Tries each document's transaction-scoped advisory lock without waiting;
 * answers the names locked (taken by another transaction: left out).
 */
export async function tryLockDocs(trx: Q, docNames: string[]): Promise<Set<string>> {
  if (docNames.length === 0) return new Set();
  const { rows } = await sql<{ name: string; ok: boolean }>`
    select n as name, pg_try_advisory_xact_lock(hashtextextended(n, 0)) as ok from unnest(${docNames}::text[]) as n
  `.execute(trx);
  return new Set(rows.filter((r) => r.ok).map((r) => r.name));
}

/** What a node holding a document lacks: a newer snapshot (another node compacted), then newer log rows. */
export interface StoredSince {
  snapshot: { state: Uint8Array; lastUpdateId: number } | null;
  updates: Array<{ id: number; update: Uint8Array }>;
}

/**
 * For each document, what was stored after the given log id: the snapshot if
 * it covers more than that id, and the log rows after both. One query for
 * all the documents.
 */
export async function readStoredSince(db: Q, since: Map<string, number>): Promise<Map<string, StoredSince>> {
  const out = new Map<string, StoredSince>();
  if (since.size === 0) return out;
  const names = [...since.keys()];
  const ids = names.map((n) => String(since.get(n)!));
  const { rows } = await sql<{ doc_name: string; kind: 's' | 'u'; id: string; bytes: Uint8Array }>`
    with s as (select * from unnest(${names}::text[], ${ids}::bigint[]) as s(name, since))
    select d.doc_name, 's' as kind, d.last_update_id as id, d.state as bytes
      from doc_snapshots d join s on d.doc_name = s.name and d.last_update_id > s.since
    union all
    select u.doc_name, 'u' as kind, u.id, u.update as bytes
      from doc_updates u join s on u.doc_name = s.name and u.id > s.since
    order by 1, 2, 3
  `.execute(db);
  for (const r of rows) {
    let entry = out.get(r.doc_name);
    if (!entry) {
      entry = { snapshot: null, updates: [] };
      out.set(r.doc_name, entry);
    }
    if (r.kind === 's') entry.snapshot = { state: new Uint8Array(r.bytes), lastUpdateId: Number(r.id) };
    else entry.updates.push({ id: Number(r.id), update: new Uint8Array(r.bytes) });
  }
  return out;
}

/** Moves documents' projection watermarks forward (never back). */
export async function writeWatermarks(db: Q, marks: ReadonlyArray<{ docName: string; updateId: number }>, now: Date): Promise<void> {
  if (marks.length === 0) return;
  await db
    .insertInto('doc_projections')
    .values(marks.map((m) => ({ doc_name: m.docName, update_id: m.updateId, updated_at: now })))
    .onConflict((oc) =>
      oc.column('doc_name').doUpdateSet((eb) => ({
        update_id: sql<number>`greatest(${eb.ref('doc_projections.update_id')}, ${eb.ref('excluded.update_id')})`,
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** Documents whose log (or snapshot) runs past their projection watermark, at most `limit`. */
export async function findTrailingDocs(db: Q, limit: number): Promise<string[]> {
  const { rows } = await sql<{ doc_name: string }>`
    select d.doc_name from (
      select doc_name, max(id) as last from doc_updates group by doc_name
      union all
      select doc_name, last_update_id as last from doc_snapshots
    ) d
    left join doc_projections p on p.doc_name = d.doc_name
    group by d.doc_name, p.update_id
    having max(d.last) > coalesce(p.update_id, 0)
    limit ${limit}
  `.execute(db);
  return rows.map((r) => r.doc_name);
}

/**
 * The engine's storage (hub, committer, projector): the log, snapshots,
 * watermarks and per-document locks, and nothing else of the database.
 */
export interface DocStore {
  load(docName: string): Promise<StoredDoc>;
  /** Appends updates in one statement (atomic by itself); their ids in the order given. */
  append(rows: readonly LogRow[]): Promise<number[]>;
  readSince(since: Map<string, number>): Promise<Map<string, StoredSince>>;
  findTrailing(limit: number): Promise<string[]>;
  /**
   * Runs `fn` in one transaction: what it writes commits together, or not at all. `derived`:
   * everything it writes can be derived from the log again (projections and their watermarks),
   * so on PostgreSQL its commit does not wait for the write-ahead log to reach the disk; a crash
   * may lose the last fraction of a second of such commits, watermarks included, and those
   * documents are projected again at start.
   */
  transaction<T>(fn: (tx: DocStoreTx) => Promise<T>, opts?: { derived?: boolean }): Promise<T>;
}

/** The store within one transaction; `trx` is the transaction itself, in which kinds write their projections. */
export interface DocStoreTx {
  readonly trx: Transaction<Database>;
  append(rows: readonly LogRow[]): Promise<number[]>;
  readSince(since: Map<string, number>): Promise<Map<string, StoredSince>>;
  lock(docNames: string[]): Promise<void>;
  tryLock(docNames: string[]): Promise<Set<string>>;
  writeSnapshot(docName: string, state: Uint8Array, lastUpdateId: number, now: Date): Promise<void>;
  writeWatermarks(marks: ReadonlyArray<{ docName: string; updateId: number }>, now: Date): Promise<void>;
}

/** Documents read by one coalesced load (their snapshots and logs in one result). */
const LOADS_PER_QUERY = 64;

/** The store over the app's database (PostgreSQL or PGlite). */
export function docStoreOf(db: Kysely<Database>, engine: 'postgres' | 'pglite'): DocStore {
  return {
    load: coalesced((names) => loadStoredDocs(db, names), LOADS_PER_QUERY),
    append: (rows) => appendUpdates(db, rows),
    readSince: (since) => readStoredSince(db, since),
    findTrailing: (limit) => findTrailingDocs(db, limit),
    transaction: (fn, opts) =>
      db.transaction().execute(async (trx) => {
        // PGlite runs in this process: a crash loses its transactions in progress anyway.
        if (opts?.derived && engine === 'postgres') await sql`set local synchronous_commit = off`.execute(trx);
        return fn({
          trx,
          append: (rows) => appendUpdates(trx, rows),
          readSince: (since) => readStoredSince(trx, since),
          lock: (docNames) => lockDocs(trx, docNames),
          tryLock: (docNames) => tryLockDocs(trx, docNames),
          writeSnapshot: (docName, state, lastUpdateId, now) => writeSnapshot(trx, docName, state, lastUpdateId, now),
          writeWatermarks: (marks, now) => writeWatermarks(trx, marks, now),
        });
      }),
  };
}
