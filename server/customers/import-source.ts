/**
 * An import's file: stored in the database in chunks as it arrives, read back as a stream of
 * records (CSV with csv-parse's streaming parser, Excel with exceljs' streaming
 * WorkbookReader). Memory stays bounded whatever the file's size, and any node can read the
 * file again to resume a job after a restart.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type ExcelJS from 'exceljs';
import { loadExcel } from './excel.ts';
import type { Kysely, Transaction } from 'kysely';
import type { ImportEncoding, ImportFileKind } from '../../schema/wire/customer-import.ts';
import { IMPORT_ENCODINGS } from '../../schema/wire/customer-import.ts';
import { UNSAFE_TEXT_MESSAGE, fieldName, unsafeTextIn } from '../../schema/wire/safe-text.ts';
import type { Database } from '../../schema/types.ts';
import { AppError, badRequest } from '../http/app-error.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Bytes per stored chunk of an uploaded file. */
export const IMPORT_CHUNK_BYTES = 1024 * 1024;
/** Longest CSV record (bytes): a longer one is not a spreadsheet row. */
const CSV_MAX_RECORD_BYTES = 1_000_000;
/** Chunks read per query when streaming a stored file back. */
const CHUNKS_PER_READ = 4;

/** One data record of a file, with its 1-based line (CSV: where it ends; Excel: its row number). */
export interface SourceRecord {
  line: number;
  cells: string[];
}

/** The xlsx magic (a zip file), to tell an Excel book from a CSV whatever the declared type. */
export function fileKindOf(head: Uint8Array, declared: string | undefined): ImportFileKind {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  if (declared && /spreadsheetml|\.xlsx$/i.test(declared)) return 'xlsx';
  return 'csv';
}

/** Stores a stream of bytes as the import's chunks; returns the number of bytes and the first bytes. */
export async function storeImportFile(db: Q, importId: string, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<{ bytes: number; head: Uint8Array }> {
  let seq = 0;
  let total = 0;
  let head = new Uint8Array(0);
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const chunk = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await db.insertInto('customer_import_chunks').values({ import_id: importId, seq: seq++, bytes: chunk }).execute();
  };
  for await (const part of body) {
    if (head.length < 8) head = Buffer.concat([head, part.subarray(0, 8 - head.length)]);
    total += part.length;
    pending.push(part);
    pendingBytes += part.length;
    if (pendingBytes >= IMPORT_CHUNK_BYTES) await flush();
  }
  await flush();
  return { bytes: total, head };
}

async function* readChunks(db: Q, importId: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq += CHUNKS_PER_READ) {
    const rows = await db
      .selectFrom('customer_import_chunks')
      .select(['bytes'])
      .where('import_id', '=', importId)
      .where('seq', '>=', seq)
      .where('seq', '<', seq + CHUNKS_PER_READ)
      .orderBy('seq')
      .execute();
    for (const r of rows) yield Buffer.from(r.bytes);
    if (rows.length < CHUNKS_PER_READ) return;
  }
}

export async function deleteImportFile(db: Q, importId: string): Promise<void> {
  await db.deleteFrom('customer_import_chunks').where('import_id', '=', importId).execute();
}

export interface SourceOptions {
  kind: ImportFileKind;
  encoding: ImportEncoding;
  sheet?: string | undefined;
}

/** A readable file: its header, its records, and (Excel) the book's sheets. */
export interface OpenedSource {
  headers: string[];
  sheets: string[];
  sheet: string | null;
  records: AsyncGenerator<SourceRecord>;
}

/**
 * Readings of a stored Excel book before it is called unreadable. unzipper (under exceljs) now
 * and then fails a valid book with FILE_ENDED when its input ends at an unlucky moment (seen
 * under load); a stored book can simply be read again, and a broken one fails every time.
 */
const XLSX_READ_ATTEMPTS = 3;

const UNREADABLE_BOOK = 'The file is not a readable Excel (.xlsx) workbook';

const isUnreadableBook = (e: unknown): boolean => e instanceof AppError && e.message === UNREADABLE_BOOK;

/** Opens the stored file; a file that is not the declared kind, or is empty, is a 400 on `file`. */
export async function openSource(db: Q, importId: string, opts: SourceOptions): Promise<OpenedSource> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openStream(readChunks(db, importId), opts);
    } catch (e) {
      if (opts.kind !== 'xlsx' || attempt >= XLSX_READ_ATTEMPTS || !isUnreadableBook(e)) throw e;
    }
  }
}

export async function openStream(bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, opts: SourceOptions): Promise<OpenedSource> {
  const rows = opts.kind === 'xlsx' ? xlsxRows(bytes, opts.sheet) : csvRows(bytes, opts.encoding);
  const first = await rows.next();
  if (first.done) throw new AppError('bad_request', 400, 'The file is empty', 'file');
  const meta = first.value;
  if (meta.kind !== 'sheet') throw new Error('sheet info expected first');
  const head = await rows.next();
  if (head.done || head.value.kind !== 'record') {
    throw new AppError('bad_request', 400, meta.sheet ? `The sheet "${meta.sheet}" is empty` : 'The file is empty', 'file');
  }
  const headers = head.value.record.cells.map((h) => h.trim());
  refuseUnsafe(headers, headers, 1);
  async function* records(): AsyncGenerator<SourceRecord> {
    for await (const r of rows) {
      if (r.kind !== 'record') continue;
      refuseUnsafe(r.record.cells, headers, r.record.line);
      // A sheet row simply ends at its last filled cell: the missing ones are empty.
      if (opts.kind === 'xlsx') while (r.record.cells.length < headers.length) r.record.cells.push('');
      yield r.record;
    }
  }
  return { headers, sheets: meta.sheets, sheet: meta.sheet, records: records() };
}

type RawItem = { kind: 'sheet'; sheets: string[]; sheet: string | null } | { kind: 'record'; record: SourceRecord };

/**
 * A cell no column can hold (NUL; lone surrogates cannot come out of the decoder) refuses the
 * whole file with a 400 naming the line and column: such a file is not the spreadsheet the
 * user means (often a UTF-16 or binary file), and importing the other rows would hide it.
 */
function refuseUnsafe(cells: string[], headers: string[], line: number): void {
  for (const [col, cell] of cells.entries()) {
    const problem = unsafeTextIn(cell);
    if (!problem) continue;
    const where = line === 1 ? `the header of column ${col + 1}` : `line ${line}, column "${fieldName([headers[col] ?? String(col + 1)])}"`;
    throw new AppError('validation', 400, `file: ${where} ${UNSAFE_TEXT_MESSAGE[problem]}`, 'file');
  }
}

async function* decodeText(bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, encoding: ImportEncoding): AsyncGenerator<string> {
  if (!(IMPORT_ENCODINGS as readonly string[]).includes(encoding)) throw badRequest('encoding: unsupported', 'encoding');
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
  try {
    for await (const part of bytes) yield decoder.decode(part, { stream: true });
    yield decoder.decode();
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (!(e instanceof TypeError)) throw e;
    throw new AppError(
      'bad_request',
      400,
      encoding === 'utf-8'
        ? 'The file is not UTF-8 text. Save it as "CSV UTF-8", or send encoding=gbk for a file saved by Chinese Excel'
        : `The file is not ${encoding} text`,
      'file',
    );
  }
}

async function* csvRows(bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, encoding: ImportEncoding): AsyncGenerator<RawItem> {
  yield { kind: 'sheet', sheets: [], sheet: null };
  const text = Readable.from(decodeText(bytes, encoding));
  const parser = text.pipe(
    parse({
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      max_record_size: CSV_MAX_RECORD_BYTES,
    }),
  );
  // pipe() does not pass the source's errors on (a decoding error is a 400 to report).
  text.on('error', (e) => parser.destroy(e));
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { kind: 'record', record: { line: item.info.lines, cells: item.record } };
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('bad_request', 400, `The file is not valid CSV: ${(e as Error).message}`, 'file');
  } finally {
    parser.destroy();
    text.destroy();
  }
}

/** An Excel cell as the text a CSV would hold: dates as ISO dates, formulas as their results. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return cellText(o.result);
    if (typeof o.text === 'string') return o.text;
    if ('error' in o) return '';
  }
  return String(v);
}

/**
 * Reads a worksheet the caller skips to its end. exceljs parks a worksheet that precedes the
 * shared strings in a temporary file and deletes the file once the worksheet is passed: a
 * worksheet left unread still has its file stream opening, which then fails with ENOENT as an
 * unhandled stream error and ends the process.
 */
async function drain(worksheet: AsyncIterable<unknown>): Promise<void> {
  for await (const _row of worksheet) {
    // skipped
  }
}

async function* xlsxRows(bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, wanted: string | undefined): AsyncGenerator<RawItem> {
  const Excel = await loadExcel();
  const input = Readable.from(bytes);
  const reader = new Excel.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const sheets: string[] = [];
  let chosen: string | null = null;
  let announced = false;
  try {
    for await (const worksheet of reader) {
      const name = (worksheet as unknown as { name: string }).name;
      sheets.push(name);
      if (chosen !== null || (wanted !== undefined && wanted !== name)) {
        await drain(worksheet);
        continue;
      }
      chosen = name;
      announced = true;
      // The picker needs every sheet's name, known only once the book is read: the preview
      // lists the sheets it saw before the chosen one, and listSheets() reads them all.
      yield { kind: 'sheet', sheets: [...sheets], sheet: name };
      for await (const row of worksheet) {
        const values = (row as ExcelJS.Row).values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim() === '' ? '' : cellText(values[i]));
        while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
        if (cells.length === 0) continue;
        yield { kind: 'record', record: { line: (row as ExcelJS.Row).number, cells } };
      }
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('bad_request', 400, UNREADABLE_BOOK, 'file');
  } finally {
    input.destroy();
  }
  if (!announced) {
    if (wanted !== undefined && sheets.length > 0) {
      throw new AppError('validation', 400, `sheet: the workbook has no sheet "${wanted}"; it has ${sheets.map((s) => `"${s}"`).join(', ')}`, 'sheet');
    }
    throw new AppError('bad_request', 400, UNREADABLE_BOOK, 'file');
  }
}

/** Every sheet name of a stored Excel book (reading the book once, without its rows; again if unzipper fails it, as in openSource). */
export async function listSheets(db: Q, importId: string): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readSheetNames(db, importId);
    } catch (e) {
      if (attempt >= XLSX_READ_ATTEMPTS || !isUnreadableBook(e)) throw e;
    }
  }
}

async function readSheetNames(db: Q, importId: string): Promise<string[]> {
  const Excel = await loadExcel();
  const input = Readable.from(readChunks(db, importId));
  const reader = new Excel.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'ignore', styles: 'ignore', hyperlinks: 'ignore', entries: 'ignore' });
  const names: string[] = [];
  try {
    for await (const worksheet of reader) {
      names.push((worksheet as unknown as { name: string }).name);
      await drain(worksheet);
    }
  } catch {
    throw new AppError('bad_request', 400, UNREADABLE_BOOK, 'file');
  } finally {
    input.destroy();
  }
  return names;
}
