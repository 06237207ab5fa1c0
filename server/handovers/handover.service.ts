/**
 * Team operations: handing a user's book over to colleagues, following an operation's progress,
 * and undoing it (docs/team-operations.md). Bulk edits of customers
 * (customers/customer-bulk-edit.service.ts) run on the same rails: an operation row with its
 * progress, a change row per record and field, one summary notification per recipient.
 */
import type { HandoverBody, HandoverCounts, HandoverDto, HandoverResultDto, HandoverUndoDto } from '../../schema/wire/handover.ts';
import { ACTIVE_SERVICE_STATUSES } from '../../schema/wire/service-records.ts';
import type { HandoverRow } from '../../schema/tables/handover.table.ts';
import { type HandoverResource, can } from '../../schema/policy/access.ts';
import type { AppContext } from '../context.ts';
import { badRequest, conflict, forbidden, notFound } from '../http/app-error.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { listCategories } from '../customers/customer-category.repository.ts';
import type { CustomerChange } from '../customers/customer.ts';
import { setCustomerArchived } from '../customers/customer.service.ts';
import { DeliveryQueue } from '../notifications/notifier.ts';
import { findUserById } from '../users/user.repository.ts';
import type { User } from '../users/user.ts';
import { type Plan, countsOf, planHandover, sharesOf } from './handover.ts';
import { handoverSummaryText } from './handover-text.ts';
import {
  type NewChange,
  addHandoverProgress,
  claimUndo,
  findHandover,
  finishHandover,
  insertHandover,
  listHandoverChanges,
  toHandoverDto,
} from './handover.repository.ts';
import { type OwnerMove, type Progress, moveAssignees, moveOpportunities, writeCustomers } from './record-writes.ts';

/** Operations up to this many records answer when done; larger ones run on and are followed with `GET /api/handovers/:id`. */
export const HANDOVER_SYNC_RECORDS = 200;

/** Runs an operation's work with progress; answers once done when small, else at once (the work goes on). */
export async function runOperation(ctx: AppContext, row: HandoverRow, work: (progress: Progress) => Promise<void>): Promise<HandoverDto> {
  const progress: Progress = (n) => addHandoverProgress(ctx.db, row.id, n);
  const run = (async () => {
    try {
      await work(progress);
      await finishHandover(ctx.db, row.id, { status: 'done', now: ctx.now() });
    } catch (err) {
      ctx.log.error({ err, handoverId: row.id }, 'team operation failed');
      await finishHandover(ctx.db, row.id, { status: 'failed', error: 'The operation stopped part way; what it changed can be undone', now: ctx.now() });
    }
  })();
  if (row.total <= HANDOVER_SYNC_RECORDS) await run;
  else run.catch(() => {});
  return toHandoverDto((await findHandover(ctx.db, row.id))!);
}

/** Tells each recipient once what they received (after the writes). */
export async function notifySummaries(
  ctx: AppContext,
  actor: User,
  fromName: string | null,
  shares: ReadonlyArray<HandoverCounts & { userId: string }>,
  link: string,
): Promise<void> {
  const queue = new DeliveryQueue();
  await ctx.db.transaction().execute(async (trx) => {
    for (const share of shares) {
      if (share.userId === actor.id || share.customers + share.opportunities + share.tasks + share.serviceRecords === 0) continue;
      const recipient = await findUserById(trx, share.userId);
      if (!recipient?.active) continue;
      const text = handoverSummaryText(recipient.locale, share, fromName, actor.name);
      queue.add(await ctx.notifier.notify(trx, { recipientId: share.userId, type: 'assignment', title: text.title, body: text.body, link, actorId: actor.id }));
    }
  });
  queue.flush();
}

/** Active members of the team with these ids, or a 400 naming `field`. */
async function assertMembers(ctx: AppContext, teamId: string, ids: readonly string[], except: string, field: string): Promise<void> {
  if (ids.length === 0) return;
  const rows = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('id', 'in', [...ids])
    .where('team_id', '=', teamId)
    .where('active', '=', true)
    .execute();
  const ok = new Set(rows.map((r) => r.id));
  const bad = ids.find((id) => id === except || !ok.has(id));
  if (bad) throw badRequest(`${field}: ${bad === except ? 'hand over to someone else' : 'each recipient must be an active member of the team'}`, field);
}

async function loadBook(ctx: AppContext, from: User, teamId: string) {
  const [customers, opportunities, tasks, serviceRecords] = await Promise.all([
    ctx.db
      .selectFrom('customers')
      .select(['id', 'category', 'archived_at'])
      .where('owner_id', '=', from.id)
      .where('team_id', '=', teamId)
      .orderBy('name')
      .orderBy('id')
      .execute(),
    ctx.db
      .selectFrom('opportunities')
      .select(['id', 'customer_id'])
      .where('owner_id', '=', from.id)
      .where('team_id', '=', teamId)
      .where('status', '=', 'open')
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    ctx.db
      .selectFrom('tasks')
      .select(['id', 'customer_id'])
      .where('assignee_id', '=', from.id)
      .where('team_id', '=', teamId)
      .where('done_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    ctx.db
      .selectFrom('service_records')
      .select(['id', 'customer_id'])
      .where('assignee_id', '=', from.id)
      .where('team_id', '=', teamId)
      .where('status', 'in', [...ACTIVE_SERVICE_STATUSES])
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  return {
    customers: customers.map((c) => ({ id: c.id, customerId: c.id, category: c.category })),
    opportunities: opportunities.map((o) => ({ id: o.id, customerId: o.customer_id })),
    tasks: tasks.map((t) => ({ id: t.id, customerId: t.customer_id })),
    serviceRecords: serviceRecords.map((s) => ({ id: s.id, customerId: s.customer_id })),
  };
}

function changesOf(plan: Plan, fromId: string): NewChange[] {
  const entity = { customers: 'customer', opportunities: 'opportunity', tasks: 'task', serviceRecords: 'service_record' } as const;
  return (Object.keys(entity) as (keyof Plan)[]).flatMap((k) =>
    plan[k].map((m) => ({ entity: entity[k], id: m.id, field: 'owner' as const, before: fromId, after: m.to })),
  );
}

/** `POST /api/users/:id/handover`. */
export async function handOver(ctx: AppContext, actor: User, fromId: string, body: HandoverBody): Promise<HandoverResultDto> {
  const from = await findUserById(ctx.db, fromId);
  if (!from || !can(actor, 'read', { type: 'user', id: from.id, teamId: from.teamId })) throw notFound('No such user');
  if (!can(actor, 'handover', { type: 'user', id: from.id, teamId: from.teamId })) throw forbidden('Only admins and the team’s manager hand over a book');
  const teamId = from.teamId;
  if (!teamId) throw badRequest('to: this user belongs to no team, so owns nothing to hand over', 'to');
  const split = body.split ?? 'round-robin';
  const categories = body.categories ?? {};
  if (split === 'category' && Object.keys(categories).length === 0) throw badRequest('categories: map at least one category to a recipient', 'categories');
  await assertMembers(ctx, teamId, body.to, from.id, 'to');
  await assertMembers(ctx, teamId, [...new Set(Object.values(categories))], from.id, 'categories');
  if (split === 'category') {
    const known = new Set((await listCategories(ctx.db, teamId)).map((c) => c.key));
    const unknown = Object.keys(categories).find((k) => !known.has(k));
    if (unknown !== undefined) throw badRequest(`categories: unknown category ${unknown}`, 'categories');
  }

  const book = await loadBook(ctx, from, teamId);
  const plan = planHandover(book, { to: body.to, split, categories });
  const counts = countsOf(plan);
  const recipients = sharesOf(plan, body.to);
  if (body.dryRun) return { ...counts, recipients, handover: null };

  const total = counts.customers + counts.opportunities + counts.tasks + counts.serviceRecords;
  const row = await ctx.db.transaction().execute(async (trx) => {
    const r = await insertHandover(trx, { kind: 'handover', teamId, actorId: actor.id, fromUserId: from.id, total, counts: { ...counts } }, changesOf(plan, from.id));
    await recordAudit(trx, {
      actor_id: actor.id,
      team_id: teamId,
      action: 'handover',
      entity_type: 'user',
      entity_id: from.id,
      changes: { handoverId: r.id, to: body.to, split, ...counts },
    });
    return r;
  });
  const handover = await runOperation(ctx, row, async (progress) => {
    const muted = [
      ...plan.customers.map((m) => ({ type: 'customer', id: m.id, recipientId: m.to })),
      ...plan.opportunities.map((m) => ({ type: 'opportunity', id: m.id, recipientId: m.to })),
    ];
    await ctx.notifier.withAssignmentsMuted(muted, async () => {
      await writeCustomers(ctx, actor, plan.customers.map((m) => ({ id: m.id, change: { fields: { ownerId: m.to } } })), progress);
      const move = (list: Array<{ id: string; to: string }>): OwnerMove[] => list.map((m) => ({ id: m.id, from: from.id, to: m.to }));
      await moveOpportunities(ctx, actor, move(plan.opportunities), progress);
      await moveAssignees(ctx, actor, 'tasks', move(plan.tasks), progress);
      await moveAssignees(ctx, actor, 'service_records', move(plan.serviceRecords), progress);
    });
    await notifySummaries(ctx, actor, from.name, recipients, `/customers?ownerId=me`);
  });
  return { ...counts, recipients, handover };
}

const handoverResource = (r: HandoverRow): HandoverResource => ({ type: 'handover', teamId: r.team_id, actorId: r.actor_id });

async function visibleHandover(ctx: AppContext, user: User, id: string): Promise<HandoverRow> {
  const row = await findHandover(ctx.db, id);
  if (!row || !can(user, 'read', handoverResource(row))) throw notFound('No such operation');
  return row;
}

export async function getHandover(ctx: AppContext, user: User, id: string): Promise<HandoverDto> {
  return toHandoverDto(await visibleHandover(ctx, user, id));
}

type CustomerNow = { owner_id: string | null; category: string; tags: string[]; archived_at: Date | null; team_id: string };

/**
 * Restores what an operation changed, record by record and field by field, where the record
 * still holds the value the operation wrote (and a previous owner is still an active member of
 * the record's team); everything else is kept.
 */
export async function undoHandover(ctx: AppContext, user: User, id: string): Promise<HandoverUndoDto> {
  const row = await visibleHandover(ctx, user, id);
  if (!can(user, 'undo', handoverResource(row))) throw forbidden('You may not undo this operation');
  if (row.status === 'running') throw conflict('The operation is still running');
  if (!(await claimUndo(ctx.db, id, ctx.now()))) throw conflict('The operation was already undone');
  const changes = await listHandoverChanges(ctx.db, id);
  let restored = 0;
  const noProgress: Progress = async () => {};

  // Previous owners still able to own records, per team.
  const owners = [...new Set(changes.filter((c) => c.field === 'owner' && typeof c.before === 'string').map((c) => c.before as string))];
  const active = new Map<string, string | null>();
  if (owners.length > 0) {
    const rows = await ctx.db.selectFrom('users').select(['id', 'team_id']).where('id', 'in', owners).where('active', '=', true).execute();
    for (const r of rows) active.set(r.id, r.team_id);
  }
  const mayOwn = (userId: unknown, teamId: string) => userId === null || (typeof userId === 'string' && active.get(userId) === teamId);

  // Customers: owner, category and tags in one document write each; archive state apart.
  const customerChanges = changes.filter((c) => c.entity_type === 'customer');
  const customerIds = [...new Set(customerChanges.map((c) => c.entity_id))];
  const current = new Map<string, CustomerNow>();
  for (let i = 0; i < customerIds.length; i += 1000) {
    const rows = await ctx.db
      .selectFrom('customers')
      .select(['id', 'owner_id', 'category', 'tags', 'archived_at', 'team_id'])
      .where('id', 'in', customerIds.slice(i, i + 1000))
      .execute();
    for (const r of rows) current.set(r.id, r);
  }
  const writes = new Map<string, CustomerChange>();
  /** Change rows each customer write restores. */
  const restoring = new Map<string, number>();
  const take = (cid: string) => restoring.set(cid, (restoring.get(cid) ?? 0) + 1);
  const archiveFlips: Array<{ id: string; archived: boolean }> = [];
  const muted: Array<{ type: string; id: string; recipientId: string }> = [];
  for (const c of customerChanges) {
    const now = current.get(c.entity_id);
    if (!now) continue;
    const change = writes.get(c.entity_id) ?? { fields: {} };
    switch (c.field) {
      case 'owner':
        if (now.owner_id === c.after && mayOwn(c.before, now.team_id)) {
          change.fields.ownerId = c.before as string | null;
          take(c.entity_id);
          if (typeof c.before === 'string') muted.push({ type: 'customer', id: c.entity_id, recipientId: c.before });
        }
        break;
      case 'category':
        if ((now.category || null) === c.after) {
          change.fields.category = (c.before as string | null) ?? null;
          take(c.entity_id);
        }
        break;
      case 'tags': {
        const { added, removed } = c.after as { added: string[]; removed: string[] };
        const tags = new Set(change.tags ?? now.tags);
        let touched = false;
        for (const t of added) if (tags.delete(t)) touched = true;
        for (const t of removed) if (!tags.has(t)) {
          tags.add(t);
          touched = true;
        }
        if (touched) {
          change.tags = [...tags];
          take(c.entity_id);
        }
        break;
      }
      case 'archived':
        if ((now.archived_at !== null) === c.after) archiveFlips.push({ id: c.entity_id, archived: c.before as boolean });
        break;
      default: {
        const never: never = c.field;
        throw new Error(`unknown field ${never}`);
      }
    }
    if (Object.keys(change.fields).length > 0 || change.tags) writes.set(c.entity_id, change);
  }
  const opportunityMoves: OwnerMove[] = [];
  const taskMoves: OwnerMove[] = [];
  const serviceMoves: OwnerMove[] = [];
  const teamOf = async (table: 'opportunities' | 'tasks' | 'service_records', ids: string[]) =>
    new Map(
      ids.length === 0
        ? []
        : (await ctx.db.selectFrom(table).select(['id', 'team_id']).where('id', 'in', ids).execute()).map((r) => [r.id, r.team_id] as const),
    );
  const others = changes.filter((c) => c.entity_type !== 'customer');
  const teams = {
    opportunity: await teamOf('opportunities', others.filter((c) => c.entity_type === 'opportunity').map((c) => c.entity_id)),
    task: await teamOf('tasks', others.filter((c) => c.entity_type === 'task').map((c) => c.entity_id)),
    service_record: await teamOf('service_records', others.filter((c) => c.entity_type === 'service_record').map((c) => c.entity_id)),
  };
  for (const c of others) {
    if (c.entity_type === 'customer') continue;
    const team = teams[c.entity_type].get(c.entity_id);
    if (!team || !mayOwn(c.before, team)) continue;
    const move = { id: c.entity_id, from: c.after as string | null, to: c.before as string | null };
    if (c.entity_type === 'opportunity') {
      opportunityMoves.push(move);
      if (move.to) muted.push({ type: 'opportunity', id: move.id, recipientId: move.to });
    } else if (c.entity_type === 'task') taskMoves.push(move);
    else serviceMoves.push(move);
  }

  await ctx.notifier.withAssignmentsMuted(muted, async () => {
    // A restored record is writable again before its fields are; an archived one after.
    for (const f of archiveFlips.filter((x) => !x.archived)) {
      await setCustomerArchived(ctx, user, f.id, false).then(() => restored++, (err) => ctx.log.warn({ err }, 'undo: not restored'));
    }
    const written = await writeCustomers(ctx, user, [...writes].map(([cid, change]) => ({ id: cid, change })), noProgress);
    for (const cid of written) restored += restoring.get(cid) ?? 0;
    for (const f of archiveFlips.filter((x) => x.archived)) {
      await setCustomerArchived(ctx, user, f.id, true).then(() => restored++, (err) => ctx.log.warn({ err }, 'undo: not archived'));
    }
    restored += (await moveOpportunities(ctx, user, opportunityMoves, noProgress)).size;
    restored += (await moveAssignees(ctx, user, 'tasks', taskMoves, noProgress)).size;
    restored += (await moveAssignees(ctx, user, 'service_records', serviceMoves, noProgress)).size;
  });
  await recordAudit(ctx.db, {
    actor_id: user.id,
    team_id: row.team_id,
    action: `${row.kind}.undo`,
    entity_type: 'handover',
    entity_id: row.id,
    changes: { restored, kept: changes.length - restored },
  });
  return { handover: toHandoverDto((await findHandover(ctx.db, id))!), restored, kept: changes.length - restored };
}
