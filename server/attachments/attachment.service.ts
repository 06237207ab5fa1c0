/**
 * Attachment use cases. An attachment follows its parent (schema/policy/attachments.ts): read
 * the parent → list and download; write it → upload and archive (archive also: the uploader,
 * or a manager or admin). A parent — or an attachment — outside what the user may read is a
 * 404, exactly like a missing one. The file is checked (size, type from its bytes, name) before
 * anything is stored; the row, its bytes and the audit entry are written in one transaction.
 */
import { createHash } from 'node:crypto';
import { can } from '../../schema/policy/access.ts';
import { mayArchiveAttachment } from '../../schema/policy/attachments.ts';
import { ATTACHMENT_LIST_MAX, ATTACHMENT_MAX_BYTES, type AttachmentParentType } from '../../schema/wire/attachments.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { AppContext } from '../context.ts';
import { AppError, badRequest, forbidden, notFound } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import { sanitiseFileName } from './attachment-name.ts';
import { ATTACHMENT_PARENTS, type AttachmentParent } from './attachment-parents.ts';
import { checkContentType } from './attachment-sniff.ts';
import { type AttachmentView, findAttachment, insertAttachment, listAttachments, markArchived, readAttachmentBytes } from './attachment.repository.ts';

const ENTITY = 'attachment';
type Db = AppContext['db'];

export const tooLarge = () => new AppError('payload_too_large', 413, `The file is larger than ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`, 'file');

/** The parent if the user may read it, else 404 (another team's record looks like a missing one). */
async function readableParent(db: Db, user: User, type: AttachmentParentType, id: string): Promise<AttachmentParent> {
  const parent = await ATTACHMENT_PARENTS[type](db, id);
  if (!parent || !can(user, 'read', parent.resource)) throw notFound('No such record');
  return parent;
}

/** An attachment whose parent the user may read, else 404. */
async function readableAttachment(db: Db, user: User, id: string): Promise<{ row: AttachmentView; parent: AttachmentParent }> {
  const row = await findAttachment(db, id);
  const parent = row ? await ATTACHMENT_PARENTS[row.parent_type]?.(db, row.parent_id) : null;
  if (!row || !parent || !can(user, 'read', parent.resource)) throw notFound('No such attachment');
  return { row, parent };
}

export interface UploadInput {
  parentType: AttachmentParentType;
  parentId: string;
  /** As sent; sanitised here. */
  fileName: string;
  /** The part's Content-Type, as sent. */
  declaredType: string;
  bytes: Uint8Array;
}

export async function uploadAttachment(ctx: AppContext, user: User, input: UploadInput): Promise<AttachmentView> {
  const parent = await readableParent(ctx.db, user, input.parentType, input.parentId);
  if (!can(user, 'write', parent.resource)) throw forbidden('You may not add files to this record');
  if (input.bytes.length > ATTACHMENT_MAX_BYTES) throw tooLarge();
  if (input.bytes.length === 0) throw badRequest('file: the file is empty', 'file');
  const verdict = checkContentType(input.declaredType, input.bytes);
  if (!verdict.ok) {
    const message =
      verdict.reason === 'type_mismatch'
        ? `file: declared as ${verdict.declared} but the content is ${verdict.sniffed}`
        : 'file: only PDF, images (PNG, JPEG, GIF, WebP), Word, Excel and PowerPoint files, and plain text or CSV are accepted';
    throw new AppError('bad_request', 415, message, 'file');
  }
  const fileName = sanitiseFileName(input.fileName);
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const created = await ctx.db.transaction().execute(async (trx) => {
    const row = await insertAttachment(
      trx,
      {
        team_id: parent.teamId,
        parent_type: input.parentType,
        parent_id: input.parentId,
        file_name: fileName,
        content_type: verdict.contentType,
        size: input.bytes.length,
        sha256,
        uploaded_by: user.id,
        created_at: ctx.now(),
        archived_at: null,
      },
      input.bytes,
    );
    await recordAudit(trx, {
      actor_id: user.id,
      team_id: row.team_id,
      action: 'attachment.create',
      entity_type: ENTITY,
      entity_id: row.id,
      changes: { parentType: row.parent_type, parentId: row.parent_id, fileName, contentType: row.content_type, size: input.bytes.length, sha256 },
    });
    return row;
  });
  attachmentsChanged(ctx, created);
  return { ...created, uploader_name: user.name };
}

export async function parentAttachments(ctx: AppContext, user: User, parentType: AttachmentParentType, parentId: string): Promise<AttachmentView[]> {
  await readableParent(ctx.db, user, parentType, parentId);
  return listAttachments(ctx.db, parentType, parentId, ATTACHMENT_LIST_MAX);
}

export async function downloadAttachment(ctx: AppContext, user: User, id: string): Promise<{ row: AttachmentView; bytes: Uint8Array }> {
  const { row } = await readableAttachment(ctx.db, user, id);
  const bytes = await readAttachmentBytes(ctx.db, id);
  if (!bytes) throw notFound('No such attachment');
  return { row, bytes };
}

export async function archiveAttachment(ctx: AppContext, user: User, id: string): Promise<void> {
  const { row, parent } = await readableAttachment(ctx.db, user, id);
  const attachment = { teamId: row.team_id, uploadedBy: row.uploaded_by };
  if (!mayArchiveAttachment(user, attachment, can(user, 'write', parent.resource))) {
    throw forbidden('Only the person who added a file, or a manager, may remove it');
  }
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await markArchived(trx, id, ctx.now()))) throw notFound('No such attachment');
    await recordAudit(trx, {
      actor_id: user.id,
      team_id: row.team_id,
      action: 'attachment.archive',
      entity_type: ENTITY,
      entity_id: row.id,
      changes: { parentType: row.parent_type, parentId: row.parent_id, fileName: row.file_name, uploadedBy: row.uploaded_by },
    });
  });
  attachmentsChanged(ctx, row);
}

/** A customer's files changed: its open 360° pages refetch them (after commit). */
function attachmentsChanged(ctx: AppContext, row: { team_id: string; parent_type: string; parent_id: string }): void {
  if (row.parent_type === 'customer') ctx.notifier.teamEvent(row.team_id, 'customer:related', { customerId: row.parent_id, part: 'attachments' });
}
