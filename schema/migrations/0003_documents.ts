import { type Kysely, sql } from 'kysely';

/**
 * Live documents: an append-only log of accepted Yjs updates, and one
 * compacted snapshot per document. Loading a document = its snapshot plus the
 * log rows with a larger id; compaction writes a new snapshot and deletes the
 * rows it covers, in one transaction.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('doc_updates')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('doc_name', 'text', (c) => c.notNull())
    .addColumn('update', 'bytea', (c) => c.notNull())
    .addColumn('user_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('doc_updates_doc_idx').on('doc_updates').columns(['doc_name', 'id']).execute();

  await db.schema
    .createTable('doc_snapshots')
    .addColumn('doc_name', 'text', (c) => c.primaryKey())
    .addColumn('state', 'bytea', (c) => c.notNull())
    .addColumn('last_update_id', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('doc_snapshots').execute();
  await db.schema.dropTable('doc_updates').execute();
}
