/**
 * Session rules per the Lucia session guide: a token is `<id>.<secret>`,
 * the secret 256 random bits, and only SHA-256(secret) is stored. A session
 * ends after SESSION_INACTIVITY_TIMEOUT_MS without use, and in any case
 * SESSION_ABSOLUTE_LIFETIME_MS after sign-in; use is recorded at most once
 * per SESSION_ACTIVITY_CHECK_INTERVAL_MS. Pure functions: no IO, `now` given.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_INACTIVITY_TIMEOUT_MS = 10 * 24 * 60 * 60 * 1000;
export const SESSION_ACTIVITY_CHECK_INTERVAL_MS = 60 * 60 * 1000;
export const SESSION_ABSOLUTE_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
export const SESSION_COOKIE = 'session';

const ID_BYTES = 15; // 120 bits, as the guide's ids
const SECRET_BYTES = 32; // 256 bits
const TOKEN_PATTERN = /^([A-Za-z0-9_-]{20})\.([A-Za-z0-9_-]{43})$/;

export interface SessionTimes {
  createdAt: Date;
  lastVerifiedAt: Date;
}

export type SessionState = 'expired' | 'valid' | 'valid-refresh';

export function newSessionToken(): { id: string; secret: string; token: string } {
  const id = randomBytes(ID_BYTES).toString('base64url');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { id, secret, token: `${id}.${secret}` };
}

/** Splits a cookie value into id and secret; anything not of the token's exact form is null. */
export function parseSessionToken(token: string): { id: string; secret: string } | null {
  const m = TOKEN_PATTERN.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

export function hashSecret(secret: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(secret).digest());
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const candidate = hashSecret(secret);
  return candidate.length === storedHash.length && timingSafeEqual(candidate, storedHash);
}

export function sessionState(s: SessionTimes, now: Date): SessionState {
  const t = now.getTime();
  if (t - s.createdAt.getTime() >= SESSION_ABSOLUTE_LIFETIME_MS) return 'expired';
  const idle = t - s.lastVerifiedAt.getTime();
  if (idle >= SESSION_INACTIVITY_TIMEOUT_MS) return 'expired';
  return idle >= SESSION_ACTIVITY_CHECK_INTERVAL_MS ? 'valid-refresh' : 'valid';
}

/** When the cookie should expire: the earlier of the inactivity and absolute limits. */
export function sessionExpiresAt(s: SessionTimes): Date {
  return new Date(
    Math.min(
      s.lastVerifiedAt.getTime() + SESSION_INACTIVITY_TIMEOUT_MS,
      s.createdAt.getTime() + SESSION_ABSOLUTE_LIFETIME_MS,
    ),
  );
}
