/** `/api/pipelines…`: pipelines and stages (reading for everyone, configuring for admins), and board changes. */
import { Hono } from 'hono';
import { z } from 'zod';
import {
  createPipelineBody,
  deleteStageQuery,
  reorderStagesBody,
  stageInputBody,
  updatePipelineBody,
  updateStageBody,
} from '../../schema/wire/pipeline.ts';
import { isoDateTimeSchema } from '../../schema/wire/dates.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import type { HonoEnv } from '../http/env.ts';
import { idempotent } from '../http/idempotency.ts';
import { jsonBody, parseWith, pathId } from '../http/validate.ts';
import { pipelineChanges } from '../opportunities/opportunity-changes.ts';
import { listMeetings, startMeeting, toMeetingDto } from './pipeline-meeting.service.ts';
import { toPipelineDto } from './pipeline.ts';
import {
  addStage,
  createPipeline,
  deleteStage,
  reorderStages,
  updatePipeline,
  updateStage,
  visiblePipeline,
  visiblePipelines,
} from './pipeline.service.ts';

const changesQuery = z.strictObject({ since: isoDateTimeSchema });

export function pipelineRoutes(ctx: AppContext) {
  const once = idempotent(ctx);
  return new Hono<HonoEnv>()
    .get('/', async (c) => {
      const { user } = requireUser(c);
      return c.json({ items: (await visiblePipelines(ctx, user)).map(toPipelineDto) });
    })
    .post('/', once, async (c) => {
      const { user } = requireUser(c);
      const body = await jsonBody(c, createPipelineBody);
      return c.json({ pipeline: toPipelineDto(await createPipeline(ctx, user, body)) }, 201);
    })
    .get('/:id', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      return c.json({ pipeline: toPipelineDto(await visiblePipeline(ctx, user, id)) });
    })
    .patch('/:id', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, updatePipelineBody);
      return c.json({ pipeline: toPipelineDto(await updatePipeline(ctx, user, id, body)) });
    })
    .get('/:id/changes', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const { since } = parseWith(changesQuery, c.req.query());
      await visiblePipeline(ctx, user, id);
      return c.json(await pipelineChanges(ctx.db, user, id, new Date(since)));
    })
    .get('/:id/meetings', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      return c.json({ items: (await listMeetings(ctx, user, id)).map(toMeetingDto) });
    })
    .post('/:id/meetings', once, async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      return c.json(await startMeeting(ctx, user, id), 201);
    })
    .post('/:id/stages', once, async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, stageInputBody);
      return c.json({ pipeline: toPipelineDto(await addStage(ctx, user, id, body)) }, 201);
    })
    .post('/:id/stages/reorder', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, reorderStagesBody);
      return c.json({ pipeline: toPipelineDto(await reorderStages(ctx, user, id, body.stageIds)) });
    })
    .patch('/:id/stages/:stageId', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const stageId = pathId(c, 'stageId');
      const body = await jsonBody(c, updateStageBody);
      return c.json({ pipeline: toPipelineDto(await updateStage(ctx, user, id, stageId, body)) });
    })
    .delete('/:id/stages/:stageId', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const stageId = pathId(c, 'stageId');
      const { moveTo } = parseWith(deleteStageQuery, c.req.query());
      return c.json({ pipeline: toPipelineDto(await deleteStage(ctx, user, id, stageId, moveTo)) });
    });
}
