/**
 * Time-based one-time passwords (RFC 6238: 30-second steps, 6 digits, SHA-1, as every
 * authenticator app expects) and recovery codes. Pure: `now` is passed in.
 *
 * A code is accepted for the current step and one step either side (clock drift), and only for
 * a step later than the last one accepted: a code, once used, cannot be used again (replay).
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one. */
export const TOTP_DRIFT_STEPS = 1;
/** 160-bit keys, as RFC 4226 recommends. */
export const TOTP_KEY_BYTES = 20;
export const RECOVERY_CODE_COUNT = 10;
/** Recovery codes: 10 characters of a 31-letter alphabet without look-alikes (about 49 bits), shown in two groups of five joined by a hyphen. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_LENGTH = 10;
export const TOTP_ISSUER = 'Tandem';

export function newTotpSecret(): string {
  return encodeBase32UpperCaseNoPadding(randomBytes(TOTP_KEY_BYTES));
}

export function totpUri(secret: string, account: string): string {
  return createTOTPKeyURI(TOTP_ISSUER, account, decodeBase32IgnorePadding(secret), TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

export function totpStep(now: Date): bigint {
  return BigInt(Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS));
}

/** Whether `code` has the shape of a TOTP code (else it may be a recovery code). */
export function isTotpShaped(code: string): boolean {
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code.replace(/\s/g, ''));
}

/**
 * The step `code` belongs to, within the drift window and after `lastStep`; null when it matches
 * none (wrong, too old, or already used).
 */
export function matchingStep(secret: string, code: string, now: Date, lastStep: bigint | null): bigint | null {
  const digits = code.replace(/\s/g, '');
  if (!isTotpShaped(digits)) return null;
  const key = decodeBase32IgnorePadding(secret);
  const current = totpStep(now);
  for (let d = -TOTP_DRIFT_STEPS; d <= TOTP_DRIFT_STEPS; d++) {
    const step = current + BigInt(d);
    if (lastStep !== null && step <= lastStep) continue;
    if (constantTimeEqual(generateHOTP(key, step, TOTP_DIGITS), digits)) return step;
  }
  return null;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(RECOVERY_LENGTH);
    const chars = Array.from(bytes, (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** What is stored of a recovery code: a SHA-256 of its normalised form (49 random bits, single use, behind the sign-in limits: no slow hash needed). */
export function hashRecoveryCode(code: string): string {
  const normal = code.toLowerCase().replace(/[\s-]/g, '');
  return createHash('sha256').update(normal).digest('hex');
}
