import type { Generated, Insertable, Selectable } from 'kysely';

/** One accepted Yjs update (v1 encoding) of a live document, in arrival order. */
export interface DocUpdateTable {
  id: Generated<number>;
  doc_name: string;
  update: Uint8Array;
  /** Who sent it; null for updates written by the system. */
  user_id: string | null;
  created_at: Generated<Date>;
}
export type DocUpdateRow = Selectable<DocUpdateTable>;
export type NewDocUpdateRow = Insertable<DocUpdateTable>;

/** A document's compacted state (one Yjs update) covering every log row up to last_update_id. */
export interface DocSnapshotTable {
  doc_name: string;
  state: Uint8Array;
  last_update_id: number;
  updated_at: Generated<Date>;
}
export type DocSnapshotRow = Selectable<DocSnapshotTable>;

/** How far the relational projection of a document has followed its log. */
export interface DocProjectionTable {
  doc_name: string;
  /** The last log row the projection describes. */
  update_id: number;
  updated_at: Generated<Date>;
}
