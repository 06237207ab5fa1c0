/**
 * Live documents: the document-name grammar, the shapes of each document kind,
 * their limits, and the hub's close codes. Shared by server, client and tests
 * (DESIGN.md, "Live documents").
 */
import { isCanonicalUuid } from './ids.ts';

export const DOC_KINDS = ['customer', 'board'] as const;
export type DocKindName = (typeof DOC_KINDS)[number];

/** The WebSocket path prefix: `/yjs/<docName>`. */
export const DOC_PATH_PREFIX = '/yjs/';

/** A document name: `<kind>:<uuid>`, lower-case, e.g. `customer:0b5e…`. */
export interface DocName {
  kind: DocKindName;
  id: string;
}

export const DOC_NAME_MAX = 64;

/** The kind and record id a document name stands for, or null when it is not of the grammar. */
export function parseDocName(name: string): DocName | null {
  if (name.length > DOC_NAME_MAX) return null;
  const colon = name.indexOf(':');
  if (colon < 0) return null;
  const kind = name.slice(0, colon);
  const id = name.slice(colon + 1);
  if (!(DOC_KINDS as readonly string[]).includes(kind) || !isCanonicalUuid(id)) return null;
  return { kind: kind as DocKindName, id };
}

export function docName(kind: DocKindName, id: string): string {
  return `${kind}:${id}`;
}

export const customerDocName = (customerId: string) => docName('customer', customerId);
export const boardDocName = (pipelineId: string) => docName('board', pipelineId);

// ---------------------------------------------------------------------------
// customer:<id>

/** Root types of a customer document. */
export const CUSTOMER_ROOTS = {
  /** Y.Map: scalar fields by name (strings; `ownerId` a user id or absent). */
  fields: 'fields',
  /** Y.Map: tag → true. */
  tags: 'tags',
  /** Y.XmlFragment: the shared rich-text account notes. */
  notes: 'notes',
  /** Y.Array of Y.Map: follow-up entries. */
  followups: 'followups',
  /** Y.Map: custom field key → value (schema/wire/custom-fields.ts; docs/custom-fields.md). */
  custom: 'custom',
} as const;

export const CUSTOMER_KINDS = ['company', 'person'] as const;
export type CustomerKindValue = (typeof CUSTOMER_KINDS)[number];

/** The scalar fields of `getMap('fields')`, with the longest string each may hold. */
export const CUSTOMER_FIELD_MAX = {
  name: 200,
  kind: 16,
  industry: 100,
  size: 50,
  phone: 40,
  email: 254,
  address: 500,
  website: 300,
  source: 100,
  decisionMakers: 1000,
  needs: 4000,
  category: 50,
  ownerId: 36,
} as const;
export type CustomerFieldName = keyof typeof CUSTOMER_FIELD_MAX;
export const CUSTOMER_FIELDS = Object.keys(CUSTOMER_FIELD_MAX) as CustomerFieldName[];

export const DEFAULT_CUSTOMER_CATEGORY = 'potential';

export const TAG_MAX_CHARS = 40;
export const TAGS_MAX = 50;
/** Characters of text in the account notes (elements and attributes count too). */
export const NOTES_MAX_CHARS = 100_000;
export const NOTES_ELEMENT_NAME_MAX = 40;
export const FOLLOWUPS_MAX = 1000;
export const FOLLOWUP_TEXT_MAX_CHARS = 20_000;
export const FOLLOWUP_ID_MAX = 64;
export const FOLLOWUP_TYPES = ['call', 'email', 'meeting', 'visit', 'note', 'other'] as const;
export const FOLLOWUP_OUTCOME_MAX = 500;
export type FollowupType = (typeof FOLLOWUP_TYPES)[number];

/**
 * The keys of a follow-up entry (a Y.Map in `getArray('followups')`).
 * `at` and `nextAt` are ISO 8601 date-times (`nextAt` optional or null);
 * `outcome` an optional short string; `text` is a Y.Text; `archived` an optional boolean (true: deleted by
 * someone, kept for the record, hidden from the timeline and the activities); `id` and `authorId` never
 * change once written, and a new entry's `authorId` is the user who adds it. Only the author, or a
 * manager or admin of the team, changes an entry after it was written.
 */
export const FOLLOWUP_KEYS = ['id', 'type', 'authorId', 'at', 'nextAt', 'outcome', 'text', 'archived'] as const;
export type FollowupKey = (typeof FOLLOWUP_KEYS)[number];

// ---------------------------------------------------------------------------
// board:<pipelineId>

export const BOARD_ROOTS = {
  /** Y.Map: opportunity id → Y.Map with BOARD_CARD_KEYS. */
  cards: 'cards',
} as const;
export const BOARD_CARD_KEYS = ['name', 'amount', 'customerId', 'ownerId', 'stageId', 'rank'] as const;

// ---------------------------------------------------------------------------
// The hub's WebSocket close codes. 4400–4499 are final (the stock
// y-websocket provider does not reconnect); the others are transient.

export const DOC_CLOSE = {
  /** The server is shutting down or restarting; reconnect. */
  goingAway: 1001,
  /** A message larger than the hub's cap (the `ws` library's own close code). */
  tooLarge: 1009,
  /** The connection's access may have changed (role or team); reconnect to be checked again. */
  recheck: 4001,
  /** Malformed bytes, an unknown message type, or an update that failed to decode in bounds. */
  badMessage: 4400,
  /** The session ended (sign-out, expiry, deactivation, password change). */
  unauthenticated: 4401,
  /** Access to the document was lost. */
  forbidden: 4403,
  /** The document's record no longer exists. */
  notFound: 4404,
  /**
   * No longer sent: refused parts of an update are compensated and the
   * connection stays open. Kept so that clients treat it as `tooManyRequests`.
   */
  updateRefused: 4422,
  /** The document reached its size quota; the update was not stored. */
  documentFull: 4413,
  /** Over the write budget, or too many refused changes in a minute; the reason says which. */
  tooManyRequests: 4429,
  /** Storage failed; reconnect, and the client re-sends what the server lacks. */
  internal: 4500,
} as const;
export type DocCloseCode = (typeof DOC_CLOSE)[keyof typeof DOC_CLOSE];

/**
 * Why a part of an update was refused, sent as the reason of a y-protocols
 * "permission denied" auth message (message type 2) as JSON. The connection
 * stays open (the compensating update follows), unless a close follows.
 */
export interface DocRefusalReason {
  code: string;
  message: string;
  field?: string;
}

/** The refusal in a permission-denied message, or null if the text is not one of ours. */
export function parseRefusalReason(text: string): DocRefusalReason | null {
  try {
    const v = JSON.parse(text) as Partial<DocRefusalReason>;
    return typeof v.code === 'string' && typeof v.message === 'string' ? (v as DocRefusalReason) : null;
  } catch {
    return null;
  }
}

/** What `GET /api/docs/:name` answers: the caller's access to a document. */
export interface DocAccessDto {
  name: string;
  access: 'write' | 'read';
}

/** True for close codes after which reconnecting cannot help. */
export const isFinalDocClose = (code: number) => (code >= 4400 && code < 4500) || code === DOC_CLOSE.tooLarge;
