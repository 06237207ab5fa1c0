/**
 * After-sales feedback and service records (`/api/service-records`, DESIGN.md public contract),
 * their team queue and the service report: DTOs and request schemas shared by server, client
 * and tests.
 */
import { z } from 'zod';
import { isoDateSchema, isoDateTimeSchema } from './dates.ts';
import { uuidSchema } from './ids.ts';

export const SERVICE_TYPES = ['complaint', 'request', 'feedback', 'maintenance', 'visit'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const SERVICE_CHANNELS = ['phone', 'email', 'visit', 'chat', 'other'] as const;
export type ServiceChannel = (typeof SERVICE_CHANNELS)[number];

/** open → in_progress → resolved → closed; resolved and closed may be reopened. */
export const SERVICE_STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/** Statuses of a record still being worked on (the queue's default, the report's "open"). */
export const ACTIVE_SERVICE_STATUSES: readonly ServiceStatus[] = ['open', 'in_progress'];
/** Statuses that need a resolution and allow a satisfaction score. */
export const DONE_SERVICE_STATUSES: readonly ServiceStatus[] = ['resolved', 'closed'];

export const SERVICE_TITLE_MAX = 200;
export const SERVICE_TEXT_MAX = 10_000;
export const SATISFACTION_MIN = 1;
export const SATISFACTION_MAX = 5;
export const SERVICE_PAGE_DEFAULT = 50;
export const SERVICE_PAGE_MAX = 200;
/** A customer's list shows at most this many records, newest first. */
export const CUSTOMER_SERVICE_LIST_MAX = 200;

export interface ServiceRecordDto {
  id: string;
  teamId: string;
  customerId: string;
  customerName: string;
  type: ServiceType;
  channel: ServiceChannel;
  title: string;
  description: string;
  status: ServiceStatus;
  assigneeId: string | null;
  /** ISO 8601, or null. */
  dueAt: string | null;
  /** ISO 8601, set while the record is resolved or closed. */
  resolvedAt: string | null;
  resolution: string;
  /** 1–5, only once resolved or closed. */
  satisfaction: number | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ServiceRecordListDto {
  items: ServiceRecordDto[];
  /** Pass as `cursor` for the next page; null at the end. */
  nextCursor: string | null;
}

/** `serviceRecord:changed`, sent to the record's team after a create or a change. */
export interface ServiceRecordChangedDto {
  id: string;
  customerId: string;
}

const title = z.string().trim().min(1).max(SERVICE_TITLE_MAX);
const text = z.string().max(SERVICE_TEXT_MAX);

export const createServiceRecordBody = z.strictObject({
  customerId: uuidSchema,
  type: z.enum(SERVICE_TYPES),
  title,
  description: text.optional(),
  /** An active member of the customer's team; unassigned when omitted. */
  assigneeId: uuidSchema.nullable().optional(),
  channel: z.enum(SERVICE_CHANNELS).optional(),
  dueAt: isoDateTimeSchema.nullable().optional(),
});

export const updateServiceRecordBody = z.strictObject({
  type: z.enum(SERVICE_TYPES).optional(),
  channel: z.enum(SERVICE_CHANNELS).optional(),
  title: title.optional(),
  description: text.optional(),
  status: z.enum(SERVICE_STATUSES).optional(),
  assigneeId: uuidSchema.nullable().optional(),
  dueAt: isoDateTimeSchema.nullable().optional(),
  resolution: text.optional(),
  satisfaction: z.number().int().min(SATISFACTION_MIN).max(SATISFACTION_MAX).nullable().optional(),
});

const flag = z.enum(['1', 'true', '0', 'false']).transform((v) => v === '1' || v === 'true');

/** `GET /api/service-records`: the team queue. */
export const serviceQueueQuery = z.strictObject({
  /** One status, `active` (open and in progress, the default) or `all`. */
  status: z.enum([...SERVICE_STATUSES, 'active', 'all']).default('active'),
  /** `me`, or a user's id. */
  assignee: z.union([z.literal('me'), uuidSchema]).optional(),
  type: z.enum(SERVICE_TYPES).optional(),
  /** Only records past their due date and not yet resolved. */
  overdue: flag.optional(),
  limit: z.coerce.number().int().min(1).max(SERVICE_PAGE_MAX).default(SERVICE_PAGE_DEFAULT),
  cursor: z.string().max(400).optional(),
});

export type CreateServiceRecordBody = z.infer<typeof createServiceRecordBody>;
export type UpdateServiceRecordBody = z.infer<typeof updateServiceRecordBody>;
export type ServiceQueueQuery = z.infer<typeof serviceQueueQuery>;
export type ServiceQueueFilters = Partial<Pick<z.input<typeof serviceQueueQuery>, 'status' | 'assignee' | 'type' | 'overdue'>>;

/** Age buckets of open records, in whole days since creation: 0–2, 3–7, 8–30, over 30. */
export const SERVICE_AGE_BUCKETS = [
  { id: '0-2', minDays: 0, maxDays: 2 },
  { id: '3-7', minDays: 3, maxDays: 7 },
  { id: '8-30', minDays: 8, maxDays: 30 },
  { id: '31+', minDays: 31, maxDays: null },
] as const;
export type ServiceAgeBucket = (typeof SERVICE_AGE_BUCKETS)[number]['id'];

/** `GET /api/reports/service?from&to[&teamId]`; `to` is inclusive, default the last 90 days. */
export const serviceReportQuery = z.strictObject({
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
  /** Admins only: one team (others always see their own). */
  teamId: uuidSchema.optional(),
});

export interface ServiceReportDto {
  filters: { from: string; to: string; teamId: string | null };
  /** Records open or in progress now, by age. */
  openByAge: Array<{ bucket: ServiceAgeBucket; count: number }>;
  open: number;
  /** Records resolved (or closed) within the period. */
  resolved: number;
  /** Median hours from creation to resolution of those; null when none. */
  medianHoursToResolve: number | null;
  /** Mean satisfaction of those that were rated; null when none. */
  averageSatisfaction: number | null;
  rated: number;
}
