/**
 * `GET /api/reports/funnel?pipelineId=…` (DESIGN.md): count and amount per
 * stage, as the board shows them; with `format=csv`, the same as a table.
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { FunnelDto, FunnelStageDto } from '../../schema/wire/opportunity.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import type { HonoEnv } from '../http/env.ts';
import { parseWith } from '../http/validate.ts';
import { computeFunnel } from '../opportunities/funnel.ts';
import { amountOf } from '../opportunities/opportunity.ts';
import { listPipelineAmounts } from '../opportunities/opportunity.repository.ts';
import { visiblePipeline, visiblePipelines } from '../pipelines/pipeline.service.ts';
import { reportTable, toCsv } from './report.ts';
import { reportScope } from '../../schema/policy/scope.ts';

const funnelQuery = z.strictObject({ pipelineId: z.string().uuid().optional(), format: z.enum(['json', 'csv']).optional() });

export function funnelRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>().get('/funnel', async (c) => {
    const { user } = requireUser(c);
    const { pipelineId, format } = parseWith(funnelQuery, c.req.query());
    const pipeline = pipelineId ? await visiblePipeline(ctx, user, pipelineId) : (await visiblePipelines(ctx, user))[0];
    if (!pipeline) return format === 'csv' ? csv(c, 'none', []) : c.json({ pipelineId: null, stages: [] });
    // Non-admins count their team's opportunities (a pipeline may serve several teams).
    const rows = await listPipelineAmounts(ctx.db, pipeline.id, reportScope(user, 'funnel'));
    const funnel = computeFunnel(
      pipeline.stages,
      rows.map((r) => ({ stageId: r.stage_id, count: r.count, amount: amountOf(r.amount) })),
    );
    const body: FunnelDto = { pipelineId: pipeline.id, stages: funnel.stages };
    return format === 'csv' ? csv(c, pipeline.id, body.stages) : c.json(body);
  });
}

function csv(c: Context, pipelineId: string, stages: FunnelStageDto[]) {
  c.header('content-type', 'text/csv; charset=utf-8');
  c.header('content-disposition', `attachment; filename="funnel-${pipelineId}.csv"`);
  // A BOM so that spreadsheet programs read the UTF-8 (Chinese stage names) correctly.
  return c.body(`\uFEFF${toCsv(reportTable('funnel', { stages }))}`);
}
