import { type Kysely, sql } from 'kysely';

/**
 * Custom fields (docs/custom-fields.md).
 *
 * - `custom_field_definitions`: one row per field an admin defined for an entity
 *   (customer, contact, opportunity), for the whole workspace (`team_id` null) or one team.
 *   `key` is the field's stable name in documents, filters and exports: unique per entity
 *   across the workspace and across archived fields, so an archived key is never reused with
 *   another meaning. Fields are archived (`archived_at`), never deleted.
 * - `customers.custom_fields`: the projection of a customer document's `custom` map
 *   (key → value), GIN-indexed (jsonb_path_ops) for the list's `custom.<key>=<value>` filters,
 *   which are containment queries (`custom_fields @> '{"key": value}'`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('custom_field_definitions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('entity', 'text', (c) => c.notNull().check(sql`entity in ('customer', 'contact', 'opportunity')`))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('team_id', 'uuid', (c) => c.references('teams.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('label_zh', 'text', (c) => c.notNull())
    .addColumn('help_en', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('help_zh', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('currency', 'text')
    .addColumn('required', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('custom_field_definitions_entity_key', ['entity', 'key'])
    .execute();
  await sql`create index custom_field_definitions_scope_idx on custom_field_definitions (entity, team_id, position)`.execute(db);

  await db.schema
    .alterTable('customers')
    .addColumn('custom_fields', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await sql`create index customers_custom_fields_idx on customers using gin (custom_fields jsonb_path_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists customers_custom_fields_idx`.execute(db);
  await db.schema.alterTable('customers').dropColumn('custom_fields').execute();
  await db.schema.dropTable('custom_field_definitions').execute();
}
