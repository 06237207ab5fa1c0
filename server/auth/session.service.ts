import type { AppContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { type User, userFromRow } from '../users/user.ts';
import {
  hashSecret,
  newSessionToken,
  parseSessionToken,
  secretMatches,
  sessionExpiresAt,
  sessionState,
} from './session.ts';
import { deleteSession, deleteUserSessions, findSessionWithUser, insertSession, touchSession } from './session.repository.ts';

export interface Session {
  id: string;
  userId: string;
  createdAt: Date;
  lastVerifiedAt: Date;
  expiresAt: Date;
}

export interface ValidSession {
  session: Session;
  user: User;
  /** True when the session's expiry moved and the cookie should be set again. */
  refreshed: boolean;
}

export async function createSession(db: DB, userId: string, now: Date): Promise<{ token: string; session: Session }> {
  const { id, secret, token } = newSessionToken();
  await insertSession(db, { id, secret_hash: hashSecret(secret), user_id: userId, created_at: now, last_verified_at: now });
  const times = { createdAt: now, lastVerifiedAt: now };
  return { token, session: { id, userId, ...times, expiresAt: sessionExpiresAt(times) } };
}

/**
 * The session and user a token stands for, or null for a malformed, forged,
 * expired or ended token, or a deactivated user. Expired sessions are deleted.
 */
export async function validateSessionToken(db: DB, token: string, now: Date): Promise<ValidSession | null> {
  const parsed = parseSessionToken(token);
  if (!parsed) return null;
  const found = await findSessionWithUser(db, parsed.id);
  if (!found || !secretMatches(parsed.secret, found.session.secret_hash)) return null;
  const times = { createdAt: found.session.created_at, lastVerifiedAt: found.session.last_verified_at };
  const state = sessionState(times, now);
  if (state === 'expired') {
    await deleteSession(db, parsed.id);
    return null;
  }
  if (!found.user.active) return null;
  let refreshed = false;
  if (state === 'valid-refresh') {
    times.lastVerifiedAt = now;
    await touchSession(db, parsed.id, now);
    refreshed = true;
  }
  return {
    session: { id: parsed.id, userId: found.user.id, ...times, expiresAt: sessionExpiresAt(times) },
    user: userFromRow(found.user),
    refreshed,
  };
}

export async function endSession(ctx: AppContext, sessionId: string): Promise<void> {
  await deleteSession(ctx.db, sessionId);
  ctx.sessionEvents.revoked([sessionId]);
}

export async function endUserSessions(ctx: AppContext, userId: string, exceptSessionId?: string): Promise<void> {
  ctx.sessionEvents.revoked(await deleteUserSessions(ctx.db, userId, exceptSessionId));
}
