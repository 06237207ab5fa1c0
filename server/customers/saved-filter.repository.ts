import type { Kysely, Transaction } from 'kysely';
import type { SavedFilterRow } from '../../schema/tables/saved-filter.table.ts';
import type { CustomerFilter, SavedFilterDto } from '../../schema/wire/customer-query.ts';
import type { Database } from '../../schema/types.ts';

type Q = Kysely<Database> | Transaction<Database>;

export function toSavedFilterDto(r: SavedFilterRow): SavedFilterDto {
  return {
    id: r.id,
    name: r.name,
    query: (typeof r.query === 'string' ? JSON.parse(r.query) : r.query) as CustomerFilter,
    createdAt: r.created_at.toISOString(),
  };
}

export function listSavedFilters(db: Q, userId: string): Promise<SavedFilterRow[]> {
  return db.selectFrom('saved_filters').selectAll().where('user_id', '=', userId).orderBy('name').execute();
}

export async function countSavedFilters(db: Q, userId: string): Promise<number> {
  const r = await db
    .selectFrom('saved_filters')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function insertSavedFilter(db: Q, userId: string, name: string, query: CustomerFilter): Promise<SavedFilterRow | undefined> {
  return db
    .insertInto('saved_filters')
    .values({ user_id: userId, name, query: JSON.stringify(query) })
    .onConflict((oc) => oc.columns(['user_id', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function deleteSavedFilter(db: Q, userId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('saved_filters').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
