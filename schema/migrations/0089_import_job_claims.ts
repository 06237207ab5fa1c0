import { type Kysely, sql } from 'kysely';

/**
 * Import jobs on several nodes, and undo of imported follow-ups (docs/customers.md, "Import").
 *
 * - `customer_imports.claimed_by`, `claimed_until`: the lease of the run that holds a job (an
 *   upload still arriving, or a job running). A node takes a job only when it is unclaimed or
 *   its lease has run out, renews the lease while it runs, and every batch's commit checks it
 *   still holds it; a node that dies leaves the lease to run out, and another node continues
 *   after `last_line`.
 * - `customer_import_followups`: the follow-ups an import added to customers that existed
 *   before it (by the follow-up's id in the customer's document), so that undo removes exactly
 *   those.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('customer_imports')
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'timestamptz')
    .execute();

  await db.schema
    .createTable('customer_import_followups')
    .addColumn('import_id', 'uuid', (c) => c.notNull().references('customer_imports.id').onDelete('cascade'))
    .addColumn('customer_id', 'uuid', (c) => c.notNull().references('customers.id'))
    .addColumn('followup_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_import_followups_pk', ['import_id', 'customer_id', 'followup_id'])
    .execute();
  await sql`create index customer_import_followups_customer_idx on customer_import_followups (customer_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_import_followups').execute();
  await db.schema.alterTable('customer_imports').dropColumn('claimed_by').dropColumn('claimed_until').execute();
}
