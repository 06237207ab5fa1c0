import type { Generated, Insertable, Selectable } from 'kysely';

/** The workspace's reasons a deal is lost, in order (migration 0084); archived, never deleted. */
export interface LostReasonTable {
  id: Generated<string>;
  label_en: string;
  label_zh: string;
  position: Generated<number>;
  archived_at: Date | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type LostReasonRow = Selectable<LostReasonTable>;
export type NewLostReasonRow = Insertable<LostReasonTable>;
