/** The attachment type sniffer and name sanitiser: fixed cases, and random bytes and names (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_CONTENT_TYPES, ATTACHMENT_NAME_MAX, isAttachmentContentType } from '../../schema/wire/attachments.ts';
import { contentDisposition, sanitiseFileName } from '../../server/attachments/attachment-name.ts';
import { checkContentType, sniffKind, zipEntryNames } from '../../server/attachments/attachment-sniff.ts';
import { DOCM_BYTES, DOCX_BYTES, EXE_BYTES, HTML_BYTES, PDF_BYTES, PNG_BYTES, zipOf } from '../helpers/attachments.ts';

const DECLARED = [...Object.keys(ATTACHMENT_CONTENT_TYPES), '', 'application/octet-stream', 'text/html', 'image/svg+xml', 'application/x-msdownload', 'IMAGE/PNG; x=1', 'image/jpg', 'application/vnd.ms-excel'];
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const FORBIDDEN_IN_NAME = /[\u0000-\u001f\u007f-\u009f/\\\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Bytes that start like the allowed kinds, so the property runs go past the first check. */
const magic = fc.constantFrom(
  [],
  [0x25, 0x50, 0x44, 0x46, 0x2d],
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  [0xff, 0xd8, 0xff],
  [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
  [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50],
  [0x50, 0x4b, 0x03, 0x04],
);
const fileBytes = fc.oneof(
  fc.tuple(magic, fc.uint8Array({ maxLength: 600 })).map(([m, rest]) => Uint8Array.from([...m, ...rest])),
  fc.string({ unit: 'binary', maxLength: 300 }).map((s) => new TextEncoder().encode(s)),
  // A real ZIP with random entry names, sometimes cut or corrupted.
  fc
    .tuple(fc.array(fc.string({ maxLength: 30 }), { maxLength: 6 }), fc.nat(), fc.integer({ min: 0, max: 255 }))
    .map(([names, at, byte]) => {
      const zip = zipOf(Object.fromEntries(names.map((n, i) => [n || `e${i}`, 'x'])));
      if (at % 3 === 0) zip[at % zip.length] = byte;
      return at % 5 === 0 ? zip.subarray(0, at % zip.length) : zip;
    }),
);

describe('the type sniffer', () => {
  it('knows the allowed kinds by their magic numbers and refuses others', () => {
    expect(sniffKind(PDF_BYTES)).toBe('pdf');
    expect(sniffKind(PNG_BYTES)).toBe('png');
    expect(sniffKind(DOCX_BYTES)).toBe('docx');
    expect(sniffKind(DOCM_BYTES)).toBeNull();
    expect(sniffKind(EXE_BYTES)).toBeNull();
    expect(sniffKind(zipOf({ 'a.txt': 'x' }))).toBeNull();
    expect(sniffKind(zipOf({ '[Content_Types].xml': '', 'word/a': '', 'xl/b': '' }))).toBeNull();
    expect(sniffKind(HTML_BYTES)).toBe('text');
    expect(sniffKind(Uint8Array.from([0xe4, 0xbd]))).toBeNull(); // cut UTF-8
    expect(zipEntryNames(DOCX_BYTES)).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
  });

  it('keeps the declared type only when the bytes agree', () => {
    expect(checkContentType('application/pdf', PDF_BYTES)).toEqual({ ok: true, contentType: 'application/pdf' });
    expect(checkContentType('', PNG_BYTES)).toEqual({ ok: true, contentType: 'image/png' });
    expect(checkContentType('Text/CSV; charset=utf-8', HTML_BYTES)).toEqual({ ok: true, contentType: 'text/csv' });
    expect(checkContentType('application/pdf', HTML_BYTES)).toMatchObject({ ok: false, reason: 'type_mismatch', sniffed: 'text/plain' });
    expect(checkContentType('text/html', HTML_BYTES)).toMatchObject({ ok: false, reason: 'type_not_allowed' });
    expect(checkContentType('application/pdf', EXE_BYTES)).toMatchObject({ ok: false, reason: 'unknown_type' });
  });

  it('never throws on random bytes and declared types, and accepts only allowed types that match the bytes', () => {
    fc.assert(
      fc.property(fileBytes, fc.oneof(fc.constantFrom(...DECLARED), fc.string({ maxLength: 40 })), (bytes, declared) => {
        const verdict = checkContentType(declared, bytes);
        const kind = sniffKind(bytes);
        if (verdict.ok) {
          expect(isAttachmentContentType(verdict.contentType)).toBe(true);
          expect(ATTACHMENT_CONTENT_TYPES[verdict.contentType]).toBe(kind);
        } else if (verdict.reason === 'unknown_type') {
          expect(kind).toBeNull();
        }
        if (kind === 'text') {
          expect(bytes.includes(0)).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the name sanitiser', () => {
  it('cleans the usual attacks', () => {
    expect(sanitiseFileName('C:\\fakepath\\合同.pdf')).toBe('合同.pdf');
    expect(sanitiseFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitiseFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitiseFileName('.htaccess')).toBe('htaccess');
    expect(sanitiseFileName('a\u0000b\r\n.txt')).toBe('ab.txt');
    expect(sanitiseFileName('  \u0000 / ')).toBe('attachment');
    expect(sanitiseFileName('\ud800x.txt')).toBe('x.txt');
    expect(contentDisposition('报价单 (1).pdf')).toBe(`attachment; filename="___ (1).pdf"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95%20%281%29.pdf`);
  });

  it('gives, for any string, a short non-empty name without separators or control characters, and a header-safe disposition', () => {
    const names = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.array(fc.constantFrom('/', '\\', '.', ' ', '\u0000', '\u202e', '\ud800', '\udc00', '华', '😀', 'a', '.pdf'), { maxLength: 300 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(names, (raw) => {
        const name = sanitiseFileName(raw);
        expect(name.length).toBeGreaterThan(0);
        expect(Array.from(name).length).toBeLessThanOrEqual(ATTACHMENT_NAME_MAX);
        expect(name).not.toMatch(FORBIDDEN_IN_NAME);
        expect(name.startsWith('.')).toBe(false);
        expect(sanitiseFileName(name)).toBe(name);
        const header = contentDisposition(name);
        expect(header).toMatch(/^[\x20-\x7e]+$/);
        const star = header.match(/filename\*=UTF-8''(.*)$/)?.[1] ?? '';
        expect(star).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]*$/);
        expect(decodeURIComponent(star)).toBe(name);
      }),
      { numRuns: 3000 },
    );
  });
});
