/**
 * `/api/reports/<kind>`: each report as JSON (`{report, filters, data}`) or,
 * with `format=csv`, as the table under its chart.
 */
import { type Context, Hono } from 'hono';
import type { LeaderboardRow, ReportEnvelope, ReportFilters, ReportKind } from '../../schema/wire/reports.ts';
import { listCategories } from '../customers/customer-category.repository.ts';
import { REPORT_CUSTOM_ENTITY, reportQuery } from '../../schema/wire/reports.ts';
import { resolveCustomTerms } from '../custom-fields/custom-field-filter.ts';
import { customerQueryObject } from '../customers/customer-query-params.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import type { HonoEnv } from '../http/env.ts';
import { parseWith } from '../http/validate.ts';
import { visiblePipeline, visiblePipelines } from '../pipelines/pipeline.service.ts';
import type { Pipeline } from '../pipelines/pipeline.ts';
import type { User } from '../users/user.ts';
import { type ReportLabels, reportLabels } from './report-labels.ts';
import { conversionLadder, forecastMonths, reportTable, resolveFilters, toCsv, winRate } from './report.ts';
import {
  activityByWeek,
  activityCountByAuthor,
  averageDaysInStage,
  closedInPeriod,
  currenciesInScope,
  figuresByOwner,
  forecastByMonth,
  leaderboardPeople,
  maxReachedByPosition,
  newCustomers,
  type ScopedReportFilters,
} from './report.repository.ts';

type Compute = (ctx: AppContext, f: ScopedReportFilters, user: User, period: 'week' | 'month') => Promise<unknown>;

async function pipelineFor(ctx: AppContext, user: User, f: ReportFilters): Promise<Pipeline | null> {
  return f.pipelineId ? visiblePipeline(ctx, user, f.pipelineId) : ((await visiblePipelines(ctx, user))[0] ?? null);
}

const REPORTS: Record<Exclude<ReportKind, 'funnel'>, Compute> = {
  async conversion(ctx, f, user) {
    const pipeline = await pipelineFor(ctx, user, f);
    if (!pipeline) return [];
    f.pipelineId = pipeline.id;
    const ladder = pipeline.stages.filter((s) => s.kind !== 'lost');
    const [reached, days] = await Promise.all([
      maxReachedByPosition(ctx.db, f, pipeline.id),
      averageDaysInStage(ctx.db, f, pipeline.id),
    ]);
    return conversionLadder(ladder, reached, days);
  },
  async 'win-rate'(ctx, f) {
    const closed = await closedInPeriod(ctx.db, f);
    return winRate(closed.won, closed.lost);
  },
  async forecast(ctx, f) {
    return forecastMonths(f, await forecastByMonth(ctx.db, f));
  },
  async leaderboard(ctx, f) {
    const [people, figures, activities] = await Promise.all([
      leaderboardPeople(ctx.db, f),
      figuresByOwner(ctx.db, f),
      activityCountByAuthor(ctx.db, f),
    ]);
    const rows: LeaderboardRow[] = people.map((p) => ({
      userId: p.id,
      name: p.name,
      wonAmount: figures.get(p.id)?.wonAmount ?? 0,
      wonDeals: figures.get(p.id)?.wonDeals ?? 0,
      openAmount: figures.get(p.id)?.openAmount ?? 0,
      activities: activities.get(p.id) ?? 0,
    }));
    return rows.sort((a, b) => b.wonAmount - a.wonAmount || b.wonDeals - a.wonDeals || a.name.localeCompare(b.name));
  },
  async activity(ctx, f) {
    return activityByWeek(ctx.db, f);
  },
  async 'new-customers'(ctx, f, _user, period) {
    return newCustomers(ctx.db, f, period);
  },
};

/** The words of a CSV export in the reader's language; a team's own categories by their labels. */
async function labelsFor(ctx: AppContext, user: User, f: ReportFilters): Promise<ReportLabels> {
  const teamId = f.teamId ?? user.teamId;
  const categories = teamId ? await listCategories(ctx.db, teamId) : [];
  return reportLabels(user.locale, new Map(categories.map((c) => [c.key, c.label])));
}

async function answer(ctx: AppContext, c: Context, user: User, format: 'json' | 'csv' | undefined, body: ReportEnvelope<unknown>) {
  if (format !== 'csv') return c.json(body);
  const { report: kind, filters } = body;
  const table = reportTable(kind, body.data, await labelsFor(ctx, user, filters), filters.currency);
  c.header('content-type', 'text/csv; charset=utf-8');
  c.header('content-disposition', `attachment; filename="${kind}-${filters.from}-${filters.to}.csv"`);
  // A BOM so that spreadsheet programs read the UTF-8 (Chinese names) correctly.
  return c.body(`\uFEFF${toCsv(table)}`);
}

export function reportRoutes(ctx: AppContext) {
  const app = new Hono<HonoEnv>();
  for (const [kind, compute] of Object.entries(REPORTS) as Array<[Exclude<ReportKind, 'funnel'>, Compute]>) {
    app.get(`/${kind}`, async (c) => {
      const { user } = requireUser(c);
      // `custom.<key>=…` parameters fold into `custom`, as on the customer list.
      const q = parseWith(reportQuery, customerQueryObject(c));
      const scoped: ScopedReportFilters = resolveFilters(kind, q, user, ctx.now());
      const terms = await resolveCustomTerms(ctx, user, REPORT_CUSTOM_ENTITY[kind], q.custom, scoped.teamId ?? undefined);
      if (REPORT_CUSTOM_ENTITY[kind] === 'opportunity') scoped.opportunityTerms = terms;
      else scoped.customerTerms = terms;
      const [data, currencies] = await Promise.all([compute(ctx, scoped, user, q.period ?? 'month'), currenciesInScope(ctx.db, scoped)]);
      const { opportunityTerms: _o, customerTerms: _c, ...filters } = scoped;
      if (q.custom && Object.keys(q.custom).length > 0) filters.custom = q.custom;
      return answer(ctx, c, user, q.format, { report: kind, filters, currencies, data });
    });
  }
  return app;
}
