/**
 * Exports of the filtered customer list, streamed: pages of EXPORT_PAGE_ROWS are read with
 * the list's keyset cursor and written out, so 100,000 rows never sit in memory at once.
 */
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { CustomerRecord } from './customer.ts';
import type { CustomerFilter } from '../../schema/wire/customer-query.ts';
import type { AppContext } from '../context.ts';
import type { User } from '../users/user.ts';
import type { CustomerCursor } from './customer-cursor.ts';
import { EXPORT_COLUMNS, EXPORT_PAGE_ROWS, escapeFormula, exportCells } from './customer-export.ts';
import { listCustomerPage } from './customer.repository.ts';
import { scopeFor } from './customer.service.ts';

const UTF8_BOM = '\uFEFF';

/** Every row of the filter, page by page. */
async function* exportPages(ctx: AppContext, user: User, filter: CustomerFilter): AsyncGenerator<CustomerRecord[]> {
  const scope = scopeFor(user);
  if (!scope) return;
  const sort = filter.sort ?? '-updated';
  let after: CustomerCursor | undefined;
  for (;;) {
    const { rows, more } = await listCustomerPage(ctx.db, scope, filter, { now: ctx.now(), userId: user.id, sort, limit: EXPORT_PAGE_ROWS, after });
    if (rows.length > 0) yield rows;
    const last = rows[rows.length - 1];
    if (!more || !last) return;
    after = { sort, value: last.cursor_value, id: last.id };
  }
}

async function ownerEmails(ctx: AppContext, user: User): Promise<(id: string | null) => string> {
  let q = ctx.db.selectFrom('users').select(['id', 'email']);
  if (user.role !== 'admin') q = q.where('team_id', '=', user.teamId);
  const map = new Map((await q.execute()).map((u) => [u.id, u.email]));
  return (id) => (id ? (map.get(id) ?? '') : '');
}

/** CSV (UTF-8 with a BOM so that Excel reads Chinese right), formula cells escaped. */
export function exportCsv(ctx: AppContext, user: User, filter: CustomerFilter): ReadableStream<Uint8Array> {
  async function* lines(): AsyncGenerator<Buffer> {
    const owner = await ownerEmails(ctx, user);
    yield Buffer.from(UTF8_BOM + stringify([[...EXPORT_COLUMNS]]));
    for await (const rows of exportPages(ctx, user, filter)) {
      yield Buffer.from(stringify(rows.map((r) => exportCells(r, owner).map(escapeFormula))));
    }
  }
  return Readable.toWeb(Readable.from(lines())) as ReadableStream<Uint8Array>;
}

/**
 * Excel through exceljs' streaming writer. Cells are written as text, which Excel never
 * evaluates, so they need no apostrophe.
 */
export function exportXlsx(ctx: AppContext, user: User, filter: CustomerFilter): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Customers');
  void (async () => {
    try {
      const owner = await ownerEmails(ctx, user);
      sheet.addRow([...EXPORT_COLUMNS]).commit();
      for await (const rows of exportPages(ctx, user, filter)) {
        for (const r of rows) sheet.addRow(exportCells(r, owner)).commit();
      }
      sheet.commit();
      await workbook.commit();
    } catch (err) {
      ctx.log.error({ err }, 'xlsx export failed');
      out.destroy(err as Error);
    }
  })();
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
