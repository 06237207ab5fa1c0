/** What live connections need to know about their sessions when they re-check them. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/types.ts';
import type { Role } from '../../schema/wire/user.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface LiveSessionRow {
  id: string;
  createdAt: Date;
  lastVerifiedAt: Date;
  active: boolean;
  role: Role;
  teamId: string | null;
  mustChangePassword: boolean;
}

export async function findLiveSessions(db: Q, ids: string[]): Promise<Map<string, LiveSessionRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as id',
      'sessions.created_at as created_at',
      'sessions.last_verified_at as last_verified_at',
      'users.active as active',
      'users.role as role',
      'users.team_id as team_id',
      'users.must_change_password as must_change_password',
    ])
    .where('sessions.id', 'in', ids)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        createdAt: r.created_at,
        lastVerifiedAt: r.last_verified_at,
        active: r.active,
        role: r.role,
        teamId: r.team_id,
        mustChangePassword: r.must_change_password,
      },
    ]),
  );
}
