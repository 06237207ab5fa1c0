/** Reports and the start page: plain functions over `/api/reports/*` and `/api/dashboard`. */
import type { FunnelDto, FunnelStageDto } from '../../../schema/wire/opportunity.ts';
import type {
  ActivityCell,
  ConversionStage,
  ForecastMonth,
  LeaderboardRow,
  NewCustomersCell,
  ReportEnvelope,
  WinRate,
} from '../../../schema/wire/reports.ts';
import { request } from './http.ts';

/** The reports that take the period filters (the funnel is the board as it stands). */
export type PeriodReportKind = 'conversion' | 'win-rate' | 'forecast' | 'leaderboard' | 'activity' | 'new-customers';

export interface PeriodReportData {
  conversion: ConversionStage[];
  'win-rate': WinRate;
  forecast: ForecastMonth[];
  leaderboard: LeaderboardRow[];
  activity: ActivityCell[];
  'new-customers': NewCustomersCell[];
}

/** Query parameters of a report, custom field filters as `custom.<key>`; empty values are left out. */
export type ReportParams = Partial<Record<'from' | 'to' | 'teamId' | 'ownerId' | 'pipelineId' | 'currency' | 'period', string>> & {
  [customFilter: `custom.${string}`]: string | undefined;
};

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The address of a report; with `csv`, its table as a CSV download. */
export function reportUrl(kind: PeriodReportKind, params: ReportParams, csv = false): string {
  return `/api/reports/${kind}${query({ ...params, format: csv ? 'csv' : undefined })}`;
}

/** `custom`: opportunity custom field filters, `custom.<key>` → value. */
export function funnelUrl(pipelineId: string | undefined, csv = false, currency?: string, custom: ReportParams = {}): string {
  return `/api/reports/funnel${query({ pipelineId, currency, ...custom, format: csv ? 'csv' : undefined })}`;
}

export async function fetchReport<K extends PeriodReportKind>(
  kind: K,
  params: ReportParams,
  signal?: AbortSignal,
): Promise<ReportEnvelope<PeriodReportData[K]>> {
  return request<ReportEnvelope<PeriodReportData[K]>>('GET', reportUrl(kind, params), undefined, { signal });
}

/** `pipelineId` is null when the user sees no pipeline. */
export type FunnelAnswer = Omit<FunnelDto, 'pipelineId'> & { pipelineId: string | null };

export async function fetchFunnel(pipelineId: string | undefined, signal?: AbortSignal, currency?: string, custom: ReportParams = {}): Promise<FunnelAnswer> {
  return request<FunnelAnswer>('GET', funnelUrl(pipelineId, false, currency, custom), undefined, { signal });
}

export interface DashboardStage {
  stageId: string;
  name: string;
  nameZh: string | null;
  count: number;
  amount: number;
}

export interface DashboardTask {
  id: string;
  title: string;
  dueAt: string;
  customerId: string | null;
  customerName: string | null;
}

export interface DashboardFollowup {
  customerId: string;
  name: string;
  nextFollowupAt: string;
}

export interface DashboardActivity {
  id: string;
  customerId: string;
  customerName: string;
  type: string;
  at: string;
  excerpt: string | null;
  authorName: string | null;
}

export interface DashboardLeader {
  userId: string;
  name: string;
  wonAmount: number;
  wonDeals: number;
  activities: number;
}

/** `GET /api/dashboard` (server/reports/dashboard.routes.ts). */
export interface DashboardDto {
  currency: string;
  pipeline: {
    openCount: number;
    openAmount: number;
    weighted: number;
    wonThisMonth: { count: number; amount: number };
    byStage: DashboardStage[];
  };
  tasksToday: DashboardTask[];
  overdueFollowups: DashboardFollowup[];
  recentActivity: DashboardActivity[];
  /** Managers and admins: the team's funnel and this month's leaderboard. */
  team: null | { funnel: { pipelineId: string; stages: FunnelStageDto[] } | null; leaderboard: DashboardLeader[] };
}

export async function fetchDashboard(signal?: AbortSignal): Promise<DashboardDto> {
  return request<DashboardDto>('GET', '/api/dashboard', undefined, { signal });
}
