import type { ColumnType, Generated, Selectable } from 'kysely';

/** A user's named customer-list query (search, filters, sort). */
export interface SavedFilterTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  query: ColumnType<unknown, string, string>;
  created_at: Generated<Date>;
}
export type SavedFilterRow = Selectable<SavedFilterTable>;
