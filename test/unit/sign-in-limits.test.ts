/**
 * The sign-in limits as pure rules, in one process: growing waits per key, the three limits
 * together, and which addresses count as one.
 */
import { describe, expect, it } from 'vitest';
import { type BackoffRule, delayAfter, LocalBackoff } from '../../server/auth/backoff.ts';
import {
  SIGN_IN_ACCOUNT_LIMIT,
  SIGN_IN_ADDRESS_LIMIT,
  SIGN_IN_PAIR_LIMIT,
  SignInLimits,
} from '../../server/auth/sign-in-limits.ts';
import { addressKey } from '../../server/http/client-address.ts';

const RULE: BackoffRule = { free: 2, baseDelayMs: 1000, maxDelayMs: 8000, forgetMs: 60_000 };

describe('backoff rule', () => {
  it('lets `free` failures through, then doubles the wait up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 40].map((n) => delayAfter(RULE, n))).toEqual([0, 0, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(delayAfter({ ...RULE, free: 0 }, 0)).toBe(0);
    expect(delayAfter({ ...RULE, free: 0 }, 1)).toBe(2000);
  });

  it('counts attempts when they start, refuses while a wait runs, and forgets an idle key', () => {
    const b = new LocalBackoff(RULE);
    expect(b.take('k', 0)).toEqual({ ok: true, count: 1 });
    expect(b.take('k', 0)).toEqual({ ok: true, count: 2 });
    // Two started at once: the third must wait, however fast it comes.
    expect(b.take('k', 0)).toEqual({ ok: false, waitMs: 1000 });
    expect(b.wait('k', 400)).toBe(600);
    expect(b.wait('other', 400)).toBe(0);
    expect(b.take('k', 1000)).toEqual({ ok: true, count: 3 });
    expect(b.take('k', 2999)).toEqual({ ok: false, waitMs: 1 });
    expect(b.take('k', 3000)).toEqual({ ok: true, count: 4 });
    // A refund gives one back: the wait is that of three failures again.
    b.refund('k');
    expect(b.wait('k', 3000)).toBe(2000);
    expect(b.wait('k', 3000 + RULE.forgetMs)).toBe(0);
    expect(b.take('k', 3000 + RULE.forgetMs)).toEqual({ ok: true, count: 1 });
    b.reset('k');
    expect(b.take('k', 3000 + RULE.forgetMs)).toEqual({ ok: true, count: 1 });
  });

  it('never waits longer than the delay when the last attempt is stamped ahead of now', () => {
    const b = new LocalBackoff(RULE);
    b.take('k', 100_000);
    b.take('k', 100_000);
    expect(b.wait('k', 0)).toBe(1000);
  });
});

describe('the three sign-in limits', () => {
  const limits = () =>
    new SignInLimits(new LocalBackoff(SIGN_IN_PAIR_LIMIT), new LocalBackoff(SIGN_IN_ACCOUNT_LIMIT), new LocalBackoff(SIGN_IN_ADDRESS_LIMIT));

  it('are named constants with the documented bounds', () => {
    expect(SIGN_IN_PAIR_LIMIT.baseDelayMs).toBe(1000);
    expect(SIGN_IN_ACCOUNT_LIMIT.maxDelayMs).toBeLessThanOrEqual(30_000);
    expect(SIGN_IN_ADDRESS_LIMIT.free).toBe(30);
  });

  it('one guessing address cannot slow the account down for another address', async () => {
    const l = limits();
    let now = 0;
    for (let i = 0; i < 40; i++) {
      const a = await l.admit('li@example.com', '203.0.113.9', now);
      if (!a.ok) {
        expect(a.limit).toBe('pair');
        now += a.waitMs;
        continue;
      }
      now += 1;
    }
    const owner = await l.admit('li@example.com', '198.51.100.7', now);
    expect(owner.ok).toBe(true);
  });

  it('many addresses together slow the account down, at most to the cap, and refused attempts are given back', async () => {
    const l = limits();
    const waits: number[] = [];
    let now = 0;
    for (let i = 0; waits.length < 8; i++) {
      const a = await l.admit('li@example.com', `10.0.${i >> 8}.${i & 255}`, now);
      if (!a.ok) {
        expect(a.limit).toBe('account');
        waits.push(a.waitMs);
        now += a.waitMs;
      }
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    // Refused by the account, an address is not charged for the pair: it stays the account's refusal.
    const counted = await l.admit('li@example.com', '192.0.2.77', now);
    expect(counted.ok).toBe(true);
    for (let i = 0; i < 5; i++) expect(await l.admit('li@example.com', '192.0.2.78', now)).toMatchObject({ ok: false, limit: 'account' });
  });

  it('a success gives the address its attempt back and clears the pair', async () => {
    const l = limits();
    for (let i = 0; i < 100; i++) {
      const a = await l.admit(`user${i % 7}@example.com`, '192.0.2.1', 0);
      if (!a.ok) throw new Error(`attempt ${i} refused by ${a.limit}`);
      await l.succeeded(a.attempt);
    }
  });
});

describe('address key', () => {
  it('groups IPv6 addresses by /64 and keeps IPv4 as it is', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('unknown')).toBe('unknown');
  });
});
