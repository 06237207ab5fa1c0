/**
 * Each report's answer as what the screen draws: a chart spec, the table
 * under it (header and formatted cells) and whether there is anything to show.
 */
import { msg } from '@lit/localize';
import type { FunnelStageDto } from '../../../schema/wire/opportunity.ts';
import type { ActivityCell, ConversionStage, ForecastMonth, LeaderboardRow, NewCustomersCell, WinRate } from '../../../schema/wire/reports.ts';
import type { Locale } from '../../../schema/wire/user.ts';
import { categoryLabel, followupTypeLabel } from '../customers/customer-labels.ts';
import { leadSourceLabel } from '../leads/lead-labels.ts';
import {
  formatAmount,
  formatCompactAmount,
  formatCount,
  formatDay,
  formatDecimal,
  formatMonthLabel,
  formatPercent,
} from './report-format.ts';
import type { ChartSpec } from './tandem-chart.ts';

export interface ReportView {
  spec: ChartSpec;
  header: string[];
  rows: string[][];
  /** Columns holding figures (right-aligned). */
  numeric: number[];
  empty: boolean;
}

export interface ViewContext {
  locale: Locale;
  currency: string;
  /** A stage's name in the interface language. */
  stageName(stageId: string, fallback: string): string;
}

const DASH = '—';

const money = (c: ViewContext) => (n: number) => formatAmount(n, c.currency, c.locale);
const compact = (c: ViewContext) => (n: number) => formatCompactAmount(n, c.currency, c.locale);
const count = (c: ViewContext) => (n: number) => formatCount(n, c.locale);

export function funnelView(stages: FunnelStageDto[], c: ViewContext): ReportView {
  const names = stages.map((s) => c.stageName(s.stageId, s.name));
  return {
    spec: {
      kind: 'bar',
      labels: names,
      series: [
        { label: msg('Deals', { id: 'reports.col.deals' }), data: stages.map((s) => s.count) },
        { label: msg('Amount', { id: 'reports.col.amount' }), data: stages.map((s) => s.amount), type: 'line', axis: 'secondary' },
      ],
      format: count(c),
      secondaryFormat: compact(c),
      integer: true,
    },
    header: [msg('Stage', { id: 'reports.col.stage' }), msg('Deals', { id: 'reports.col.deals' }), msg('Amount', { id: 'reports.col.amount' })],
    rows: stages.map((s, i) => [names[i]!, formatCount(s.count, c.locale), money(c)(s.amount)]),
    numeric: [1, 2],
    empty: stages.every((s) => s.count === 0),
  };
}

export function conversionView(stages: ConversionStage[], c: ViewContext): ReportView {
  const names = stages.map((s) => c.stageName(s.stageId, s.name));
  return {
    spec: {
      kind: 'bar',
      labels: names,
      series: [
        { label: msg('Reached', { id: 'reports.col.reached' }), data: stages.map((s) => s.reached) },
        { label: msg('Average days in stage', { id: 'reports.col.avgDays' }), data: stages.map((s) => s.avgDaysInStage ?? 0), type: 'line', axis: 'secondary' },
      ],
      format: count(c),
      secondaryFormat: (n) => formatDecimal(n, c.locale),
      secondaryAtLeast: 1,
      integer: true,
    },
    header: [
      msg('Stage', { id: 'reports.col.stage' }),
      msg('Reached', { id: 'reports.col.reached' }),
      msg('Conversion to next stage', { id: 'reports.col.conversion' }),
      msg('Average days in stage', { id: 'reports.col.avgDays' }),
    ],
    rows: stages.map((s, i) => [
      names[i]!,
      formatCount(s.reached, c.locale),
      s.conversionToNext === null ? DASH : formatPercent(s.conversionToNext, c.locale),
      s.avgDaysInStage === null ? DASH : formatDecimal(s.avgDaysInStage, c.locale),
    ]),
    numeric: [1, 2, 3],
    empty: stages.every((s) => s.reached === 0),
  };
}

export function winRateView(w: WinRate, c: ViewContext): ReportView {
  return {
    spec: {
      kind: 'doughnut',
      labels: [msg('Won', { id: 'reports.col.won' }), msg('Lost', { id: 'reports.col.lost' })],
      series: [{ label: msg('Deals', { id: 'reports.col.deals' }), data: [w.won, w.lost] }],
      format: count(c),
    },
    header: [
      msg('Won', { id: 'reports.col.won' }),
      msg('Lost', { id: 'reports.col.lost' }),
      msg('Win rate', { id: 'reports.col.winRate' }),
      msg('Won amount', { id: 'reports.col.wonAmount' }),
      msg('Lost amount', { id: 'reports.col.lostAmount' }),
    ],
    rows: [
      [
        formatCount(w.won, c.locale),
        formatCount(w.lost, c.locale),
        w.rate === null ? DASH : formatPercent(w.rate, c.locale),
        money(c)(w.wonAmount),
        money(c)(w.lostAmount),
      ],
    ],
    numeric: [0, 1, 2, 3, 4],
    empty: w.won + w.lost === 0,
  };
}

export function forecastView(months: ForecastMonth[], c: ViewContext): ReportView {
  return {
    spec: {
      kind: 'bar',
      labels: months.map((m) => formatMonthLabel(m.month, c.locale)),
      series: [
        { label: msg('Amount', { id: 'reports.col.amount' }), data: months.map((m) => m.amount) },
        { label: msg('Weighted', { id: 'reports.col.weighted' }), data: months.map((m) => m.weighted) },
      ],
      format: compact(c),
    },
    header: [
      msg('Expected close month', { id: 'reports.col.closeMonth' }),
      msg('Deals', { id: 'reports.col.deals' }),
      msg('Amount', { id: 'reports.col.amount' }),
      msg('Weighted', { id: 'reports.col.weighted' }),
    ],
    rows: months.map((m) => [formatMonthLabel(m.month, c.locale), formatCount(m.count, c.locale), money(c)(m.amount), money(c)(m.weighted)]),
    numeric: [1, 2, 3],
    empty: months.every((m) => m.count === 0),
  };
}

export function leaderboardView(rows: LeaderboardRow[], c: ViewContext): ReportView {
  return {
    spec: {
      kind: 'bar',
      horizontal: true,
      labels: rows.map((r) => r.name),
      series: [
        { label: msg('Won amount', { id: 'reports.col.wonAmount' }), data: rows.map((r) => r.wonAmount) },
        { label: msg('Open amount', { id: 'reports.col.openAmount' }), data: rows.map((r) => r.openAmount) },
      ],
      format: compact(c),
    },
    header: [
      msg('Rep', { id: 'reports.col.rep' }),
      msg('Won amount', { id: 'reports.col.wonAmount' }),
      msg('Won deals', { id: 'reports.col.wonDeals' }),
      msg('Open amount', { id: 'reports.col.openAmount' }),
      msg('Activities', { id: 'reports.col.activities' }),
    ],
    rows: rows.map((r) => [r.name, money(c)(r.wonAmount), formatCount(r.wonDeals, c.locale), money(c)(r.openAmount), formatCount(r.activities, c.locale)]),
    numeric: [1, 2, 3, 4],
    empty: rows.length === 0,
  };
}

/** Distinct values in first-seen order. */
function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

/** Stacked bars: one bar per bucket, one series per kind. */
function stack<T>(cells: T[], bucket: (c: T) => string, kind: (c: T) => string, n: (c: T) => number) {
  const buckets = distinct(cells.map(bucket)).sort();
  const kinds = distinct(cells.map(kind));
  const series = kinds.map((k) => {
    const data = buckets.map(() => 0);
    for (const cell of cells) if (kind(cell) === k) data[buckets.indexOf(bucket(cell))]! += n(cell);
    return { kind: k, data };
  });
  return { buckets, series };
}

export function activityView(cells: ActivityCell[], c: ViewContext): ReportView {
  const { buckets, series } = stack(cells, (x) => x.week, (x) => x.type, (x) => x.count);
  return {
    spec: {
      kind: 'bar',
      stacked: true,
      labels: buckets.map((w) => formatDay(w, c.locale)),
      series: series.map((s) => ({ label: followupTypeLabel(s.kind), data: s.data })),
      format: count(c),
      integer: true,
    },
    header: [
      msg('Rep', { id: 'reports.col.rep' }),
      msg('Week of', { id: 'reports.col.week' }),
      msg('Type', { id: 'reports.col.type' }),
      msg('Activities', { id: 'reports.col.activities' }),
    ],
    rows: cells.map((x) => [x.name, formatDay(x.week, c.locale), followupTypeLabel(x.type), formatCount(x.count, c.locale)]),
    numeric: [3],
    empty: cells.length === 0,
  };
}

export function newCustomersView(cells: NewCustomersCell[], granularity: 'week' | 'month', c: ViewContext): ReportView {
  const label = (p: string) => (granularity === 'month' ? formatMonthLabel(p, c.locale) : formatDay(p, c.locale));
  const none = msg('(none)', { id: 'reports.none' });
  const source = (x: NewCustomersCell) => (x.source ? leadSourceLabel(x.source) : none);
  const { buckets, series } = stack(cells, (x) => x.period, source, (x) => x.count);
  return {
    spec: {
      kind: 'bar',
      stacked: true,
      labels: buckets.map(label),
      series: series.map((s) => ({ label: s.kind, data: s.data })),
      format: count(c),
      integer: true,
    },
    header: [
      granularity === 'month' ? msg('Month', { id: 'reports.col.month' }) : msg('Week of', { id: 'reports.col.week' }),
      msg('Source', { id: 'reports.col.source' }),
      msg('Category', { id: 'reports.col.category' }),
      msg('New customers', { id: 'reports.col.newCustomers' }),
    ],
    rows: cells.map((x) => [label(x.period), source(x), x.category ? categoryLabel(x.category) : none, formatCount(x.count, c.locale)]),
    numeric: [3],
    empty: cells.length === 0,
  };
}
