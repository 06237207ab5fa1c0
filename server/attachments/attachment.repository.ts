/** Attachment rows. List and find queries never touch `attachment_contents`: only readAttachmentBytes does. */
import type { Kysely, Transaction } from 'kysely';
import type { AttachmentRow, NewAttachmentRow } from '../../schema/tables/attachment.table.ts';
import type { Database } from '../../schema/types.ts';
import type { AttachmentParentType } from '../../schema/wire/attachments.ts';

type Q = Kysely<Database> | Transaction<Database>;

export type AttachmentView = AttachmentRow & { uploader_name: string | null };

function withUploader(db: Q) {
  return db.selectFrom('attachments as a').leftJoin('users as u', 'u.id', 'a.uploaded_by').selectAll('a').select('u.name as uploader_name');
}

/** The row and its bytes, in the caller's transaction. */
export async function insertAttachment(db: Q, row: NewAttachmentRow, bytes: Uint8Array): Promise<AttachmentRow> {
  const inserted = await db.insertInto('attachments').values(row).returningAll().executeTakeFirstOrThrow();
  await db.insertInto('attachment_contents').values({ attachment_id: inserted.id, bytes }).execute();
  return inserted;
}

/** An attachment that is not archived, or null. */
export async function findAttachment(db: Q, id: string): Promise<AttachmentView | null> {
  return (await withUploader(db).where('a.id', '=', id).where('a.archived_at', 'is', null).executeTakeFirst()) ?? null;
}

/** A record's attachments that are not archived, newest first. */
export function listAttachments(db: Q, parentType: AttachmentParentType, parentId: string, limit: number): Promise<AttachmentView[]> {
  return withUploader(db)
    .where('a.parent_type', '=', parentType)
    .where('a.parent_id', '=', parentId)
    .where('a.archived_at', 'is', null)
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
}

export async function readAttachmentBytes(db: Q, id: string): Promise<Uint8Array | null> {
  return (await db.selectFrom('attachment_contents').select('bytes').where('attachment_id', '=', id).executeTakeFirst())?.bytes ?? null;
}

/** Marks it archived; false when it was already (a concurrent archive). */
export async function markArchived(db: Q, id: string, now: Date): Promise<boolean> {
  const r = await db.updateTable('attachments').set({ archived_at: now }).where('id', '=', id).where('archived_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
