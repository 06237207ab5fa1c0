/**
 * The one reconnection policy of every live document (`customer:<id>`,
 * `board:<id>`): what each way a connection can end means for the client,
 * and how long to wait before the next attempt. Pure: the caller passes the
 * attempt number and a random number; DocController owns the timers.
 */
import { DOC_CLOSE } from '../../../schema/wire/docs.ts';

export interface RetryPolicy {
  /** The first wait. */
  baseMs: number;
  /** The wait doubles per attempt up to this. */
  maxMs: number;
  /** Up to this fraction is added at random, so that clients dropped together do not return together. */
  jitter: number;
  /** Attempts before giving up (status `refused`, `retry()` starts over). */
  maxAttempts: number;
}

export const DOC_RETRY = {
  /** The network, a server restart (1001), an access re-check (4001), a storage failure (4500). */
  transient: { baseMs: 500, maxMs: 10_000, jitter: 0.5, maxAttempts: Number.POSITIVE_INFINITY },
  /** 4429 (and the old 4422): the server asks us to slow down; our edits wait in the local copy. */
  rateLimited: { baseMs: 5_000, maxMs: 60_000, jitter: 0.5, maxAttempts: Number.POSITIVE_INFINITY },
  /**
   * 4400, 1009, 4413: this connection sent something the server cannot take, and the local copy
   * will send it again. A few slow attempts (the server may have been at fault), then stop.
   */
  rejected: { baseMs: 15_000, maxMs: 60_000, jitter: 0.5, maxAttempts: 3 },
} as const satisfies Record<string, RetryPolicy>;
export type RetryKind = keyof typeof DOC_RETRY;

/** A connection that stayed synced this long starts its rate-limit and rejection counts afresh. */
export const STABLE_CONNECTION_MS = 60_000;

/** Why a document cannot be live right now (shown by the page, localized by code). */
export type DocErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'bad_message'
  | 'too_large'
  | 'document_full';

/** What to do after a connection (or an access check) ended. */
export type EndAction =
  | { kind: 'retry'; policy: RetryKind; error: DocErrorCode | null }
  /** Reconnecting cannot help until something changes (sign in again, access given back). */
  | { kind: 'final'; error: DocErrorCode };

/**
 * The close code of a connection the server (or the network) ended; null
 * when the provider closed it itself (no message for 30 s).
 */
export function closeAction(code: number | null): EndAction {
  switch (code) {
    case DOC_CLOSE.unauthenticated:
      return { kind: 'final', error: 'unauthenticated' };
    case DOC_CLOSE.forbidden:
      return { kind: 'final', error: 'forbidden' };
    case DOC_CLOSE.notFound:
      return { kind: 'final', error: 'not_found' };
    case DOC_CLOSE.tooManyRequests:
    case DOC_CLOSE.updateRefused:
      return { kind: 'retry', policy: 'rateLimited', error: 'rate_limited' };
    case DOC_CLOSE.badMessage:
      return { kind: 'retry', policy: 'rejected', error: 'bad_message' };
    case DOC_CLOSE.tooLarge:
      return { kind: 'retry', policy: 'rejected', error: 'too_large' };
    case DOC_CLOSE.documentFull:
      return { kind: 'retry', policy: 'rejected', error: 'document_full' };
    default:
      // Other deliberate 44xx codes of a newer server: be as careful as with a rejection.
      if (code !== null && code >= 4400 && code < 4500) return { kind: 'retry', policy: 'rejected', error: 'bad_message' };
      return { kind: 'retry', policy: 'transient', error: null };
  }
}

/** The HTTP status of a failed `GET /api/docs/:name` (0: no answer). */
export function accessAction(status: number): EndAction {
  switch (status) {
    case 401:
      return { kind: 'final', error: 'unauthenticated' };
    case 403:
      return { kind: 'final', error: 'forbidden' };
    case 404:
      return { kind: 'final', error: 'not_found' };
    case 429:
      return { kind: 'retry', policy: 'rateLimited', error: 'rate_limited' };
    default:
      return { kind: 'retry', policy: 'transient', error: null };
  }
}

/** The wait before attempt `attempt` (0-based) of a policy; `random` in [0, 1). */
export function retryDelay(policy: RetryPolicy, attempt: number, random: number): number {
  const capped = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(capped * (1 + policy.jitter * random));
}
