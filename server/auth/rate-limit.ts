/**
 * A fixed-window failure counter keyed by string (an account, an address).
 * In memory, per process: a multi-node deployment multiplies the allowance by
 * the node count, which still bounds guessing; `now` is passed in.
 */
export interface RateLimitRule {
  max: number;
  windowMs: number;
}

interface Window {
  start: number;
  count: number;
}

const MAX_TRACKED_KEYS = 100_000;

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly rule: RateLimitRule) {}

  /** Milliseconds until `key` may try again, or 0 when it may try now. */
  retryAfter(key: string, now: number): number {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.rule.windowMs) return 0;
    return w.count >= this.rule.max ? w.start + this.rule.windowMs - now : 0;
  }

  hit(key: string, now: number): void {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.rule.windowMs) {
      if (this.windows.size >= MAX_TRACKED_KEYS) this.prune(now);
      this.windows.set(key, { start: now, count: 1 });
    } else {
      w.count++;
    }
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.rule.windowMs) this.windows.delete(k);
    if (this.windows.size >= MAX_TRACKED_KEYS) this.windows.clear();
  }
}
