/** Pipelines and stages: the domain objects, the default pipeline, and the pure rules of stage changes. */
import type { PipelineRow, PipelineStageRow } from '../../schema/tables/pipeline.table.ts';
import type { StageKind } from '../../schema/wire/board.ts';
import type { PipelineDto, StageDto } from '../../schema/wire/pipeline.ts';
import { AppError, badRequest } from '../http/app-error.ts';

export interface Stage {
  id: string;
  pipelineId: string;
  name: string;
  nameZh: string | null;
  probability: number;
  kind: StageKind;
  position: number;
  deletedAt: Date | null;
}

export interface Pipeline {
  id: string;
  name: string;
  nameZh: string | null;
  isDefault: boolean;
  teamIds: string[];
  /** Live stages, by position. */
  stages: Stage[];
  createdAt: Date;
  updatedAt: Date;
}

export const stageFromRow = (r: PipelineStageRow): Stage => ({
  id: r.id,
  pipelineId: r.pipeline_id,
  name: r.name,
  nameZh: r.name_zh,
  probability: r.probability,
  kind: r.kind,
  position: r.position,
  deletedAt: r.deleted_at,
});

export function pipelineFromRows(p: PipelineRow, teamIds: string[], stages: Stage[]): Pipeline {
  return {
    id: p.id,
    name: p.name,
    nameZh: p.name_zh,
    isDefault: p.is_default,
    teamIds,
    stages: orderStages(stages.filter((s) => s.deletedAt === null)),
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

export const toStageDto = (s: Stage): StageDto => ({
  id: s.id,
  name: s.name,
  nameZh: s.nameZh,
  probability: s.probability,
  kind: s.kind,
  position: s.position,
});

export const toPipelineDto = (p: Pipeline): PipelineDto => ({
  id: p.id,
  name: p.name,
  nameZh: p.nameZh,
  isDefault: p.isDefault,
  teamIds: p.teamIds,
  stages: p.stages.map(toStageDto),
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

export function orderStages<T extends { position: number; id: string }>(stages: readonly T[]): T[] {
  return [...stages].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
}

export interface StageSpec {
  name: string;
  nameZh: string | null;
  probability: number;
  kind: StageKind;
}

/** The default sales process (SCOPE.md), named in English and Simplified Chinese. */
export const DEFAULT_PIPELINE_NAME = 'Sales pipeline';
export const DEFAULT_PIPELINE_NAME_ZH = '销售管道';
export const DEFAULT_STAGES: readonly StageSpec[] = [
  { name: 'Initial contact', nameZh: '初步接触', probability: 10, kind: 'open' },
  { name: 'Needs confirmed', nameZh: '需求确认', probability: 25, kind: 'open' },
  { name: 'Proposal', nameZh: '方案制定', probability: 50, kind: 'open' },
  { name: 'Negotiation', nameZh: '商务谈判', probability: 75, kind: 'open' },
  { name: 'Contract signed', nameZh: '合同签订', probability: 90, kind: 'open' },
  { name: 'Won', nameZh: '赢单', probability: 100, kind: 'won' },
  { name: 'Lost', nameZh: '输单', probability: 0, kind: 'lost' },
];

/** A pipeline must keep at least one open stage: new opportunities start in one. */
export function checkStageKinds(kinds: readonly StageKind[]): AppError | null {
  if (!kinds.includes('open')) return badRequest('A pipeline needs at least one open stage', 'stages');
  return null;
}

/** A won stage wins for sure and a lost stage never: their probability is fixed by kind unless given. */
export function defaultProbability(kind: StageKind, given: number | undefined): number {
  if (given !== undefined) return given;
  switch (kind) {
    case 'won':
      return 100;
    case 'lost':
      return 0;
    case 'open':
      return 50;
  }
}

/** Checks a reorder request: exactly the live stage ids, each once. Returns id → new position. */
export function planReorder(live: readonly Pick<Stage, 'id'>[], stageIds: readonly string[]): Map<string, number> {
  const liveIds = new Set(live.map((s) => s.id));
  const seen = new Set<string>();
  for (const id of stageIds) {
    if (!liveIds.has(id)) throw badRequest(`Stage ${id} is not a stage of this pipeline`, 'stageIds');
    if (seen.has(id)) throw badRequest(`Stage ${id} is listed twice`, 'stageIds');
    seen.add(id);
  }
  if (seen.size !== liveIds.size) throw badRequest('List every stage of the pipeline exactly once', 'stageIds');
  return new Map(stageIds.map((id, i) => [id, i]));
}

/** Positions after inserting a stage at `at` (clamped) among ordered live stages: id → position, new stage's position. */
export function planInsert(live: readonly Pick<Stage, 'id'>[], at: number | undefined): { positions: Map<string, number>; at: number } {
  const index = at === undefined ? live.length : Math.max(0, Math.min(at, live.length));
  const positions = new Map<string, number>();
  for (const [i, s] of live.entries()) positions.set(s.id, i < index ? i : i + 1);
  return { positions, at: index };
}

export const stageNotInPipeline = (field = 'stageId') =>
  new AppError('validation', 400, 'That stage does not exist in this pipeline (it may have just been deleted)', field);
