/** Persistence of live documents: the append-only update log and the compacted snapshots. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/types.ts';

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

export async function loadStoredDoc(db: Q, docName: string): Promise<StoredDoc> {
  const snap = await db
    .selectFrom('doc_snapshots')
    .select(['state', 'last_update_id'])
    .where('doc_name', '=', docName)
    .executeTakeFirst();
  const after = snap ? Number(snap.last_update_id) : 0;
  const rows = await db
    .selectFrom('doc_updates')
    .select(['id', 'update'])
    .where('doc_name', '=', docName)
    .where('id', '>', after)
    .orderBy('id')
    .execute();
  const updates = rows.map((r) => new Uint8Array(r.update));
  const snapshot = snap ? new Uint8Array(snap.state) : null;
  const last = rows.length > 0 ? Number(rows[rows.length - 1]!.id) : after;
  const bytes = (snapshot?.length ?? 0) + updates.reduce((n, u) => n + u.length, 0);
  return { snapshot, updates, lastUpdateId: last, bytes };
}

/** Appends updates; returns their ids in the order given. */
export async function appendUpdates(
  db: Q,
  rows: Array<{ docName: string; update: Uint8Array; userId: string | null }>,
): Promise<number[]> {
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
