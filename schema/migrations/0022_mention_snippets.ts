import { type Kysely, sql } from 'kysely';

/**
 * The @-mentions last seen in a customer's notes and follow-ups (each with a
 * little text around it), so the projection notifies only people newly
 * mentioned.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('customers')
    .addColumn('mention_snippets', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').dropColumn('mention_snippets').execute();
}
