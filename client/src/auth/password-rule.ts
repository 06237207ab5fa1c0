/**
 * The password strength rule as the user reads it. The server
 * (server/auth/password.ts) decides; this mirror only explains, in the user's
 * language, which part of the rule a refused password breaks.
 */
import { msg, str } from '@lit/localize';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSPHRASE_LENGTH = 16;

export type PasswordIssue =
  | { kind: 'too-short' }
  | { kind: 'repeated' }
  | { kind: 'contains-login' }
  | { kind: 'needs-variety' }
  | { kind: 'same-as-current' }
  | { kind: 'too-common' };

/** The first part of the rule a password breaks, as far as the client can tell. */
export function passwordIssue(password: string, context: { login?: string; current?: string } = {}): PasswordIssue {
  if (context.current !== undefined && password === context.current) return { kind: 'same-as-current' };
  if (password.length < PASSWORD_MIN_LENGTH) return { kind: 'too-short' };
  if (/^(.)\1+$/.test(password)) return { kind: 'repeated' };
  const local = context.login?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 3 && password.toLowerCase().includes(local)) return { kind: 'contains-login' };
  if (password.length < PASSPHRASE_LENGTH) {
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
    if (classes < 3) return { kind: 'needs-variety' };
  }
  // Everything the client knows passes: the server's list of common passwords refused it.
  return { kind: 'too-common' };
}

export function passwordRuleText(): string {
  const min = PASSWORD_MIN_LENGTH;
  const long = PASSPHRASE_LENGTH;
  return msg(
    str`At least ${min} characters, using three of: lower-case letters, upper-case letters, digits, symbols. A passphrase of ${long} or more characters needs no mix.`,
    { id: 'password.rule' },
  );
}

export function passwordIssueText(issue: PasswordIssue): string {
  switch (issue.kind) {
    case 'too-short':
      return msg(str`Use at least ${PASSWORD_MIN_LENGTH} characters.`, { id: 'password.issue.tooShort' });
    case 'repeated':
      return msg('Do not repeat a single character.', { id: 'password.issue.repeated' });
    case 'contains-login':
      return msg('Do not include your sign-in name.', { id: 'password.issue.containsLogin' });
    case 'needs-variety':
      return msg('Mix three of: lower-case, upper-case, digits, symbols — or make it longer.', { id: 'password.issue.variety' });
    case 'same-as-current':
      return msg('Choose a password different from the current one.', { id: 'password.issue.sameAsCurrent' });
    case 'too-common':
      return msg('This password is too common. Choose a less predictable one.', { id: 'password.issue.common' });
    default:
      return issue satisfies never;
  }
}
