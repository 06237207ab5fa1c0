/** Import and export: `POST /api/customers/import`, `GET /api/customers/export.csv|.xlsx`, `/api/imports…`. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { IMPORT_MAX_BYTES, importOptionsSchema } from '../../schema/wire/customer-import.ts';
import { customerFilterSchema } from '../../schema/wire/customer-query.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import { fieldName, findUnsafeText } from '../../schema/wire/safe-text.ts';
import { AppError } from '../http/app-error.ts';
import { refuseUnsafeText } from '../http/input-guard.ts';
import type { HonoEnv } from '../http/env.ts';
import { parseWith, pathId } from '../http/validate.ts';
import { customerQueryObject, queryObject } from './customer-query-params.ts';
import { resolveCustomerFilter } from '../custom-fields/custom-field-filter.ts';
import { exportCsv, exportXlsx } from './customer-export.service.ts';
import { getImport, getImports, startImport, undoImport } from './customer-import.service.ts';
import { effectiveFilter } from './customer.service.ts';

/** The import route takes files larger than the API's general body cap: app.ts applies this one there. */
export const CUSTOMER_IMPORT_PATH = '/api/customers/import';

const tooLarge = () => new AppError('payload_too_large', 413, `The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB`, 'file');

/** The import's body cap, applied in app.ts with the general one (before anything reads the body). */
export const importBodyLimit = bodyLimit({
  maxSize: IMPORT_MAX_BYTES,
  onError: () => {
    throw tooLarge();
  },
});

function stamp(now: Date): string {
  return now.toISOString().slice(0, 19).replace(/[-:T]/g, '');
}

/** Mounted under /api/customers, before the `/:id` routes. */
export function customerTransferRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>()
    .get('/export.csv', async (c) => {
      const { user } = requireUser(c);
      const filter = await resolveCustomerFilter(ctx, user, effectiveFilter(user, parseWith(customerFilterSchema, customerQueryObject(c))));
      return new Response(exportCsv(ctx, user, filter), {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="customers-${stamp(ctx.now())}.csv"`,
          'cache-control': 'no-store',
        },
      });
    })
    .get('/export.xlsx', async (c) => {
      const { user } = requireUser(c);
      const filter = await resolveCustomerFilter(ctx, user, effectiveFilter(user, parseWith(customerFilterSchema, customerQueryObject(c))));
      return new Response(exportXlsx(ctx, user, filter), {
        headers: {
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'content-disposition': `attachment; filename="customers-${stamp(ctx.now())}.xlsx"`,
          'cache-control': 'no-store',
        },
      });
    })
    .post('/import', async (c) => {
      const { user } = requireUser(c);
      const type = (c.req.header('content-type') ?? '').toLowerCase();
      const params: Record<string, unknown> = { ...queryObject(c) };
      let bytes: Uint8Array;
      if (type.startsWith('multipart/form-data')) {
        const form = await c.req.parseBody().catch(() => {
          throw new AppError('bad_request', 400, 'The body is not valid multipart/form-data', 'file');
        });
        const file = form.file;
        if (!(file instanceof File)) throw new AppError('validation', 400, 'file: attach the CSV as the "file" field', 'file');
        for (const [k, v] of Object.entries(form)) if (k !== 'file' && typeof v === 'string') params[k] = v;
        params.fileName ??= file.name;
        bytes = new Uint8Array(await file.arrayBuffer());
      } else if (type.startsWith('text/csv') || type.startsWith('application/octet-stream')) {
        bytes = new Uint8Array(await c.req.arrayBuffer());
      } else {
        throw new AppError('bad_request', 415, 'Send the CSV as text/csv or as multipart/form-data with a "file" field');
      }
      if (bytes.length > IMPORT_MAX_BYTES) throw tooLarge();
      // The input guard saw the query string; form fields and the mapping's JSON are checked here.
      const unsafe = findUnsafeText(params);
      if (unsafe) throw refuseUnsafeText(fieldName(unsafe.path), unsafe.problem);
      const opts = parseWith(importOptionsSchema, params);
      const unsafeMapping = findUnsafeText(opts.mapping ?? null);
      if (unsafeMapping) throw refuseUnsafeText('mapping', unsafeMapping.problem);
      const result = await startImport(ctx, user, bytes, opts);
      return c.json({ import: result.import }, result.status);
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
      return c.json({ import: await getImport(ctx, user, pathId(c)) });
    })
    .post('/:id/undo', async (c) => {
      const { user } = requireUser(c);
      return c.json(await undoImport(ctx, user, pathId(c)));
    });
}
