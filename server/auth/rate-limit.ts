/**
 * Fixed-window failure counters keyed by string (an account, an address).
 *
 * `RateLimiter` counts in this process (`now` is passed in). With REDIS_URL,
 * `RedisRateLimiter` counts in Redis so that all nodes share one allowance
 * (the window is Redis's: it starts at the first hit and ends with the key's
 * expiry). While Redis is unreachable it counts in this process instead,
 * which still bounds guessing; sign-in never waits on Redis for long and
 * never fails because of it.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { createClient } from 'redis';
import type { Config } from '../config.ts';

export interface RateLimitRule {
  max: number;
  windowMs: number;
}

/** What callers use, whichever store keeps the counts: answers may come now or later. */
export interface RateLimit {
  /** Milliseconds until `key` may try again, or 0 when it may try now. */
  retryAfter(key: string, now: number): number | Promise<number>;
  hit(key: string, now: number): void | Promise<void>;
  reset(key: string): void | Promise<void>;
}

interface Window {
  start: number;
  count: number;
}

const MAX_TRACKED_KEYS = 100_000;

export class RateLimiter implements RateLimit {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly rule: RateLimitRule) {}

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

/** Longest wait for one counter command before this process's own counts are used. */
export const RATE_LIMIT_REDIS_TIMEOUT_MS = 500;

/** INCR, and on the first hit PEXPIRE: the window starts there. One script, so the expiry is never lost. */
const HIT_SCRIPT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** The key's remaining window in ms when its count reached `max`, else 0. */
const RETRY_AFTER_SCRIPT = `local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n < tonumber(ARGV[1]) then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then return 0 end
return ttl`;

type Client = ReturnType<typeof createClient>;

/**
 * One Redis connection for the counters of one deployment. Every method
 * answers null when Redis could not (not connected, error, too slow); the
 * first such failure of an outage is logged once, without the key.
 */
export class RedisCounters {
  private readonly client: Client;
  private readonly commands: Client;
  /** Settles with the first connection attempt, so sign-ins right after start wait for it rather than miss Redis. */
  private readonly firstAttempt: Promise<void>;
  private lost = false;
  private closed = false;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    // No offline queue: while Redis is away a command fails at once rather than waiting for it.
    this.client = createClient({ url, disableOfflineQueue: true });
    this.commands = this.client.withCommandOptions({ timeout: RATE_LIMIT_REDIS_TIMEOUT_MS }) as Client;
    this.firstAttempt = new Promise((settle) => {
      this.client.once('ready', settle);
      this.client.once('error', settle);
    });
    this.client.on('error', (err: unknown) => this.failed(err));
    this.client.on('ready', () => {
      if (this.lost) this.log.info('sign-in rate limits: redis is back; counting across nodes again');
      this.lost = false;
    });
    // Connects, and reconnects after a loss, in the background; meanwhile the process's own counts are used.
    this.client.connect().catch((err: unknown) => this.failed(err));
  }

  /** The Redis key of `key` under a rule; hashed, so no e-mail address or IP is stored in a key name. */
  key(rule: string, key: string): string {
    return `${this.prefix}ratelimit:${rule}:${createHash('sha256').update(key).digest('hex')}`;
  }

  /** The count after this hit, or null. */
  hit(redisKey: string, windowMs: number): Promise<number | null> {
    return this.run(() => this.commands.eval(HIT_SCRIPT, { keys: [redisKey], arguments: [String(windowMs)] }));
  }

  /** Milliseconds until the key may try again (0: now), or null. */
  retryAfter(redisKey: string, max: number): Promise<number | null> {
    return this.run(() => this.commands.eval(RETRY_AFTER_SCRIPT, { keys: [redisKey], arguments: [String(max)] }));
  }

  /** True once deleted, or null. */
  async reset(redisKey: string): Promise<boolean | null> {
    return (await this.run(() => this.commands.del(redisKey))) === null ? null : true;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.client.isReady) await this.client.close();
    else if (this.client.isOpen) this.client.destroy();
  }

  private async run(command: () => Promise<unknown>): Promise<number | null> {
    if (!this.client.isReady && !this.closed) await within(this.firstAttempt, RATE_LIMIT_REDIS_TIMEOUT_MS);
    if (this.closed || !this.client.isReady) {
      if (!this.closed) this.failed(new Error('redis is not connected'));
      return null;
    }
    try {
      const reply = Number(await command());
      return Number.isFinite(reply) ? reply : null;
    } catch (err) {
      this.failed(err);
      return null;
    }
  }

  private failed(err: unknown): void {
    if (this.closed) return;
    if (!this.lost) this.log.warn({ err }, 'sign-in rate limits: redis unavailable; counting in this process until it is back');
    this.lost = true;
  }
}

/** Waits for `p`, at most `ms`. */
function within(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A rule counted in Redis across nodes, and in this process while Redis is unavailable. */
export class RedisRateLimiter implements RateLimit {
  private readonly local: RateLimiter;

  constructor(
    private readonly counters: RedisCounters,
    private readonly name: string,
    private readonly rule: RateLimitRule,
  ) {
    this.local = new RateLimiter(rule);
  }

  async retryAfter(key: string, now: number): Promise<number> {
    const wait = await this.counters.retryAfter(this.counters.key(this.name, key), this.rule.max);
    return wait ?? this.local.retryAfter(key, now);
  }

  async hit(key: string, now: number): Promise<void> {
    const count = await this.counters.hit(this.counters.key(this.name, key), this.rule.windowMs);
    if (count === null) this.local.hit(key, now);
  }

  async reset(key: string): Promise<void> {
    this.local.reset(key);
    await this.counters.reset(this.counters.key(this.name, key));
  }
}

/** One connection per configuration (per bootstrap), however many apps are built from it. */
const countersByConfig = new WeakMap<Config, RedisCounters>();

/** A named rule: in Redis when the configuration has REDIS_URL, else in this process. */
export function rateLimitFor(config: Config, log: Logger, name: string, rule: RateLimitRule): RateLimit {
  if (!config.redisUrl) return new RateLimiter(rule);
  let counters = countersByConfig.get(config);
  if (!counters) {
    counters = new RedisCounters(config.redisUrl, config.redisPrefix, log);
    countersByConfig.set(config, counters);
  }
  return new RedisRateLimiter(counters, name, rule);
}

/** Closes the rate-limit connection of a configuration, if it has one (when the context closes). */
export async function closeRateLimits(config: Config): Promise<void> {
  const counters = countersByConfig.get(config);
  countersByConfig.delete(config);
  await counters?.close();
}
