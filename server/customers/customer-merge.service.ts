/**
 * Merging two customers of a team: the target survives. Picked field values (and custom values
 * the target lacks, unless picked otherwise) go through the
 * document write path; follow-up entries move between the documents (customer-merge-followups.ts);
 * every row that references the source (contacts, tasks, follow-up
 * reminders, opportunities, … found through the foreign keys to customers.id) moves to the
 * target; the source's history moves too; the source is archived.
 */
import { type Transaction, sql } from 'kysely';
import { CUSTOMER_FIELDS, type CustomerDto, type MergeBody, type MergePreviewDto } from '../../schema/wire/customer.ts';
import { isEmptyCustomValue } from '../../schema/wire/custom-fields.ts';
import type { Database } from '../../schema/types.ts';
import type { AppContext } from '../context.ts';
import { customFieldsOfTeam } from '../custom-fields/custom-field.service.ts';
import { badRequest, conflict } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import { type CustomerChange, type CustomerRecord, assertMayArchive, customFieldsOf, diffRows, rowFieldValue, toCustomerDto } from './customer.ts';
import { CUSTOMER_ENTITY, recordCustomerAudit } from './customer-audit.ts';
import { findCustomer, refreshContactSearch } from './customer.repository.ts';
import { loadVisibleCustomer } from './customer.service.ts';
import { writeCustomerChange } from './customer-writer.ts';
import { moveFollowups } from './customer-merge-followups.ts';
import { sendRecordChanges } from '../notifications/record-events.ts';

/** Referencing columns whose rows belong to the live document's storage, not to the record. */
const NOT_MOVED = new Set(['customers.id']);

/** Every (table, column) with a foreign key to customers.id. */
async function referencingColumns(trx: Transaction<Database>): Promise<{ table: string; column: string }[]> {
  const r = await sql<{ table: string; column: string }>`
    select cl.relname as table, a.attname as column
    from pg_constraint c
    join pg_class cl on cl.oid = c.conrelid
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
    where c.contype = 'f' and c.confrelid = 'customers'::regclass
    order by 1, 2`.execute(trx);
  return r.rows.filter((x) => !NOT_MOVED.has(`${x.table}.${x.column}`) && x.table !== 'customers');
}

export async function mergeCustomers(ctx: AppContext, user: User, targetId: string, body: MergeBody): Promise<CustomerDto> {
  if (body.sourceId === targetId) throw badRequest('sourceId: a customer cannot be merged into itself', 'sourceId');
  const target = await loadVisibleCustomer(ctx, user, targetId);
  const source = await loadVisibleCustomer(ctx, user, body.sourceId);
  assertMayArchive(user, target, 'merge customers');
  assertMayArchive(user, source, 'merge customers');
  if (source.team_id !== target.team_id) throw badRequest('sourceId: both customers must belong to the same team', 'sourceId');
  if (target.archived_at) throw conflict('The customer to keep is archived; restore it first');
  if (source.archived_at) throw conflict('The customer to merge is archived; restore it first', 'sourceId');

  const change: CustomerChange = { fields: {}, tags: [...new Set([...target.tags, ...source.tags])] };
  for (const field of CUSTOMER_FIELDS) {
    if (body.fields?.[field] === 'source') change.fields[field] = rowFieldValue(source, field);
  }
  const custom = await customValuesTaken(ctx, target, source, body.custom ?? {});
  if (Object.keys(custom).length > 0) change.custom = custom;
  await writeCustomerChange(ctx, user, targetId, change);
  const followups = await moveFollowups(ctx, user, source.id, targetId);

  const moved: Record<string, number> = {};
  await ctx.db.transaction().execute(async (trx) => {
    for (const { table, column } of await referencingColumns(trx)) {
      // A row that cannot move (a unique key already held by the target) stays with the archived source.
      await sql`savepoint merge_move`.execute(trx);
      try {
        const r = await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${targetId} where ${sql.ref(column)} = ${source.id}`.execute(
          trx,
        );
        moved[table] = Number(r.numAffectedRows ?? 0);
        await sql`release savepoint merge_move`.execute(trx);
      } catch {
        await sql`rollback to savepoint merge_move`.execute(trx);
        moved[table] = 0;
      }
    }
    await trx
      .updateTable('audit_log')
      .set({ entity_id: targetId })
      .where('entity_type', '=', CUSTOMER_ENTITY)
      .where('entity_id', '=', source.id)
      .execute();
    await trx.updateTable('customers').set({ archived_at: ctx.now(), updated_at: ctx.now() }).where('id', '=', source.id).execute();
    await refreshContactSearch(trx, targetId);
    await refreshContactSearch(trx, source.id);
  });

  const after = (await findCustomer(ctx.db, targetId))!;
  await ctx.db.transaction().execute(async (trx) => {
    await recordCustomerAudit(trx, {
      actorId: user.id,
      teamId: target.team_id,
      customerId: targetId,
      action: 'merge',
      changes: { sourceId: source.id, sourceName: source.name, moved: { ...moved, followups: followups.moved }, followupsKept: followups.kept, ...diffRows(target, after, CUSTOMER_FIELDS) },
    });
    await recordCustomerAudit(trx, {
      actorId: user.id,
      teamId: target.team_id,
      customerId: source.id,
      action: 'merged-into',
      changes: { targetId, targetName: after.name },
    });
  });
  // The merged-away record leaves open lists (the target's own changes come from its projection).
  sendRecordChanges(ctx.notifier, [{ entity: 'customer', id: source.id, teamId: source.team_id, ownerId: source.owner_id, archived: true }]);
  return toCustomerDto(after);
}

/**
 * The custom values the target takes from the source: those picked, and by default those the
 * target lacks. Only the active fields of the team count; a pick naming another key is refused.
 */
async function customValuesTaken(
  ctx: AppContext,
  target: CustomerRecord,
  source: CustomerRecord,
  picks: Record<string, 'target' | 'source'>,
): Promise<Record<string, unknown>> {
  const keys = new Set((await customFieldsOfTeam(ctx, 'customer', target.team_id)).map((f) => f.key));
  for (const key of Object.keys(picks)) {
    if (!keys.has(key)) throw badRequest(`custom.${key}: no such active custom field of this team`, `custom.${key}`);
  }
  const mine = customFieldsOf(target);
  const theirs = customFieldsOf(source);
  const taken: Record<string, unknown> = {};
  for (const key of keys) {
    const pick = picks[key] ?? (isEmptyCustomValue(mine[key]) && !isEmptyCustomValue(theirs[key]) ? 'source' : 'target');
    if (pick === 'source' && JSON.stringify(mine[key] ?? null) !== JSON.stringify(theirs[key] ?? null)) taken[key] = theirs[key] ?? null;
  }
  return taken;
}

/** What a merge of `sourceId` into `targetId` would move, under the same checks as the merge itself. */
export async function previewMerge(ctx: AppContext, user: User, targetId: string, sourceId: string): Promise<MergePreviewDto> {
  if (sourceId === targetId) throw badRequest('sourceId: a customer cannot be merged into itself', 'sourceId');
  const target = await loadVisibleCustomer(ctx, user, targetId);
  const source = await loadVisibleCustomer(ctx, user, sourceId);
  assertMayArchive(user, target, 'merge customers');
  assertMayArchive(user, source, 'merge customers');
  if (source.team_id !== target.team_id) throw badRequest('sourceId: both customers must belong to the same team', 'sourceId');
  const n = (r: { n: number | string | bigint }) => Number(r.n);
  const [contacts, opportunities, followups, tasks] = await Promise.all([
    ctx.db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).where('customer_id', '=', sourceId).where('archived_at', 'is', null).executeTakeFirstOrThrow(),
    ctx.db.selectFrom('opportunities').select((eb) => eb.fn.countAll().as('n')).where('customer_id', '=', sourceId).executeTakeFirstOrThrow(),
    ctx.db.selectFrom('activities').select((eb) => eb.fn.countAll().as('n')).where('customer_id', '=', sourceId).executeTakeFirstOrThrow(),
    ctx.db.selectFrom('tasks').select((eb) => eb.fn.countAll().as('n')).where('customer_id', '=', sourceId).where('done_at', 'is', null).executeTakeFirstOrThrow(),
  ]);
  return { contacts: n(contacts), opportunities: n(opportunities), followups: n(followups), tasks: n(tasks) };
}
