/**
 * Streaming a table out as CSV or Excel (the customer and opportunity exports): a header, then
 * pages of rows read lazily, so a large export never sits in memory at once.
 */
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { escapeFormula } from '../customers/customer-export.ts';
import { loadExcel } from '../customers/excel.ts';

/** A table to write: the header, and the rows page by page (read when the stream is). */
export interface ExportTable {
  header: string[];
  pages: AsyncIterable<string[][]>;
}

const UTF8_BOM = '\uFEFF';

/** Pages of records as pages of cells. */
export async function* cellPages<R>(pages: AsyncIterable<R[]>, cells: (r: R) => string[]): AsyncGenerator<string[][]> {
  for await (const rows of pages) yield rows.map(cells);
}

/** CSV (UTF-8 with a BOM so that Excel reads Chinese right), formula cells escaped. */
export function csvStream(open: () => Promise<ExportTable>): ReadableStream<Uint8Array> {
  async function* lines(): AsyncGenerator<Buffer> {
    const table = await open();
    yield Buffer.from(UTF8_BOM + stringify([table.header]));
    for await (const rows of table.pages) yield Buffer.from(stringify(rows.map((cells) => cells.map(escapeFormula))));
  }
  return Readable.toWeb(Readable.from(lines())) as ReadableStream<Uint8Array>;
}

/**
 * Excel through exceljs' streaming writer. Cells are written as text, which Excel never
 * evaluates, so they need no apostrophe. A failure midway ends the download with an error.
 */
export function xlsxStream(sheetName: string, open: () => Promise<ExportTable>, onError: (err: unknown) => void): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  void (async () => {
    try {
      const Excel = await loadExcel();
      const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
      const sheet = workbook.addWorksheet(sheetName);
      const table = await open();
      sheet.addRow(table.header).commit();
      for await (const rows of table.pages) for (const cells of rows) sheet.addRow(cells).commit();
      sheet.commit();
      await workbook.commit();
    } catch (err) {
      onError(err);
      out.destroy(err as Error);
    }
  })();
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The time in a download's file name: 20261207T1630 style, UTC, seconds included. */
export function fileStamp(now: Date): string {
  return now.toISOString().slice(0, 19).replace(/[-:T]/g, '');
}

/** A streamed download: never cached, saved under `fileName`. */
export function downloadResponse(body: ReadableStream<Uint8Array>, type: string, fileName: string): Response {
  return new Response(body, { headers: { 'content-type': type, 'content-disposition': `attachment; filename="${fileName}"`, 'cache-control': 'no-store' } });
}
