/**
 * The customers rows as a projection of their `customer:<id>` documents,
 * written in the projection run's transaction (`uow.trx`, projector.ts).
 * Columns added by later migrations that derive from the document belong
 * here too. It is also the one writer of the history of field changes, and
 * the one source of the assignment events for a new owner and of the
 * mention events for people newly @-mentioned in the notes or follow-ups
 * (the notifications listen to them), however the change was made (REST, an
 * open tab, a merge); and of the `changed` events that keep open lists
 * current (record-events.ts sends them, one per customer per run, after commit).
 *
 * A run projects many documents at once: every step below is one statement
 * for all of them (lock and read, update, activities, history), so a run
 * costs a handful of round trips whatever its size.
 */
import { sql, type Transaction } from 'kysely';
import { CUSTOMER_FIELDS } from '../../schema/wire/customer.ts';
import type { Database } from '../../schema/types.ts';
import { projectActivities } from '../activities/activity.projection.ts';
import type { NotificationEvent } from '../notifications/notification-events.ts';
import type { Projected, UnitOfWork } from '../realtime/doc-kind.ts';
import { recordCustomerAudit, recordFieldChanges } from './customer-audit.ts';
import { type CustomerProjection, projectedColumns } from './customer-doc.ts';
import { CUSTOMER_RECORD_COLUMNS, type CustomerRecord, diffRows } from './customer.ts';

/** Characters of an archived follow-up's text kept in the history entry. */
const FOLLOWUP_HISTORY_CHARS = 80;

export async function projectCustomers(uow: UnitOfWork<NotificationEvent>, docs: ReadonlyArray<Projected<CustomerProjection>>): Promise<void> {
  if (docs.length === 0) return;
  const { trx, now } = uow;
  // Locked in id order, as every writer of several customers does, so two runs never deadlock.
  const befores = await trx
    .selectFrom('customers')
    .select([...CUSTOMER_RECORD_COLUMNS, 'mention_snippets'])
    .where(
      'id',
      'in',
      docs.map((d) => d.id),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
  const beforeById = new Map(befores.map((r) => [r.id, r]));
  const present = docs.filter((d) => beforeById.has(d.id));
  if (present.length === 0) return;

  const afterById = await updateProjectedRows(trx, present, beforeById, now);
  const projected = present.map((d) => ({ ...d, before: beforeById.get(d.id)!, after: afterById.get(d.id)! }));

  const archived = await projectActivities(
    trx,
    projected.map((d) => ({ customer: { id: d.id, teamId: d.after.team_id }, followups: d.projection.followups })),
    now,
  );
  // A deleted (archived) follow-up stays in the document; the history says who took it out of the timeline.
  for (const { customerId, followup } of archived) {
    const d = projected.find((p) => p.id === customerId)!;
    await recordCustomerAudit(trx, {
      actorId: d.user?.id ?? null,
      teamId: d.after.team_id,
      customerId,
      action: 'followup-archive',
      changes: { followupId: followup.id, type: followup.type, excerpt: [followup.excerpt.slice(0, FOLLOWUP_HISTORY_CHARS), null] },
      at: now,
    });
  }
  const fieldChanges = new Map(projected.map(({ id, before, after }) => [id, diffRows(before, after, CUSTOMER_FIELDS)]));
  await recordFieldChanges(
    trx,
    projected.flatMap(({ id, user, after }) => {
      const changes = fieldChanges.get(id)!;
      return Object.keys(changes).length > 0 ? [{ actorId: user?.id ?? null, teamId: after.team_id, customerId: id, changes }] : [];
    }),
    now,
  );

  for (const { id, user, projection, before, after } of projected) {
    const actorId = user?.id ?? null;
    const entity = { type: 'customer', id, name: after.name } as const;
    if (Object.keys(fieldChanges.get(id)!).length > 0 || listColumnsChanged(before, after)) {
      // Open lists refetch it (record-events.ts: one per record per run, sent after commit).
      await uow.emit({
        type: 'changed',
        entity: 'customer',
        id,
        teamId: after.team_id,
        ownerId: after.owner_id,
        ...(after.owner_id !== before.owner_id ? { previousOwnerId: before.owner_id } : {}),
      });
    }
    if (after.owner_id && after.owner_id !== before.owner_id) {
      await uow.emit({
        type: 'assignment',
        actorId,
        recipientId: after.owner_id,
        previousRecipientId: before.owner_id,
        entity,
        teamId: after.team_id,
      });
    }
    const previous = before.mention_snippets.join('\n');
    const current = projection.mentionSnippets.join('\n');
    if (actorId && current !== previous && current.includes('@')) {
      await uow.emit({ type: 'mention', actorId, teamId: after.team_id, text: current, previousText: previous, entity });
    }
  }
}

/** Columns lists show besides the audited fields: tags, the next follow-up, custom values. */
function listColumnsChanged(before: CustomerRecord, after: CustomerRecord): boolean {
  return (
    before.tags.join('\u0000') !== after.tags.join('\u0000') ||
    (before.next_followup_at?.getTime() ?? null) !== (after.next_followup_at?.getTime() ?? null) ||
    canonicalJson(before.custom_fields) !== canonicalJson(after.custom_fields)
  );
}

/** The SQL type of every column `projectedColumns` writes (a column added there must be typed here). */
export const PROJECTED_COLUMN_TYPES: Record<keyof ReturnType<typeof projectedColumns>, string> = {
  kind: 'text',
  industry: 'text',
  size: 'text',
  phone: 'text',
  email: 'text',
  address: 'text',
  website: 'text',
  source: 'text',
  decision_makers: 'text',
  needs: 'text',
  category: 'text',
  owner_id: 'uuid',
  tags: 'text[]',
  phone_digits: 'text',
  email_norm: 'text',
  next_followup_at: 'timestamptz',
  mention_snippets: 'text[]',
  custom_fields: 'jsonb',
};

/**
 * A customer's `updated_at` moves when the row changes, at most once in this interval: a customer
 * someone keeps working on still shows as recently updated, and a row edited again within it keeps
 * its `updated_at`, so that the update of an unindexed column (the needs, the notes' snippets) can
 * be a HOT update (`updated_at` is indexed). A row whose projected columns already hold the
 * document's values (typing in a follow-up changes its activity, not the customer row) is written
 * only for that move.
 */
const UPDATED_AT_INTERVAL_MS = 60_000;

/** A projected value as comparable text: dates by instant, arrays and JSON by content (object keys in order, as jsonb keeps them its own way). */
function comparable(v: unknown): string {
  if (v instanceof Date) return `d${v.getTime()}`;
  if (v === null || v === undefined) return 'n';
  // Only an object (the custom values) has keys to order: the other columns skip the replacer.
  return typeof v === 'object' && !Array.isArray(v) ? canonicalJson(v) : JSON.stringify(v);
}

function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

/** The columns whose value writing `values` would change (`name` null keeps the row's). */
function changedColumns(before: CustomerRecord & { mention_snippets: string[] }, values: Record<string, unknown>): string[] {
  const changed: string[] = [];
  for (const [column, value] of Object.entries(values)) {
    if (column === 'id' || (column === 'name' && value === null)) continue;
    if (comparable(before[column as keyof typeof before]) !== comparable(value)) changed.push(column);
  }
  return changed;
}

/**
 * Writes the projected columns of every document whose row they change in one UPDATE, the
 * values passed as one JSON array (typed by `jsonb_to_recordset`); answers every row as it now is.
 * The statement sets only the columns some row changes: an unchanged name, e-mail, phone or
 * contact keeps the search columns derived from them from being computed again.
 */
async function updateProjectedRows(
  trx: Transaction<Database>,
  docs: ReadonlyArray<Projected<CustomerProjection>>,
  befores: ReadonlyMap<string, CustomerRecord & { mention_snippets: string[] }>,
  now: Date,
): Promise<Map<string, CustomerRecord>> {
  const out = new Map<string, CustomerRecord>();
  const rows: Array<{ row: Record<string, unknown> & { id: string; name: string | null }; touch: boolean }> = [];
  const columns = new Set<string>();
  let touching = false;
  for (const { id, projection } of docs) {
    const row = {
      id,
      ...projectedColumns(projection),
      // The name is required in the document; a document that never had one keeps the row's.
      name: projection.fields.name ? projection.fields.name.trim() : null,
    };
    const before = befores.get(id)!;
    const changed = changedColumns(before, row);
    const touch = now.getTime() - before.updated_at.getTime() >= UPDATED_AT_INTERVAL_MS;
    if (changed.length === 0 && !touch) {
      out.set(id, before);
      continue;
    }
    for (const column of changed) columns.add(column);
    touching ||= touch;
    rows.push({ row, touch });
  }
  if (rows.length === 0) return out;
  const typed = Object.entries(PROJECTED_COLUMN_TYPES).filter(([c]) => columns.has(c));
  const set = [
    ...typed.map(([c]) => sql`${sql.ref(c)} = ${sql.ref(`v.${c}`)}`),
    ...(columns.has('name') ? [sql`name = coalesce(v.name, c.name)`] : []),
    ...(touching ? [sql`updated_at = case when v.touch then ${now}::timestamptz else c.updated_at end`] : []),
  ];
  const types = [
    sql`id uuid, touch boolean`,
    ...(columns.has('name') ? [sql`name text`] : []),
    ...typed.map(([c, type]) => sql`${sql.ref(c)} ${sql.raw(type)}`),
  ];
  const values = rows.map(({ row, touch }) => {
    const value: Record<string, unknown> = { id: row.id, touch };
    for (const column of columns) value[column] = row[column];
    return value;
  });
  // The rows are locked (projectCustomers): each is its row before with the values written, so
  // nothing is read back (returning every column of every row cost the database more than the update).
  await sql`
    update customers as c
    set ${sql.join(set)}
    from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(${sql.join(types)})
    where c.id = v.id
  `.execute(trx);
  for (const { row, touch } of rows) {
    const { name, ...written } = row;
    const before = befores.get(row.id)!;
    out.set(row.id, { ...before, ...written, name: name ?? before.name, updated_at: touch ? now : before.updated_at });
  }
  return out;
}
