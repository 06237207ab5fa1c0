/**
 * CSV import rules, pure: decoding, parsing (csv-parse), column mapping and turning a row
 * into a create body. IO (duplicates, inserts, progress) lives in customer-import.service.ts.
 */
import { parse } from 'csv-parse/sync';
import { type CreateCustomerBody, createCustomerBody } from '../../schema/wire/customer.ts';
import {
  IMPORT_ENCODINGS,
  IMPORT_FIELDS,
  IMPORT_MAX_ROWS,
  type ImportEncoding,
  type ImportField,
} from '../../schema/wire/customer-import.ts';
import { UNSAFE_TEXT_MESSAGE, fieldName, unsafeTextIn } from '../../schema/wire/safe-text.ts';
import { AppError, badRequest } from '../http/app-error.ts';

/** Header names (lower-cased, English and Chinese) recognised without a mapping. */
const HEADER_ALIASES: Record<string, ImportField> = {
  name: 'name',
  'customer name': 'name',
  company: 'name',
  名称: 'name',
  客户名称: 'name',
  客户: 'name',
  公司名称: 'name',
  kind: 'kind',
  type: 'kind',
  类型: 'kind',
  industry: 'industry',
  行业: 'industry',
  size: 'size',
  规模: 'size',
  phone: 'phone',
  telephone: 'phone',
  tel: 'phone',
  电话: 'phone',
  手机: 'phone',
  联系电话: 'phone',
  email: 'email',
  'e-mail': 'email',
  邮箱: 'email',
  电子邮件: 'email',
  address: 'address',
  地址: 'address',
  website: 'website',
  web: 'website',
  网站: 'website',
  网址: 'website',
  source: 'source',
  'source channel': 'source',
  来源: 'source',
  decisionmakers: 'decisionMakers',
  'decision makers': 'decisionMakers',
  决策人: 'decisionMakers',
  关键决策人: 'decisionMakers',
  needs: 'needs',
  'needs and pain points': 'needs',
  需求: 'needs',
  category: 'category',
  分类: 'category',
  客户分类: 'category',
  tags: 'tags',
  标签: 'tags',
  owner: 'owner',
  'owner email': 'owner',
  负责人: 'owner',
};

/** Decodes the upload; bytes that are not text in the declared encoding are a clear 400. */
export function decodeCsv(bytes: Uint8Array, encoding: ImportEncoding): string {
  if (!(IMPORT_ENCODINGS as readonly string[]).includes(encoding)) throw badRequest('encoding: unsupported', 'encoding');
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
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

export interface ParsedCsv {
  headers: string[];
  /** Data records (without the header), each with its 1-based line number in the file. */
  records: { line: number; cells: string[] }[];
}

export function parseCsv(text: string): ParsedCsv {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, {
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      max_record_size: 1_000_000,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    throw new AppError('bad_request', 400, `The file is not valid CSV: ${(e as Error).message}`, 'file');
  }
  if (rows.length === 0) throw new AppError('bad_request', 400, 'The file is empty', 'file');
  refuseUnsafeCells(rows);
  const headers = rows[0]!.record.map((h) => h.trim());
  const records = rows.slice(1).map((r) => ({ line: r.info.lines, cells: r.record }));
  if (records.length > IMPORT_MAX_ROWS) {
    throw new AppError('payload_too_large', 413, `At most ${IMPORT_MAX_ROWS} rows per import; this file has ${records.length}`, 'file');
  }
  return { headers, records };
}

/**
 * A cell no column can hold (NUL; lone surrogates cannot come out of the decoder) refuses the
 * whole file with a 400 naming the line and column: such a file is not the spreadsheet the
 * user means (often a UTF-16 or binary file), and importing the other rows would hide it.
 */
function refuseUnsafeCells(rows: { record: string[]; info: { lines: number } }[]): void {
  const headers = rows[0]!.record;
  for (const [r, row] of rows.entries()) {
    for (const [col, cell] of row.record.entries()) {
      const problem = unsafeTextIn(cell);
      if (!problem) continue;
      const where = r === 0 ? `the header of column ${col + 1}` : `line ${row.info.lines}, column "${fieldName([headers[col] ?? String(col + 1)])}"`;
      throw new AppError('validation', 400, `file: ${where} ${UNSAFE_TEXT_MESSAGE[problem]}`, 'file');
    }
  }
}

/** The column index for each field: the given mapping (header → field), or recognised headers. */
export function resolveMapping(headers: string[], mapping: Record<string, string> | undefined): Map<ImportField, number> {
  const out = new Map<ImportField, number>();
  if (mapping && Object.keys(mapping).length > 0) {
    for (const [header, field] of Object.entries(mapping)) {
      if (field === '' || field === 'ignore') continue;
      if (!(IMPORT_FIELDS as readonly string[]).includes(field)) throw badRequest(`mapping: unknown field ${field}`, 'mapping');
      const index = headers.indexOf(header);
      if (index < 0) throw badRequest(`mapping: the file has no column "${header}"`, 'mapping');
      if (out.has(field as ImportField)) throw badRequest(`mapping: two columns map to ${field}`, 'mapping');
      out.set(field as ImportField, index);
    }
  } else {
    headers.forEach((h, index) => {
      const field = HEADER_ALIASES[h.toLowerCase()] ?? (IMPORT_FIELDS as readonly string[]).find((f) => f.toLowerCase() === h.toLowerCase());
      if (field && !out.has(field as ImportField)) out.set(field as ImportField, index);
    });
  }
  if (!out.has('name')) {
    throw badRequest(
      `mapping: no column holds the customer name; the file's columns are ${headers.map((h) => `"${h}"`).join(', ')}`,
      'mapping',
    );
  }
  return out;
}

/** Undoes the export's CSV-injection guard: "'=1+1" comes back as "=1+1". */
export function unescapeCell(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

export type RowOutcome =
  | { ok: true; body: CreateCustomerBody; ownerEmail: string | null }
  | { ok: false; field: string; reason: string };

/** One CSV record → a validated create body (owner still as an e-mail to resolve). */
export function rowToBody(cells: string[], headerCount: number, mapping: Map<ImportField, number>): RowOutcome {
  if (cells.length !== headerCount) {
    return { ok: false, field: 'row', reason: `The row has ${cells.length} cells; the header has ${headerCount}` };
  }
  const raw: Record<string, unknown> = {};
  let ownerEmail: string | null = null;
  for (const [field, index] of mapping) {
    const value = unescapeCell(cells[index] ?? '').trim();
    if (field === 'owner') ownerEmail = value === '' ? null : value.toLowerCase();
    else if (field === 'tags') raw.tags = value.split(/[,;，；]/).map((s) => s.trim()).filter(Boolean);
    else if (field === 'kind') raw.kind = value === '' ? undefined : /^(person|个人)$/i.test(value) ? 'person' : /^(company|公司|企业)$/i.test(value) ? 'company' : value;
    else if (field === 'category') raw.category = value === '' ? undefined : value.toLowerCase();
    else if (value !== '') raw[field] = value;
  }
  const r = createCustomerBody.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = String(issue?.path[0] ?? 'row');
    return { ok: false, field, reason: issue?.message ?? 'Invalid value' };
  }
  return { ok: true, body: r.data, ownerEmail };
}
