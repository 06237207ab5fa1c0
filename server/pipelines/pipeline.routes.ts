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
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import type { HonoEnv } from '../http/env.ts';
import { jsonBody, parseWith } from '../http/validate.ts';
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

const idParam = z.string().uuid();
const changesQuery = z.strictObject({ since: z.iso.datetime({ offset: true }) });

export function pipelineRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>()
    .get('/', async (c) => {
      const { user } = requireUser(c);
      return c.json({ items: (await visiblePipelines(ctx, user)).map(toPipelineDto) });
    })
    .post('/', async (c) => {
      const { user } = requireUser(c);
      const body = await jsonBody(c, createPipelineBody);
      return c.json({ pipeline: toPipelineDto(await createPipeline(ctx, user, body)) }, 201);
    })
    .get('/:id', async (c) => {
      const { user } = requireUser(c);
      const id = parseWith(idParam, c.req.param('id'));
      return c.json({ pipeline: toPipelineDto(await visiblePipeline(ctx, user, id)) });
    })
    .patch('/:id', async (c) => {
      const { user } = requireUser(c);
      const id = parseWith(idParam, c.req.param('id'));
      const body = await jsonBody(c, updatePipelineBody);
      return c.json({ pipeline: toPipelineDto(await updatePipeline(ctx, user, id, body)) });
    })
    .get('/:id/changes', async (c) => {
      const { user } = requireUser(c);
      const id = parseWith(idParam, c.req.param('id'));
      const { since } = parseWith(changesQuery, c.req.query());
      await visiblePipeline(ctx, user, id);
      return c.json(await pipelineChanges(ctx.db, user, id, new Date(since)));
    })
    .get('/:id/meetings', async (c) => {
      const { user } = requireUser(c);
      const id = parseWith(idParam, c.req.param('id'));
      return c.json({ items: (await listMeetings(ctx, user, id)).map(toMeetingDto) });
    })
    .post('/:id/meetings', async (c) => {
      const { user } = requireUser(c);
      const id = parseWith(idParam, c.req.param('id'));
      return c.json(await startMeeting(ctx, user, id), 201);
    })
    .post('/:id/stages', async (c) => {
      const { user } = requireUser(c);
      const id = parseWith(idParam, c.req.param('id'));
      const body = await jsonBody(c, stageInputBody);
      return c.json({ pipeline: toPipelineDto(await addStage(ctx, user, id, body)) }, 201);
    })
    .post('/:id/stages/reorder', async (c) => {
      const { user } = requireUser(c);
      const id = parseWith(idParam, c.req.param('id'));
      const body = await jsonBody(c, reorderStagesBody);
      return c.json({ pipeline: toPipelineDto(await reorderStages(ctx, user, id, body.stageIds)) });
    })
    .patch('/:id/stages/:stageId', async (c) => {
      const { user } = requireUser(c);
      const id = parseWith(idParam, c.req.param('id'));
      const stageId = parseWith(idParam, c.req.param('stageId'));
      const body = await jsonBody(c, updateStageBody);
      return c.json({ pipeline: toPipelineDto(await updateStage(ctx, user, id, stageId, body)) });
    })
    .delete('/:id/stages/:stageId', async (c) => {
      const { user } = requireUser(c);
      const id = parseWith(idParam, c.req.param('id'));
      const stageId = parseWith(idParam, c.req.param('stageId'));
      const { moveTo } = parseWith(deleteStageQuery, c.req.query());
      return c.json({ pipeline: toPipelineDto(await deleteStage(ctx, user, id, stageId, moveTo)) });
    });
}
