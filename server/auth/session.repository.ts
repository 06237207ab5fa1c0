import type { Kysely, Transaction } from 'kysely';
import type { NewSessionRow, SessionRow } from '../../schema/tables/session.table.ts';
import type { UserRow } from '../../schema/tables/user.table.ts';
import type { Database } from '../../schema/types.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function insertSession(db: Q, row: NewSessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function findSessionWithUser(db: Q, id: string): Promise<{ session: SessionRow; user: UserRow } | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select([
      'sessions.id as s_id',
      'sessions.secret_hash as s_secret_hash',
      'sessions.created_at as s_created_at',
      'sessions.last_verified_at as s_last_verified_at',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const { s_id, s_secret_hash, s_created_at, s_last_verified_at, ...user } = row;
  return {
    session: {
      id: s_id,
      secret_hash: s_secret_hash,
      user_id: user.id,
      created_at: s_created_at,
      last_verified_at: s_last_verified_at,
    },
    user,
  };
}

export async function touchSession(db: Q, id: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_verified_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Q, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every session of a user, but `exceptId` if given; returns the ids ended. */
export async function deleteUserSessions(db: Q, userId: string, exceptId?: string): Promise<string[]> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.returning('id').execute()).map((r) => r.id);
}

/** Of the given session ids, those that still exist (for live connections re-checking their session). */
export async function existingSessionIds(db: Q, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('sessions').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}
