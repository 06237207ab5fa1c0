/**
 * Sign-in rate limits over two nodes sharing Redis (REDIS_URL): failures
 * alternated between the nodes reach 429 at the same count as on one node,
 * a success on one node clears the count for both, and the Redis keys hold
 * no e-mail address. With Redis unreachable, sign-in still works and the
 * per-process limit holds.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { LOGIN_ACCOUNT_LIMIT, LOGIN_ADDRESS_LIMIT } from '../../server/auth/auth.routes.ts';
import { closeRateLimits, RATE_LIMIT_REDIS_TIMEOUT_MS } from '../../server/auth/rate-limit.ts';
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
  it('one node: the attempt after the allowed failures is refused with 429', async () => {
    const u = await seedUser(t.ctx);
    for (let i = 0; i < LOGIN_ACCOUNT_LIMIT.max; i++) expect((await signIn(nodes[0], u.email, WRONG)).status).toBe(401);
    expect((await signIn(nodes[0], u.email, TEST_PASSWORD)).status).toBe(429);
  });

  it('failures alternated between the nodes hit 429 at the same total count, on either node', async () => {
    const u = await seedUser(t.ctx);
    for (let i = 0; i < LOGIN_ACCOUNT_LIMIT.max; i++) expect((await signIn(alternate(i), u.email, WRONG)).status).toBe(401);
    for (const node of nodes) {
      const res = await signIn(node, u.email, TEST_PASSWORD);
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(LOGIN_ACCOUNT_LIMIT.windowMs / 1000);
    }
  });

  it('a success on one node clears the count on both; keys are hashed, never the address', async () => {
    const u = await seedUser(t.ctx);
    const key = `${redis.prefix}ratelimit:login-account:${createHash('sha256').update(u.email.toLowerCase()).digest('hex')}`;
    for (let i = 0; i < LOGIN_ACCOUNT_LIMIT.max - 1; i++) expect((await signIn(alternate(i), u.email, WRONG)).status).toBe(401);
    const keys = await redis.keys();
    expect(keys).toContain(key);
    expect(keys.some((k) => k.includes('@') || k.includes('10.2.'))).toBe(false);
    expect((await signIn(nodes[0], u.email, TEST_PASSWORD)).status).toBe(200);
    expect(await redis.keys()).not.toContain(key);
    // Node B counts from zero again: the full allowance, then 429.
    for (let i = 0; i < LOGIN_ACCOUNT_LIMIT.max; i++) expect((await signIn(nodes[1], u.email, WRONG)).status).toBe(401);
    expect((await signIn(nodes[1], u.email, TEST_PASSWORD)).status).toBe(429);
  });

  it('attempts from one address are counted across the nodes too', async () => {
    const address = '10.3.0.1';
    for (let i = 0; i < LOGIN_ADDRESS_LIMIT.max; i++) {
      expect((await signIn(alternate(i), `ghost${i}@example.com`, WRONG, address)).status).toBe(401);
    }
    const u = await seedUser(t.ctx);
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
    for (let i = 0; i < LOGIN_ACCOUNT_LIMIT.max; i++) expect((await signIn(node, u.email, WRONG)).status).toBe(401);
    const res = await signIn(node, u.email, TEST_PASSWORD);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const warnings = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((r) => r.level === 40 && r.msg.startsWith('sign-in rate limits'));
    expect(warnings).toHaveLength(1);
    expect(lines.some((l) => l.includes(u.email))).toBe(false);
  });
});
