/**
 * What a file is, told from its bytes (magic numbers), and whether that agrees with the type the
 * browser declared. Pure and bounded: it never throws, reads at most the ZIP central directory
 * (bounded by ZIP_ENTRY_MAX) and decodes text once. The allow-list is ATTACHMENT_CONTENT_TYPES.
 */
import {
  ATTACHMENT_CONTENT_TYPES,
  type AttachmentContentType,
  isAttachmentContentType,
  type SniffedKind,
} from '../../schema/wire/attachments.ts';

/** The ZIP end-of-central-directory record sits within this many bytes of the end (22 + comment ≤ 65,535). */
const ZIP_EOCD_SEARCH = 22 + 0xffff;
/** More entries than this and the file is not an Office document we accept. */
const ZIP_ENTRY_MAX = 10_000;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ascii = (s: string) => Array.from(s, (ch) => ch.charCodeAt(0));

function startsWith(bytes: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (bytes.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[at + i] !== sig[i]) return false;
  return true;
}

const u16 = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;

/** The entry names of a ZIP file from its central directory, or null when it is not a readable ZIP. */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return null;
  const stop = Math.max(0, bytes.length - ZIP_EOCD_SEARCH);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (u32(bytes, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = u16(bytes, eocd + 10);
  const size = u32(bytes, eocd + 12);
  const offset = u32(bytes, eocd + 16);
  if (count > ZIP_ENTRY_MAX || offset + size > eocd) return null;
  const names: string[] = [];
  const decoder = new TextDecoder('utf-8');
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > eocd || u32(bytes, at) !== 0x02014b50) return null;
    const nameLength = u16(bytes, at + 28);
    const next = at + 46 + nameLength + u16(bytes, at + 30) + u16(bytes, at + 32);
    if (next > eocd) return null;
    names.push(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)));
    at = next;
  }
  return names;
}

/** An Office Open XML file (docx, xlsx, pptx) by its parts; macro-enabled ones (a vbaProject) are refused. */
function officeKind(bytes: Uint8Array): SniffedKind | null {
  const names = zipEntryNames(bytes);
  if (!names?.includes('[Content_Types].xml')) return null;
  if (names.some((n) => /(^|\/)vbaproject\.bin$/i.test(n))) return null;
  const families = [
    ['word/', 'docx'],
    ['xl/', 'xlsx'],
    ['ppt/', 'pptx'],
  ] as const;
  const found = families.filter(([prefix]) => names.some((n) => n.startsWith(prefix)));
  return found.length === 1 ? found[0]![1] : null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Plain text: UTF-8, and no control characters but tab, line feed, form feed and carriage return. */
function isPlainText(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) return false;
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The kind of file the bytes are, from the allow-list, or null for anything else. */
export function sniffKind(bytes: Uint8Array): SniffedKind | null {
  if (startsWith(bytes, ascii('%PDF-'))) return 'pdf';
  if (startsWith(bytes, PNG)) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return officeKind(bytes);
  return isPlainText(bytes) ? 'text' : null;
}

/** Names browsers and systems give the allowed types (a CSV on Windows is often "application/vnd.ms-excel"). */
const DECLARED_ALIASES: Readonly<Record<string, AttachmentContentType>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/csv': 'text/csv',
  'text/x-csv': 'text/csv',
  'application/vnd.ms-excel': 'text/csv',
};

/** Declared types that say nothing: the bytes decide. */
const UNSPECIFIC = new Set(['', 'application/octet-stream']);

/** The default content type of each kind, for a file declared as nothing in particular. */
const DEFAULT_TYPE: { readonly [K in SniffedKind]: AttachmentContentType } = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  text: 'text/plain',
};

export type ContentTypeVerdict =
  | { ok: true; contentType: AttachmentContentType }
  /** The bytes are no kind on the allow-list (an executable, HTML with NUL, an archive, …). */
  | { ok: false; reason: 'unknown_type'; declared: string }
  /** The declared type is not on the allow-list (text/html, image/svg+xml, …). */
  | { ok: false; reason: 'type_not_allowed'; declared: string }
  /** The declared type is allowed, but the bytes are another kind (an .exe called a PDF). */
  | { ok: false; reason: 'type_mismatch'; declared: string; sniffed: AttachmentContentType };

/** `Type/Sub; charset=…` → `type/sub`. */
export function normaliseDeclared(raw: string): string {
  return (raw.split(';')[0] ?? '').trim().toLowerCase();
}

/** The content type to store: the declared one when the bytes agree with it, else a refusal. */
export function checkContentType(declaredRaw: string, bytes: Uint8Array): ContentTypeVerdict {
  const declared = normaliseDeclared(declaredRaw);
  const kind = sniffKind(bytes);
  if (kind === null) return { ok: false, reason: 'unknown_type', declared };
  if (UNSPECIFIC.has(declared)) return { ok: true, contentType: DEFAULT_TYPE[kind] };
  const canonical = DECLARED_ALIASES[declared] ?? declared;
  if (!isAttachmentContentType(canonical)) return { ok: false, reason: 'type_not_allowed', declared };
  if (ATTACHMENT_CONTENT_TYPES[canonical] !== kind) return { ok: false, reason: 'type_mismatch', declared, sniffed: DEFAULT_TYPE[kind] };
  return { ok: true, contentType: canonical };
}
