/** Pipelines and stages as the HTTP API shows them (DESIGN.md: `GET /api/pipelines`). */
import { z } from 'zod';
import { PIPELINE_NAME_MAX, STAGE_KINDS, STAGE_NAME_MAX, type StageKind, STAGES_PER_PIPELINE_MAX } from './board.ts';

export interface StageDto {
  id: string;
  /** English (or the only) name. */
  name: string;
  /** Simplified Chinese name, or null. */
  nameZh: string | null;
  /** Win probability, 0–100. */
  probability: number;
  kind: StageKind;
  /** 0-based order of the column on the board. */
  position: number;
}

export interface PipelineDto {
  id: string;
  name: string;
  nameZh: string | null;
  isDefault: boolean;
  /** The teams that use this pipeline. */
  teamIds: string[];
  /** Live (not deleted) stages, by position. */
  stages: StageDto[];
  createdAt: string;
  updatedAt: string;
}

const name = z.string().trim().min(1).max(STAGE_NAME_MAX);
const nameZh = z.string().trim().max(STAGE_NAME_MAX).nullable();
const probability = z.number().int().min(0).max(100);
const kind = z.enum(STAGE_KINDS);

export const stageInputBody = z.strictObject({
  name,
  nameZh: nameZh.optional(),
  /** Defaults by kind: open 50, won 100, lost 0. */
  probability: probability.optional(),
  kind: kind.optional(),
  /** Where to insert the stage; appended when absent. */
  position: z.number().int().min(0).max(STAGES_PER_PIPELINE_MAX).optional(),
});
export type StageInput = z.infer<typeof stageInputBody>;

export const createPipelineBody = z.strictObject({
  name: z.string().trim().min(1).max(PIPELINE_NAME_MAX),
  nameZh: z.string().trim().max(PIPELINE_NAME_MAX).nullable().optional(),
  teamIds: z.array(z.string().uuid()).max(100).optional(),
  /** Stages; the default pipeline's stages when absent. */
  stages: z.array(stageInputBody).min(1).max(STAGES_PER_PIPELINE_MAX).optional(),
});
export type CreatePipelineInput = z.infer<typeof createPipelineBody>;

export const updatePipelineBody = z.strictObject({
  name: z.string().trim().min(1).max(PIPELINE_NAME_MAX).optional(),
  nameZh: z.string().trim().max(PIPELINE_NAME_MAX).nullable().optional(),
  /** Replaces the set of teams using the pipeline. */
  teamIds: z.array(z.string().uuid()).max(100).optional(),
});
export type UpdatePipelineInput = z.infer<typeof updatePipelineBody>;

export const updateStageBody = z.strictObject({
  name: name.optional(),
  nameZh: nameZh.optional(),
  probability: probability.optional(),
  kind: kind.optional(),
});
export type UpdateStageInput = z.infer<typeof updateStageBody>;

/** `POST /api/pipelines/:id/stages/reorder {stageIds}`: every live stage id, in the new order. */
export const reorderStagesBody = z.strictObject({
  stageIds: z.array(z.string().uuid()).min(1).max(STAGES_PER_PIPELINE_MAX),
});

/** `DELETE /api/pipelines/:id/stages/:stageId?moveTo=<stageId>`: where its opportunities go. */
export const deleteStageQuery = z.strictObject({
  moveTo: z.string().uuid().optional(),
});

/** `GET /api/pipelines/:id/changes?since=ISO`: what changed on the board since a moment. */
export type PipelineChangeDto =
  | { type: 'created'; opportunityId: string; name: string; at: string; actorId: string | null; stageId: string; amount: number }
  | {
      type: 'moved';
      opportunityId: string;
      name: string;
      at: string;
      actorId: string | null;
      fromStageId: string | null;
      toStageId: string;
    }
  | {
      type: 'amount';
      opportunityId: string;
      name: string;
      at: string;
      actorId: string | null;
      oldAmount: number;
      newAmount: number;
    };

export interface PipelineChangesDto {
  since: string;
  items: PipelineChangeDto[];
  /** Opportunity ids with any change, for highlighting cards. */
  opportunityIds: string[];
}

/** A pipeline meeting's start (`POST /api/pipelines/:id/meetings`). */
export interface PipelineMeetingDto {
  id: string;
  pipelineId: string;
  teamId: string | null;
  startedBy: string;
  startedAt: string;
}

/** The meeting just started, and the one before it (null for the first): "changed since" starts there. */
export interface StartedMeetingDto {
  meeting: PipelineMeetingDto;
  previous: PipelineMeetingDto | null;
}
