import type { ColumnType, Generated, Selectable } from 'kysely';

export type HandoverKind = 'handover' | 'bulk';
export type HandoverStatus = 'running' | 'done' | 'failed' | 'undone';
export type HandoverEntity = 'customer' | 'opportunity' | 'task' | 'service_record';
export type HandoverField = 'owner' | 'category' | 'tags' | 'archived';

/** One team operation (a handover or a bulk edit of customers): its progress and counts (0083). */
export interface HandoverTable {
  id: Generated<string>;
  kind: HandoverKind;
  team_id: string | null;
  actor_id: string;
  /** The user whose book was handed over (handovers only). */
  from_user_id: string | null;
  status: Generated<HandoverStatus>;
  total: Generated<number>;
  processed: Generated<number>;
  /** Counts by what moved (`customers`, `opportunities`, …, `updated`, `skipped`), as JSON. */
  counts: ColumnType<Record<string, number>, string | undefined, string>;
  error: string | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
  undone_at: Date | null;
}
export type HandoverRow = Selectable<HandoverTable>;

/** One field of one record an operation changed: the value before and the value it wrote. */
export interface HandoverChangeTable {
  id: Generated<string>;
  handover_id: string;
  entity_type: HandoverEntity;
  entity_id: string;
  field: HandoverField;
  before: ColumnType<unknown, string, string>;
  after: ColumnType<unknown, string, string>;
}
export type HandoverChangeRow = Selectable<HandoverChangeTable>;
