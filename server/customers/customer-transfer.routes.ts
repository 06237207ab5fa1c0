/** Import and export: `POST /api/customers/import`, `GET /api/customers/export.csv|.xlsx`, `GET /api/customers/contacts-export.csv|.xlsx`, `/api/imports…`. */
import { type Hash, createHash } from 'node:crypto';
import { Hono } from 'hono';
import type { Context, MiddlewareHandler } from 'hono';
import { IMPORT_FORM_MAX_BYTES, IMPORT_MAX_BYTES, importOptionsSchema } from '../../schema/wire/customer-import.ts';
import { customerFilterSchema } from '../../schema/wire/customer-query.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import { fieldName, findUnsafeText } from '../../schema/wire/safe-text.ts';
import { AppError, badRequest } from '../http/app-error.ts';
import { type StoredAnswer, claimOrReplay, idempotencyKeyOf, replayed, settleKey } from '../http/idempotency.ts';
import { IDEMPOTENCY_KEY_HEADER } from '../../schema/wire/idempotency.ts';
import { refuseUnsafeText } from '../http/input-guard.ts';
import type { HonoEnv } from '../http/env.ts';
import { parseWith, pathId } from '../http/validate.ts';
import { customerQueryObject, queryObject } from './customer-query-params.ts';
import { resolveCustomerFilter } from '../custom-fields/custom-field-filter.ts';
import { exportContactsCsv, exportContactsXlsx, exportCsv, exportXlsx } from './customer-export.service.ts';
import { XLSX_CONTENT_TYPE, downloadResponse, fileStamp } from '../export/table-export.ts';
import { getImport, getImports, startImport, undoImport } from './customer-import.service.ts';
import { effectiveFilter } from './customer.service.ts';


/** The import route takes files larger than the API's general body cap: app.ts applies this one there. */
export const CUSTOMER_IMPORT_PATH = '/api/customers/import';

const tooLarge = (max = IMPORT_MAX_BYTES) => new AppError('payload_too_large', 413, `The file is larger than ${max / 1024 / 1024} MB`, 'file');

/**
 * The import's body cap, applied in app.ts with the general one (before anything reads the
 * body). A declared length over the cap is refused at once; a streamed body is counted as it
 * is stored (countedBody), since Hono's bodyLimit would hold a chunked body in memory.
 */
export const importBodyLimit: MiddlewareHandler = async (c, next) => {
  const length = c.req.header('content-length');
  if (length !== undefined && Number(length) > IMPORT_MAX_BYTES) throw tooLarge();
  await next();
};

async function* countedBody(stream: AsyncIterable<Uint8Array>, max: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const part of stream) {
    size += part.length;
    if (size > max) throw tooLarge(max);
    yield part;
  }
}

async function* hashedBody(body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, hash: Hash): AsyncGenerator<Uint8Array> {
  for await (const part of body) {
    hash.update(part);
    yield part;
  }
}

/**
 * What identifies an upload for its Idempotency-Key: the path, the content type (without a
 * form's boundary), the options (URL parameters or form fields, in a fixed order) and the
 * file's SHA-256.
 */
export function uploadHash(path: string, contentType: string, params: Record<string, unknown>, fileSha256: string): string {
  const options = Object.keys(params)
    .sort()
    .map((k) => [k, params[k]]);
  return createHash('sha256').update(`POST ${path}\n${contentType}\n${JSON.stringify(options)}\n${fileSha256}`).digest('hex');
}


/** Mounted under /api/customers, before the `/:id` routes. */
export function customerTransferRoutes(ctx: AppContext) {
  /** An export's user and the list filter its query names, checked as the list checks it. */
  async function exportRequest(c: Context<HonoEnv>) {
    const { user } = requireUser(c);
    return { user, filter: await resolveCustomerFilter(ctx, user, effectiveFilter(user, parseWith(customerFilterSchema, customerQueryObject(c)))) };
  }
  return new Hono<HonoEnv>()
    .get('/export.csv', async (c) => {
      const { user, filter } = await exportRequest(c);
      return downloadResponse(exportCsv(ctx, user, filter), 'text/csv; charset=utf-8', `customers-${fileStamp(ctx.now())}.csv`);
    })
    .get('/export.xlsx', async (c) => {
      const { user, filter } = await exportRequest(c);
      return downloadResponse(exportXlsx(ctx, user, filter), XLSX_CONTENT_TYPE, `customers-${fileStamp(ctx.now())}.xlsx`);
    })
    .get('/contacts-export.csv', async (c) => {
      const { user, filter } = await exportRequest(c);
      return downloadResponse(exportContactsCsv(ctx, user, filter), 'text/csv; charset=utf-8', `contacts-${fileStamp(ctx.now())}.csv`);
    })
    .get('/contacts-export.xlsx', async (c) => {
      const { user, filter } = await exportRequest(c);
      return downloadResponse(exportContactsXlsx(ctx, user, filter), XLSX_CONTENT_TYPE, `contacts-${fileStamp(ctx.now())}.xlsx`);
    })
    .post('/import', async (c) => {
      const { user } = requireUser(c);
      // Checked before the body is read; the key itself is claimed once the file is stored.
      const key = idempotencyKeyOf(c.req.header(IDEMPOTENCY_KEY_HEADER));
      let type = (c.req.header('content-type') ?? '').toLowerCase();
      const params: Record<string, unknown> = { ...queryObject(c) };
      let body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
      let declared: string | undefined = type;
      if (type.startsWith('multipart/form-data')) {
        // A form is read whole (its parser buffers it): a smaller cap than a streamed body's.
        if (Number(c.req.header('content-length') ?? 0) > IMPORT_FORM_MAX_BYTES) throw tooLarge(IMPORT_FORM_MAX_BYTES);
        const form = await c.req.parseBody().catch(() => {
          throw new AppError('bad_request', 400, 'The body is not valid multipart/form-data', 'file');
        });
        const file = form.file;
        if (!(file instanceof File)) throw new AppError('validation', 400, 'file: attach the CSV or Excel file as the "file" field', 'file');
        if (file.size > IMPORT_FORM_MAX_BYTES) throw tooLarge(IMPORT_FORM_MAX_BYTES);
        for (const [k, v] of Object.entries(form)) if (k !== 'file' && typeof v === 'string') params[k] = v;
        params.fileName ??= file.name;
        declared = file.name;
        body = [new Uint8Array(await file.arrayBuffer())];
        // The form's boundary changes with every send: the request is its fields and its file.
        type = 'multipart/form-data';
      } else if (type.startsWith('text/csv') || type.startsWith('application/octet-stream') || type.startsWith(XLSX_CONTENT_TYPE)) {
        // Streamed into the database as it arrives (the body cap of app.ts counts on the way).
        const stream = c.req.raw.body;
        body = stream ? countedBody(stream as unknown as AsyncIterable<Uint8Array>, IMPORT_MAX_BYTES) : [];
      } else {
        throw new AppError('bad_request', 415, 'Send the file as text/csv, as an .xlsx workbook, or as multipart/form-data with a "file" field');
      }
      // The input guard saw the query string; form fields and the JSON options are checked here.
      const unsafe = findUnsafeText(params);
      if (unsafe) throw refuseUnsafeText(fieldName(unsafe.path), unsafe.problem);
      const opts = parseWith(importOptionsSchema, params);
      const unsafeMapping = findUnsafeText({ mapping: opts.mapping ?? null, modes: opts.modes ?? null });
      if (unsafeMapping) throw refuseUnsafeText(fieldName(unsafeMapping.path), unsafeMapping.problem);
      const upload = { body, declared: params.fileName ? String(params.fileName) : declared };
      if (key === undefined) {
        const result = await startImport(ctx, user, upload, opts);
        return c.json({ import: result.import }, result.status);
      }
      // Idempotency-Key: the middleware would read the whole body first. Here the file is
      // hashed as it is stored, and the key claimed once it is: a repeat replays the first
      // answer and its stored copy is dropped with nothing started (customer-import.service.ts).
      const fileHash = createHash('sha256');
      upload.body = hashedBody(upload.body, fileHash);
      let claimedAt: Date | null = null;
      let replay: StoredAnswer | null = null;
      let res: Response | null = null;
      try {
        const result = await startImport(ctx, user, upload, opts, async () => {
          const claim = await claimOrReplay(ctx, user.id, key, uploadHash(c.req.path, type, params, fileHash.digest('hex')));
          if (claim.kind === 'replay') replay = claim.answer;
          else claimedAt = claim.claimedAt;
          return claim.kind === 'run';
        });
        if (!result) return replayed(c, replay!);
        res = c.json({ import: result.import }, result.status);
        return res;
      } finally {
        if (claimedAt) await settleKey(ctx, user.id, key, claimedAt, res);
      }
    });
}

/** `/api/imports`: progress, reports and undo. */
export function importRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>()
    .get('/', async (c) => {
      const { user } = requireUser(c);
      return c.json({ items: await getImports(ctx, user) });
    })
    .get('/:id', async (c) => {
      const { user } = requireUser(c);
      // `?report=none`: the counts only, for progress polls (the report holds up to IMPORT_REPORT_MAX rows).
      const report = c.req.query('report');
      if (report !== undefined && report !== 'none') throw badRequest('report: must be none or absent', 'report');
      return c.json({ import: await getImport(ctx, user, pathId(c), { withReport: report !== 'none' }) });
    })
    .post('/:id/undo', async (c) => {
      const { user } = requireUser(c);
      return c.json(await undoImport(ctx, user, pathId(c)));
    });
}
