import { type Kysely, sql } from 'kysely';

/**
 * Imports as resumable jobs (docs/customers.md, "Import").
 *
 * - `customer_imports` learns what it imports (`target`: customers or leads), the file's kind
 *   (`csv`, `xlsx`), the options it was started with (mapping, match key, field modes, sheet),
 *   how many rows updated an existing record, and `last_line`: the last row of the file whose
 *   batch committed. A job still `running` when the server starts continues after that line.
 * - `customer_import_chunks`: the uploaded file in chunks of at most 1 MiB, read back as a
 *   stream (bounded memory on any node); deleted when the job ends.
 * - `customer_import_changes`: for each record an import updated, the values it held before
 *   (first write wins, so a resumed batch keeps the true previous values); undo writes them back.
 * - `contacts.import_id`, `leads.import_id`: what an import created, so undo can archive it
 *   (contacts) or find it (leads).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('customer_imports')
    .addColumn('target', 'text', (c) => c.notNull().defaultTo('customers').check(sql`target in ('customers', 'leads')`))
    .addColumn('file_kind', 'text', (c) => c.notNull().defaultTo('csv').check(sql`file_kind in ('csv', 'xlsx')`))
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_line', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`create index customer_imports_running_idx on customer_imports (created_at) where status = 'running'`.execute(db);

  await db.schema
    .createTable('customer_import_chunks')
    .addColumn('import_id', 'uuid', (c) => c.notNull().references('customer_imports.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_import_chunks_pk', ['import_id', 'seq'])
    .execute();

  await db.schema
    .createTable('customer_import_changes')
    .addColumn('import_id', 'uuid', (c) => c.notNull().references('customer_imports.id').onDelete('cascade'))
    .addColumn('customer_id', 'uuid', (c) => c.notNull().references('customers.id'))
    .addColumn('previous', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_import_changes_pk', ['import_id', 'customer_id'])
    .execute();

  await db.schema.alterTable('contacts').addColumn('import_id', 'uuid', (c) => c.references('customer_imports.id')).execute();
  await sql`create index contacts_import_idx on contacts (import_id) where import_id is not null`.execute(db);
  await db.schema.alterTable('leads').addColumn('import_id', 'uuid', (c) => c.references('customer_imports.id')).execute();
  await sql`create index leads_import_idx on leads (import_id) where import_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('leads').dropColumn('import_id').execute();
  await db.schema.alterTable('contacts').dropColumn('import_id').execute();
  await db.schema.dropTable('customer_import_changes').execute();
  await db.schema.dropTable('customer_import_chunks').execute();
  await sql`drop index if exists customer_imports_running_idx`.execute(db);
  await db.schema
    .alterTable('customer_imports')
    .dropColumn('target')
    .dropColumn('file_kind')
    .dropColumn('options')
    .dropColumn('updated')
    .dropColumn('last_line')
    .execute();
}
