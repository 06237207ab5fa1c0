import type { Selectable } from 'kysely';

/** A team's customer categories, in order; a team without rows uses the defaults. */
export interface CustomerCategoryTable {
  team_id: string;
  key: string;
  label: string;
  position: number;
}
export type CustomerCategoryRow = Selectable<CustomerCategoryTable>;
