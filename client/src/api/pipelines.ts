/** Pipelines, stages and board changes: plain functions over `/api/pipelines`. */
import type { PipelineChangesDto, PipelineDto, StageInput, UpdateStageInput } from '../../../schema/wire/pipeline.ts';
import { type CreateOptions, request } from './http.ts';

const base = (id: string) => `/api/pipelines/${encodeURIComponent(id)}`;

export async function listPipelines(): Promise<PipelineDto[]> {
  return (await request<{ items: PipelineDto[] }>('GET', '/api/pipelines')).items;
}

export async function getPipeline(id: string): Promise<PipelineDto> {
  return (await request<{ pipeline: PipelineDto }>('GET', base(id))).pipeline;
}

export async function addStage(pipelineId: string, body: StageInput, opts: CreateOptions = {}): Promise<PipelineDto> {
  return (await request<{ pipeline: PipelineDto }>('POST', `${base(pipelineId)}/stages`, body, opts)).pipeline;
}

export async function updateStage(pipelineId: string, stageId: string, body: UpdateStageInput): Promise<PipelineDto> {
  return (await request<{ pipeline: PipelineDto }>('PATCH', `${base(pipelineId)}/stages/${encodeURIComponent(stageId)}`, body)).pipeline;
}

export async function reorderStages(pipelineId: string, stageIds: string[]): Promise<PipelineDto> {
  return (await request<{ pipeline: PipelineDto }>('POST', `${base(pipelineId)}/stages/reorder`, { stageIds })).pipeline;
}

/** Deletes a stage; its opportunities go to `moveTo`. */
export async function deleteStage(pipelineId: string, stageId: string, moveTo?: string): Promise<PipelineDto> {
  const q = moveTo ? `?moveTo=${encodeURIComponent(moveTo)}` : '';
  return (await request<{ pipeline: PipelineDto }>('DELETE', `${base(pipelineId)}/stages/${encodeURIComponent(stageId)}${q}`)).pipeline;
}

export async function boardChanges(pipelineId: string, since: string): Promise<PipelineChangesDto> {
  return request<PipelineChangesDto>('GET', `${base(pipelineId)}/changes?since=${encodeURIComponent(since)}`);
}
