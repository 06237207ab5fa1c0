/** Security events in the interface language: the name of each kind and the sentence of its detail. */
import { msg, str } from '@lit/localize';
import type { LoginFailureReason, SecurityEventDetail, SecurityEventKind, SignInLimit } from '../../../schema/wire/security-events.ts';

export function securityEventKindLabel(kind: SecurityEventKind): string {
  switch (kind) {
    case 'login_failed':
      return msg('Failed sign-in', { id: 'security.kind.loginFailed' });
    case 'login_throttled':
      return msg('Sign-in limit reached', { id: 'security.kind.loginThrottled' });
    case 'doc_refused':
      return msg('Access refused', { id: 'security.kind.docRefused' });
    case 'totp_failed':
      return msg('Wrong two-factor code', { id: 'security.kind.totpFailed' });
    case 'password_reset_requested':
      return msg('Password reset requested', { id: 'security.kind.passwordResetRequested' });
    case 'password_reset':
      return msg('Password reset', { id: 'security.kind.passwordReset' });
    case 'password_changed':
      return msg('Password changed', { id: 'security.kind.passwordChanged' });
    default:
      return kind satisfies never;
  }
}

/** How loudly a kind is shown: refusals stand out, changes by the owner less so. */
export function securityEventTone(kind: SecurityEventKind): 'danger' | 'primary' | '' {
  switch (kind) {
    case 'login_throttled':
    case 'doc_refused':
    case 'totp_failed':
      return 'danger';
    case 'password_reset_requested':
    case 'password_reset':
    case 'password_changed':
      return 'primary';
    case 'login_failed':
      return '';
    default:
      return kind satisfies never;
  }
}

function limitText(limit: SignInLimit, seconds: number): string {
  switch (limit) {
    case 'pair':
      return msg(str`Too many failures for this account from this address: wait ${seconds} s`, { id: 'security.limit.pair' });
    case 'account':
      return msg(str`Too many failures for this account from several addresses: wait ${seconds} s`, { id: 'security.limit.account' });
    case 'address':
      return msg(str`Too many failures from this address: wait ${seconds} s`, { id: 'security.limit.address' });
    default:
      return limit satisfies never;
  }
}

function reasonText(reason: LoginFailureReason): string {
  switch (reason) {
    case 'unknown_login':
      return msg('No account has this sign-in name', { id: 'security.reason.unknownLogin' });
    case 'wrong_password':
      return msg('Wrong password', { id: 'security.reason.wrongPassword' });
    case 'deactivated':
      return msg('The account is deactivated', { id: 'security.reason.deactivated' });
    default:
      return reason satisfies never;
  }
}

/** The detail as a sentence, or '' when the kind has none. */
export function securityEventDetailText(event: SecurityEventDetail): string {
  switch (event.kind) {
    case 'login_failed':
      return reasonText(event.reason);
    case 'login_throttled':
      return limitText(event.limit, event.retryAfterSeconds);
    case 'doc_refused':
      return msg(str`${event.doc}: ${event.reason}`, { id: 'security.docRefused' });
    case 'totp_failed':
    case 'password_reset_requested':
    case 'password_reset':
    case 'password_changed':
      return '';
    default:
      return event satisfies never;
  }
}
