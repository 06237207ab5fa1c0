/**
 * Security events as stored and as `GET /api/admin/security-events` shows them: sign-in
 * failures, sign-in limits reached, and hooks for refusals, second-factor failures and
 * password resets (server/audit/security-events.ts writes them). Shared by server, client, tests.
 */
import { z } from 'zod';

/** Every kind of security event. Closed: adding one means adding its detail below. */
export const SECURITY_EVENT_KINDS = [
  'login_failed',
  'login_throttled',
  'doc_refused',
  'totp_failed',
  'password_reset_requested',
  'password_reset',
  'password_changed',
] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

/** Which sign-in limit refused: one account from one address, one account from anywhere, one address for any account. */
export const SIGN_IN_LIMITS = ['pair', 'account', 'address'] as const;
export type SignInLimit = (typeof SIGN_IN_LIMITS)[number];

/** Why a sign-in failed. `deactivated`: the password was right but the account is deactivated. */
export const LOGIN_FAILURE_REASONS = ['unknown_login', 'wrong_password', 'deactivated'] as const;
export type LoginFailureReason = (typeof LOGIN_FAILURE_REASONS)[number];

/** Longest free text a detail holds (a document name, a refusal reason). */
export const SECURITY_DETAIL_TEXT_MAX = 200;

/**
 * What each kind carries besides who, where and when. No kind has a field for a password,
 * a token or a code: there is nowhere to put one.
 */
export const securityEventDetail = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('login_failed'), reason: z.enum(LOGIN_FAILURE_REASONS) }),
  z.object({ kind: z.literal('login_throttled'), limit: z.enum(SIGN_IN_LIMITS), retryAfterSeconds: z.number().int().min(0) }),
  z.object({
    kind: z.literal('doc_refused'),
    doc: z.string().max(SECURITY_DETAIL_TEXT_MAX),
    reason: z.string().max(SECURITY_DETAIL_TEXT_MAX),
  }),
  z.object({ kind: z.literal('totp_failed') }),
  z.object({ kind: z.literal('password_reset_requested') }),
  z.object({ kind: z.literal('password_reset') }),
  z.object({ kind: z.literal('password_changed') }),
]);
export type SecurityEventDetail = z.infer<typeof securityEventDetail>;

// Every kind has a detail and every detail a kind.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const kindsMatch: Same<SecurityEventDetail['kind'], SecurityEventKind> = true;
void kindsMatch;

export interface SecurityEventUserDto {
  id: string;
  name: string;
  email: string;
}

/** An item of the list. */
export type SecurityEventDto = SecurityEventDetail & {
  id: string;
  /** ISO 8601 */
  at: string;
  /** The account concerned, when there is one. */
  user: SecurityEventUserDto | null;
  /** The sign-in name tried, lower-cased; null when it was neither an account's nor shaped like an e-mail address. */
  email: string | null;
  /** The client address (behind a proxy: from X-Forwarded-For with TRUST_PROXY). */
  address: string | null;
  userAgent: string | null;
};

export interface SecurityEventListDto {
  items: SecurityEventDto[];
  /** Pass as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

export const SECURITY_EVENTS_PAGE_DEFAULT = 50;
export const SECURITY_EVENTS_PAGE_MAX = 100;

export const listSecurityEventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(SECURITY_EVENTS_PAGE_MAX).default(SECURITY_EVENTS_PAGE_DEFAULT),
  cursor: z.string().max(200).optional(),
  kind: z.enum(SECURITY_EVENT_KINDS).optional(),
});
export type ListSecurityEventsQuery = z.infer<typeof listSecurityEventsQuery>;
