/** The customer's change history: audit_log entries with entity_type 'customer'. */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { NewAuditLogRow } from '../../schema/tables/audit-log.table.ts';
import type { HistoryEntryDto } from '../../schema/wire/customer.ts';
import type { Database } from '../../schema/types.ts';
import { recordAudit } from '../audit/audit.repository.ts';

type Q = Kysely<Database> | Transaction<Database>;

export const CUSTOMER_ENTITY = 'customer';
export const IMPORT_ENTITY = 'customer_import';
export const HISTORY_LIMIT_MAX = 200;
/** Field changes by one person within this window extend their previous history entry (typing is not a change per key). */
export const AUDIT_COALESCE_MS = 60_000;

export type CustomerAction =
  | 'create'
  | 'update'
  | 'archive'
  | 'restore'
  | 'merge'
  | 'merged-into'
  | 'import'
  | 'import-undo'
  | 'contact-create'
  | 'contact-update'
  | 'contact-archive'
  | 'followup-archive';

export function recordCustomerAudit(
  db: Q,
  e: { actorId: string | null; teamId: string; customerId: string; action: CustomerAction; changes: Record<string, unknown>; at?: Date },
): Promise<void> {
  return recordAudit(db, {
    actor_id: e.actorId,
    team_id: e.teamId,
    action: e.action,
    entity_type: CUSTOMER_ENTITY,
    entity_id: e.customerId,
    changes: e.changes,
    ...(e.at ? { at: e.at } : {}),
  });
}

/**
 * A customer's history, newest first. A customer created by an import has no entry of its
 * own for that (imports record one entry per import); the history ends with one derived
 * from the row: `{id: 0, action: 'import', changes: {importId}}`.
 */
export async function listCustomerHistory(
  db: Q,
  customer: { id: string; import_id: string | null; created_at: Date; created_by: string | null },
  limit: number,
  beforeId?: number,
): Promise<HistoryEntryDto[]> {
  const customerId = customer.id;
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select(['a.id', 'a.at', 'a.actor_id', 'u.name as actor_name', 'a.action', 'a.changes'])
    .where('a.entity_type', '=', CUSTOMER_ENTITY)
    .where('a.entity_id', '=', customerId);
  if (beforeId !== undefined) q = q.where('a.id', '<', beforeId);
  const rows = await q.orderBy('a.id', 'desc').limit(limit).execute();
  const entries: HistoryEntryDto[] = rows.map((r) => ({
    id: Number(r.id),
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    changes: (typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes) as Record<string, unknown>,
  }));
  if (customer.import_id && entries.length < limit) {
    const actor = customer.created_by
      ? await db.selectFrom('users').select('name').where('id', '=', customer.created_by).executeTakeFirst()
      : undefined;
    entries.push({
      id: 0,
      at: customer.created_at.toISOString(),
      actorId: customer.created_by,
      actorName: actor?.name ?? null,
      action: 'import',
      changes: { importId: customer.import_id },
    });
  }
  return entries;
}

type Changes = Record<string, [unknown, unknown]>;

/**
 * Merges a newer change set into an older one: each field keeps its oldest
 * "before" and takes the newest "after"; fields back where they started drop out.
 */
export function mergeChanges(older: Changes, newer: Changes): Changes {
  const out: Changes = { ...older };
  for (const [field, [before, after]] of Object.entries(newer)) {
    const start = field in out ? out[field]![0] : before;
    if (JSON.stringify(start) === JSON.stringify(after)) delete out[field];
    else out[field] = [start, after];
  }
  return out;
}

/** One customer's field changes, as its projection sees them. */
export interface FieldChanges {
  actorId: string | null;
  teamId: string;
  customerId: string;
  changes: Changes;
}

/**
 * Records field changes in the customers' history, as the projection of
 * their documents sees them (so edits over REST, in an open tab or by an
 * import all land here once). A run of edits by one person is one entry:
 * changes within AUDIT_COALESCE_MS of that person's last entry extend it.
 * One read and at most three writes, however many customers.
 */
export async function recordFieldChanges(trx: Transaction<Database>, entries: readonly FieldChanges[], now: Date): Promise<void> {
  if (entries.length === 0) return;
  const lasts = await trx
    .selectFrom('audit_log')
    .distinctOn('entity_id')
    .select(['id', 'entity_id', 'actor_id', 'action', 'at', 'changes'])
    .where('entity_type', '=', CUSTOMER_ENTITY)
    .where(
      'entity_id',
      'in',
      entries.map((e) => e.customerId),
    )
    .orderBy('entity_id')
    .orderBy('id', 'desc')
    .execute();
  const lastOf = new Map(lasts.map((l) => [l.entity_id, l]));
  const inserts: NewAuditLogRow[] = [];
  const updates: Array<{ id: number; changes: Changes }> = [];
  const deletes: number[] = [];
  for (const e of entries) {
    const last = lastOf.get(e.customerId);
    if (last && last.action === 'update' && last.actor_id === e.actorId && now.getTime() - last.at.getTime() < AUDIT_COALESCE_MS) {
      const merged = mergeChanges(last.changes as Changes, e.changes);
      if (Object.keys(merged).length === 0) deletes.push(Number(last.id));
      else updates.push({ id: Number(last.id), changes: merged });
    } else {
      inserts.push({
        actor_id: e.actorId,
        team_id: e.teamId,
        action: 'update' satisfies CustomerAction,
        entity_type: CUSTOMER_ENTITY,
        entity_id: e.customerId,
        changes: JSON.stringify(e.changes),
        at: now,
      });
    }
  }
  if (inserts.length > 0) await trx.insertInto('audit_log').values(inserts).execute();
  if (updates.length > 0) {
    await sql`
      update audit_log as a set changes = v.changes, at = ${now}
      from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(id bigint, changes jsonb)
      where a.id = v.id
    `.execute(trx);
  }
  if (deletes.length > 0) await trx.deleteFrom('audit_log').where('id', 'in', deletes).execute();
}
