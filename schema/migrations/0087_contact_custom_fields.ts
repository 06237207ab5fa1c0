import { type Kysely, sql } from 'kysely';

/**
 * Custom field values on contacts (docs/custom-fields.md, "Contacts").
 *
 * Contacts are relational rows (no live document), so their values are stored in the row:
 * `contacts.custom_fields` maps a contact field's key to its value, checked by the contacts
 * service against the active `entity = 'contact'` definitions of the customer's team.
 * GIN-indexed (jsonb_path_ops) for containment queries (`custom_fields @> '{"key": value}'`),
 * as `customers.custom_fields` is (0070).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('contacts')
    .addColumn('custom_fields', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await sql`create index contacts_custom_fields_idx on contacts using gin (custom_fields jsonb_path_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists contacts_custom_fields_idx`.execute(db);
  await db.schema.alterTable('contacts').dropColumn('custom_fields').execute();
}
