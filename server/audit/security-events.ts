/**
 * Security events: failed sign-ins, sign-in limits reached, and (for the code that will
 * raise them) refused document access, second-factor failures and password resets.
 *
 * They are audit-log rows with `entity_type = 'security'`: `action` is the kind, `actor_id`
 * and `entity_id` the account concerned when there is one (`entity_id` is 'unknown'
 * otherwise), and `changes` holds `{email, address, userAgent}` and the kind's detail. An
 * event has no field for a password, a token or a code (schema/wire/security-events.ts), and
 * the sign-in name tried is kept only when it is an account's or shaped like an e-mail
 * address: anything else may be a password typed into the wrong field.
 */
import type { Kysely, Transaction } from 'kysely';
import {
  SECURITY_DETAIL_TEXT_MAX,
  type SecurityEventDetail,
  type SecurityEventDto,
  type SecurityEventKind,
  securityEventDetail,
} from '../../schema/wire/security-events.ts';
import { EMAIL_MAX } from '../../schema/wire/user.ts';
import type { Database } from '../../schema/types.ts';
import { isCursorTime } from '../http/cursor-time.ts';
import { ADDRESS_MAX, USER_AGENT_MAX } from '../http/client-address.ts';

type Q = Kysely<Database> | Transaction<Database>;

export const SECURITY_ENTITY_TYPE = 'security';
/** `entity_id` of an event about no known account. */
const NO_ACCOUNT = 'unknown';

/** What a caller records: the kind with its detail, when, and who and where as far as known. */
export type SecurityEvent = SecurityEventDetail & {
  at: Date;
  userId?: string | null;
  /** The sign-in name tried; lower-cased here. */
  email?: string | null;
  address?: string | null;
  userAgent?: string | null;
};

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Appends a security event to the audit log. Call it inside the transaction of the change it
 * belongs to, if there is one; for a refusal, on its own.
 */
export async function recordSecurityEvent(db: Q, event: SecurityEvent): Promise<void> {
  const email = event.email?.trim().toLowerCase() ?? '';
  const changes = {
    email: EMAIL_SHAPE.test(email) ? clean(email, EMAIL_MAX) : null,
    address: event.address ? clean(event.address, ADDRESS_MAX) : null,
    userAgent: event.userAgent ? clean(event.userAgent, USER_AGENT_MAX) : null,
    ...detailOf(event),
  };
  await db
    .insertInto('audit_log')
    .values({
      at: event.at,
      actor_id: event.userId ?? null,
      action: event.kind,
      entity_type: SECURITY_ENTITY_TYPE,
      entity_id: event.userId ?? NO_ACCOUNT,
      changes: JSON.stringify(changes),
    })
    .execute();
}

/** The detail of each kind, and nothing else of what the caller passed. */
function detailOf(event: SecurityEventDetail): Record<string, string | number> {
  switch (event.kind) {
    case 'login_failed':
      return { reason: event.reason };
    case 'login_throttled':
      return { limit: event.limit, retryAfterSeconds: event.retryAfterSeconds };
    case 'doc_refused':
      return { doc: clean(event.doc, SECURITY_DETAIL_TEXT_MAX), reason: clean(event.reason, SECURITY_DETAIL_TEXT_MAX) };
    case 'totp_failed':
    case 'password_reset_requested':
    case 'password_reset':
    case 'password_changed':
      return {};
    default:
      return event satisfies never;
  }
}

/** Text jsonb can hold (no NUL, no lone surrogate, no control characters), cut to `max`. */
function clean(text: string, max: number): string {
  const safe = text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return Array.from(safe).slice(0, max).join('');
}

/** An event as listed: the audit row and the account's name and e-mail address. */
export interface SecurityEventRow {
  id: number | string;
  at: Date;
  action: string;
  actor_id: string | null;
  changes: unknown;
  user_name: string | null;
  user_email: string | null;
}

export interface SecurityEventCursor {
  at: Date;
  id: string;
}

/** Newest first, `limit` of them, older than `before`, of one kind if given. */
export async function listSecurityEvents(
  db: Q,
  opts: { limit: number; before?: SecurityEventCursor | null; kind?: SecurityEventKind },
): Promise<SecurityEventRow[]> {
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select(['a.id', 'a.at', 'a.action', 'a.actor_id', 'a.changes', 'u.name as user_name', 'u.email as user_email'])
    .where('a.entity_type', '=', SECURITY_ENTITY_TYPE)
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(opts.limit);
  if (opts.kind) q = q.where('a.action', '=', opts.kind);
  const before = opts.before;
  if (before) {
    q = q.where((eb) => eb.or([eb('a.at', '<', before.at), eb.and([eb('a.at', '=', before.at), eb('a.id', '<', Number(before.id))])]));
  }
  return q.execute();
}

/** The row as the API shows it, or null for a row this version cannot read. */
export function toSecurityEventDto(row: SecurityEventRow): SecurityEventDto | null {
  const changes = (typeof row.changes === 'string' ? JSON.parse(row.changes) : row.changes) as Record<string, unknown> | null;
  const detail = securityEventDetail.safeParse({ ...changes, kind: row.action });
  if (!detail.success) return null;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    ...detail.data,
    id: String(row.id),
    at: row.at.toISOString(),
    user: row.actor_id && row.user_name !== null && row.user_email !== null ? { id: row.actor_id, name: row.user_name, email: row.user_email } : null,
    email: text(changes?.email),
    address: text(changes?.address),
    userAgent: text(changes?.userAgent),
  };
}

/** Keyset cursor over (at desc, id desc). */
export function encodeSecurityCursor(row: { at: Date; id: number | string }): string {
  return Buffer.from(`${row.at.toISOString()}|${row.id}`).toString('base64url');
}

/** The id part stays within JavaScript's exact integers. */
const CURSOR_PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([1-9]\d{0,14})$/;

/** A cursor we did not make is null: a 400. */
export function decodeSecurityCursor(cursor: string): SecurityEventCursor | null {
  const m = CURSOR_PATTERN.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m || !isCursorTime(m[1]!)) return null;
  return { at: new Date(m[1]!), id: m[2]! };
}
