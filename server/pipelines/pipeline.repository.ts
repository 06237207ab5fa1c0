/** Pipelines, their stages and the teams using them. */
import type { Kysely, Transaction } from 'kysely';
import type { NewPipelineStageRow, PipelineStageUpdate, PipelineUpdate } from '../../schema/tables/pipeline.table.ts';
import type { Database } from '../../schema/types.ts';
import { type Pipeline, pipelineFromRows, type Stage, stageFromRow } from './pipeline.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Pipelines (not archived), with their teams and live stages; only those used by `teamId` when given. */
export async function listPipelines(db: Q, opts: { teamId?: string | null; ids?: string[] } = {}): Promise<Pipeline[]> {
  let q = db.selectFrom('pipelines').selectAll().where('archived_at', 'is', null);
  if (opts.teamId !== undefined) {
    if (opts.teamId === null) return [];
    const teamId = opts.teamId;
    q = q.where('id', 'in', (s) => s.selectFrom('pipeline_teams').select('pipeline_id').where('team_id', '=', teamId));
  }
  if (opts.ids) {
    if (opts.ids.length === 0) return [];
    q = q.where('id', 'in', opts.ids);
  }
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [teams, stages] = await Promise.all([
    db.selectFrom('pipeline_teams').select(['pipeline_id', 'team_id']).where('pipeline_id', 'in', ids).orderBy('created_at').execute(),
    db.selectFrom('pipeline_stages').selectAll().where('pipeline_id', 'in', ids).where('deleted_at', 'is', null).execute(),
  ]);
  return rows.map((p) =>
    pipelineFromRows(
      p,
      teams.filter((t) => t.pipeline_id === p.id).map((t) => t.team_id),
      stages.filter((s) => s.pipeline_id === p.id).map(stageFromRow),
    ),
  );
}

export async function findPipeline(db: Q, id: string): Promise<Pipeline | undefined> {
  return (await listPipelines(db, { ids: [id] }))[0];
}

export async function pipelineUsedByTeam(db: Q, pipelineId: string, teamId: string | null): Promise<boolean> {
  if (teamId === null) return false;
  const row = await db
    .selectFrom('pipeline_teams')
    .select('pipeline_id')
    .where('pipeline_id', '=', pipelineId)
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertPipeline(
  db: Q,
  values: { name: string; nameZh: string | null; isDefault: boolean; now: Date },
): Promise<string> {
  const row = await db
    .insertInto('pipelines')
    .values({ name: values.name, name_zh: values.nameZh, is_default: values.isDefault, created_at: values.now, updated_at: values.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePipelineRow(db: Q, id: string, values: PipelineUpdate): Promise<void> {
  await db.updateTable('pipelines').set(values).where('id', '=', id).execute();
}

export async function setPipelineTeams(db: Q, pipelineId: string, teamIds: readonly string[]): Promise<void> {
  await db.deleteFrom('pipeline_teams').where('pipeline_id', '=', pipelineId).execute();
  if (teamIds.length === 0) return;
  await db
    .insertInto('pipeline_teams')
    .values(teamIds.map((team_id) => ({ pipeline_id: pipelineId, team_id })))
    .execute();
}

export async function insertStage(db: Q, values: NewPipelineStageRow): Promise<Stage> {
  return stageFromRow(await db.insertInto('pipeline_stages').values(values).returningAll().executeTakeFirstOrThrow());
}

export async function updateStageRow(db: Q, id: string, values: PipelineStageUpdate): Promise<void> {
  await db.updateTable('pipeline_stages').set(values).where('id', '=', id).execute();
}

/** Every stage of a pipeline, deleted ones included. */
export async function listStages(db: Q, pipelineId: string): Promise<Stage[]> {
  const rows = await db.selectFrom('pipeline_stages').selectAll().where('pipeline_id', '=', pipelineId).execute();
  return rows.map(stageFromRow);
}

export async function findStage(db: Q, stageId: string): Promise<Stage | undefined> {
  const row = await db.selectFrom('pipeline_stages').selectAll().where('id', '=', stageId).executeTakeFirst();
  return row ? stageFromRow(row) : undefined;
}

export async function teamsExist(db: Q, teamIds: readonly string[]): Promise<boolean> {
  if (teamIds.length === 0) return true;
  const rows = await db.selectFrom('teams').select('id').where('id', 'in', [...teamIds]).execute();
  return rows.length === new Set(teamIds).size;
}
