import type { Kysely, Transaction } from 'kysely';
import { type CategoryDto, DEFAULT_CATEGORIES } from '../../schema/wire/customer.ts';
import type { Database } from '../../schema/types.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** A team's categories in order; the defaults while the team has none of its own. */
export async function listCategories(db: Q, teamId: string): Promise<CategoryDto[]> {
  const rows = await db
    .selectFrom('customer_categories')
    .select(['key', 'label', 'label_zh', 'color'])
    .where('team_id', '=', teamId)
    .orderBy('position')
    .execute();
  return rows.length > 0 ? rows.map((r) => ({ key: r.key, label: r.label, labelZh: r.label_zh, color: r.color })) : [...DEFAULT_CATEGORIES];
}

export async function replaceCategories(db: Q, teamId: string, categories: CategoryDto[]): Promise<void> {
  await db.deleteFrom('customer_categories').where('team_id', '=', teamId).execute();
  await db
    .insertInto('customer_categories')
    .values(
      categories.map((c, position) => ({
        team_id: teamId,
        key: c.key,
        label: c.label,
        label_zh: c.labelZh ?? '',
        color: c.color ?? null,
        position,
      })),
    )
    .execute();
}
