/**
 * A token bucket per socket: `burst` events at once, refilled at
 * `perSecond`. Pure: the caller passes `now` in milliseconds.
 */
export interface TokenBucketRule {
  burst: number;
  perSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rule: TokenBucketRule,
    now: number,
  ) {
    this.tokens = rule.burst;
    this.last = now;
  }

  /** Takes one token; false when the bucket is empty. */
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.rule.burst, this.tokens + (elapsed / 1000) * this.rule.perSecond);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
