/**
 * Attachments of a record (README, *Attachments*). The upload goes through XMLHttpRequest,
 * which reports upload progress (fetch does not); its errors become the same ApiError as
 * every other request's.
 */
import {
  type AttachmentDto,
  type AttachmentListDto,
  type AttachmentParentType,
  attachmentDownloadPath,
  attachmentListPath,
} from '../../../schema/wire/attachments.ts';
import type { ErrorBody } from '../../../schema/wire/error.ts';
import { ApiError, request } from './http.ts';

export async function listAttachments(parentType: AttachmentParentType, parentId: string): Promise<AttachmentDto[]> {
  return (await request<AttachmentListDto>('GET', attachmentListPath(parentType, parentId))).items;
}

export function archiveAttachment(id: string): Promise<void> {
  return request<void>('POST', `/api/attachments/${encodeURIComponent(id)}/archive`);
}

export const downloadUrl = attachmentDownloadPath;

/** Uploads one file; `onProgress` gets 0–1 as the bytes leave. */
export function uploadAttachment(
  parentType: AttachmentParentType,
  parentId: string,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<AttachmentDto> {
  const form = new FormData();
  form.set('parentType', parentType);
  form.set('parentId', parentId);
  form.set('file', file);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/attachments');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status === 201) return resolve((data as { attachment: AttachmentDto }).attachment);
      const error = (data as ErrorBody | null)?.error;
      reject(error ? new ApiError(error.code, xhr.status, error.message, error.field) : new ApiError('internal', xhr.status, `HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new ApiError('network', 0, 'Upload failed'));
    xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
