/**
 * Where the sign-in limits (backoff.ts) keep their counts.
 *
 * Without REDIS_URL, in this process (`LocalBackoff`). With REDIS_URL, `RedisBackoff` keeps
 * them in Redis so that all nodes share one allowance: each take is one script, so two nodes
 * cannot both pass on the same count. The times compared are the callers' (`now`), so every
 * node must keep reasonable time; Redis only expires idle keys. While Redis is unreachable the
 * counts are kept in this process instead, which still bounds guessing; sign-in never waits on
 * Redis for long and never fails because of it.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { createRedisClient, type RedisClient } from '../redis-client.ts';
import type { Config } from '../config.ts';
import { type Backoff, type BackoffRule, LocalBackoff, type Take } from './backoff.ts';

/** Longest wait for one counter command before this process's own counts are used. */
export const RATE_LIMIT_REDIS_TIMEOUT_MS = 500;

/**
 * backoff.ts's rule in Lua: the key's count and last attempt; forgotten after ARGV[4] ms idle.
 * ARGV: free, baseDelayMs, maxDelayMs, forgetMs, now.
 */
const STATE_LUA = `local free, base, maxd, forget, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
if n > 0 and now - last >= forget then n = 0 end
local wait = 0
if n > 0 and n >= free then
  local delay = math.min(base * 2 ^ (n - free), maxd)
  wait = math.min(delay, math.max(0, last + delay - now))
end`;

/** Counts an attempt: the new count, or minus the wait when the key must wait (nothing counted). */
const TAKE_SCRIPT = `${STATE_LUA}
if wait > 0 then return -math.ceil(wait) end
n = n + 1
redis.call('HSET', KEYS[1], 'n', n, 'last', now)
redis.call('PEXPIRE', KEYS[1], forget)
return n`;

/** The wait, counting nothing. */
const WAIT_SCRIPT = `${STATE_LUA}
return math.ceil(wait)`;

/** One attempt given back; a missing key stays missing. */
const REFUND_SCRIPT = `local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if n > 0 then redis.call('HSET', KEYS[1], 'n', n - 1) end
return n`;

type Client = RedisClient;

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
    this.client = createRedisClient({ url, disableOfflineQueue: true });
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

  /** The new count (> 0), minus the wait in ms (< 0), or null. */
  take(redisKey: string, rule: BackoffRule, now: number): Promise<number | null> {
    return this.run(() => this.commands.eval(TAKE_SCRIPT, { keys: [redisKey], arguments: ruleArguments(rule, now) }));
  }

  /** Milliseconds until the key may try again (0: now), or null. */
  wait(redisKey: string, rule: BackoffRule, now: number): Promise<number | null> {
    return this.run(() => this.commands.eval(WAIT_SCRIPT, { keys: [redisKey], arguments: ruleArguments(rule, now) }));
  }

  /** The count before the refund, or null. */
  refund(redisKey: string): Promise<number | null> {
    return this.run(() => this.commands.eval(REFUND_SCRIPT, { keys: [redisKey], arguments: [] }));
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

function ruleArguments(rule: BackoffRule, now: number): string[] {
  return [rule.free, rule.baseDelayMs, rule.maxDelayMs, rule.forgetMs, Math.floor(now)].map(String);
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
export class RedisBackoff implements Backoff {
  private readonly local: LocalBackoff;

  constructor(
    private readonly counters: RedisCounters,
    private readonly name: string,
    private readonly rule: BackoffRule,
  ) {
    this.local = new LocalBackoff(rule);
  }

  async take(key: string, now: number): Promise<Take> {
    const reply = await this.counters.take(this.counters.key(this.name, key), this.rule, now);
    if (reply === null) return this.local.take(key, now);
    return reply > 0 ? { ok: true, count: reply } : { ok: false, waitMs: -reply };
  }

  async wait(key: string, now: number): Promise<number> {
    return (await this.counters.wait(this.counters.key(this.name, key), this.rule, now)) ?? this.local.wait(key, now);
  }

  async refund(key: string): Promise<void> {
    // Given back where it was most likely counted: in Redis while it answers.
    if ((await this.counters.refund(this.counters.key(this.name, key))) === null) this.local.refund(key);
  }

  async reset(key: string): Promise<void> {
    this.local.reset(key);
    await this.counters.reset(this.counters.key(this.name, key));
  }
}

/** One connection per configuration (per bootstrap), however many apps are built from it. */
const countersByConfig = new WeakMap<Config, RedisCounters>();

/** A named rule: in Redis when the configuration has REDIS_URL, else in this process. */
export function backoffFor(config: Config, log: Logger, name: string, rule: BackoffRule): Backoff {
  if (!config.redisUrl) return new LocalBackoff(rule);
  let counters = countersByConfig.get(config);
  if (!counters) {
    counters = new RedisCounters(config.redisUrl, config.redisPrefix, log);
    countersByConfig.set(config, counters);
  }
  return new RedisBackoff(counters, name, rule);
}

/** Closes the rate-limit connection of a configuration, if it has one (when the context closes). */
export async function closeRateLimits(config: Config): Promise<void> {
  const counters = countersByConfig.get(config);
  countersByConfig.delete(config);
  await counters?.close();
}
