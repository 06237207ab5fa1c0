import { describe, expect, it } from 'vitest';
import {
  SESSION_ABSOLUTE_LIFETIME_MS,
  SESSION_ACTIVITY_CHECK_INTERVAL_MS,
  SESSION_INACTIVITY_TIMEOUT_MS,
  hashSecret,
  newSessionToken,
  parseSessionToken,
  secretMatches,
  sessionExpiresAt,
  sessionState,
} from '../../server/auth/session.ts';

const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('session tokens', () => {
  it('are an id and a 256-bit secret that parse back', () => {
    const { id, secret, token } = newSessionToken();
    expect(token).toBe(`${id}.${secret}`);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(parseSessionToken(token)).toEqual({ id, secret });
  });

  it('are different every time', () => {
    expect(newSessionToken().token).not.toBe(newSessionToken().token);
  });

  it('reject anything not of the exact form', () => {
    const { token } = newSessionToken();
    for (const bad of ['', 'abc', `${token}x`, token.replace('.', ''), `${token}.x`, `x${token}`, token.replace(/.$/, '!')]) {
      expect(parseSessionToken(bad)).toBeNull();
    }
  });

  it('match only their own secret hash', () => {
    const a = newSessionToken();
    const b = newSessionToken();
    expect(secretMatches(a.secret, hashSecret(a.secret))).toBe(true);
    expect(secretMatches(b.secret, hashSecret(a.secret))).toBe(false);
    expect(secretMatches(a.secret, new Uint8Array(3))).toBe(false);
  });
});

describe('session expiry', () => {
  const fresh = { createdAt: t0, lastVerifiedAt: t0 };

  it('is valid, then due for refresh after the activity interval', () => {
    expect(sessionState(fresh, at(1000))).toBe('valid');
    expect(sessionState(fresh, at(SESSION_ACTIVITY_CHECK_INTERVAL_MS))).toBe('valid-refresh');
  });

  it('expires after inactivity', () => {
    expect(sessionState(fresh, at(SESSION_INACTIVITY_TIMEOUT_MS - 1))).toBe('valid-refresh');
    expect(sessionState(fresh, at(SESSION_INACTIVITY_TIMEOUT_MS))).toBe('expired');
  });

  it('expires at the absolute cap even when used all along', () => {
    const busy = { createdAt: t0, lastVerifiedAt: at(SESSION_ABSOLUTE_LIFETIME_MS - 1000) };
    expect(sessionState(busy, at(SESSION_ABSOLUTE_LIFETIME_MS - 500))).toBe('valid');
    expect(sessionState(busy, at(SESSION_ABSOLUTE_LIFETIME_MS))).toBe('expired');
    expect(sessionExpiresAt(busy).getTime()).toBe(t0.getTime() + SESSION_ABSOLUTE_LIFETIME_MS);
  });

  it('cookie expiry follows the inactivity limit for a young session', () => {
    expect(sessionExpiresAt(fresh).getTime()).toBe(t0.getTime() + SESSION_INACTIVITY_TIMEOUT_MS);
  });
});
