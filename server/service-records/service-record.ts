/**
 * Service records: status rules, row mapping, queue cursors and report periods. Pure: values
 * in (including `now`), values out; errors as values that the service turns into 400s.
 */
import { z } from 'zod';
import type { ServiceRecordRow, ServiceRecordUpdate } from '../../schema/tables/service-record.table.ts';
import { isCursorTime } from '../http/cursor-time.ts';
import { isUuid } from '../../schema/wire/ids.ts';
import { REPORT_DEFAULT_SPAN_DAYS, REPORT_MAX_SPAN_DAYS } from '../../schema/wire/reports.ts';
import {
  DONE_SERVICE_STATUSES,
  type ServiceRecordDto,
  type ServiceStatus,
  type UpdateServiceRecordBody,
} from '../../schema/wire/service-records.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A row with its customer's name, as the repository reads it. */
export type ServiceRecordView = ServiceRecordRow & { customer_name: string };

export const isDone = (status: ServiceStatus): boolean => DONE_SERVICE_STATUSES.includes(status);

export function toServiceRecordDto(r: ServiceRecordView): ServiceRecordDto {
  return {
    id: r.id,
    teamId: r.team_id,
    customerId: r.customer_id,
    customerName: r.customer_name,
    type: r.type,
    channel: r.channel,
    title: r.title,
    description: r.description,
    status: r.status,
    assigneeId: r.assignee_id,
    dueAt: r.due_at?.toISOString() ?? null,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    resolution: r.resolution,
    satisfaction: r.satisfaction,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export type ChangeResult = { ok: true; patch: ServiceRecordUpdate } | { ok: false; field: string; message: string };

/**
 * The columns a PATCH changes, or the first rule it breaks:
 * - resolving (or closing) needs a resolution, given now or kept from before;
 * - `resolved_at` is set when the record becomes resolved or closed from an open status, kept
 *   from resolved to closed, and cleared (with the satisfaction) when it is reopened;
 * - a satisfaction score only on a record that is (or becomes) resolved or closed.
 * The assignee's team is checked by the service, which has the data.
 */
export function applyChange(current: ServiceRecordRow, body: UpdateServiceRecordBody, now: Date): ChangeResult {
  const patch: ServiceRecordUpdate = {};
  if (body.type !== undefined && body.type !== current.type) patch.type = body.type;
  if (body.channel !== undefined && body.channel !== current.channel) patch.channel = body.channel;
  if (body.title !== undefined && body.title !== current.title) patch.title = body.title;
  if (body.description !== undefined && body.description !== current.description) patch.description = body.description;
  if (body.assigneeId !== undefined && body.assigneeId !== current.assignee_id) patch.assignee_id = body.assigneeId;
  if (body.dueAt !== undefined) {
    const due = body.dueAt === null ? null : new Date(body.dueAt);
    if ((due?.getTime() ?? null) !== (current.due_at?.getTime() ?? null)) patch.due_at = due;
  }
  const resolution = body.resolution !== undefined ? body.resolution.trim() : current.resolution;
  if (body.resolution !== undefined && resolution !== current.resolution) patch.resolution = resolution;

  const status = body.status ?? current.status;
  if (status !== current.status) patch.status = status;
  if (isDone(status)) {
    if (resolution === '') return { ok: false, field: 'resolution', message: 'resolution: say how it was resolved before resolving or closing' };
    if (!isDone(current.status)) patch.resolved_at = now;
  } else if (isDone(current.status)) {
    // Reopened: it is no longer resolved, and the customer's score was about the old resolution.
    patch.resolved_at = null;
    if (current.satisfaction !== null) patch.satisfaction = null;
  }

  if (body.satisfaction !== undefined) {
    if (body.satisfaction !== null && !isDone(status)) {
      return { ok: false, field: 'satisfaction', message: 'satisfaction: only a resolved or closed record is rated' };
    }
    if (body.satisfaction !== current.satisfaction) patch.satisfaction = body.satisfaction;
    else delete patch.satisfaction;
  }
  return { ok: true, patch };
}

/** What an audit entry shows of a change: `{column: [before, after]}`. */
export function auditChanges(before: ServiceRecordRow, patch: ServiceRecordUpdate): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [key, value] of Object.entries(patch)) {
    const old = before[key as keyof ServiceRecordRow];
    out[key] = [old instanceof Date ? old.toISOString() : old, value instanceof Date ? value.toISOString() : value];
  }
  return out;
}

/** The queue's keyset position: the last row's due date (null sorts last), creation time and id. */
export interface QueueCursor {
  dueAt: string | null;
  createdAt: string;
  id: string;
}

const cursorShape = z.strictObject({
  d: z.string().refine(isCursorTime).nullable(),
  c: z.string().refine(isCursorTime),
  i: z.string().refine(isUuid),
});

export function encodeQueueCursor(row: Pick<ServiceRecordRow, 'due_at' | 'created_at' | 'id'>): string {
  return Buffer.from(JSON.stringify({ d: row.due_at?.toISOString() ?? null, c: row.created_at.toISOString(), i: row.id })).toString('base64url');
}

/** A cursor that is not one of ours is null (a 400 on `cursor`). */
export function decodeQueueCursor(raw: string): QueueCursor | null {
  try {
    const r = cursorShape.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return r.success ? { dueAt: r.data.d, createdAt: r.data.c, id: r.data.i.toLowerCase() } : null;
  } catch {
    return null;
  }
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export type PeriodResult = { ok: true; from: string; to: string; start: Date; end: Date } | { ok: false; field: 'from' | 'to'; message: string };

/** The report period as the other reports read it: `to` inclusive, the last 90 days by default, at most three years. */
export function resolvePeriod(q: { from?: string; to?: string }, now: Date): PeriodResult {
  const to = q.to ?? isoDay(now);
  const from = q.from ?? isoDay(new Date(Date.parse(to) - (REPORT_DEFAULT_SPAN_DAYS - 1) * DAY_MS));
  if (from > to) return { ok: false, field: 'from', message: 'from: must not be after to' };
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS > REPORT_MAX_SPAN_DAYS) {
    return { ok: false, field: 'to', message: `to: a report spans at most ${REPORT_MAX_SPAN_DAYS} days` };
  }
  return { ok: true, from, to, start: new Date(`${from}T00:00:00Z`), end: new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS) };
}

/** The creation-time bounds of an age bucket in whole days: created in (now - (max+1) d, now - min d]. */
export function ageBounds(now: Date, minDays: number, maxDays: number | null): { after: Date | null; atOrBefore: Date } {
  return {
    after: maxDays === null ? null : new Date(now.getTime() - (maxDays + 1) * DAY_MS),
    atOrBefore: new Date(now.getTime() - minDays * DAY_MS),
  };
}
