import type { Kysely, Transaction } from 'kysely';
import type { NewAuditLogRow } from '../../schema/tables/audit-log.table.ts';
import type { Database } from '../../schema/types.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Appends to the audit trail; call it inside the transaction that makes the change. */
export async function recordAudit(db: Q, entry: NewAuditLogRow): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ ...entry, changes: JSON.stringify(entry.changes ?? {}) })
    .execute();
}

export async function listAudit(db: Q, entityType: string, entityId: string, limit = 100) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
