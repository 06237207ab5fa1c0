import type { Generated, Insertable, Selectable } from 'kysely';

export interface TeamTable {
  id: Generated<string>;
  name: string;
  created_at: Generated<Date>;
  /** Archived teams keep their records and members; they leave pickers (migration 0084). */
  archived_at: Date | null;
}
export type TeamRow = Selectable<TeamTable>;
export type NewTeamRow = Insertable<TeamTable>;
