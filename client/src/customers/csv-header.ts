/**
 * Reads the header row of a CSV file in the browser, for the import wizard's
 * column mapping (the server parses the whole file). Quoted fields, doubled
 * quotes, a BOM and CRLF are handled; only the first record is read.
 */

/** Bytes read from the start of the file to find the header row. */
export const HEADER_PROBE_BYTES = 64 * 1024;

export function parseHeaderRow(text: string): string[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else if (ch === '\n' || ch === '\r') break;
    else cell += ch;
  }
  cells.push(cell.trim());
  return cells.filter((c, i) => c !== '' || i < cells.length - 1);
}

export async function readCsvHeaders(file: File, encoding: string): Promise<string[]> {
  const bytes = await file.slice(0, HEADER_PROBE_BYTES).arrayBuffer();
  const text = new TextDecoder(encoding).decode(bytes);
  return parseHeaderRow(text);
}
