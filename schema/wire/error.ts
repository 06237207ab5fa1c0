/** The one error shape of the HTTP API: `{"error":{"code","message","field?"}}`. */
export const ERROR_CODES = [
  'bad_request',
  'validation',
  'unauthenticated',
  'invalid_credentials',
  'password_change_required',
  'forbidden',
  'bad_origin',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'weak_password',
  'idempotency_conflict',
  'totp_required',
  'totp_invalid',
  'totp_enrolment_required',
  'invalid_token',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}
