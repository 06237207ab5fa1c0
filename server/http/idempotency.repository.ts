/** Idempotency keys (schema/tables/idempotency-key.table.ts): claim, answer, release, purge. */
import { type Kysely, sql } from 'kysely';
import type { IdempotencyKeyRow } from '../../schema/tables/idempotency-key.table.ts';
import type { Database } from '../../schema/types.ts';

type Q = Kysely<Database>;

/** Expired rows deleted per claim: enough to keep up, small enough to cost nothing. */
export const IDEMPOTENCY_PURGE_BATCH = 100;

/**
 * Inserts a pending row for (user, key) unless one exists; true when this request now holds
 * the key. First deletes up to a batch of rows created before `expiredBefore`.
 */
export async function claimIdempotencyKey(
  db: Q,
  row: { userId: string; key: string; requestHash: string; now: Date },
  expiredBefore: Date,
): Promise<boolean> {
  await sql`
    delete from idempotency_keys where ctid in (
      select ctid from idempotency_keys where created_at < ${expiredBefore} limit ${IDEMPOTENCY_PURGE_BATCH}
    )`.execute(db);
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({ user_id: row.userId, key: row.key, request_hash: row.requestHash, created_at: row.now })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function findIdempotencyKey(db: Q, userId: string, key: string): Promise<IdempotencyKeyRow | undefined> {
  return db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirst();
}

/** Stores the answer of the request holding the key. */
export async function answerIdempotencyKey(
  db: Q,
  userId: string,
  key: string,
  answer: { status: number; contentType: string | null; body: string },
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ status: answer.status, content_type: answer.contentType, body: answer.body })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .execute();
}

/**
 * Deletes the row of (user, key) — only the one created at `createdAt` when given, so that a
 * request clearing an expired or abandoned claim never deletes a newer one.
 */
export async function releaseIdempotencyKey(db: Q, userId: string, key: string, createdAt?: Date): Promise<void> {
  let q = db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key);
  if (createdAt) q = q.where('created_at', '=', createdAt);
  await q.execute();
}
