import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/types.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Stores a new token and spends every older unused one of the user: only the newest works. */
export async function insertResetToken(
  db: Q,
  row: { tokenHash: string; userId: string; createdBy: string | null; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .updateTable('password_reset_tokens')
    .set({ used_at: row.createdAt })
    .where('user_id', '=', row.userId)
    .where('used_at', 'is', null)
    .execute();
  await db
    .insertInto('password_reset_tokens')
    .values({
      token_hash: row.tokenHash,
      user_id: row.userId,
      created_by: row.createdBy,
      created_at: row.createdAt,
      expires_at: row.expiresAt,
      used_at: null,
    })
    .execute();
}

/** Spends a token that is unused and unexpired; returns its user, or null. Atomic: it works once. */
export async function consumeResetToken(db: Q, tokenHash: string, now: Date): Promise<string | null> {
  const row = await db
    .updateTable('password_reset_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id ?? null;
}

/** The user of a token that would work now, without spending it. */
export async function peekResetToken(db: Q, tokenHash: string, now: Date): Promise<string | null> {
  const row = await db
    .selectFrom('password_reset_tokens')
    .select('user_id')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.user_id ?? null;
}
