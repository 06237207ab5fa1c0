/**
 * The client's network edge: one JSON request function over `fetch`, and one
 * error type. Every API module (`auth.ts`, `me.ts`, `users.ts`, …) is a set of
 * plain functions built on `request()`.
 */
import type { ErrorBody, ErrorCode } from '../../../schema/wire/error.ts';
import { IDEMPOTENCY_KEY_HEADER } from '../../../schema/wire/idempotency.ts';

/**
 * Anything that is not an answer from our server: offline, DNS, aborted
 * (`network`); or a create kept in the outbox to be sent when the network
 * returns (`queued`, offline/outbox.ts).
 */
export type ClientErrorCode = 'network' | 'queued';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    readonly status: number,
    message: string,
    readonly field?: string,
    /** Seconds to wait, from Retry-After on 429. */
    readonly retryAfter?: number,
    /** The error body's other members (e.g. the duplicate `candidates` of a 409). */
    readonly details?: Record<string, unknown>,
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
  /**
   * A create that may wait in the outbox when the server cannot be reached: it
   * then fails with `queued` instead of `network`. Needs `idempotencyKey`.
   */
  outbox?: { kind: OutboxRequest['kind']; label: string };
}

/** What create functions take: the form's submission key. */
export type CreateOptions = Pick<RequestOptions, 'idempotencyKey'>;

/** A create as the outbox keeps it: the request as it would have gone out, and what it makes. */
export interface OutboxRequest {
  kind: 'customer' | 'contact' | 'task' | 'lead';
  /** What the user recognises it by: the name or title typed. */
  label: string;
  method: 'POST';
  path: string;
  body: Record<string, unknown>;
  key: string;
}

type OfflineQueue = (req: OutboxRequest) => Promise<boolean>;
let offlineQueue: OfflineQueue | null = null;

/** Installed by offline/outbox.ts: keeps creates that meet no network. */
export function setOfflineQueue(queue: OfflineQueue | null): void {
  offlineQueue = queue;
}

/**
 * The server could not be reached: a create marked for the outbox is kept
 * there (`queued`), anything else is a `network` error.
 */
export async function unreachable(method: string, path: string, body: unknown, opts: RequestOptions, cause: string): Promise<ApiError> {
  const { outbox, idempotencyKey } = opts;
  if (outbox && idempotencyKey && method === 'POST' && offlineQueue && typeof body === 'object' && body !== null) {
    const kept = await offlineQueue({ ...outbox, method, path, body: body as Record<string, unknown>, key: idempotencyKey });
    if (kept) return new ApiError('queued', 0, 'Kept on this device until the network returns');
  }
  return new ApiError('network', 0, cause);
}

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
    throw await unreachable(method, path, body, opts, (e as Error).message);
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
    if (res.status === 502 || res.status === 503 || res.status === 504) throw await unreachable(method, path, body, opts, `HTTP ${res.status}`);
    throw new ApiError('internal', res.status, `HTTP ${res.status}`);
  }
  const { error: errorBody, ...details } = data as ErrorBody & Record<string, unknown>;
  const { code, message, field } = errorBody;
  const retry = Number(res.headers.get('retry-after'));
  const error = new ApiError(code, res.status, message, field, Number.isFinite(retry) && retry > 0 ? retry : undefined, details);
  if (code === 'unauthenticated' && !opts.quietUnauthenticated) reportAuthProblem('signed-out');
  if (code === 'password_change_required') reportAuthProblem('password-change-required');
  throw error;
}
