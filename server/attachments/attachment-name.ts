/**
 * File names of attachments: what is stored (sanitised) and how a download names it
 * (`Content-Disposition`, RFC 6266 with the RFC 5987 `filename*` for non-ASCII names).
 * Pure; never throws, for any string.
 */
import { ATTACHMENT_NAME_MAX } from '../../schema/wire/attachments.ts';

/** The name used when nothing of the sent one is left. */
export const FALLBACK_FILE_NAME = 'attachment';
/** An extension longer than this is not kept apart when a long name is cut. */
const EXTENSION_MAX = 16;

/** C0 and C1 control characters (NUL included) and DEL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Bidirectional overrides and marks: "invoice‮fdp.exe" shows as "invoiceexe.pdf". */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** A surrogate without its pair (not encodable in UTF-8 or jsonb). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The stored name: the last path segment (a browser sends a bare name, other clients may send
 * `C:\fakepath\a.pdf` or `../../etc/passwd`), without control characters, NUL, bidi overrides
 * or lone surrogates, spaces collapsed, no leading dots (hidden files), at most
 * ATTACHMENT_NAME_MAX characters keeping the extension; `attachment` when nothing is left.
 */
export function sanitiseFileName(raw: string): string {
  let name = raw.replace(LONE_SURROGATE, '').normalize('NFC');
  name = name.replace(CONTROL, '').replace(BIDI, '');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  name = name.replace(/\s+/gu, ' ').trim().replace(/^[.\s]+/u, '');
  const points = Array.from(name);
  if (points.length > ATTACHMENT_NAME_MAX) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? Array.from(name.slice(dot)) : [];
    const keep = ext.length > 1 && ext.length <= EXTENSION_MAX ? ext : [];
    name = (points.slice(0, ATTACHMENT_NAME_MAX - keep.length).join('').trimEnd() + keep.join('')).replace(LONE_SURROGATE, '');
  }
  return name === '' ? FALLBACK_FILE_NAME : name;
}

/** RFC 5987 value-chars: encodeURIComponent leaves `'()*` as they are, which attr-char does not allow. */
function encodeRfc5987(s: string): string {
  return encodeURIComponent(s.replace(LONE_SURROGATE, '')).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>`: every current
 * browser takes `filename*`, so 报价单.pdf downloads as 报价单.pdf; old clients get the fallback.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_') || FALLBACK_FILE_NAME;
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(fileName)}`;
}
