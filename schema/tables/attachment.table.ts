import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { AttachmentParentType } from '../wire/attachments.ts';

/** Files attached to a record (0052). The bytes are in `attachment_contents`, never in a list query. */
export interface AttachmentTable {
  id: Generated<string>;
  /** The parent's team: every access check starts from it. */
  team_id: string;
  parent_type: AttachmentParentType;
  parent_id: string;
  /** Sanitised (attachment-name.ts): no path separators, control characters or NUL; at most 200 characters. */
  file_name: string;
  /** One of ATTACHMENT_CONTENT_TYPES, as sniffed from the bytes. */
  content_type: string;
  /** Bytes; bigint comes back from pg as a string. */
  size: ColumnType<string | number, number, never>;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  uploaded_by: string | null;
  created_at: Generated<Date>;
  archived_at: Date | null;
}
export type AttachmentRow = Selectable<AttachmentTable>;
export type NewAttachmentRow = Insertable<AttachmentTable>;

export interface AttachmentContentTable {
  attachment_id: string;
  bytes: Uint8Array;
}
