import type { Generated, Insertable, Selectable } from 'kysely';

/** A follow-up of a customer document, as a row for timelines and reports. */
export interface ActivityTable {
  id: Generated<string>;
  team_id: string;
  customer_id: string;
  /** The follow-up's id inside the customer document. */
  source_id: string;
  author_id: string | null;
  type: string;
  at: Date;
  next_at: Date | null;
  outcome: Generated<string>;
  excerpt: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type ActivityRow = Selectable<ActivityTable>;
export type NewActivityRow = Insertable<ActivityTable>;
