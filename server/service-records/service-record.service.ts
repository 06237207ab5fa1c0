/**
 * Service-record use cases. A record follows its customer's access rules (schema/policy):
 * whoever may read the customer reads its records, whoever may write the customer writes them,
 * and a record of a customer one may not read does not exist (404). Each change opens one
 * transaction holding the row, its audit entry and any assignment notification; the
 * notification and the team's `serviceRecord:changed` event go out after it commits.
 */
import { can } from '../../schema/policy/access.ts';
import { homeScope, readScope } from '../../schema/policy/scope.ts';
import {
  ACTIVE_SERVICE_STATUSES,
  CUSTOMER_SERVICE_LIST_MAX,
  type CreateServiceRecordBody,
  SERVICE_AGE_BUCKETS,
  type ServiceQueueQuery,
  type ServiceRecordListDto,
  type ServiceReportDto,
  type UpdateServiceRecordBody,
} from '../../schema/wire/service-records.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { AppContext } from '../context.ts';
import { type CustomerRecord, customerResource } from '../customers/customer.ts';
import { AppError, badRequest, forbidden, notFound } from '../http/app-error.ts';
import { notifyAssignment } from '../notifications/assignment.ts';
import { type Trx, withNotifications } from '../notifications/notifier.ts';
import type { User } from '../users/user.ts';
import {
  ageBounds,
  applyChange,
  auditChanges,
  decodeQueueCursor,
  encodeQueueCursor,
  resolvePeriod,
  type ServiceRecordView,
  toServiceRecordDto,
} from './service-record.ts';
import {
  findServiceRecord,
  insertServiceRecord,
  isActiveTeamMember,
  listCustomerServiceRecords,
  listServiceQueue,
  lockServiceRecord,
  serviceReportFigures,
  updateServiceRecordRow,
} from './service-record.repository.ts';

const ENTITY = 'service_record';
type CustomerAccess = Pick<CustomerRecord, 'id' | 'name' | 'team_id' | 'owner_id' | 'archived_at'>;
type Db = AppContext['db'] | Trx;

async function findCustomer(db: Db, id: string): Promise<CustomerAccess | null> {
  return (await db.selectFrom('customers').select(['id', 'name', 'team_id', 'owner_id', 'archived_at']).where('id', '=', id).executeTakeFirst()) ?? null;
}

/** The customer if the user may read it; null otherwise (callers answer 404 or 400). */
async function readableCustomer(db: Db, user: User, id: string): Promise<CustomerAccess | null> {
  const c = await findCustomer(db, id);
  return c && can(user, 'read', customerResource(c)) ? c : null;
}

function assertMayWrite(user: User, customer: CustomerAccess): void {
  if (!can(user, 'write', customerResource(customer))) throw forbidden('The customer is archived: only managers and admins change its records');
}

async function checkAssignee(trx: Trx, teamId: string, assigneeId: string | null | undefined): Promise<void> {
  if (!assigneeId) return;
  if (!(await isActiveTeamMember(trx, teamId, assigneeId))) throw badRequest('assigneeId: no active member of the customer’s team has that id', 'assigneeId');
}

async function notifyAssignee(ctx: AppContext, trx: Trx, user: User, row: { id: string; title: string; team_id: string; customer_id: string; assignee_id: string | null }, previous?: string | null) {
  return notifyAssignment(ctx, trx, {
    actorId: user.id,
    recipientId: row.assignee_id,
    ...(previous !== undefined ? { previousRecipientId: previous } : {}),
    teamId: row.team_id,
    entity: { type: 'service_record', id: row.id, name: row.title },
  });
}

/** After commit: every open tab of the team refetches what lists this record. */
function announce(ctx: AppContext, row: { id: string; team_id: string; customer_id: string }): void {
  ctx.notifier.teamEvent(row.team_id, 'serviceRecord:changed', { id: row.id, customerId: row.customer_id });
}

export async function createServiceRecord(ctx: AppContext, user: User, body: CreateServiceRecordBody): Promise<ServiceRecordView> {
  const created = await withNotifications(ctx.db, async (trx, queue) => {
    const customer = await readableCustomer(trx, user, body.customerId);
    if (!customer) throw badRequest('customerId: no customer you can see has that id', 'customerId');
    assertMayWrite(user, customer);
    await checkAssignee(trx, customer.team_id, body.assigneeId);
    const now = ctx.now();
    const row = await insertServiceRecord(trx, {
      team_id: customer.team_id,
      customer_id: customer.id,
      type: body.type,
      channel: body.channel ?? 'other',
      title: body.title,
      description: body.description ?? '',
      assignee_id: body.assigneeId ?? null,
      due_at: body.dueAt ? new Date(body.dueAt) : null,
      resolved_at: null,
      satisfaction: null,
      created_by: user.id,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(trx, {
      actor_id: user.id,
      team_id: row.team_id,
      action: 'service_record.create',
      entity_type: ENTITY,
      entity_id: row.id,
      changes: { customerId: row.customer_id, type: row.type, title: row.title, assigneeId: row.assignee_id },
    });
    queue.add(await notifyAssignee(ctx, trx, user, row));
    return { ...row, customer_name: customer.name };
  });
  announce(ctx, created);
  return created;
}

export async function updateServiceRecord(ctx: AppContext, user: User, id: string, body: UpdateServiceRecordBody): Promise<ServiceRecordView> {
  const { view, changed } = await withNotifications(ctx.db, async (trx, queue) => {
    const current = await lockServiceRecord(trx, id);
    const customer = current ? await readableCustomer(trx, user, current.customer_id) : null;
    if (!current || !customer) throw notFound('No such service record');
    assertMayWrite(user, customer);
    const result = applyChange(current, body, ctx.now());
    if (!result.ok) throw badRequest(result.message, result.field);
    const { patch } = result;
    if (Object.keys(patch).length === 0) return { view: { ...current, customer_name: customer.name }, changed: false };
    if (patch.assignee_id !== undefined) await checkAssignee(trx, current.team_id, patch.assignee_id);
    const row = await updateServiceRecordRow(trx, id, patch, ctx.now());
    await recordAudit(trx, {
      actor_id: user.id,
      team_id: row.team_id,
      action: 'service_record.update',
      entity_type: ENTITY,
      entity_id: row.id,
      changes: auditChanges(current, patch),
    });
    if (patch.assignee_id) queue.add(await notifyAssignee(ctx, trx, user, row, current.assignee_id));
    return { view: { ...row, customer_name: customer.name }, changed: true };
  });
  if (changed) announce(ctx, view);
  return view;
}

export async function getServiceRecord(ctx: AppContext, user: User, id: string): Promise<ServiceRecordView> {
  const row = await findServiceRecord(ctx.db, id);
  if (!row || !(await readableCustomer(ctx.db, user, row.customer_id))) throw notFound('No such service record');
  return row;
}

export async function customerServiceRecords(ctx: AppContext, user: User, customerId: string): Promise<ServiceRecordView[]> {
  if (!(await readableCustomer(ctx.db, user, customerId))) throw notFound('No such customer');
  return listCustomerServiceRecords(ctx.db, customerId, CUSTOMER_SERVICE_LIST_MAX);
}

/** The team queue: the user's team (an admin without a team: every team). */
export async function serviceQueue(ctx: AppContext, user: User, q: ServiceQueueQuery): Promise<ServiceRecordListDto> {
  const scope = homeScope(user, 'customer');
  if (scope.kind === 'none') throw new AppError('forbidden', 403, 'Join a team first');
  const after = q.cursor === undefined ? undefined : decodeQueueCursor(q.cursor);
  if (after === null) throw badRequest('cursor: not a cursor from this list', 'cursor');
  const rows = await listServiceQueue(ctx.db, {
    scope,
    statuses: q.status === 'all' ? null : q.status === 'active' ? ACTIVE_SERVICE_STATUSES : [q.status],
    assigneeId: q.assignee === 'me' ? user.id : q.assignee,
    type: q.type,
    overdueAt: q.overdue ? ctx.now() : undefined,
    after,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map(toServiceRecordDto), nextCursor: rows.length > q.limit && last ? encodeQueueCursor(last) : null };
}

/** Open records by age, median time to resolve and mean satisfaction, for the user's team (admins: all, or one team). */
export async function serviceReport(ctx: AppContext, user: User, q: { from?: string; to?: string; teamId?: string }): Promise<ServiceReportDto> {
  const now = ctx.now();
  const period = resolvePeriod(q, now);
  if (!period.ok) throw badRequest(period.message, period.field);
  const scope = readScope(user, 'customer');
  let teamId: string | null;
  switch (scope.kind) {
    case 'all':
      teamId = q.teamId ?? null;
      break;
    case 'team':
      if (q.teamId && q.teamId !== scope.teamId) throw notFound('No such team');
      teamId = scope.teamId;
      break;
    case 'own':
    case 'none':
      throw new AppError('forbidden', 403, 'You belong to no team');
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(never)}`);
    }
  }
  const figures = await serviceReportFigures(ctx.db, {
    teamId,
    now,
    start: period.start,
    end: period.end,
    buckets: SERVICE_AGE_BUCKETS.map((b) => ({ id: b.id, ...ageBounds(now, b.minDays, b.maxDays) })),
  });
  return {
    filters: { from: period.from, to: period.to, teamId },
    openByAge: SERVICE_AGE_BUCKETS.map((b, i) => ({ bucket: b.id, count: figures.byBucket[i]?.count ?? 0 })),
    open: figures.open,
    resolved: figures.resolved,
    medianHoursToResolve: figures.medianSeconds === null ? null : Math.round((figures.medianSeconds / 3600) * 10) / 10,
    averageSatisfaction: figures.averageSatisfaction === null ? null : Math.round(figures.averageSatisfaction * 100) / 100,
    rated: figures.rated,
  };
}
