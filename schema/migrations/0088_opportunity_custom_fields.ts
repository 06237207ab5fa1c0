import { type Kysely, sql } from 'kysely';

/**
 * Custom field values of opportunities (docs/custom-fields.md, "Opportunities").
 *
 * - `opportunities.custom_fields`: the projection of a board card's `custom.<key>` entries
 *   (key → value), GIN-indexed (jsonb_path_ops) for the reports' `custom.<key>=<value>`
 *   filters, which are containment queries (`custom_fields @> '{"key": value}'`).
 *
 * Existing opportunities start with no values (`{}`); the board documents hold none yet.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('opportunities')
    .addColumn('custom_fields', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await sql`create index opportunities_custom_fields_idx on opportunities using gin (custom_fields jsonb_path_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists opportunities_custom_fields_idx`.execute(db);
  await db.schema.alterTable('opportunities').dropColumn('custom_fields').execute();
}
