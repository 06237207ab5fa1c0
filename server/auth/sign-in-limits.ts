/**
 * How often sign-in may be tried, so that guessing passwords is slow and nobody can lock a
 * colleague out by typing wrong passwords for their e-mail address:
 *
 * - **pair** (one account from one address): a few free failures, then 1 s, 2 s, 4 s … up to
 *   15 minutes between attempts. This is what holds back one guesser.
 * - **account** (one account from every address): counts only the first few failures of each
 *   address, so one guesser does not slow the owner down; many addresses together (a
 *   distributed guess) make every attempt on the account wait, at most 30 s.
 * - **address** (every account from one address): 30 failures, then a 15-minute wait.
 *   Only failures count, so an office behind one address can sign in all day.
 *
 * The right password never passes a limit that is refusing (that would let guessing go on at
 * full speed); the owner's other addresses are not limited by one guesser. Attempts are counted
 * when they start and given back on success (backoff.ts), so parallel attempts cannot slip through.
 * Counts are shared by every node through Redis with REDIS_URL (rate-limit.ts).
 */
import type { Logger } from 'pino';
import type { SignInLimit } from '../../schema/wire/security-events.ts';
import type { Config } from '../config.ts';
import { addressKey } from '../http/client-address.ts';
import type { Backoff, BackoffRule } from './backoff.ts';
import { backoffFor } from './rate-limit.ts';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

export const SIGN_IN_PAIR_LIMIT: BackoffRule = { free: 3, baseDelayMs: SECOND_MS, maxDelayMs: 15 * MINUTE_MS, forgetMs: 60 * MINUTE_MS };
export const SIGN_IN_ACCOUNT_LIMIT: BackoffRule = { free: 10, baseDelayMs: SECOND_MS, maxDelayMs: 30 * SECOND_MS, forgetMs: 15 * MINUTE_MS };
export const SIGN_IN_ADDRESS_LIMIT: BackoffRule = { free: 30, baseDelayMs: 15 * MINUTE_MS, maxDelayMs: 15 * MINUTE_MS, forgetMs: 15 * MINUTE_MS };

/** At most one `login_throttled` event per limit and key in this interval, on each node: a flood of refusals is not a flood of rows. */
export const THROTTLE_EVENT_INTERVAL_MS = MINUTE_MS;
const MAX_REPORTED_KEYS = 10_000;

/** An attempt let through: what to give back if it succeeds. */
export interface SignInAttempt {
  readonly pairKey: string;
  readonly login: string;
  readonly addressKey: string;
  /** Whether the account counted this attempt (only an address's first few do). */
  readonly accountCounted: boolean;
}

export type Admission = { ok: true; attempt: SignInAttempt } | { ok: false; limit: SignInLimit; waitMs: number; key: string };

export class SignInLimits {
  private readonly reported = new Map<string, number>();

  constructor(
    private readonly pair: Backoff,
    private readonly account: Backoff,
    private readonly address: Backoff,
  ) {}

  /** The three rules for a configuration: in Redis with REDIS_URL, else in this process. */
  static for(config: Config, log: Logger): SignInLimits {
    return new SignInLimits(
      backoffFor(config, log, 'login-pair', SIGN_IN_PAIR_LIMIT),
      backoffFor(config, log, 'login-account', SIGN_IN_ACCOUNT_LIMIT),
      backoffFor(config, log, 'login-address', SIGN_IN_ADDRESS_LIMIT),
    );
  }

  /** Counts an attempt of `login` (lower-cased) from `address`, or says which limit refuses and for how long. */
  async admit(login: string, address: string, now: number): Promise<Admission> {
    const addrKey = addressKey(address);
    const pairKey = JSON.stringify([login, addrKey]);
    const pair = await this.pair.take(pairKey, now);
    if (!pair.ok) return { ok: false, limit: 'pair', waitMs: pair.waitMs, key: pairKey };

    // One address's failures past the pair's free ones are the pair limit's business.
    const accountCounted = pair.count <= SIGN_IN_PAIR_LIMIT.free;
    const accountWait = accountCounted ? await this.account.take(login, now) : waitOnly(await this.account.wait(login, now));
    if (!accountWait.ok) {
      await this.pair.refund(pairKey);
      return { ok: false, limit: 'account', waitMs: accountWait.waitMs, key: login };
    }

    const addr = await this.address.take(addrKey, now);
    if (!addr.ok) {
      await this.pair.refund(pairKey);
      if (accountCounted) await this.account.refund(login);
      return { ok: false, limit: 'address', waitMs: addr.waitMs, key: addrKey };
    }
    return { ok: true, attempt: { pairKey, login, addressKey: addrKey, accountCounted } };
  }

  /** The attempt signed in: the pair starts afresh, and the account and the address get it back. */
  async succeeded(attempt: SignInAttempt): Promise<void> {
    await Promise.all([
      this.pair.reset(attempt.pairKey),
      attempt.accountCounted ? this.account.refund(attempt.login) : undefined,
      this.address.refund(attempt.addressKey),
    ]);
  }

  /**
   * The attempt was neither a success nor a failure (the right password, a second factor still
   * to come): it is given back to all three, but the pair is not cleared, so that asking for the
   * code in between does not wipe the count of wrong codes.
   */
  async released(attempt: SignInAttempt): Promise<void> {
    await Promise.all([
      this.pair.refund(attempt.pairKey),
      attempt.accountCounted ? this.account.refund(attempt.login) : undefined,
      this.address.refund(attempt.addressKey),
    ]);
  }

  /** Whether a refusal by `limit` of `key` should be recorded now (rate of events, not of refusals). */
  shouldReport(limit: SignInLimit, key: string, now: number): boolean {
    const id = `${limit}\n${key}`;
    const last = this.reported.get(id);
    if (last !== undefined && now - last < THROTTLE_EVENT_INTERVAL_MS && now >= last) return false;
    if (this.reported.size >= MAX_REPORTED_KEYS) {
      for (const [k, at] of this.reported) if (now - at >= THROTTLE_EVENT_INTERVAL_MS) this.reported.delete(k);
      if (this.reported.size >= MAX_REPORTED_KEYS) this.reported.clear();
    }
    this.reported.set(id, now);
    return true;
  }
}

function waitOnly(waitMs: number): { ok: true } | { ok: false; waitMs: number } {
  return waitMs > 0 ? { ok: false, waitMs } : { ok: true };
}
