/**
 * Password reset tokens: 32 random bytes (base64url), only a SHA-256 stored, valid for 30
 * minutes, used once, and spent when a newer one is made for the same user. Pure helpers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { PASSWORD_RESET_PATH } from '../../schema/wire/two-factor.ts';

export const RESET_TOKEN_BYTES = 32;
export const RESET_TOKEN_TTL_MS = 30 * 60 * 1000;

export function newResetToken(): string {
  return randomBytes(RESET_TOKEN_BYTES).toString('base64url');
}

export function hashResetToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function resetLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${PASSWORD_RESET_PATH}?token=${encodeURIComponent(token)}`;
}

/** Temporary passwords an admin hands out: 18 random bytes, 24 characters of base64url. */
export function newTemporaryPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Whether a password is older than the workspace allows (`maxAgeDays` null: no limit). */
export function passwordExpired(changedAt: Date, maxAgeDays: number | null, now: Date): boolean {
  return maxAgeDays !== null && now.getTime() - changedAt.getTime() > maxAgeDays * 24 * 60 * 60 * 1000;
}
