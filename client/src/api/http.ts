/**
 * The client's network edge: one JSON request function over `fetch`, and one
 * error type. Every API module (`auth.ts`, `me.ts`, `users.ts`, …) is a set of
 * plain functions built on `request()`.
 */
import type { ErrorBody, ErrorCode } from '../../../schema/wire/error.ts';
import { IDEMPOTENCY_KEY_HEADER } from '../../../schema/wire/idempotency.ts';

/** Anything that is not an answer from our server: offline, DNS, aborted. */
export type ClientErrorCode = 'network';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    readonly status: number,
    message: string,
    readonly field?: string,
    /** Seconds to wait, from Retry-After on 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Fired when any request learns that the session has ended (401) or that a
 * forced password change is pending (403 password_change_required). The root
 * element listens and switches screens; screens never handle these themselves.
 */
export type AuthProblem = 'signed-out' | 'password-change-required';
export const AUTH_PROBLEM_EVENT = 'tandem-auth-problem';
export const apiEvents = new EventTarget();

function reportAuthProblem(problem: AuthProblem): void {
  apiEvents.dispatchEvent(new CustomEvent<AuthProblem>(AUTH_PROBLEM_EVENT, { detail: problem }));
}

export interface RequestOptions {
  /** Do not announce a 401 (the sign-in request itself answers 401 for a wrong password). */
  quietUnauthenticated?: boolean;
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key` on creates (api/idempotency.ts): a repeat then creates nothing. */
  idempotencyKey?: string;
}

/** What create functions take: the form's submission key. */
export type CreateOptions = Pick<RequestOptions, 'idempotencyKey'>;

/** The headers of a request: JSON, and the idempotency key when given. */
export function requestHeaders(hasBody: boolean, opts: RequestOptions = {}): Record<string, string> {
  return {
    accept: 'application/json',
    ...(hasBody ? { 'content-type': 'application/json' } : {}),
    ...(opts.idempotencyKey ? { [IDEMPOTENCY_KEY_HEADER]: opts.idempotencyKey } : {}),
  };
}

function isErrorBody(v: unknown): v is ErrorBody {
  return typeof v === 'object' && v !== null && 'error' in v && typeof (v as ErrorBody).error?.code === 'string';
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: requestHeaders(body !== undefined, opts),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError('network', 0, (e as Error).message);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (res.ok) return data as T;
  if (!isErrorBody(data)) {
    // Not our server's answer: a proxy or gateway in front of it could not reach it.
    const unreachable = res.status === 502 || res.status === 503 || res.status === 504;
    throw new ApiError(unreachable ? 'network' : 'internal', res.status, `HTTP ${res.status}`);
  }
  const { code, message, field } = data.error;
  const retry = Number(res.headers.get('retry-after'));
  const error = new ApiError(code, res.status, message, field, Number.isFinite(retry) && retry > 0 ? retry : undefined);
  if (code === 'unauthenticated' && !opts.quietUnauthenticated) reportAuthProblem('signed-out');
  if (code === 'password_change_required') reportAuthProblem('password-change-required');
  throw error;
}
