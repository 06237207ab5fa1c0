/**
 * `GET /api/reports/funnel?pipelineId=…` (DESIGN.md): count and amount per
 * stage, as the board shows them; with `format=csv`, the same as a table in
 * the reader's language. Counts take every deal; amounts only those in
 * `currency` (default CNY, or the deals' own currency when none of them is in CNY), so
 * different currencies are never added up.
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { FunnelDto } from '../../schema/wire/opportunity.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import type { HonoEnv } from '../http/env.ts';
import { parseWith } from '../http/validate.ts';
import { computeFunnel } from '../opportunities/funnel.ts';
import { amountOf } from '../opportunities/opportunity.ts';
import { listPipelineAmounts, listPipelineCurrencies } from '../opportunities/opportunity.repository.ts';
import { visiblePipeline, visiblePipelines } from '../pipelines/pipeline.service.ts';
import type { User } from '../users/user.ts';
import { DEFAULT_REPORT_CURRENCY, reportTable, toCsv } from './report.ts';
import { reportLabels } from './report-labels.ts';
import { reportScope } from '../../schema/policy/scope.ts';
import { REPORT_CUSTOM_ENTITY, reportQuery } from '../../schema/wire/reports.ts';
import { resolveCustomTerms } from '../custom-fields/custom-field-filter.ts';
import { customerQueryObject } from '../customers/customer-query-params.ts';

const funnelQuery = z.strictObject({
  pipelineId: z.string().uuid().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY').optional(),
  format: z.enum(['json', 'csv']).optional(),
  /** Opportunity custom field filters, `custom.<key>=a,b` (docs/reports.md). */
  custom: reportQuery.shape.custom,
});

export function funnelRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>().get('/funnel', async (c) => {
    const { user } = requireUser(c);
    const q = parseWith(funnelQuery, customerQueryObject(c));
    const custom = await resolveCustomTerms(ctx, user, REPORT_CUSTOM_ENTITY.funnel, q.custom);
    let currency = q.currency ?? DEFAULT_REPORT_CURRENCY;
    const pipeline = q.pipelineId ? await visiblePipeline(ctx, user, q.pipelineId) : (await visiblePipelines(ctx, user))[0];
    if (!pipeline) {
      const none = { pipelineId: null, currency, currencies: [], stages: [] };
      return q.format === 'csv' ? csv(c, user, 'none', none) : c.json(none);
    }
    // Non-admins count their team's opportunities (a pipeline may serve several teams).
    const scope = reportScope(user, 'funnel');
    const currencies = await listPipelineCurrencies(ctx.db, pipeline.id, scope);
    // Unasked, the amounts are in the deals' one currency, else the default one when the deals use it.
    if (!q.currency && currencies.length > 0 && !currencies.includes(DEFAULT_REPORT_CURRENCY)) currency = currencies[0]!;
    const rows = await listPipelineAmounts(ctx.db, pipeline.id, scope, currency, custom);
    const funnel = computeFunnel(
      pipeline.stages,
      rows.map((r) => ({ stageId: r.stage_id, count: r.count, amount: amountOf(r.amount) })),
    );
    const body: FunnelDto = { pipelineId: pipeline.id, currency, currencies, stages: funnel.stages };
    return q.format === 'csv' ? csv(c, user, pipeline.id, body) : c.json(body);
  });
}

function csv(c: Context, user: User, pipelineId: string, body: Pick<FunnelDto, 'stages' | 'currency'>) {
  c.header('content-type', 'text/csv; charset=utf-8');
  c.header('content-disposition', `attachment; filename="funnel-${pipelineId}.csv"`);
  const table = reportTable('funnel', body, reportLabels(user.locale), body.currency ?? DEFAULT_REPORT_CURRENCY);
  // A BOM so that spreadsheet programs read the UTF-8 (Chinese stage names) correctly.
  return c.body(`\uFEFF${toCsv(table)}`);
}
