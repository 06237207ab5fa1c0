/** Attachment rows as the API shows them. */
import type { AttachmentContentType, AttachmentDto } from '../../schema/wire/attachments.ts';
import type { AttachmentView } from './attachment.repository.ts';

export function toAttachmentDto(r: AttachmentView): AttachmentDto {
  return {
    id: r.id,
    parentType: r.parent_type,
    parentId: r.parent_id,
    fileName: r.file_name,
    contentType: r.content_type as AttachmentContentType,
    size: Number(r.size),
    sha256: r.sha256,
    uploadedBy: r.uploaded_by,
    uploaderName: r.uploader_name,
    createdAt: r.created_at.toISOString(),
  };
}
