/**
 * Growing waits after failures, per key (an account, an address, an account at an address).
 *
 * A key may fail `free` times without waiting. From then on, each attempt must wait, counted
 * from the key's last counted attempt, `baseDelayMs` doubled once per failure past `free`, at
 * most `maxDelayMs`. A key with no counted attempt for `forgetMs` starts afresh.
 *
 * An attempt is counted when it starts (`take`), not when it has failed, so that attempts sent
 * in parallel cannot all pass before the first failure is known; one that succeeds is given
 * back (`refund`) or clears the key (`reset`). The rule is pure (`now` is passed in);
 * `LocalBackoff` keeps the counts in this process, `RedisBackoff` (rate-limit.ts) in Redis.
 */

export interface BackoffRule {
  /** Failures allowed before any wait. */
  free: number;
  /** The wait after failure `free`, doubled after each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no counted attempt for this long is forgotten. */
  forgetMs: number;
}

export interface BackoffState {
  count: number;
  /** When the last counted attempt started (ms). */
  last: number;
}

/** The answer to an attempt: counted (and the key's count with it), or refused with the wait. */
export type Take = { ok: true; count: number } | { ok: false; waitMs: number };

/** What callers use, whichever store keeps the counts: answers may come now or later. */
export interface Backoff {
  /** Counts an attempt of `key` now, unless it must wait: then nothing is counted. */
  take(key: string, now: number): Take | Promise<Take>;
  /** Milliseconds until `key` may try again (0: now), counting nothing. */
  wait(key: string, now: number): number | Promise<number>;
  /** Gives back one counted attempt (it succeeded). */
  refund(key: string): void | Promise<void>;
  /** Forgets the key. */
  reset(key: string): void | Promise<void>;
}

/** The wait that `count` failures impose (0 below `free`). */
export function delayAfter(rule: BackoffRule, count: number): number {
  if (count === 0 || count < rule.free) return 0;
  return Math.min(rule.baseDelayMs * 2 ** (count - rule.free), rule.maxDelayMs);
}

/** Milliseconds until a key in `state` may try again. */
export function waitFor(rule: BackoffRule, state: BackoffState | undefined, now: number): number {
  if (!state || now - state.last >= rule.forgetMs) return 0;
  const delay = delayAfter(rule, state.count);
  // A last attempt stamped ahead of `now` (another node's clock) never makes the wait longer than the delay.
  return Math.min(delay, Math.max(0, state.last + delay - now));
}

/** The state after an attempt at `now` is counted (call only when waitFor is 0). */
export function counted(rule: BackoffRule, state: BackoffState | undefined, now: number): BackoffState {
  const fresh = !state || now - state.last >= rule.forgetMs;
  return { count: fresh ? 1 : state.count + 1, last: now };
}

/** Keys tracked in one process before the forgotten ones are dropped (and, if still too many, all). */
export const BACKOFF_MAX_TRACKED_KEYS = 100_000;

export class LocalBackoff implements Backoff {
  private readonly states = new Map<string, BackoffState>();

  constructor(private readonly rule: BackoffRule) {}

  take(key: string, now: number): Take {
    const state = this.states.get(key);
    const waitMs = waitFor(this.rule, state, now);
    if (waitMs > 0) return { ok: false, waitMs };
    if (!state && this.states.size >= BACKOFF_MAX_TRACKED_KEYS) this.prune(now);
    const next = counted(this.rule, state, now);
    this.states.set(key, next);
    return { ok: true, count: next.count };
  }

  wait(key: string, now: number): number {
    return waitFor(this.rule, this.states.get(key), now);
  }

  refund(key: string): void {
    const state = this.states.get(key);
    if (state && state.count > 0) state.count--;
  }

  reset(key: string): void {
    this.states.delete(key);
  }

  private prune(now: number): void {
    for (const [k, s] of this.states) if (now - s.last >= this.rule.forgetMs) this.states.delete(k);
    if (this.states.size >= BACKOFF_MAX_TRACKED_KEYS) this.states.clear();
  }
}
