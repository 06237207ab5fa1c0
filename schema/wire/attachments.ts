/**
 * Attachments (README, *Attachments*): the kinds of record that carry files, the content types
 * accepted, the size cap and the DTO — shared by server, client and tests.
 */

/**
 * The records that carry attachments. A closed union: adding a kind is one entry here and one
 * in the server's parent registry (server/attachments/attachment-parents.ts), which the
 * compiler then asks for.
 */
export const ATTACHMENT_PARENT_TYPES = ['customer', 'opportunity', 'service_record', 'contract'] as const;
export type AttachmentParentType = (typeof ATTACHMENT_PARENT_TYPES)[number];

export const isAttachmentParentType = (v: unknown): v is AttachmentParentType =>
  typeof v === 'string' && (ATTACHMENT_PARENT_TYPES as readonly string[]).includes(v);

/** Largest file accepted: 25 MB. */
export const ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;
/** Room for the multipart envelope (boundaries, part headers, the two small fields) around the file. */
export const ATTACHMENT_ENVELOPE_BYTES = 64 * 1024;
/** A stored file name is at most this many characters (code points). */
export const ATTACHMENT_NAME_MAX = 200;
/** A record lists at most this many attachments, newest first. */
export const ATTACHMENT_LIST_MAX = 500;

/**
 * The allow-list: every content type accepted, each with the kind of bytes it must be
 * (server/attachments/attachment-sniff.ts tells the kind from the bytes). Anything else —
 * executables, HTML, SVG, archives, legacy Office files with macros — is refused with 415.
 */
export const ATTACHMENT_CONTENT_TYPES = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'text/plain': 'text',
  'text/csv': 'text',
} as const;
export type AttachmentContentType = keyof typeof ATTACHMENT_CONTENT_TYPES;
export type SniffedKind = (typeof ATTACHMENT_CONTENT_TYPES)[AttachmentContentType];

export const isAttachmentContentType = (v: string): v is AttachmentContentType => Object.hasOwn(ATTACHMENT_CONTENT_TYPES, v);

/** The `accept` attribute of the upload input (a hint only: the server decides from the bytes). */
export const ATTACHMENT_ACCEPT = [
  ...Object.keys(ATTACHMENT_CONTENT_TYPES),
  '.pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.txt,.csv',
].join(',');

export interface AttachmentDto {
  id: string;
  parentType: AttachmentParentType;
  parentId: string;
  fileName: string;
  contentType: AttachmentContentType;
  size: number;
  sha256: string;
  uploadedBy: string | null;
  uploaderName: string | null;
  /** ISO 8601. */
  createdAt: string;
}

export interface AttachmentListDto {
  items: AttachmentDto[];
}

/** The path segment of each parent's routes: a record's attachments are at `/api/<segment>/:id/attachments`. */
export const ATTACHMENT_PARENT_SEGMENTS: { readonly [K in AttachmentParentType]: string } = {
  customer: 'customers',
  opportunity: 'opportunities',
  service_record: 'service-records',
  contract: 'contracts',
};

export const attachmentListPath = (parentType: AttachmentParentType, id: string) =>
  `/api/${ATTACHMENT_PARENT_SEGMENTS[parentType]}/${encodeURIComponent(id)}/attachments`;

export const attachmentDownloadPath = (id: string) => `/api/attachments/${encodeURIComponent(id)}/download`;
