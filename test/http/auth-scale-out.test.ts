/**
 * Sign-in limits over two nodes sharing Redis (REDIS_URL): failures alternated between the
 * nodes wait at the same count as on one node, parallel guesses sent to both nodes get no
 * more through than on one, a success on one node clears the pair for both, and the Redis
 * keys hold no e-mail address. With Redis unreachable, sign-in still works and the
 * per-process limits hold.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { closeRateLimits, RATE_LIMIT_REDIS_TIMEOUT_MS } from '../../server/auth/rate-limit.ts';
import { SIGN_IN_ACCOUNT_LIMIT, SIGN_IN_ADDRESS_LIMIT, SIGN_IN_PAIR_LIMIT } from '../../server/auth/sign-in-limits.ts';
import type { Config } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { freePort } from '../helpers/cluster.ts';
import { createTestContext, jsonRequest, seedUser, TEST_PASSWORD, type TestContext } from '../helpers/context.ts';
import { type SharedRedis, sharedRedis } from '../helpers/redis.ts';

type App = ReturnType<typeof createApp>;

let redis: SharedRedis;
let t: TestContext;
/** Two apps on one database and one Redis, each with a Redis connection of its own, as two processes would have. */
let nodes: [App, App];
const configs: Config[] = [];
let clock: Date;

/** A sign-in through `app`; each attempt from an address of its own unless one is given. */
let nextAddress = 0;
function signIn(app: App, email: string, password: string, address = `10.2.${Math.floor(nextAddress / 250)}.${nextAddress++ % 250}`) {
  const init = jsonRequest('POST', { email, password });
  return app.request('/api/auth/login', { ...init, headers: { ...init.headers, 'x-forwarded-for': address } });
}

const WRONG = 'Wrong-Horse-42';
/** Attempt i goes to node A when even, node B when odd. */
const alternate = (i: number): App => (i % 2 === 0 ? nodes[0] : nodes[1]);

beforeAll(async () => {
  redis = sharedRedis();
  t = await createTestContext({ redisUrl: redis.url, redisPrefix: redis.prefix, trustProxy: true });
  // One clock for both nodes, moved only by hand: a wait shown is the whole wait, however slow the machine.
  clock = new Date();
  t.ctx.now = () => clock;
  const other: Config = { ...t.ctx.config };
  configs.push(t.ctx.config, other);
  nodes = [t.app, createApp({ ...t.ctx, config: other })];
});
afterAll(async () => {
  for (const c of configs) await closeRateLimits(c);
  await t?.close();
  await redis?.cleanup();
});

describe('sign-in limits across two nodes sharing Redis', () => {
  const FIXED = '10.3.1.1';

  it('one node: past the free failures from one address, even the right password waits', async () => {
    const u = await seedUser(t.ctx);
    for (let i = 0; i < SIGN_IN_PAIR_LIMIT.free; i++) expect((await signIn(nodes[0], u.email, WRONG, FIXED)).status).toBe(401);
    expect((await signIn(nodes[0], u.email, TEST_PASSWORD, FIXED)).status).toBe(429);
    // The owner elsewhere is not held back.
    expect((await signIn(nodes[0], u.email, TEST_PASSWORD)).status).toBe(200);
  });

  it('failures alternated between the nodes wait at the same total count, on either node', async () => {
    const u = await seedUser(t.ctx);
    const address = '10.3.1.2';
    for (let i = 0; i < SIGN_IN_PAIR_LIMIT.free; i++) expect((await signIn(alternate(i), u.email, WRONG, address)).status).toBe(401);
    for (const node of nodes) {
      const res = await signIn(node, u.email, TEST_PASSWORD, address);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBe(SIGN_IN_PAIR_LIMIT.baseDelayMs / 1000);
    }
  });

  it('waits grow in Redis as they do in one process, whichever node is asked', async () => {
    const u = await seedUser(t.ctx);
    const address = '10.3.1.5';
    const waits: number[] = [];
    for (let i = 0; i < SIGN_IN_PAIR_LIMIT.free; i++) expect((await signIn(alternate(i), u.email, WRONG, address)).status).toBe(401);
    for (let i = 0; i < 6; i++) {
      const res = await signIn(alternate(i + 1), u.email, TEST_PASSWORD, address);
      expect(res.status).toBe(429);
      waits.push(Number(res.headers.get('retry-after')));
      clock = new Date(clock.getTime() + waits.at(-1)! * 1000);
      expect((await signIn(alternate(i), u.email, WRONG, address)).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32]);
  });

  it('guesses sent to both nodes at once get no more through than on one', async () => {
    const u = await seedUser(t.ctx);
    const statuses = await Promise.all(Array.from({ length: 16 }, (_, i) => Promise.resolve(signIn(alternate(i), u.email, WRONG, '10.3.1.3')).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(SIGN_IN_PAIR_LIMIT.free);
  });

  it('many addresses spread over the nodes slow the account down on both', async () => {
    const u = await seedUser(t.ctx);
    for (let i = 0; i < SIGN_IN_ACCOUNT_LIMIT.free; i++) expect((await signIn(alternate(i), u.email, WRONG)).status).toBe(401);
    for (const node of nodes) {
      const res = await signIn(node, u.email, TEST_PASSWORD);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBe(SIGN_IN_ACCOUNT_LIMIT.baseDelayMs / 1000);
    }
  });

  it('a success on one node clears the pair on both; keys are hashed, never the address', async () => {
    const u = await seedUser(t.ctx);
    const address = '10.3.1.4';
    const pairKey = `${redis.prefix}ratelimit:login-pair:${createHash('sha256').update(JSON.stringify([u.email.toLowerCase(), address])).digest('hex')}`;
    for (let i = 0; i < SIGN_IN_PAIR_LIMIT.free - 1; i++) expect((await signIn(alternate(i), u.email, WRONG, address)).status).toBe(401);
    const keys = await redis.keys();
    expect(keys).toContain(pairKey);
    expect(keys.some((k) => k.includes('@') || k.includes('10.3.'))).toBe(false);
    expect((await signIn(nodes[0], u.email, TEST_PASSWORD, address)).status).toBe(200);
    expect(await redis.keys()).not.toContain(pairKey);
    // Node B counts from zero again: the free failures, then a wait.
    for (let i = 0; i < SIGN_IN_PAIR_LIMIT.free; i++) expect((await signIn(nodes[1], u.email, WRONG, address)).status).toBe(401);
    expect((await signIn(nodes[1], u.email, TEST_PASSWORD, address)).status).toBe(429);
  });

  it('failures from one address are counted across the nodes too; successes are not', async () => {
    const address = '10.3.0.1';
    const u = await seedUser(t.ctx);
    for (let i = 0; i < 2 * SIGN_IN_ADDRESS_LIMIT.free; i++) expect((await signIn(alternate(i), u.email, TEST_PASSWORD, address)).status).toBe(200);
    for (let i = 0; i < SIGN_IN_ADDRESS_LIMIT.free; i++) {
      expect((await signIn(alternate(i), `ghost${i}@example.com`, WRONG, address)).status).toBe(401);
    }
    expect((await signIn(nodes[1], u.email, TEST_PASSWORD, address)).status).toBe(429);
    expect((await signIn(nodes[0], u.email, TEST_PASSWORD, address)).status).toBe(429);
  });
});

describe('sign-in with Redis unreachable', () => {
  /** Log records of the node, to see what it warned about and that no e-mail address appears. */
  const lines: string[] = [];
  let node: App;

  beforeAll(async () => {
    const log = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    // A port nothing listens on.
    const config: Config = { ...t.ctx.config, redisUrl: `redis://127.0.0.1:${await freePort()}` };
    configs.push(config);
    node = createApp({ ...t.ctx, config, log });
  });

  it('still signs in, without waiting on Redis, and limits failures per process; one warning, no e-mail address logged', async () => {
    const u = await seedUser(t.ctx);
    const started = Date.now();
    expect((await signIn(node, u.email, TEST_PASSWORD)).status).toBe(200);
    // Two counter commands at most wait for the first connection attempt: far below a second each.
    expect(Date.now() - started).toBeLessThan(1000 + 2 * RATE_LIMIT_REDIS_TIMEOUT_MS);
    const address = '10.4.0.1';
    for (let i = 0; i < SIGN_IN_PAIR_LIMIT.free; i++) expect((await signIn(node, u.email, WRONG, address)).status).toBe(401);
    const res = await signIn(node, u.email, TEST_PASSWORD, address);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const warnings = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((r) => r.level === 40 && r.msg.startsWith('sign-in rate limits'));
    expect(warnings).toHaveLength(1);
    expect(lines.some((l) => l.includes(u.email))).toBe(false);
  });
});
