/**
 * Pipeline administration and the default pipeline. Stages live in
 * `pipeline_stages`; every change is then mirrored into the `stages` map of
 * the pipeline's board document (board-stages.ts), so open boards show a
 * rename or a new order at once.
 */
import { sql } from 'kysely';
import type {
  CreatePipelineInput,
  StageInput,
  UpdatePipelineInput,
  UpdateStageInput,
} from '../../schema/wire/pipeline.ts';
import { STAGES_PER_PIPELINE_MAX, type StageKind } from '../../schema/wire/board.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { AppContext } from '../context.ts';
import { badRequest, conflict, forbidden, notFound } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import { WORKSPACE, can } from '../../schema/policy/access.ts';
import { readScope } from '../../schema/policy/scope.ts';
import { moveStageCards, syncBoardStages } from './board-stages.ts';
import {
  checkStageKinds,
  DEFAULT_PIPELINE_NAME,
  DEFAULT_PIPELINE_NAME_ZH,
  DEFAULT_STAGES,
  defaultProbability,
  type Pipeline,
  planInsert,
  planReorder,
  type StageSpec,
  stageNotInPipeline,
} from './pipeline.ts';
import {
  findPipeline,
  findStage,
  insertPipeline,
  insertStage,
  listPipelines,
  setPipelineTeams,
  teamsExist,
  updatePipelineRow,
  updateStageRow,
} from './pipeline.repository.ts';

function requireAdmin(user: User): void {
  if (!can(user, 'administer', WORKSPACE)) throw forbidden('Only admins configure pipelines');
}

/** The pipelines a user sees: admins all, others those of their team (creating the team's default on first use). */
export async function visiblePipelines(ctx: AppContext, user: User): Promise<Pipeline[]> {
  const scope = readScope(user, 'pipeline');
  switch (scope.kind) {
    case 'all':
      return listPipelines(ctx.db);
    case 'team':
      await ensureTeamPipeline(ctx, scope.teamId, user);
      return listPipelines(ctx.db, { teamId: scope.teamId });
    case 'own':
    case 'none':
      return [];
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(never)}`);
    }
  }
}

/** A pipeline the user may see, or 404. */
export async function visiblePipeline(ctx: AppContext, user: User, id: string): Promise<Pipeline> {
  const p = await findPipeline(ctx.db, id);
  if (!p || !can(user, 'read', { type: 'pipeline', teamIds: p.teamIds })) throw notFound('No such pipeline');
  return p;
}

/**
 * Gives a team that uses no pipeline the default one (SCOPE.md's stages).
 * The team row is locked so that two first uses at once create one pipeline.
 */
export async function ensureTeamPipeline(ctx: AppContext, teamId: string, actor: User): Promise<void> {
  const existing = await listPipelines(ctx.db, { teamId });
  if (existing.length > 0) return;
  const created = await ctx.db.transaction().execute(async (trx) => {
    await sql`select id from teams where id = ${teamId} for update`.execute(trx);
    const again = await trx.selectFrom('pipeline_teams').select('pipeline_id').where('team_id', '=', teamId).executeTakeFirst();
    if (again) return null;
    const now = ctx.now();
    const id = await insertPipeline(trx, { name: DEFAULT_PIPELINE_NAME, nameZh: DEFAULT_PIPELINE_NAME_ZH, isDefault: true, now });
    await setPipelineTeams(trx, id, [teamId]);
    await insertStages(trx, id, DEFAULT_STAGES, now);
    await recordAudit(trx, { actor_id: actor.id, team_id: teamId, action: 'pipeline.create_default', entity_type: 'pipeline', entity_id: id });
    return id;
  });
  if (created) await syncBoardStages(ctx, created, actor);
}

async function insertStages(trx: Parameters<typeof insertStage>[0], pipelineId: string, specs: readonly StageSpec[], now: Date) {
  let position = 0;
  for (const s of specs) {
    await insertStage(trx, {
      pipeline_id: pipelineId,
      name: s.name,
      name_zh: s.nameZh,
      probability: s.probability,
      kind: s.kind,
      position: position++,
      created_at: now,
      updated_at: now,
    });
  }
}

const specOf = (s: StageInput): StageSpec => {
  const kind: StageKind = s.kind ?? 'open';
  return { name: s.name, nameZh: s.nameZh ?? null, probability: defaultProbability(kind, s.probability), kind };
};

export async function createPipeline(ctx: AppContext, user: User, input: CreatePipelineInput): Promise<Pipeline> {
  requireAdmin(user);
  const teamIds = [...new Set(input.teamIds ?? [])];
  if (!(await teamsExist(ctx.db, teamIds))) throw badRequest('No such team', 'teamIds');
  const specs = input.stages ? input.stages.map(specOf) : DEFAULT_STAGES;
  const kindProblem = checkStageKinds(specs.map((s) => s.kind));
  if (kindProblem) throw kindProblem;
  const id = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const pid = await insertPipeline(trx, { name: input.name, nameZh: input.nameZh ?? null, isDefault: false, now });
    await setPipelineTeams(trx, pid, teamIds);
    await insertStages(trx, pid, specs, now);
    await recordAudit(trx, { actor_id: user.id, action: 'pipeline.create', entity_type: 'pipeline', entity_id: pid, changes: { name: input.name, teamIds } });
    return pid;
  });
  await syncBoardStages(ctx, id, user);
  return (await findPipeline(ctx.db, id))!;
}

export async function updatePipeline(ctx: AppContext, user: User, id: string, input: UpdatePipelineInput): Promise<Pipeline> {
  requireAdmin(user);
  const p = await visiblePipeline(ctx, user, id);
  if (input.teamIds && !(await teamsExist(ctx.db, input.teamIds))) throw badRequest('No such team', 'teamIds');
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    await updatePipelineRow(trx, id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.nameZh !== undefined ? { name_zh: input.nameZh } : {}),
      updated_at: now,
    });
    if (input.teamIds) await setPipelineTeams(trx, id, [...new Set(input.teamIds)]);
    await recordAudit(trx, {
      actor_id: user.id,
      action: 'pipeline.update',
      entity_type: 'pipeline',
      entity_id: id,
      changes: { before: { name: p.name, nameZh: p.nameZh, teamIds: p.teamIds }, after: input },
    });
  });
  return (await findPipeline(ctx.db, id))!;
}

export async function addStage(ctx: AppContext, user: User, pipelineId: string, input: StageInput): Promise<Pipeline> {
  requireAdmin(user);
  const p = await visiblePipeline(ctx, user, pipelineId);
  if (p.stages.length >= STAGES_PER_PIPELINE_MAX) throw badRequest(`A pipeline has at most ${STAGES_PER_PIPELINE_MAX} stages`, 'stages');
  const spec = specOf(input);
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const { positions, at } = planInsert(p.stages, input.position);
    for (const [id, position] of positions) await updateStageRow(trx, id, { position, updated_at: now });
    const stage = await insertStage(trx, {
      pipeline_id: pipelineId,
      name: spec.name,
      name_zh: spec.nameZh,
      probability: spec.probability,
      kind: spec.kind,
      position: at,
      created_at: now,
      updated_at: now,
    });
    await touchPipeline(trx, pipelineId, now);
    await recordAudit(trx, { actor_id: user.id, action: 'stage.create', entity_type: 'pipeline', entity_id: pipelineId, changes: { stageId: stage.id, ...spec } });
  });
  await syncBoardStages(ctx, pipelineId, user);
  return (await findPipeline(ctx.db, pipelineId))!;
}

async function liveStageOf(ctx: AppContext, pipelineId: string, stageId: string) {
  const s = await findStage(ctx.db, stageId);
  if (!s || s.pipelineId !== pipelineId || s.deletedAt !== null) throw notFound('No such stage');
  return s;
}

export async function updateStage(ctx: AppContext, user: User, pipelineId: string, stageId: string, input: UpdateStageInput): Promise<Pipeline> {
  requireAdmin(user);
  const p = await visiblePipeline(ctx, user, pipelineId);
  const stage = await liveStageOf(ctx, pipelineId, stageId);
  if (input.kind !== undefined && input.kind !== stage.kind) {
    const kindProblem = checkStageKinds(p.stages.map((s) => (s.id === stageId ? input.kind! : s.kind)));
    if (kindProblem) throw kindProblem;
    const inStage = await ctx.db.selectFrom('opportunities').select('id').where('stage_id', '=', stageId).limit(1).executeTakeFirst();
    if (inStage) throw conflict('Move the opportunities out of this stage before changing its kind', 'kind');
  }
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    await updateStageRow(trx, stageId, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.nameZh !== undefined ? { name_zh: input.nameZh } : {}),
      ...(input.probability !== undefined ? { probability: input.probability } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      updated_at: now,
    });
    await touchPipeline(trx, pipelineId, now);
    await recordAudit(trx, {
      actor_id: user.id,
      action: 'stage.update',
      entity_type: 'pipeline',
      entity_id: pipelineId,
      changes: { stageId, before: { name: stage.name, nameZh: stage.nameZh, probability: stage.probability, kind: stage.kind }, after: input },
    });
  });
  await syncBoardStages(ctx, pipelineId, user);
  return (await findPipeline(ctx.db, pipelineId))!;
}

export async function reorderStages(ctx: AppContext, user: User, pipelineId: string, stageIds: string[]): Promise<Pipeline> {
  requireAdmin(user);
  const p = await visiblePipeline(ctx, user, pipelineId);
  const positions = planReorder(p.stages, stageIds);
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    for (const [id, position] of positions) await updateStageRow(trx, id, { position, updated_at: now });
    await touchPipeline(trx, pipelineId, now);
    await recordAudit(trx, { actor_id: user.id, action: 'stage.reorder', entity_type: 'pipeline', entity_id: pipelineId, changes: { stageIds } });
  });
  await syncBoardStages(ctx, pipelineId, user);
  return (await findPipeline(ctx.db, pipelineId))!;
}

/**
 * Deletes (archives) a stage. A stage holding opportunities is refused
 * unless `moveTo` names another live stage: its cards are first moved there
 * through the board document, as any move is.
 */
export async function deleteStage(ctx: AppContext, user: User, pipelineId: string, stageId: string, moveTo: string | undefined): Promise<Pipeline> {
  requireAdmin(user);
  const p = await visiblePipeline(ctx, user, pipelineId);
  const stage = await liveStageOf(ctx, pipelineId, stageId);
  const rest = p.stages.filter((s) => s.id !== stageId);
  const kindProblem = checkStageKinds(rest.map((s) => s.kind));
  if (kindProblem) throw kindProblem;
  if (moveTo !== undefined) {
    if (moveTo === stageId || !rest.some((s) => s.id === moveTo)) throw stageNotInPipeline('moveTo');
    await moveStageCards(ctx, pipelineId, stageId, moveTo, user);
  }
  await ctx.db.transaction().execute(async (trx) => {
    const left = await trx.selectFrom('opportunities').select('id').where('stage_id', '=', stageId).limit(1).executeTakeFirst();
    if (left) throw conflict('The stage holds opportunities: name a stage to move them to (moveTo)', 'moveTo');
    const now = ctx.now();
    await updateStageRow(trx, stageId, { deleted_at: now, updated_at: now });
    let position = 0;
    for (const s of rest) await updateStageRow(trx, s.id, { position: position++, updated_at: now });
    await touchPipeline(trx, pipelineId, now);
    await recordAudit(trx, { actor_id: user.id, action: 'stage.delete', entity_type: 'pipeline', entity_id: pipelineId, changes: { stageId, name: stage.name, moveTo: moveTo ?? null } });
  });
  await syncBoardStages(ctx, pipelineId, user);
  return (await findPipeline(ctx.db, pipelineId))!;
}

async function touchPipeline(trx: Parameters<typeof updatePipelineRow>[0], id: string, now: Date) {
  await updatePipelineRow(trx, id, { updated_at: now });
}
