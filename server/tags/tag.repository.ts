import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database } from '../../schema/types.ts';
import type { TagUsageDto } from '../../schema/wire/admin-lists.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Every tag of the workspace with the number of customers carrying it, most used first. */
export async function listTagUsage(db: Q): Promise<TagUsageDto[]> {
  const rows = await sql<TagUsageDto>`
    select t.tag, count(*)::int as count
    from customers c, unnest(c.tags) as t(tag)
    group by t.tag
    order by count(*) desc, t.tag`.execute(db);
  return rows.rows;
}

/** The next customers (by id, after `afterId`) carrying any of `tags`: one batch of a retag job. */
export async function customersWithTags(db: Q, tags: readonly string[], afterId: string | null, limit: number): Promise<string[]> {
  let q = db
    .selectFrom('customers')
    .select('id')
    .where(sql<boolean>`tags && ${sql.val(tags)}::text[]`)
    .orderBy('id')
    .limit(limit);
  if (afterId) q = q.where('id', '>', afterId);
  return (await q.execute()).map((r) => r.id);
}
