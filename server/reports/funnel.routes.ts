/** `GET /api/reports/funnel?pipelineId=…` (DESIGN.md): count and amount per stage, as the board shows them. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { FunnelDto } from '../../schema/wire/opportunity.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import type { HonoEnv } from '../http/env.ts';
import { parseWith } from '../http/validate.ts';
import { computeFunnel } from '../opportunities/funnel.ts';
import { amountOf } from '../opportunities/opportunity.ts';
import { listPipelineAmounts } from '../opportunities/opportunity.repository.ts';
import { visiblePipeline, visiblePipelines } from '../pipelines/pipeline.service.ts';

const funnelQuery = z.strictObject({ pipelineId: z.string().uuid().optional() });

export function funnelRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>().get('/funnel', async (c) => {
    const { user } = requireUser(c);
    const { pipelineId } = parseWith(funnelQuery, c.req.query());
    const pipeline = pipelineId ? await visiblePipeline(ctx, user, pipelineId) : (await visiblePipelines(ctx, user))[0];
    if (!pipeline) return c.json({ pipelineId: null, stages: [] });
    // Non-admins count their team's opportunities (a pipeline may serve several teams).
    const rows = await listPipelineAmounts(ctx.db, pipeline.id, user.role === 'admin' ? undefined : (user.teamId ?? undefined));
    const funnel = computeFunnel(
      pipeline.stages,
      rows.map((r) => ({ stageId: r.stage_id, amount: amountOf(r.amount) })),
    );
    const body: FunnelDto = { pipelineId: pipeline.id, stages: funnel.stages };
    return c.json(body);
  });
}
