import { STATUS_CODES } from 'node:http';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody, ErrorCode } from '../../schema/wire/error.ts';

/**
 * The one error type of the application. Domain code throws it; `onError`
 * maps it to HTTP once, the document hub maps it to a WebSocket close once.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: ContentfulStatusCode,
    message: string,
    readonly field?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

/** The error codes of the statuses Hono's own middleware answers with. */
const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'rate_limited',
};

/** A Hono HTTPException (4xx) as our error. */
export function fromHttpException(err: { status: number; message: string }): AppError {
  const status = err.status as ContentfulStatusCode;
  return new AppError(CODE_OF_STATUS[status] ?? 'bad_request', status, err.message || (STATUS_CODES[status] ?? 'Bad request'));
}

export const badRequest = (message: string, field?: string) => new AppError('validation', 400, message, field);
export const notFound = (what = 'Not found') => new AppError('not_found', 404, what);
export const forbidden = (message = 'You are not allowed to do this') => new AppError('forbidden', 403, message);
export const unauthenticated = (message = 'Sign in first') => new AppError('unauthenticated', 401, message);
export const conflict = (message: string, field?: string) => new AppError('conflict', 409, message, field);
