/** Files for the attachment tests: real magic numbers, a hand-built ZIP (docx) and an upload request. */
import { ORIGIN } from './context.ts';

type Fetchable = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

const enc = new TextEncoder();

export const PDF_BYTES = enc.encode('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
export const PNG_BYTES = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
/** A Windows executable's start: "MZ", then binary with NUL bytes. */
export const EXE_BYTES = Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0x50, 0x45, 0, 0]);
export const HTML_BYTES = enc.encode('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
export const CSV_BYTES = enc.encode('name,city\n华为,深圳\nAcme,Berlin\n');

/** A stored (uncompressed) ZIP of the given entries; CRCs are left at 0 (only the structure is read). */
export function zipOf(entries: Record<string, string>): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const n = enc.encode(name);
    const data = enc.encode(text);
    const local = new Uint8Array(30 + n.length + data.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, n.length, true);
    local.set(n, 30);
    local.set(data, 30 + n.length);
    const central = new Uint8Array(46 + n.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, n.length, true);
    cv.setUint32(42, offset, true);
    central.set(n, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const cdSize = centrals.reduce((s, c) => s + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, centrals.length, true);
  ev.setUint16(10, centrals.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + 22);
  let at = 0;
  for (const part of [...locals, ...centrals, eocd]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export const DOCX_BYTES = zipOf({ '[Content_Types].xml': '<Types/>', '_rels/.rels': '<Relationships/>', 'word/document.xml': '<w:document/>' });
export const DOCM_BYTES = zipOf({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>', 'word/vbaProject.bin': 'macro' });
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface UploadFields {
  parentType: string;
  parentId: string;
  file?: { bytes: Uint8Array; name: string; type: string };
}

/** `POST /api/attachments` as a browser's form would send it. */
export function upload(app: Fetchable, cookie: string, f: UploadFields): Promise<Response> {
  const form = new FormData();
  form.set('parentType', f.parentType);
  form.set('parentId', f.parentId);
  if (f.file) form.set('file', new File([f.file.bytes as Uint8Array<ArrayBuffer>], f.file.name, { type: f.file.type }));
  return Promise.resolve(app.request('/api/attachments', { method: 'POST', headers: { cookie, origin: ORIGIN }, body: form }));
}
