/** The stored rows the board document's validation needs. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/types.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function findCustomerTeams(db: Q, ids: readonly string[]): Promise<Map<string, { teamId: string; archived: boolean }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('customers').select(['id', 'team_id', 'archived_at']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, { teamId: r.team_id, archived: r.archived_at !== null }]));
}

export async function findOpportunityTeams(db: Q, ids: readonly string[]): Promise<Map<string, { teamId: string; pipelineId: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('opportunities').select(['id', 'team_id', 'pipeline_id']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, { teamId: r.team_id, pipelineId: r.pipeline_id }]));
}

export async function findUserTeams(db: Q, ids: readonly string[]): Promise<Map<string, { teamId: string | null; active: boolean }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'team_id', 'active']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, { teamId: r.team_id, active: r.active }]));
}

export async function findPipelineTeamIds(db: Q, pipelineId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('pipeline_teams').select('team_id').where('pipeline_id', '=', pipelineId).execute();
  return new Set(rows.map((r) => r.team_id));
}

export async function pipelineIsLive(db: Q, pipelineId: string): Promise<boolean> {
  const row = await db.selectFrom('pipelines').select('id').where('id', '=', pipelineId).where('archived_at', 'is', null).executeTakeFirst();
  return row !== undefined;
}
