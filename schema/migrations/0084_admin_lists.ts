import { type Kysely, sql } from 'kysely';

/**
 * Admin-managed lists (docs/team-operations.md).
 *
 * - `customer_categories` gain a Chinese label (`label` stays the English one) and an optional
 *   colour (`#rrggbb`).
 * - `teams.archived_at`: a team is archived, never deleted; its records stay.
 * - `lost_reasons`: the workspace's list of reasons a deal is lost, offered when a card moves to
 *   a lost stage; archived, never deleted, so reports keep their words.
 * - `workspace_settings.lost_reason_free_text`: whether a free-text reason is allowed besides
 *   the list (on by default, as before the list existed).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('customer_categories')
    .addColumn('label_zh', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('customer_categories')
    .addColumn('color', 'text', (c) => c.check(sql`color ~ '^#[0-9a-f]{6}$'`))
    .execute();
  await db.schema.alterTable('teams').addColumn('archived_at', 'timestamptz').execute();
  await db.schema
    .createTable('lost_reasons')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('label_zh', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .alterTable('workspace_settings')
    .addColumn('lost_reason_free_text', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspace_settings').dropColumn('lost_reason_free_text').execute();
  await db.schema.dropTable('lost_reasons').execute();
  await db.schema.alterTable('teams').dropColumn('archived_at').execute();
  await db.schema.alterTable('customer_categories').dropColumn('color').execute();
  await db.schema.alterTable('customer_categories').dropColumn('label_zh').execute();
}
