import type { Generated, Insertable, Selectable } from 'kysely';

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  actor_id: string | null;
  team_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  /** { field: [old, new] } or any JSON describing the change */
  changes: Generated<unknown>;
}
export type AuditLogRow = Selectable<AuditLogTable>;
export type NewAuditLogRow = Insertable<AuditLogTable>;
