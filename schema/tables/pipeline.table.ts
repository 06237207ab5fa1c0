import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { StageKind } from '../wire/board.ts';

export interface PipelineTable {
  id: Generated<string>;
  name: string;
  name_zh: string | null;
  /** Created for a team on first use; stage names of the default pipeline come in English and Chinese. */
  is_default: Generated<boolean>;
  archived_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type PipelineRow = Selectable<PipelineTable>;
export type NewPipelineRow = Insertable<PipelineTable>;
export type PipelineUpdate = Updateable<PipelineTable>;

/** Which teams use which pipelines (a team may use several, a pipeline may serve several teams). */
export interface PipelineTeamTable {
  pipeline_id: string;
  team_id: string;
  created_at: Generated<Date>;
}

export interface PipelineStageTable {
  id: Generated<string>;
  pipeline_id: string;
  name: string;
  name_zh: string | null;
  probability: number;
  kind: Generated<StageKind>;
  position: number;
  /** Deleted stages stay for the stage history that names them. */
  deleted_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type PipelineStageRow = Selectable<PipelineStageTable>;
export type NewPipelineStageRow = Insertable<PipelineStageTable>;
export type PipelineStageUpdate = Updateable<PipelineStageTable>;

/** A pipeline meeting's start (the presenter's state itself lives in awareness). */
export interface PipelineMeetingTable {
  id: Generated<string>;
  pipeline_id: string;
  /** The presenter's team; null for an admin outside any team. */
  team_id: string | null;
  started_by: string;
  started_at: Date;
}
export type PipelineMeetingRow = Selectable<PipelineMeetingTable>;
