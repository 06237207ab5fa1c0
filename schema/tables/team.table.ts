import type { Generated, Insertable, Selectable } from 'kysely';

export interface TeamTable {
  id: Generated<string>;
  name: string;
  created_at: Generated<Date>;
}
export type TeamRow = Selectable<TeamTable>;
export type NewTeamRow = Insertable<TeamTable>;
