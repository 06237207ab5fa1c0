/**
 * Pipeline meetings: a manager (or admin) starting to present a board records
 * the moment, so that the board can highlight what changed since the team's
 * previous meeting. Nothing else about a meeting is stored.
 */
import type { PipelineMeetingRow } from '../../schema/tables/pipeline.table.ts';
import type { PipelineMeetingDto, StartedMeetingDto } from '../../schema/wire/pipeline.ts';
import type { AppContext } from '../context.ts';
import { forbidden } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import { can } from '../../schema/policy/access.ts';
import { readScope } from '../../schema/policy/scope.ts';
import { inScope } from '../db/scope.ts';
import { visiblePipeline } from './pipeline.service.ts';

/** Meetings listed at most. */
export const MEETINGS_LIST_MAX = 50;

export const toMeetingDto = (r: PipelineMeetingRow): PipelineMeetingDto => ({
  id: r.id,
  pipelineId: r.pipeline_id,
  teamId: r.team_id,
  startedBy: r.started_by,
  startedAt: r.started_at.toISOString(),
});

/** The user's team's meetings on a pipeline, newest first (admins: every team's). */
export async function listMeetings(ctx: AppContext, user: User, pipelineId: string, limit = MEETINGS_LIST_MAX): Promise<PipelineMeetingRow[]> {
  await visiblePipeline(ctx, user, pipelineId);
  const q = ctx.db
    .selectFrom('pipeline_meetings')
    .selectAll()
    .where('pipeline_id', '=', pipelineId)
    .where(inScope(readScope(user, 'pipeline'), { team: 'pipeline_meetings.team_id', own: 'pipeline_meetings.started_by' }));
  return q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(Math.min(limit, MEETINGS_LIST_MAX)).execute();
}

export async function startMeeting(ctx: AppContext, user: User, pipelineId: string): Promise<StartedMeetingDto> {
  const pipeline = await visiblePipeline(ctx, user, pipelineId);
  if (!can(user, 'present', { type: 'pipeline', teamIds: pipeline.teamIds })) throw forbidden('Only managers and admins present a pipeline meeting');
  const previous = (await listMeetings(ctx, user, pipelineId, 1))[0] ?? null;
  const row = await ctx.db
    .insertInto('pipeline_meetings')
    .values({ pipeline_id: pipelineId, team_id: user.teamId, started_by: user.id, started_at: ctx.now() })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { meeting: toMeetingDto(row), previous: previous ? toMeetingDto(previous) : null };
}
