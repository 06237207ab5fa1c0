/**
 * Write budgets for live documents: how many updates and bytes a connection,
 * and a user across all their connections on this node, may write per second.
 * Each is a token bucket that may go into debt: an update is let through
 * whenever the bucket is not in debt, so an update larger than the burst
 * (a big paste) still passes once, and the next one waits until the debt is
 * paid. A connection whose next update would wait longer than `maxWaitMs` is
 * over its budget: the hub refuses it and closes the connection (4429).
 */

export interface WriteBudgetConfig {
  /** Per connection. */
  bytesPerSec: number;
  burstBytes: number;
  updatesPerSec: number;
  burstUpdates: number;
  /** Per user, across their connections on this node. */
  userBytesPerSec: number;
  userBurstBytes: number;
  userUpdatesPerSec: number;
  userBurstUpdates: number;
  /** Longest wait an update is held for before the connection counts as over budget. */
  maxWaitMs: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSec: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Milliseconds until the bucket is out of debt (0: now). */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.perSec) * 1000);
  }

  take(amount: number, now: number): void {
    this.refill(now);
    this.tokens -= amount;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSec);
    this.last = now;
  }
}

/** The buckets one write is charged to: bytes and updates, of the connection and of its user. */
export class WriteBudget {
  private readonly buckets: Array<{ bucket: TokenBucket; unit: 'bytes' | 'updates' }>;

  constructor(conn: { bytes: TokenBucket; updates: TokenBucket }, user: { bytes: TokenBucket; updates: TokenBucket }) {
    this.buckets = [
      { bucket: conn.bytes, unit: 'bytes' },
      { bucket: conn.updates, unit: 'updates' },
      { bucket: user.bytes, unit: 'bytes' },
      { bucket: user.updates, unit: 'updates' },
    ];
  }

  waitMs(now: number): number {
    let wait = 0;
    for (const { bucket } of this.buckets) wait = Math.max(wait, bucket.waitMs(now));
    return wait;
  }

  charge(bytes: number, now: number): void {
    for (const { bucket, unit } of this.buckets) bucket.take(unit === 'bytes' ? bytes : 1, now);
  }
}

/** Per-user buckets of one node, shared by that user's connections (kept: a reconnection does not refill them). */
export class UserBudgets {
  private readonly users = new Map<string, { bytes: TokenBucket; updates: TokenBucket }>();

  constructor(private readonly config: WriteBudgetConfig) {}

  /** A budget for a new connection of `userId`. */
  forConnection(userId: string, now: number): WriteBudget {
    const c = this.config;
    let user = this.users.get(userId);
    if (!user) {
      user = { bytes: new TokenBucket(c.userBytesPerSec, c.userBurstBytes, now), updates: new TokenBucket(c.userUpdatesPerSec, c.userBurstUpdates, now) };
      this.users.set(userId, user);
    }
    return new WriteBudget({ bytes: new TokenBucket(c.bytesPerSec, c.burstBytes, now), updates: new TokenBucket(c.updatesPerSec, c.burstUpdates, now) }, user);
  }
}

/** Counts refusals in a sliding window; past `max` in `windowMs` the sender is refusing on purpose. */
export class RefusalRate {
  private readonly times: number[] = [];

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Records `count` refusals; true when the rate is exceeded. */
  add(count: number, now: number): boolean {
    for (let i = 0; i < count; i++) this.times.push(now);
    while (this.times.length > 0 && this.times[0]! <= now - this.windowMs) this.times.shift();
    return this.times.length > this.max;
  }
}
