import { type Kysely, sql } from 'kysely';

/**
 * The projection's watermark per live document: the last log row whose
 * effect the relational projection (customer row, activities, opportunities,
 * history, notifications) describes. The projection follows the log after
 * the commit; at start, documents whose log runs past their watermark are
 * projected again. Until now projections were written in the commit itself,
 * so every stored document starts projected up to its last row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('doc_projections')
    .addColumn('doc_name', 'text', (c) => c.primaryKey())
    .addColumn('update_id', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`
    insert into doc_projections (doc_name, update_id)
    select doc_name, max(last) from (
      select doc_name, max(id) as last from doc_updates group by doc_name
      union all
      select doc_name, last_update_id as last from doc_snapshots
    ) d
    group by doc_name
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('doc_projections').execute();
}
