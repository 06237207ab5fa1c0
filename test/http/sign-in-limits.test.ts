/**
 * Fair sign-in limits (docs/security.md, *Sign-in limits*): a stranger guessing at one
 * address neither locks the owner out nor slows them down elsewhere; the pair's waits grow;
 * many addresses together slow the account down, boundedly; successes do not use up an
 * address; and every failure and limit reached is a security event with no password in it.
 * The clock is the context's, moved by hand.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SIGN_IN_ACCOUNT_LIMIT, SIGN_IN_ADDRESS_LIMIT, SIGN_IN_PAIR_LIMIT } from '../../server/auth/sign-in-limits.ts';
import { SECURITY_ENTITY_TYPE } from '../../server/audit/security-events.ts';
import { createTestContext, jsonRequest, seedUser, TEST_PASSWORD, type TestContext } from '../helpers/context.ts';

const WRONG = 'Wrong-Horse-42';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) TandemTest/1.0';

let t: TestContext;
let clock: number;

beforeAll(async () => {
  t = await createTestContext({ trustProxy: true });
  t.ctx.now = () => new Date(clock);
});
afterAll(() => t.close());
// Each test on a clock of its own, a day after the last one's, so no count carries over.
let epoch = Date.now();
beforeEach(() => {
  epoch += 24 * 3600 * 1000;
  clock = epoch;
});

function signIn(email: string, password: string, address: string) {
  const init = jsonRequest('POST', { email, password });
  return t.app.request('/api/auth/login', { ...init, headers: { ...init.headers, 'x-forwarded-for': address, 'user-agent': BROWSER } });
}

async function refusal(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, code: body.error.code, retryAfter: Number(res.headers.get('retry-after')) };
}

/** The security events about `userId` or `email`, oldest first. */
async function eventsAbout(filter: { userId?: string; email?: string }) {
  const rows = await t.ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', SECURITY_ENTITY_TYPE)
    .orderBy('id')
    .execute();
  return rows
    .map((r) => ({ ...r, changes: (typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes) as Record<string, unknown> }))
    .filter((r) => (filter.userId && r.actor_id === filter.userId) || (filter.email && r.changes.email === filter.email));
}

describe('a stranger guessing from one address', () => {
  it('fails 20 times while the owner signs in at once from another address', async () => {
    const owner = await seedUser(t.ctx);
    const statuses: number[] = [];
    // The stranger waits out every refusal, so all 20 are real failures.
    while (statuses.filter((s) => s === 401).length < 20) {
      const res = await signIn(owner.email, WRONG, '203.0.113.66');
      statuses.push(res.status);
      if (res.status === 429) clock += (await refusal(res)).retryAfter * 1000;
      else expect(res.status).toBe(401);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20 - SIGN_IN_PAIR_LIMIT.free);
    // Right after the stranger's 20th failure: the owner at the office.
    const res = await signIn(owner.email, TEST_PASSWORD, '198.51.100.20');
    expect(res.status).toBe(200);
    // The stranger, guessing right now, is still told to wait: no answer about the password.
    expect(await refusal(await signIn(owner.email, TEST_PASSWORD, '203.0.113.66'))).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it('hammering without waiting gets refusals, and the owner still signs in at once', async () => {
    const owner = await seedUser(t.ctx);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await signIn(owner.email, WRONG, '203.0.113.67')).status);
    expect(statuses).toEqual([...Array(SIGN_IN_PAIR_LIMIT.free).fill(401), ...Array(20 - SIGN_IN_PAIR_LIMIT.free).fill(429)]);
    expect((await signIn(owner.email, TEST_PASSWORD, '198.51.100.21')).status).toBe(200);
  });

  it('sending 20 guesses in parallel gets no more through than one after another', async () => {
    const owner = await seedUser(t.ctx);
    const statuses = await Promise.all(Array.from({ length: 20 }, () => Promise.resolve(signIn(owner.email, WRONG, '203.0.113.68')).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(SIGN_IN_PAIR_LIMIT.free);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - SIGN_IN_PAIR_LIMIT.free);
  });
});

describe('one account from one address', () => {
  it('waits 1 s, 2 s, 4 s … after the free failures, capped, until it signs in', async () => {
    const u = await seedUser(t.ctx);
    const address = '192.0.2.10';
    const waits: number[] = [];
    for (let failures = 1; failures <= SIGN_IN_PAIR_LIMIT.free + 10; failures++) {
      expect((await signIn(u.email, WRONG, address)).status).toBe(401);
      if (failures < SIGN_IN_PAIR_LIMIT.free) continue;
      // Past the free failures, even the right password must wait.
      const r = await refusal(await signIn(u.email, TEST_PASSWORD, address));
      expect(r).toMatchObject({ status: 429, code: 'rate_limited' });
      waits.push(r.retryAfter);
      // One millisecond early is still too early.
      clock += r.retryAfter * 1000 - 1;
      expect((await signIn(u.email, WRONG, address)).status).toBe(429);
      clock += 1;
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, SIGN_IN_PAIR_LIMIT.maxDelayMs / 1000]);
    // The wait over, the right password signs in and the pair starts afresh.
    expect((await signIn(u.email, TEST_PASSWORD, address)).status).toBe(200);
    for (let i = 0; i < SIGN_IN_PAIR_LIMIT.free; i++) expect((await signIn(u.email, WRONG, address)).status).toBe(401);
  });
});

describe('one account from many addresses', () => {
  it('slows every attempt down, never beyond the cap, and the owner gets in after the wait', async () => {
    const owner = await seedUser(t.ctx);
    const waits: number[] = [];
    let i = 0;
    while (waits.length < 8) {
      const res = await signIn(owner.email, WRONG, `10.20.${i >> 8}.${i++ & 255}`);
      if (res.status === 401) continue;
      const r = await refusal(res);
      expect(r).toMatchObject({ status: 429, code: 'rate_limited' });
      waits.push(r.retryAfter);
      clock += r.retryAfter * 1000;
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 30, 30, 30]);
    expect(Math.max(...waits)).toBeLessThanOrEqual(SIGN_IN_ACCOUNT_LIMIT.maxDelayMs / 1000);
    // One more guess, counted just now: the owner, from home, waits — boundedly.
    expect((await signIn(owner.email, WRONG, '10.21.0.1')).status).toBe(401);
    const res = await signIn(owner.email, TEST_PASSWORD, '198.51.100.30');
    const r = await refusal(res);
    expect(r.status).toBe(429);
    expect(r.retryAfter).toBe(SIGN_IN_ACCOUNT_LIMIT.maxDelayMs / 1000);
    clock += r.retryAfter * 1000;
    expect((await signIn(owner.email, TEST_PASSWORD, '198.51.100.30')).status).toBe(200);
  });
});

describe('one address for many accounts', () => {
  it('does not count successes: 40 sign-ins from one office address all succeed', async () => {
    const people = await Promise.all(Array.from({ length: 8 }, () => seedUser(t.ctx)));
    for (let i = 0; i < 40; i++) expect((await signIn(people[i % people.length]!.email, TEST_PASSWORD, '192.0.2.200')).status).toBe(200);
  });

  it('counts failures: after the allowance, even the right password waits', async () => {
    const u = await seedUser(t.ctx);
    const address = '192.0.2.201';
    for (let i = 0; i < SIGN_IN_ADDRESS_LIMIT.free; i++) expect((await signIn(`ghost${i}@example.com`, WRONG, address)).status).toBe(401);
    const r = await refusal(await signIn(u.email, TEST_PASSWORD, address));
    expect(r).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: SIGN_IN_ADDRESS_LIMIT.maxDelayMs / 1000 });
    // Another address is not affected, nor the same address once the wait is over.
    expect((await signIn(u.email, TEST_PASSWORD, '192.0.2.202')).status).toBe(200);
    clock += SIGN_IN_ADDRESS_LIMIT.maxDelayMs;
    expect((await signIn(u.email, TEST_PASSWORD, address)).status).toBe(200);
  });

  it('counts an IPv6 /64 as one address', async () => {
    for (let i = 0; i < SIGN_IN_ADDRESS_LIMIT.free; i++) {
      expect((await signIn(`ghost6-${i}@example.com`, WRONG, `2001:db8:aa:bb::${(i + 1).toString(16)}`)).status).toBe(401);
    }
    expect((await signIn('ghost6-x@example.com', WRONG, '2001:db8:aa:bb:ffff::1')).status).toBe(429);
    expect((await signIn('ghost6-x@example.com', WRONG, '2001:db8:aa:cc::1')).status).toBe(401);
  });
});

describe('security events of sign-in', () => {
  it('record each failure and the limit reached, with who, where and which browser, never the password', async () => {
    const owner = await seedUser(t.ctx, { email: 'zhang.wei@example.com' });
    for (let i = 0; i < SIGN_IN_PAIR_LIMIT.free + 5; i++) await signIn('  Zhang.Wei@Example.com ', WRONG, '203.0.113.90');
    const events = await eventsAbout({ userId: owner.id });
    const failed = events.filter((e) => e.action === 'login_failed');
    const throttled = events.filter((e) => e.action === 'login_throttled');
    expect(failed).toHaveLength(SIGN_IN_PAIR_LIMIT.free);
    expect(failed[0]).toMatchObject({
      actor_id: owner.id,
      entity_id: owner.id,
      changes: { email: 'zhang.wei@example.com', address: '203.0.113.90', userAgent: BROWSER, reason: 'wrong_password' },
    });
    // Five refusals within a minute: one event.
    expect(throttled).toHaveLength(1);
    expect(throttled[0]!.changes).toMatchObject({ limit: 'pair', retryAfterSeconds: 1, address: '203.0.113.90' });
    expect(JSON.stringify(events)).not.toContain(WRONG);

    // A minute on, still refused: another event.
    clock += 60_000 + 1000;
    expect((await signIn(owner.email, WRONG, '203.0.113.90')).status).toBe(401);
    expect((await signIn(owner.email, WRONG, '203.0.113.90')).status).toBe(429);
    expect((await eventsAbout({ userId: owner.id })).filter((e) => e.action === 'login_throttled')).toHaveLength(2);
  });

  it('record an unknown e-mail address, a deactivated account, and not a password typed as the sign-in name', async () => {
    await signIn('nobody.here@example.com', WRONG, '203.0.113.91');
    expect(await eventsAbout({ email: 'nobody.here@example.com' })).toMatchObject([
      { action: 'login_failed', actor_id: null, entity_id: 'unknown', changes: { reason: 'unknown_login', address: '203.0.113.91' } },
    ]);

    const gone = await seedUser(t.ctx);
    await t.ctx.db.updateTable('users').set({ active: false }).where('id', '=', gone.id).execute();
    expect((await signIn(gone.email, TEST_PASSWORD, '203.0.113.92')).status).toBe(401);
    expect(await eventsAbout({ userId: gone.id })).toMatchObject([{ action: 'login_failed', changes: { reason: 'deactivated' } }]);

    // Someone typed their password into the sign-in name field, then their name into the password field.
    const secret = 'Tr0ub4dor-and-3';
    expect((await signIn(secret, 'li.na', '203.0.113.93')).status).toBe(401);
    const rows = await t.ctx.db.selectFrom('audit_log').selectAll().where('entity_type', '=', SECURITY_ENTITY_TYPE).execute();
    const mine = rows.filter((r) => JSON.stringify(r.changes).includes('203.0.113.93'));
    expect(mine).toHaveLength(1);
    expect(JSON.stringify(mine)).not.toContain(secret);
    expect(JSON.stringify(mine)).not.toContain('li.na');
    expect(JSON.stringify(rows)).not.toContain(TEST_PASSWORD);
  });

  it('are not written for a successful sign-in', async () => {
    const u = await seedUser(t.ctx);
    expect((await signIn(u.email, TEST_PASSWORD, '203.0.113.94')).status).toBe(200);
    expect(await eventsAbout({ userId: u.id })).toEqual([]);
  });
});
