/** Localized, human wording for API errors: one exhaustive switch over the error codes. */
import { msg, str } from '@lit/localize';
import { ApiError } from '../api/http.ts';

/** "2 minutes" or "45 seconds", for rate-limit messages. */
function waitText(seconds: number): string {
  if (seconds >= 90) {
    const minutes = Math.ceil(seconds / 60);
    return msg(str`${minutes} minutes`, { id: 'error.wait.minutes' });
  }
  if (seconds === 1) return msg('1 second', { id: 'error.wait.oneSecond' });
  return msg(str`${seconds} seconds`, { id: 'error.wait.seconds' });
}

export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return msg('Something went wrong. Please try again.', { id: 'error.unknown' });
  switch (error.code) {
    case 'network':
      return msg('Cannot reach Tandem. Check your connection and try again.', { id: 'error.network' });
    case 'queued':
      return msg('Saved on this device: it will be sent when you are back online.', { id: 'error.queued' });
    case 'invalid_credentials':
      return msg('The sign-in name or password is wrong.', { id: 'error.invalidCredentials' });
    case 'rate_limited':
      return error.retryAfter
        ? msg(str`Too many attempts. Try again in ${waitText(error.retryAfter)}.`, { id: 'error.rateLimitedWait' })
        : msg('Too many attempts. Try again later.', { id: 'error.rateLimited' });
    case 'unauthenticated':
      return msg('Your session has ended. Please sign in again.', { id: 'error.unauthenticated' });
    case 'password_change_required':
      return msg('Change your password to continue.', { id: 'error.passwordChangeRequired' });
    case 'forbidden':
      return msg('You do not have permission to do this.', { id: 'error.forbidden' });
    case 'bad_origin':
      return msg('The request was refused because it came from another site.', { id: 'error.badOrigin' });
    case 'not_found':
      return msg('It no longer exists, or you cannot see it.', { id: 'error.notFound' });
    case 'conflict':
      return msg('This already exists.', { id: 'error.conflict' });
    case 'payload_too_large':
      return msg('That is too much data to send at once.', { id: 'error.payloadTooLarge' });
    case 'idempotency_conflict':
      return msg('This form was already sent with other details. Reload the page and try again.', { id: 'error.idempotencyConflict' });
    case 'weak_password':
      return msg('This password is too weak.', { id: 'error.weakPassword' });
    case 'totp_required':
      return msg('Enter the code from your authenticator app.', { id: 'error.totpRequired' });
    case 'totp_invalid':
      return msg('That code is not right. Use the newest code, or a recovery code.', { id: 'error.totpInvalid' });
    case 'totp_enrolment_required':
      return msg('Set up two-factor sign-in to continue.', { id: 'error.totpEnrolmentRequired' });
    case 'invalid_token':
      return msg('This reset link has expired or was already used. Ask for a new one.', { id: 'error.invalidToken' });
    case 'bad_request':
    case 'validation':
      return msg('Please check the highlighted information.', { id: 'error.validation' });
    case 'internal':
      return msg('Something went wrong on our side. Please try again.', { id: 'error.internal' });
    default:
      return exhaustive(error.code);
  }
}

function exhaustive(code: never): string {
  return String(code);
}
