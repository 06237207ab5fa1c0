import { type Kysely, sql } from 'kysely';

/**
 * Covering indexes for the reports: the activity reports read author and type
 * straight from the index, and the leaderboard sums amounts per owner without
 * visiting the table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index activities_team_at_cover_idx on activities (team_id, at) include (author_id, type)`.execute(db);
  await sql`drop index activities_team_at_idx`.execute(db);
  await sql`create index opportunities_team_owner_cover_idx on opportunities (team_id, currency, owner_id) include (status, amount, closed_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index opportunities_team_owner_cover_idx`.execute(db);
  await sql`create index activities_team_at_idx on activities (team_id, at)`.execute(db);
  await sql`drop index activities_team_at_cover_idx`.execute(db);
}
