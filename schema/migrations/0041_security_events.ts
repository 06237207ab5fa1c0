import { type Kysely, sql } from 'kysely';

/**
 * Security events (server/audit/security-events.ts) are audit-log rows with entity_type
 * 'security'. Admins list them newest first, all or of one kind (`action`): one partial index
 * for each, so neither reads the rest of the audit log.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index audit_log_security_idx on audit_log (at desc, id desc) where entity_type = 'security'`.execute(db);
  await sql`create index audit_log_security_kind_idx on audit_log (action, at desc, id desc) where entity_type = 'security'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_security_kind_idx').execute();
  await db.schema.dropIndex('audit_log_security_idx').execute();
}
