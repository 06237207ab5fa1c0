/** Report queries and answers (`/api/reports/*`), shared by server, client and tests. */
import { z } from 'zod';
import { customerFilterSchema } from './customer-query.ts';
import { isoDateSchema } from './dates.ts';

export const REPORT_KINDS = ['funnel', 'conversion', 'win-rate', 'forecast', 'leaderboard', 'activity', 'new-customers'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The longest period a report may span, in days. */
export const REPORT_MAX_SPAN_DAYS = 3 * 366;
export const REPORT_DEFAULT_SPAN_DAYS = 90;
/** The forecast looks ahead: without a period it covers today to the same day this many months on. */
export const REPORT_FORECAST_DEFAULT_MONTHS = 3;

/**
 * The forecast's default period from `from` (YYYY-MM-DD, usually today) to the same day
 * `REPORT_FORECAST_DEFAULT_MONTHS` months on (the month's last day when it is shorter).
 */
export function forecastDefaultRange(from: string): { from: string; to: string } {
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m + REPORT_FORECAST_DEFAULT_MONTHS, 0)).getUTCDate();
  const to = new Date(Date.UTC(y, m - 1 + REPORT_FORECAST_DEFAULT_MONTHS, Math.min(d, lastDay)));
  return { from, to: to.toISOString().slice(0, 10) };
}

const isoDate = isoDateSchema;

/** Filters common to every report. `to` is inclusive. */
export const reportQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  teamId: z.string().uuid().optional(),
  ownerId: z.string().uuid().optional(),
  pipelineId: z.string().uuid().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY').optional(),
  period: z.enum(['week', 'month']).optional(),
  format: z.enum(['json', 'csv']).optional(),
  /**
   * Custom field filters (`custom.<key>=a,b` in a URL, as the customer list takes them): of the
   * opportunity fields for the opportunity reports, of the customer fields for the customer
   * ones (REPORT_CUSTOM_ENTITY); values of a key are alternatives, keys combine with AND.
   */
  custom: customerFilterSchema.shape.custom,
});
export type ReportQuery = z.infer<typeof reportQuery>;

export interface ReportFilters {
  from: string;
  to: string;
  teamId: string | null;
  ownerId: string | null;
  pipelineId: string | null;
  currency: string;
  /** The custom field filters applied, when any (key → values). */
  custom?: Record<string, string[]>;
}

/**
 * Whose custom fields filter a report: the opportunity reports take the opportunities' (the
 * leaderboard's deal figures too; its activity count is not filtered), the customer reports
 * the customers' (activities by the customer they were logged on).
 */
export const REPORT_CUSTOM_ENTITY = {
  funnel: 'opportunity',
  conversion: 'opportunity',
  'win-rate': 'opportunity',
  forecast: 'opportunity',
  leaderboard: 'opportunity',
  activity: 'customer',
  'new-customers': 'customer',
} as const satisfies Record<ReportKind, 'opportunity' | 'customer'>;

export interface ConversionStage {
  stageId: string;
  name: string;
  /** The stage's Chinese name, when it has one. */
  nameZh: string | null;
  /** Opportunities of the cohort that reached this stage or a later one. */
  reached: number;
  /** reached(next) / reached(this); null for the last stage or when none reached this one. */
  conversionToNext: number | null;
  /** Mean days of completed stays in this stage; null when no stay ended. */
  avgDaysInStage: number | null;
}

export interface WinRate {
  won: number;
  lost: number;
  /** won / (won + lost); null when nothing closed. */
  rate: number | null;
  wonAmount: number;
  lostAmount: number;
}

export interface ForecastMonth {
  month: string;
  count: number;
  amount: number;
  weighted: number;
}

export interface LeaderboardRow {
  userId: string;
  name: string;
  wonAmount: number;
  wonDeals: number;
  openAmount: number;
  activities: number;
}

export interface ActivityCell {
  userId: string;
  name: string;
  /** Monday of the ISO week, YYYY-MM-DD. */
  week: string;
  type: string;
  count: number;
}

export interface NewCustomersCell {
  /** First day of the week or month, YYYY-MM-DD. */
  period: string;
  source: string;
  category: string;
  count: number;
}

export interface ReportEnvelope<T> {
  report: ReportKind;
  filters: ReportFilters;
  /** Currencies present in the scope (amounts are per currency: only `filters.currency` is summed). */
  currencies?: string[];
  data: T;
}
