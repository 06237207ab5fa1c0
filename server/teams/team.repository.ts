import type { Kysely, Transaction } from 'kysely';
import type { TeamRow } from '../../schema/tables/team.table.ts';
import type { TeamDto } from '../../schema/wire/user.ts';
import type { Database } from '../../schema/types.ts';

type Q = Kysely<Database> | Transaction<Database>;

export const toTeamDto = (r: TeamRow): TeamDto => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at.toISOString(),
  archived: r.archived_at !== null,
});

export function findTeamById(db: Q, id: string): Promise<TeamRow | undefined> {
  return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listTeams(db: Q): Promise<TeamRow[]> {
  return db.selectFrom('teams').selectAll().orderBy('name').execute();
}

export async function insertTeam(db: Q, name: string): Promise<TeamRow> {
  return db.insertInto('teams').values({ name }).returningAll().executeTakeFirstOrThrow();
}

export async function updateTeamRow(db: Q, id: string, patch: { name?: string; archived_at?: Date | null }): Promise<TeamRow | undefined> {
  return db.updateTable('teams').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
}
