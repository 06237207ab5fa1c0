/**
 * `POST /api/attachments` (multipart: parentType, parentId, file), a record's list at
 * `GET /api/{customers|opportunities|service-records}/:id/attachments`,
 * `GET /api/attachments/:id/download` and `POST /api/attachments/:id/archive`.
 *
 * No `Idempotency-Key` here: the shared middleware (server/http/idempotency.ts) reads the body
 * as text to hash it, which would turn a binary file's bytes into U+FFFD before the route reads
 * them, and a browser's retry carries a new multipart boundary (so a new hash). Uploading twice
 * makes two attachments, either of which can be archived.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  ATTACHMENT_ENVELOPE_BYTES,
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_PARENT_SEGMENTS,
  ATTACHMENT_PARENT_TYPES,
  type AttachmentContentType,
  isAttachmentParentType,
} from '../../schema/wire/attachments.ts';
import { isUuid } from '../../schema/wire/ids.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import { AppError, badRequest } from '../http/app-error.ts';
import type { HonoEnv } from '../http/env.ts';
import { pathId } from '../http/validate.ts';
import { contentDisposition } from './attachment-name.ts';
import { toAttachmentDto } from './attachment.ts';
import { archiveAttachment, downloadAttachment, parentAttachments, tooLarge, uploadAttachment } from './attachment.service.ts';

/** The upload takes bodies larger than the API's general cap: app.ts applies this one there. */
export const ATTACHMENT_UPLOAD_PATH = '/api/attachments';

/** The upload's body cap (the file plus its multipart envelope), before anything reads the body. */
export const attachmentBodyLimit = bodyLimit({
  maxSize: ATTACHMENT_MAX_BYTES + ATTACHMENT_ENVELOPE_BYTES,
  onError: () => {
    throw tooLarge();
  },
});

/** Text is served as UTF-8 (the upload checked it is). */
const servedType = (t: AttachmentContentType) => (t.startsWith('text/') ? `${t}; charset=utf-8` : t);

/** Mounted at `/api`. */
export function attachmentRoutes(ctx: AppContext) {
  const app = new Hono<HonoEnv>()
    .post('/attachments', async (c) => {
      const { user } = requireUser(c);
      const type = (c.req.header('content-type') ?? '').toLowerCase();
      if (!type.startsWith('multipart/form-data')) {
        throw new AppError('bad_request', 415, 'Send multipart/form-data with parentType, parentId and file', 'file');
      }
      const form = await c.req.parseBody().catch((err: unknown) => {
        if (err instanceof AppError) throw err;
        throw new AppError('bad_request', 400, 'The body is not valid multipart/form-data', 'file');
      });
      const { parentType, parentId, file } = form;
      if (!isAttachmentParentType(parentType)) throw badRequest(`parentType: one of ${ATTACHMENT_PARENT_TYPES.join(', ')}`, 'parentType');
      if (typeof parentId !== 'string' || !isUuid(parentId)) throw badRequest('parentId: must be an id (a UUID)', 'parentId');
      if (!(file instanceof File)) throw badRequest('file: attach the file as the "file" field', 'file');
      if (file.size > ATTACHMENT_MAX_BYTES) throw tooLarge();
      const row = await uploadAttachment(ctx, user, {
        parentType,
        parentId: parentId.toLowerCase(),
        fileName: file.name,
        declaredType: file.type,
        bytes: new Uint8Array(await file.arrayBuffer()),
      });
      return c.json({ attachment: toAttachmentDto(row) }, 201);
    })
    .get('/attachments/:id/download', async (c) => {
      const { user } = requireUser(c);
      const { row, bytes } = await downloadAttachment(ctx, user, pathId(c));
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        'content-type': servedType(row.content_type as AttachmentContentType),
        'content-length': String(bytes.byteLength),
        'content-disposition': contentDisposition(row.file_name),
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      });
    })
    .post('/attachments/:id/archive', async (c) => {
      const { user } = requireUser(c);
      await archiveAttachment(ctx, user, pathId(c));
      return c.body(null, 204);
    });
  for (const parentType of ATTACHMENT_PARENT_TYPES) {
    app.get(`/${ATTACHMENT_PARENT_SEGMENTS[parentType]}/:id/attachments`, async (c) => {
      const { user } = requireUser(c);
      const rows = await parentAttachments(ctx, user, parentType, pathId(c));
      return c.json({ items: rows.map(toAttachmentDto) });
    });
  }
  return app;
}
