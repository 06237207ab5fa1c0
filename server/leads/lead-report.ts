/**
 * The leads report: leads captured in a period by source, and how many of them were converted
 * (the cohort's conversion rate). Scoped as the other reports are (schema/policy/scope.ts,
 * `reportScope`): reps their own leads, managers their team's, admins every team or one.
 */
import type { LeadReportDto, LeadReportQuery, LeadSourceRow } from '../../schema/wire/lead.ts';
import type { ReportKind } from '../../schema/wire/reports.ts';
import type { AppContext } from '../context.ts';
import { periodBounds, resolveFilters } from '../reports/report.ts';
import type { User } from '../users/user.ts';
import { leadCountsBySource } from './lead.repository.ts';

/**
 * Leads are counted like new customers: each rep their own, the team for managers. The report
 * rules take a report kind for that choice; this is the kind whose scope leads share.
 */
const SCOPED_LIKE: ReportKind = 'new-customers';

const rate = (converted: number, leads: number): number | null => (leads === 0 ? null : converted / leads);

/** Rows by source, most leads first (then by name); the total over all. Pure. */
export function leadReportData(counts: Array<Omit<LeadSourceRow, 'conversionRate'>>): LeadReportDto['data'] {
  const bySource = counts
    .map((c) => ({ ...c, conversionRate: rate(c.converted, c.leads) }))
    .sort((a, b) => b.leads - a.leads || a.source.localeCompare(b.source));
  const sum = (k: 'leads' | 'converted' | 'disqualified') => counts.reduce((n, c) => n + c[k], 0);
  const leads = sum('leads');
  const converted = sum('converted');
  return { bySource, total: { leads, converted, disqualified: sum('disqualified'), conversionRate: rate(converted, leads) } };
}

export async function leadReport(ctx: AppContext, user: User, q: LeadReportQuery): Promise<LeadReportDto> {
  const f = resolveFilters(SCOPED_LIKE, q, user, ctx.now());
  const { start, end } = periodBounds(f);
  const counts = await leadCountsBySource(ctx.db, { start, end, teamId: f.teamId, ownerId: f.ownerId });
  return { report: 'leads', filters: { from: f.from, to: f.to, teamId: f.teamId, ownerId: f.ownerId }, data: leadReportData(counts) };
}
