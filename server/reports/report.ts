/**
 * Report rules: who sees what, the period, and the arithmetic done after the
 * database has counted. Pure: `now` is given.
 */
import {
  type ActivityCell,
  type ConversionStage,
  type ForecastMonth,
  type LeaderboardRow,
  type NewCustomersCell,
  REPORT_DEFAULT_SPAN_DAYS,
  REPORT_MAX_SPAN_DAYS,
  type ReportFilters,
  type ReportKind,
  type ReportQuery,
  type WinRate,
  forecastDefaultRange,
} from '../../schema/wire/reports.ts';
import type { FunnelStageDto } from '../../schema/wire/opportunity.ts';
import { escapeFormula } from '../customers/customer-export.ts';
import { AppError, badRequest } from '../http/app-error.ts';
import type { Actor } from '../../schema/policy/access.ts';
import { type Scope, reportScope } from '../../schema/policy/scope.ts';
import type { ReportColumn, ReportLabels } from './report-labels.ts';

export const DEFAULT_REPORT_CURRENCY = 'CNY';
const DAY_MS = 24 * 60 * 60 * 1000;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Reps see their own figures, except the funnel (the board they work on) and
 * the leaderboard (the team's standings); managers their team; admins every
 * team, or one with `teamId`.
 */
export function resolveFilters(kind: ReportKind, q: ReportQuery, user: Actor, now: Date): ReportFilters {
  const { from, to } = period(kind, q, isoDay(now));
  if (from > to) throw badRequest('from: must not be after to', 'from');
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS > REPORT_MAX_SPAN_DAYS) {
    throw badRequest(`to: a report spans at most ${REPORT_MAX_SPAN_DAYS} days`, 'to');
  }
  const { teamId, ownerId } = scopeFilters(reportScope(user, kind), q);
  return { from, to, teamId, ownerId, pipelineId: q.pipelineId ?? null, currency: q.currency ?? DEFAULT_REPORT_CURRENCY };
}

/**
 * The period asked for, or the default: the past `REPORT_DEFAULT_SPAN_DAYS` days up to
 * `to` (today), except the forecast, which looks ahead from `from` (today).
 */
function period(kind: ReportKind, q: Pick<ReportQuery, 'from' | 'to'>, today: string): { from: string; to: string } {
  const back = (to: string) => isoDay(new Date(Date.parse(to) - (REPORT_DEFAULT_SPAN_DAYS - 1) * DAY_MS));
  if (kind === 'forecast' && !q.to) return { from: q.from ?? today, to: forecastDefaultRange(q.from ?? today).to };
  const to = q.to ?? today;
  return { from: q.from ?? back(to), to };
}

/** The team and owner a report's queries filter by: the policy's scope, narrowed by what was asked within it. */
function scopeFilters(scope: Scope, q: Pick<ReportQuery, 'teamId' | 'ownerId'>): Pick<ReportFilters, 'teamId' | 'ownerId'> {
  switch (scope.kind) {
    case 'all':
      return { teamId: q.teamId ?? null, ownerId: q.ownerId ?? null };
    case 'none':
      throw new AppError('forbidden', 403, 'You belong to no team');
    case 'team':
    case 'own': {
      if (q.teamId && q.teamId !== scope.teamId) throw new AppError('not_found', 404, 'No such team');
      if (scope.kind === 'team') return { teamId: scope.teamId, ownerId: q.ownerId ?? null };
      if (q.ownerId && q.ownerId !== scope.userId) throw new AppError('forbidden', 403, 'Reps see their own figures', 'ownerId');
      return { teamId: scope.teamId, ownerId: scope.userId };
    }
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(never)}`);
    }
  }
}

/** [from 00:00, the day after `to` 00:00) in UTC. */
export function periodBounds(f: Pick<ReportFilters, 'from' | 'to'>): { start: Date; end: Date } {
  return { start: new Date(`${f.from}T00:00:00Z`), end: new Date(Date.parse(`${f.to}T00:00:00Z`) + DAY_MS) };
}

export interface LadderStage {
  id: string;
  name: string;
  nameZh: string | null;
  position: number;
}

/**
 * Stage-to-stage conversion for a cohort. `maxReached` counts opportunities by
 * the furthest stage (by position) they ever entered, so a deal that skipped a
 * stage still counts as having passed it, and a reopened deal counts once.
 */
export function conversionLadder(
  ladder: LadderStage[],
  maxReached: Map<number, number>,
  avgDays: Map<string, number>,
): ConversionStage[] {
  const ordered = [...ladder].sort((a, b) => a.position - b.position);
  const reached = ordered.map((s) => {
    let n = 0;
    for (const [pos, count] of maxReached) if (pos >= s.position) n += count;
    return n;
  });
  return ordered.map((s, i) => {
    const here = reached[i]!;
    const next = reached[i + 1];
    return {
      stageId: s.id,
      name: s.name,
      nameZh: s.nameZh,
      reached: here,
      conversionToNext: next === undefined || here === 0 ? null : next / here,
      avgDaysInStage: avgDays.get(s.id) ?? null,
    };
  });
}

export function winRate(won: { count: number; amount: number }, lost: { count: number; amount: number }): WinRate {
  const closed = won.count + lost.count;
  return { won: won.count, lost: lost.count, rate: closed === 0 ? null : won.count / closed, wonAmount: won.amount, lostAmount: lost.amount };
}

/** Every month from `from` to `to`, so empty months show as zero. */
export function forecastMonths(f: Pick<ReportFilters, 'from' | 'to'>, rows: ForecastMonth[]): ForecastMonth[] {
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  const out: ForecastMonth[] = [];
  let [y, m] = f.from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = f.to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    out.push(byMonth.get(month) ?? { month, count: 0, amount: 0, weighted: 0 });
    if (month >= last) break;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

type Cell = string | number | null;

/**
 * A report as a table (the CSV export), in the reader's language (`labels`).
 * Money columns are followed by the currency they are in: amounts are summed
 * per currency, never across currencies.
 */
export function reportTable(kind: ReportKind, data: unknown, labels: ReportLabels, currency: string): { header: string[]; rows: Cell[][] } {
  const h = (...columns: ReportColumn[]) => columns.map((c) => labels.column(c));
  switch (kind) {
    case 'funnel':
      return {
        header: h('stage', 'count', 'amount', 'currency'),
        rows: (data as { stages: FunnelStageDto[] }).stages.map((s) => [labels.stage(s), s.count, s.amount, currency]),
      };
    case 'conversion':
      return {
        header: h('stage', 'reached', 'conversionToNext', 'avgDaysInStage'),
        rows: (data as ConversionStage[]).map((s) => [labels.stage(s), s.reached, s.conversionToNext, s.avgDaysInStage]),
      };
    case 'win-rate': {
      const w = data as WinRate;
      return { header: h('won', 'lost', 'rate', 'wonAmount', 'lostAmount', 'currency'), rows: [[w.won, w.lost, w.rate, w.wonAmount, w.lostAmount, currency]] };
    }
    case 'forecast':
      return {
        header: h('month', 'count', 'amount', 'weighted', 'currency'),
        rows: (data as ForecastMonth[]).map((m) => [m.month, m.count, m.amount, m.weighted, currency]),
      };
    case 'leaderboard':
      return {
        header: h('rep', 'wonAmount', 'wonDeals', 'openAmount', 'activities', 'currency'),
        rows: (data as LeaderboardRow[]).map((r) => [r.name, r.wonAmount, r.wonDeals, r.openAmount, r.activities, currency]),
      };
    case 'activity':
      return {
        header: h('rep', 'week', 'type', 'activities'),
        rows: (data as ActivityCell[]).map((c) => [c.name, c.week, labels.followupType(c.type), c.count]),
      };
    case 'new-customers':
      return {
        header: h('period', 'source', 'category', 'newCustomers'),
        rows: (data as NewCustomersCell[]).map((c) => [c.period, labels.source(c.source), labels.category(c.category), c.count]),
      };
  }
}

/** CSV text (RFC 4180 quoting), text cells guarded against formula injection. */
export function toCsv(table: { header: string[]; rows: Cell[][] }): string {
  const cell = (v: Cell) => {
    if (v === null) return '';
    const s = typeof v === 'number' ? String(Math.round(v * 10000) / 10000) : escapeFormula(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `${[table.header, ...table.rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
