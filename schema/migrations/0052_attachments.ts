import { type Kysely, sql } from 'kysely';

/**
 * Attachments: files uploaded to a record (customer, opportunity, service record, …), stored in
 * the database so that every node of a cluster serves them. `attachments` holds what lists show;
 * the bytes live in `attachment_contents`, one row per attachment, which only a download reads.
 * `parent_type` is checked by the application (a closed union in schema/wire/attachments.ts), so
 * a new kind of parent needs no migration. Archived attachments keep their bytes (audit) but are
 * no longer listed or served.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('parent_type', 'text', (c) => c.notNull().check(sql`parent_type ~ '^[a-z_]{1,40}$'`))
    .addColumn('parent_id', 'uuid', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull().check(sql`char_length(file_name) between 1 and 200`))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull().check(sql`size >= 0`))
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('uploaded_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('archived_at', 'timestamptz')
    .execute();
  await sql`create index attachments_parent_idx on attachments (parent_type, parent_id, created_at desc) where archived_at is null`.execute(db);
  await sql`create index attachments_team_idx on attachments (team_id)`.execute(db);
  await db.schema
    .createTable('attachment_contents')
    .addColumn('attachment_id', 'uuid', (c) => c.primaryKey().references('attachments.id').onDelete('cascade'))
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('attachment_contents').execute();
  await db.schema.dropTable('attachments').execute();
}
