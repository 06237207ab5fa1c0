/** Import and export: `POST /api/customers/import`, `GET /api/customers/export.csv|.xlsx`, `/api/imports…`. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { IMPORT_MAX_BYTES, importOptionsSchema } from '../../schema/wire/customer-import.ts';
import { customerFilterSchema } from '../../schema/wire/customer-query.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../http/app-error.ts';
import type { HonoEnv } from '../http/env.ts';
import { parseWith } from '../http/validate.ts';
import { queryObject } from './customer-query-params.ts';
import { exportCsv, exportXlsx } from './customer-export.service.ts';
import { getImport, getImports, startImport, undoImport } from './customer-import.service.ts';
import { effectiveFilter } from './customer.service.ts';

/** The import route takes files larger than the API's general body cap; app.ts lets it apply its own. */
export const CUSTOMER_IMPORT_PATH = '/api/customers/import';

const idParam = z.string().uuid();
const tooLarge = () => new AppError('payload_too_large', 413, `The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB`, 'file');

function stamp(now: Date): string {
  return now.toISOString().slice(0, 19).replace(/[-:T]/g, '');
}

/** Mounted under /api/customers, before the `/:id` routes. */
export function customerTransferRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>()
    .get('/export.csv', (c) => {
      const { user } = requireUser(c);
      const filter = effectiveFilter(user, parseWith(customerFilterSchema, queryObject(c)));
      return new Response(exportCsv(ctx, user, filter), {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="customers-${stamp(ctx.now())}.csv"`,
          'cache-control': 'no-store',
        },
      });
    })
    .get('/export.xlsx', (c) => {
      const { user } = requireUser(c);
      const filter = effectiveFilter(user, parseWith(customerFilterSchema, queryObject(c)));
      return new Response(exportXlsx(ctx, user, filter), {
        headers: {
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'content-disposition': `attachment; filename="customers-${stamp(ctx.now())}.xlsx"`,
          'cache-control': 'no-store',
        },
      });
    })
    .post(
      '/import',
      bodyLimit({
        maxSize: IMPORT_MAX_BYTES,
        onError: () => {
          throw tooLarge();
        },
      }),
      async (c) => {
        const { user } = requireUser(c);
        const type = (c.req.header('content-type') ?? '').toLowerCase();
        const params: Record<string, unknown> = { ...queryObject(c) };
        let bytes: Uint8Array;
        if (type.startsWith('multipart/form-data')) {
          const form = await c.req.parseBody();
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
        const opts = parseWith(importOptionsSchema, params);
        const result = await startImport(ctx, user, bytes, opts);
        return c.json({ import: result.import }, result.status);
      },
    );
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
      return c.json({ import: await getImport(ctx, user, parseWith(idParam, c.req.param('id'))) });
    })
    .post('/:id/undo', async (c) => {
      const { user } = requireUser(c);
      return c.json(await undoImport(ctx, user, parseWith(idParam, c.req.param('id'))));
    });
}
