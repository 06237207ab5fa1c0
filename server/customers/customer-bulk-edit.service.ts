/**
 * Bulk edits of customers (`POST /api/customers/bulk`, docs/team-operations.md): a selection by
 * ids or by the list's filter, one set of changes (owner, category, tags, archive), checked
 * record by record against the access policy — records the caller may not change that way are
 * skipped and reported — and written through each customer's document. Runs as a team operation
 * (handovers/handover.service.ts): progress, undo, one summary notification per new owner.
 */
import { BULK_MAX, type BulkSet, type CustomerBulkBody, type CustomerBulkResultDto } from '../../schema/wire/handover.ts';
import { TAGS_PER_CUSTOMER_MAX } from '../../schema/wire/customer.ts';
import { can, mayAssignOwner } from '../../schema/policy/access.ts';
import { readScope } from '../../schema/policy/scope.ts';
import type { AppContext } from '../context.ts';
import { badRequest } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import { resolveCustomerFilter } from '../custom-fields/custom-field-filter.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { NewChange } from '../handovers/handover.repository.ts';
import { insertHandover } from '../handovers/handover.repository.ts';
import { notifySummaries, runOperation } from '../handovers/handover.service.ts';
import { writeCustomers } from '../handovers/record-writes.ts';
import { type CustomerChange, type CustomerRecord, customerResource } from './customer.ts';
import { listCategories } from './customer-category.repository.ts';
import { effectiveFilter, setCustomerArchived } from './customer.service.ts';
import { selectByIds, selectMatching } from './customer-selection.repository.ts';

/** Skipped records listed in the answer (the count covers them all). */
export const BULK_SKIPPED_LISTED = 100;

interface Planned {
  row: CustomerRecord;
  change: CustomerChange;
  archive: boolean | null;
  changes: NewChange[];
}

/** Team facts a record's check needs, loaded once per team. */
interface TeamFacts {
  members: Set<string>;
  categories: Set<string>;
}

async function teamFacts(ctx: AppContext, teamIds: string[]): Promise<Map<string, TeamFacts>> {
  const out = new Map<string, TeamFacts>();
  for (const teamId of teamIds) {
    const members = await ctx.db.selectFrom('users').select('id').where('team_id', '=', teamId).where('active', '=', true).execute();
    const categories = await listCategories(ctx.db, teamId);
    out.set(teamId, { members: new Set(members.map((m) => m.id)), categories: new Set(categories.map((c) => c.key)) });
  }
  return out;
}

/** What the set changes on one record, or why it is skipped; null when it changes nothing. */
function planRecord(user: User, row: CustomerRecord, set: BulkSet, facts: TeamFacts): Planned | { skip: string } | null {
  const res = customerResource(row);
  const archivedNow = row.archived_at !== null;
  const change: CustomerChange = { fields: {} };
  const changes: NewChange[] = [];
  if (set.ownerId !== undefined && set.ownerId !== row.owner_id) {
    if (!can(user, 'reassign', res) || !mayAssignOwner(user, { isNew: false, from: row.owner_id, to: set.ownerId })) return { skip: 'You may not reassign this customer' };
    if (set.ownerId !== null && !facts.members.has(set.ownerId)) return { skip: 'The new owner is not an active member of this customer’s team' };
    change.fields.ownerId = set.ownerId;
    changes.push({ entity: 'customer', id: row.id, field: 'owner', before: row.owner_id, after: set.ownerId });
  }
  if (set.category !== undefined && set.category !== (row.category || null)) {
    if (set.category !== null && !facts.categories.has(set.category)) return { skip: 'This customer’s team has no such category' };
    change.fields.category = set.category;
    changes.push({ entity: 'customer', id: row.id, field: 'category', before: row.category || null, after: set.category });
  }
  if (set.addTags || set.removeTags) {
    const tags = new Set(row.tags);
    const added = (set.addTags ?? []).filter((t) => !tags.has(t));
    const removed = (set.removeTags ?? []).filter((t) => tags.has(t) && !added.includes(t));
    for (const t of removed) tags.delete(t);
    for (const t of added) tags.add(t);
    if (tags.size > TAGS_PER_CUSTOMER_MAX) return { skip: `A customer has at most ${TAGS_PER_CUSTOMER_MAX} tags` };
    if (added.length + removed.length > 0) {
      change.tags = [...tags];
      changes.push({ entity: 'customer', id: row.id, field: 'tags', before: { added: [], removed: [] }, after: { added, removed } });
    }
  }
  const fieldsChange = changes.length > 0;
  // Fields of an archived record are written after restoring it, or not at all.
  const willBeArchived = set.archived ?? archivedNow;
  if (fieldsChange && (!can(user, 'write', { ...res, archived: archivedNow && willBeArchived }))) return { skip: 'You may not change this customer' };
  let archive: boolean | null = null;
  if (set.archived !== undefined && set.archived !== archivedNow) {
    if (!can(user, 'archive', res)) return { skip: set.archived ? 'You may not archive customers' : 'You may not restore customers' };
    archive = set.archived;
    changes.push({ entity: 'customer', id: row.id, field: 'archived', before: archivedNow, after: set.archived });
  }
  if (changes.length === 0) return null;
  return { row, change, archive, changes };
}

/** Archives or restores one customer; one that cannot be (changed meanwhile) is left and the run goes on. */
async function archiveQuietly(ctx: AppContext, user: User, id: string, archived: boolean): Promise<void> {
  try {
    await setCustomerArchived(ctx, user, id, archived);
  } catch (err) {
    ctx.log.warn({ err, customerId: id }, 'bulk edit: a customer was not archived or restored');
  }
}

export async function bulkEditCustomers(ctx: AppContext, user: User, body: CustomerBulkBody): Promise<CustomerBulkResultDto> {
  const scope = readScope(user, 'customer');
  const skipped: Array<{ id: string; reason: string }> = [];
  let rows: CustomerRecord[];
  if (body.ids) {
    const ids = [...new Set(body.ids)];
    rows = scope.kind === 'none' ? [] : await selectByIds(ctx.db, scope, ids);
    const found = new Set(rows.map((r) => r.id));
    // Another team's id is reported like a missing one.
    for (const id of ids) if (!found.has(id)) skipped.push({ id, reason: 'No such customer' });
  } else {
    const filter = await resolveCustomerFilter(ctx, user, effectiveFilter(user, body.filter ?? {}));
    rows = scope.kind === 'none' ? [] : await selectMatching(ctx.db, scope, filter, { now: ctx.now(), userId: user.id, limit: BULK_MAX + 1 });
    if (rows.length > BULK_MAX) throw badRequest(`filter: more than ${BULK_MAX} customers match; narrow the filter`, 'filter');
  }
  const facts = await teamFacts(ctx, [...new Set(rows.map((r) => r.team_id))]);
  const plan: Planned[] = [];
  for (const row of rows) {
    const p = planRecord(user, row, body.set, facts.get(row.team_id)!);
    if (p === null) continue;
    if ('skip' in p) skipped.push({ id: row.id, reason: p.skip });
    else plan.push(p);
  }
  const result = { updated: plan.length, skipped: skipped.length, skippedItems: skipped.slice(0, BULK_SKIPPED_LISTED) };
  if (plan.length === 0) return { ...result, handover: null };

  const teams = [...new Set(plan.map((p) => p.row.team_id))];
  const teamId = teams.length === 1 ? teams[0]! : null;
  const row = await ctx.db.transaction().execute(async (trx) => {
    const r = await insertHandover(
      trx,
      { kind: 'bulk', teamId, actorId: user.id, fromUserId: null, total: plan.length, counts: { updated: plan.length, skipped: skipped.length } },
      plan.flatMap((p) => p.changes),
    );
    await recordAudit(trx, {
      actor_id: user.id,
      team_id: teamId,
      action: 'customer.bulk',
      entity_type: 'handover',
      entity_id: r.id,
      changes: { set: body.set, updated: plan.length, skipped: skipped.length },
    });
    return r;
  });
  const handover = await runOperation(ctx, row, async (progress) => {
    const newOwner = body.set.ownerId;
    const muted = newOwner ? plan.filter((p) => p.change.fields.ownerId).map((p) => ({ type: 'customer', id: p.row.id, recipientId: newOwner })) : [];
    await ctx.notifier.withAssignmentsMuted(muted, async () => {
      for (const p of plan.filter((x) => x.archive === false)) await archiveQuietly(ctx, user, p.row.id, false);
      const writes = plan.filter((p) => Object.keys(p.change.fields).length > 0 || p.change.tags);
      // Records that are only archived or restored count here.
      await progress(plan.length - writes.length);
      await writeCustomers(ctx, user, writes.map((p) => ({ id: p.row.id, change: p.change })), progress);
      for (const p of plan.filter((x) => x.archive === true)) await archiveQuietly(ctx, user, p.row.id, true);
    });
    if (newOwner && muted.length > 0) {
      await notifySummaries(ctx, user, null, [{ userId: newOwner, customers: muted.length, opportunities: 0, tasks: 0, serviceRecords: 0 }], '/customers?ownerId=me');
    }
  });
  return { ...result, handover };
}
