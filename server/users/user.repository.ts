import type { Kysely, Transaction } from 'kysely';
import type { NewUserRow, UserUpdate } from '../../schema/tables/user.table.ts';
import type { Database } from '../../schema/types.ts';
import type { Scope } from '../../schema/policy/scope.ts';
import { inScope } from '../db/scope.ts';
import { type User, userFromRow } from './user.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function findUserById(db: Q, id: string): Promise<User | null> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? userFromRow(row) : null;
}

export async function findUserByLogin(db: Q, login: string): Promise<{ user: User; passwordHash: string } | null> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', login.toLowerCase()).executeTakeFirst();
  return row ? { user: userFromRow(row), passwordHash: row.password_hash } : null;
}

export async function findPasswordHash(db: Q, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
  return row?.password_hash ?? null;
}

/** The users inside a policy scope (schema/policy/scope.ts): every one, a team's, or oneself. */
export async function listUsers(db: Q, scope: Scope): Promise<User[]> {
  const q = db.selectFrom('users').selectAll().where(inScope(scope, { team: 'users.team_id', own: 'users.id' })).orderBy('name').orderBy('id');
  return (await q.execute()).map(userFromRow);
}

export async function insertUser(db: Q, row: NewUserRow): Promise<User> {
  return userFromRow(await db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow());
}

export async function updateUserRow(db: Q, id: string, patch: UserUpdate): Promise<User | null> {
  const row = await db
    .updateTable('users')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? userFromRow(row) : null;
}

export async function countUsers(db: Q): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
