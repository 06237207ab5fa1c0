/**
 * The Reports screen's filters and their place in the URL (so a report can be
 * shared): parsing, writing and the period presets. Pure: "today" is given.
 */
import type { PeriodReportKind, ReportParams } from '../api/reports.ts';
import { UUID_PATTERN } from '../../../schema/wire/ids.ts';
import { CUSTOM_FIELD_KEY } from '../../../schema/wire/custom-fields.ts';
import { CUSTOM_FILTER_VALUE_MAX } from '../../../schema/wire/customer-query.ts';
import { REPORT_CUSTOM_ENTITY, type ReportKind, forecastDefaultRange } from '../../../schema/wire/reports.ts';

export const PERIOD_PRESETS = ['last30', 'last90', 'thisMonth', 'lastMonth', 'thisQuarter', 'thisYear'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
export const DEFAULT_PRESET: PeriodPreset = 'last90';

export type Granularity = 'week' | 'month';

export interface ReportFilterState {
  from: string;
  to: string;
  /** '' = every team the user may see (admins) or the user's own team. */
  teamId: string;
  /** '' = everyone in scope. */
  ownerId: string;
  /** '' = the first pipeline the user sees. */
  pipelineId: string;
  /** '' = the server's default currency. */
  currency: string;
  period: Granularity;
  /**
   * Custom field filters, field key → option value (`true`/`false` for checkboxes): the
   * opportunity fields' for the opportunity reports, the customer fields' for the customer
   * ones. In the page's URL as `opportunity.<key>=…` and `customer.<key>=…`; each report is
   * asked with its entity's as `custom.<key>=…`.
   */
  custom: Readonly<Record<CustomFilterEntity, Readonly<Record<string, string>>>>;
}

export type CustomFilterEntity = 'opportunity' | 'customer';
const CUSTOM_FILTER_ENTITIES: readonly CustomFilterEntity[] = ['opportunity', 'customer'];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => {
  const date = new Date(Date.UTC(y, m, d));
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
};

/** [from, to] of a preset, `to` inclusive, around `today` (YYYY-MM-DD). */
export function presetRange(preset: PeriodPreset, today: string): { from: string; to: string } {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const mi = m - 1;
  switch (preset) {
    case 'last30':
      return { from: iso(y, mi, d - 29), to: today };
    case 'last90':
      return { from: iso(y, mi, d - 89), to: today };
    case 'thisMonth':
      return { from: iso(y, mi, 1), to: iso(y, mi + 1, 0) };
    case 'lastMonth':
      return { from: iso(y, mi - 1, 1), to: iso(y, mi, 0) };
    case 'thisQuarter': {
      const q = Math.floor(mi / 3) * 3;
      return { from: iso(y, q, 1), to: iso(y, q + 3, 0) };
    }
    case 'thisYear':
      return { from: iso(y, 0, 1), to: iso(y, 11, 31) };
  }
}

/** The preset whose range the filters hold, or 'custom'. */
export function presetOf(f: Pick<ReportFilterState, 'from' | 'to'>, today: string): PeriodPreset | 'custom' {
  for (const p of PERIOD_PRESETS) {
    const r = presetRange(p, today);
    if (r.from === f.from && r.to === f.to) return p;
  }
  return 'custom';
}

/** Filters from a query string; anything malformed falls back to the default. */
export function filtersFromSearch(search: string, today: string): ReportFilterState {
  const q = new URLSearchParams(search);
  const get = (k: string, re: RegExp) => {
    const v = q.get(k) ?? '';
    return re.test(v) ? v : '';
  };
  const def = presetRange(DEFAULT_PRESET, today);
  let from = get('from', ISO_DATE) || def.from;
  let to = get('to', ISO_DATE) || def.to;
  if (from > to) [from, to] = [def.from, def.to];
  return {
    from,
    to,
    teamId: get('teamId', UUID_PATTERN),
    ownerId: get('ownerId', UUID_PATTERN),
    pipelineId: get('pipelineId', UUID_PATTERN),
    currency: get('currency', CURRENCY),
    period: q.get('period') === 'week' ? 'week' : 'month',
    custom: { opportunity: customFromSearch(q, 'opportunity'), customer: customFromSearch(q, 'customer') },
  };
}

function customFromSearch(q: URLSearchParams, entity: CustomFilterEntity): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of q) {
    const key = k.startsWith(`${entity}.`) ? k.slice(entity.length + 1) : '';
    if (CUSTOM_FIELD_KEY.test(key) && v && v.length <= CUSTOM_FILTER_VALUE_MAX) out[key] = v;
  }
  return out;
}

/** The `custom.<key>` parameters of one entity's filters. */
export function customParams(f: Pick<ReportFilterState, 'custom'>, entity: CustomFilterEntity): ReportParams {
  const out: ReportParams = {};
  for (const [key, value] of Object.entries(f.custom[entity])) out[`custom.${key}`] = value;
  return out;
}

/** The custom field filters of the report `kind` (its entity's), as API parameters. */
export function customParamsFor(kind: ReportKind, f: Pick<ReportFilterState, 'custom'>): ReportParams {
  return customParams(f, REPORT_CUSTOM_ENTITY[kind]);
}

/** The query string of the filters (without '?'): only what differs from an empty filter. */
export function filtersToSearch(f: ReportFilterState): string {
  const q = new URLSearchParams();
  q.set('from', f.from);
  q.set('to', f.to);
  if (f.teamId) q.set('teamId', f.teamId);
  if (f.ownerId) q.set('ownerId', f.ownerId);
  if (f.pipelineId) q.set('pipelineId', f.pipelineId);
  if (f.currency) q.set('currency', f.currency);
  if (f.period !== 'month') q.set('period', f.period);
  for (const entity of CUSTOM_FILTER_ENTITIES) for (const [key, value] of Object.entries(f.custom[entity])) q.set(`${entity}.${key}`, value);
  return q.toString();
}

/** The API parameters of the filters. */
export function reportParams(f: ReportFilterState): ReportParams {
  return {
    from: f.from,
    to: f.to,
    teamId: f.teamId || undefined,
    ownerId: f.ownerId || undefined,
    pipelineId: f.pipelineId || undefined,
    currency: f.currency || undefined,
    period: f.period,
  };
}

/** Whether the forecast looks ahead: the period is the default one, which looks back. */
export function forecastLooksAhead(f: Pick<ReportFilterState, 'from' | 'to'>, today: string): boolean {
  return presetOf(f, today) === DEFAULT_PRESET;
}

/**
 * The API parameters of one report. The forecast is about the coming months:
 * while the period is the default (the past 90 days) it covers today to three
 * months on instead; a period the user chose applies to it as to the others.
 */
export function reportParamsFor(kind: PeriodReportKind, f: ReportFilterState, today: string): ReportParams {
  const params = { ...reportParams(f), ...customParamsFor(kind, f) };
  return kind === 'forecast' && forecastLooksAhead(f, today) ? { ...params, ...forecastDefaultRange(today) } : params;
}
