/**
 * `GET /api/dashboard`: the start page. Everyone gets their own pipeline,
 * today's tasks, overdue follow-ups and recent activity on their customers;
 * managers and admins also get the team's funnel and this month's leaderboard.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import type { HonoEnv } from '../http/env.ts';
import { parseWith } from '../http/validate.ts';
import { computeFunnel } from '../opportunities/funnel.ts';
import { amountOf } from '../opportunities/opportunity.ts';
import { listPipelineAmounts } from '../opportunities/opportunity.repository.ts';
import { visiblePipelines } from '../pipelines/pipeline.service.ts';
import { homeScope, reportScope } from '../../schema/policy/scope.ts';
import {
  myOpenByStage,
  myOverdueFollowups,
  myTasksDueBefore,
  myWonSince,
  recentActivityOnMyCustomers,
} from './dashboard.repository.ts';
import { DEFAULT_REPORT_CURRENCY, resolveFilters } from './report.ts';
import { activityCountByAuthor, figuresByOwner, leaderboardPeople } from './report.repository.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const dashboardQuery = z.strictObject({ currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY').optional() });

export function dashboardRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>().get('/', async (c) => {
    const { user } = requireUser(c);
    const currency = parseWith(dashboardQuery, c.req.query()).currency ?? DEFAULT_REPORT_CURRENCY;
    const now = ctx.now();
    const endOfToday = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

    const byStage = await myOpenByStage(ctx.db, user.id, currency);
    const won = await myWonSince(ctx.db, user.id, currency, monthStart);
    const body = {
      currency,
      pipeline: {
        openCount: byStage.reduce((n, s) => n + Number(s.count), 0),
        openAmount: byStage.reduce((n, s) => n + amountOf(s.amount), 0),
        weighted: byStage.reduce((n, s) => n + amountOf(s.weighted), 0),
        wonThisMonth: { count: Number(won.count), amount: amountOf(won.amount ?? 0) },
        byStage: byStage.map((s) => ({ stageId: s.stageId, name: s.name, nameZh: s.nameZh, count: Number(s.count), amount: amountOf(s.amount) })),
      },
      tasksToday: await myTasksDueBefore(ctx.db, user.id, endOfToday),
      overdueFollowups: await myOverdueFollowups(ctx.db, user.id, now),
      recentActivity: await recentActivityOnMyCustomers(ctx.db, user.id),
      team: null as unknown,
    };
    // The team section is for those whose reports cover more than their own figures (managers, admins).
    const teamScope = reportScope(user, 'forecast');
    if (teamScope.kind === 'team' || teamScope.kind === 'all') {
      const pipeline = (await visiblePipelines(ctx, user))[0];
      // The team's funnel: an admin with a team starts from it, as lists do.
      const rows = pipeline ? await listPipelineAmounts(ctx.db, pipeline.id, homeScope(user, 'opportunity'), currency) : [];
      const funnel = pipeline
        ? { pipelineId: pipeline.id, ...computeFunnel(pipeline.stages, rows.map((r) => ({ stageId: r.stage_id, count: r.count, amount: amountOf(r.amount) }))) }
        : null;
      const f = resolveFilters('leaderboard', { from: monthStart.toISOString().slice(0, 10), currency }, user, now);
      const [people, figures, activities] = [await leaderboardPeople(ctx.db, f), await figuresByOwner(ctx.db, f), await activityCountByAuthor(ctx.db, f)];
      const leaderboard = people
        .map((p) => ({ userId: p.id, name: p.name, wonAmount: figures.get(p.id)?.wonAmount ?? 0, wonDeals: figures.get(p.id)?.wonDeals ?? 0, activities: activities.get(p.id) ?? 0 }))
        .sort((a, b) => b.wonAmount - a.wonAmount || b.wonDeals - a.wonDeals || a.name.localeCompare(b.name));
      body.team = { funnel, leaderboard };
    }
    return c.json(body);
  });
}
