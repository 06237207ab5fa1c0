import { type Kysely, sql, type Transaction } from 'kysely';
import type { NewServiceRecordRow, ServiceRecordRow, ServiceRecordUpdate } from '../../schema/tables/service-record.table.ts';
import type { Scope } from '../../schema/policy/scope.ts';
import type { Database } from '../../schema/types.ts';
import { ACTIVE_SERVICE_STATUSES, DONE_SERVICE_STATUSES, type ServiceStatus, type ServiceType } from '../../schema/wire/service-records.ts';
import { inScope } from '../db/scope.ts';
import type { QueueCursor, ServiceRecordView } from './service-record.ts';

type Q = Kysely<Database> | Transaction<Database>;

function withCustomer(db: Q) {
  return db
    .selectFrom('service_records as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .selectAll('s')
    .select('c.name as customer_name');
}

export function insertServiceRecord(db: Q, row: NewServiceRecordRow): Promise<ServiceRecordRow> {
  return db.insertInto('service_records').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findServiceRecord(db: Q, id: string): Promise<ServiceRecordView | null> {
  return (await withCustomer(db).where('s.id', '=', id).executeTakeFirst()) ?? null;
}

/** The row alone, locked for the caller's transaction. */
export async function lockServiceRecord(db: Q, id: string): Promise<ServiceRecordRow | null> {
  return (await db.selectFrom('service_records').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()) ?? null;
}

export function updateServiceRecordRow(db: Q, id: string, patch: ServiceRecordUpdate, now: Date): Promise<ServiceRecordRow> {
  return db
    .updateTable('service_records')
    .set({ ...patch, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A customer's records, newest first. */
export function listCustomerServiceRecords(db: Q, customerId: string, limit: number): Promise<ServiceRecordView[]> {
  return withCustomer(db).where('s.customer_id', '=', customerId).orderBy('s.created_at', 'desc').orderBy('s.id', 'desc').limit(limit).execute();
}

export interface QueueFilter {
  scope: Scope;
  statuses: readonly ServiceStatus[] | null;
  assigneeId?: string;
  type?: ServiceType;
  /** Only records due before this instant and still open or in progress. */
  overdueAt?: Date;
  after?: QueueCursor;
  limit: number;
}

/** The team queue: soonest due first (no due date last), then oldest first. */
export function listServiceQueue(db: Q, f: QueueFilter): Promise<ServiceRecordView[]> {
  let q = withCustomer(db).where(inScope(f.scope, { team: 's.team_id', own: 's.assignee_id' }));
  if (f.statuses) q = q.where('s.status', 'in', [...f.statuses]);
  if (f.assigneeId) q = q.where('s.assignee_id', '=', f.assigneeId);
  if (f.type) q = q.where('s.type', '=', f.type);
  if (f.overdueAt) q = q.where('s.due_at', '<', f.overdueAt).where('s.status', 'in', [...ACTIVE_SERVICE_STATUSES]);
  const a = f.after;
  if (a) {
    const rest = sql<boolean>`(s.created_at, s.id) > (${new Date(a.createdAt)}, ${a.id}::uuid)`;
    q =
      a.dueAt === null
        ? q.where(sql<boolean>`(s.due_at is null and ${rest})`)
        : q.where(sql<boolean>`(s.due_at > ${new Date(a.dueAt)} or s.due_at is null or (s.due_at = ${new Date(a.dueAt)} and ${rest}))`);
  }
  return q.orderBy(sql`s.due_at asc nulls last`).orderBy('s.created_at', 'asc').orderBy('s.id', 'asc').limit(f.limit).execute();
}

/** Whether `userId` is an active member of `teamId`. */
export async function isActiveTeamMember(db: Q, teamId: string, userId: string): Promise<boolean> {
  const u = await db.selectFrom('users').select(['team_id', 'active']).where('id', '=', userId).executeTakeFirst();
  return !!u?.active && u.team_id === teamId;
}

export interface ReportWindow {
  teamId: string | null;
  now: Date;
  start: Date;
  end: Date;
  buckets: ReadonlyArray<{ id: string; after: Date | null; atOrBefore: Date }>;
}

/** Open records by age bucket (now), and resolution figures of records resolved in [start, end). */
export async function serviceReportFigures(db: Q, w: ReportWindow) {
  const team = (q: string) => (w.teamId === null ? sql<boolean>`true` : sql<boolean>`${sql.ref(q)} = ${w.teamId}`);
  const bucketCounts = w.buckets.map(
    (b, i) =>
      sql<string>`count(*) filter (where created_at <= ${b.atOrBefore}${b.after === null ? sql`` : sql` and created_at > ${b.after}`})`.as(`b${i}`),
  );
  const open = await db
    .selectFrom('service_records')
    .select([sql<string>`count(*)`.as('open'), ...bucketCounts])
    .where(team('team_id'))
    .where('status', 'in', [...ACTIVE_SERVICE_STATUSES])
    .executeTakeFirstOrThrow();
  const resolved = await db
    .selectFrom('service_records')
    .select([
      sql<string>`count(*)`.as('resolved'),
      sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from resolved_at - created_at))`.as('median_seconds'),
      sql<string | null>`avg(satisfaction)`.as('avg_satisfaction'),
      sql<string>`count(satisfaction)`.as('rated'),
    ])
    .where(team('team_id'))
    .where('status', 'in', [...DONE_SERVICE_STATUSES])
    .where('resolved_at', '>=', w.start)
    .where('resolved_at', '<', w.end)
    .executeTakeFirstOrThrow();
  const row = open as Record<string, unknown>;
  return {
    open: Number(open.open),
    byBucket: w.buckets.map((b, i) => ({ id: b.id, count: Number(row[`b${i}`] ?? 0) })),
    resolved: Number(resolved.resolved),
    medianSeconds: resolved.median_seconds === null ? null : Number(resolved.median_seconds),
    averageSatisfaction: resolved.avg_satisfaction === null ? null : Number(resolved.avg_satisfaction),
    rated: Number(resolved.rated),
  };
}
