import type { Generated, Selectable } from 'kysely';

/** A team's customer categories, in order; a team without rows uses the defaults. */
export interface CustomerCategoryTable {
  team_id: string;
  key: string;
  /** The English label. */
  label: string;
  label_zh: Generated<string>;
  /** `#rrggbb`, or null for the default colour. */
  color: string | null;
  position: number;
}
export type CustomerCategoryRow = Selectable<CustomerCategoryTable>;
