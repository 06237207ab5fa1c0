/** The customer's change history: audit_log entries with entity_type 'customer'. */
import type { Kysely, Transaction } from 'kysely';
import type { HistoryEntryDto } from '../../schema/wire/customer.ts';
import type { Database } from '../../schema/types.ts';
import { recordAudit } from '../audit/audit.repository.ts';

type Q = Kysely<Database> | Transaction<Database>;

export const CUSTOMER_ENTITY = 'customer';
export const HISTORY_LIMIT_MAX = 200;

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
  | 'contact-archive';

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

export async function listCustomerHistory(db: Q, customerId: string, limit: number, beforeId?: number): Promise<HistoryEntryDto[]> {
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select(['a.id', 'a.at', 'a.actor_id', 'u.name as actor_name', 'a.action', 'a.changes'])
    .where('a.entity_type', '=', CUSTOMER_ENTITY)
    .where('a.entity_id', '=', customerId);
  if (beforeId !== undefined) q = q.where('a.id', '<', beforeId);
  const rows = await q.orderBy('a.id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    changes: (typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes) as Record<string, unknown>,
  }));
}
