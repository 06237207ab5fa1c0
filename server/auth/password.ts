/** Password hashing (argon2id with the OWASP parameters DESIGN.md fixes) and the strength rule. */
import { hash, verify } from '@node-rs/argon2';

export const PASSWORD_MIN_LENGTH = 10;
/** Length from which a passphrase needs no mix of character classes. */
export const PASSPHRASE_LENGTH = 16;

const ARGON2ID = 2; // Algorithm.Argon2id; a const enum, which isolatedModules cannot import
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so both answers take as long. */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('tandem-dummy-password-for-timing');
  return dummyHash;
}

const COMMON = new Set([
  'password123',
  'password1234',
  'qwertyuiop',
  '1234567890',
  '0123456789',
  'iloveyou123',
  'welcome123',
  'changeme123',
  'letmein123',
  'administrator',
  'qwerty12345',
]);

/** Why a password is too weak, or null when it is acceptable. */
export function passwordProblem(password: string, context: { login?: string; name?: string } = {}): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'is too common';
  if (/^(.)\1+$/.test(password)) return 'must not repeat one character';
  const local = context.login?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 3 && lower.includes(local)) return 'must not contain your sign-in name';
  if (password.length < PASSPHRASE_LENGTH) {
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
    if (classes < 3) {
      return `needs three of: lower-case, upper-case, digits, symbols (or use ${PASSPHRASE_LENGTH}+ characters)`;
    }
  }
  return null;
}
