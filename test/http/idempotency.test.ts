/**
 * `Idempotency-Key` on create routes (DESIGN.md): the same create sent twice in parallel makes
 * one record and two identical answers; a sequential repeat replays the first answer; another
 * body under the same key is a 409; keys are per user; a refused create releases its key; a
 * key is good for 24 hours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from '../../schema/wire/idempotency.ts';
import type { Database } from '../../schema/types.ts';
import type { User } from '../../server/users/user.ts';
import { ORIGIN, type TestContext, createTestContext, login, seedTeam, seedUser } from '../helpers/context.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

let t: TestContext;
let team: { id: string };
let manager: User;
let managerCookie: string;
let otherCookie: string;
let adminCookie: string;
let customerId: string;
let opportunityId: string;
let pipelineId: string;
let keyN = 0;
const newKey = () => `key-${++keyN}-${Math.random().toString(36).slice(2)}`;

function post(cookie: string, path: string, body: unknown, key?: string) {
  return t.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, cookie, ...(key === undefined ? {} : { [IDEMPOTENCY_KEY_HEADER]: key }) },
    body: JSON.stringify(body),
  });
}

async function answer(res: Response) {
  return { status: res.status, body: await res.text(), replayed: res.headers.get(IDEMPOTENT_REPLAYED_HEADER) };
}

async function rows(table: keyof Database, where?: [string, string]): Promise<number> {
  let q = t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (where) q = q.where(where[0] as never, '=', where[1] as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

beforeAll(async () => {
  t = await createTestContext();
  team = await seedTeam(t.ctx);
  manager = await seedUser(t.ctx, { role: 'manager', teamId: team.id });
  const other = await seedUser(t.ctx, { role: 'manager', teamId: team.id });
  const admin = await seedUser(t.ctx, { role: 'admin', teamId: team.id });
  [managerCookie, otherCookie, adminCookie] = [await login(t.app, manager.email), await login(t.app, other.email), await login(t.app, admin.email)];
  customerId = ((await (await post(managerCookie, '/api/customers', { name: 'Seed Trading', confirm: true })).json()) as { customer: { id: string } }).customer.id;
  const opp = (await (await post(managerCookie, '/api/opportunities', { customerId, name: 'Seed deal', amount: 100 })).json()) as {
    opportunity: { id: string; pipelineId: string };
  };
  opportunityId = opp.opportunity.id;
  pipelineId = opp.opportunity.pipelineId;
});

afterAll(async () => {
  await t?.close();
});

interface CreateRoute {
  name: string;
  cookie: () => string;
  path: () => string;
  /** A body that creates a record identified by `marker`. */
  body: (marker: string) => Record<string, unknown>;
  /** Records carrying `marker`. */
  count: (marker: string) => Promise<number>;
}

const CREATES: CreateRoute[] = [
  {
    name: 'customer (confirm: true)',
    cookie: () => managerCookie,
    path: () => '/api/customers',
    body: (m) => ({ name: m, confirm: true }),
    count: (m) => rows('customers', ['name', m]),
  },
  {
    name: 'contact',
    cookie: () => managerCookie,
    path: () => `/api/customers/${customerId}/contacts`,
    body: (m) => ({ name: m }),
    count: (m) => rows('contacts', ['name', m]),
  },
  {
    name: 'opportunity',
    cookie: () => managerCookie,
    path: () => '/api/opportunities',
    body: (m) => ({ customerId, name: m, amount: 250 }),
    count: (m) => rows('opportunities', ['name', m]),
  },
  {
    name: 'task',
    cookie: () => managerCookie,
    path: () => '/api/tasks',
    body: (m) => ({ title: m }),
    count: (m) => rows('tasks', ['title', m]),
  },
  {
    name: 'saved filter',
    cookie: () => managerCookie,
    path: () => '/api/saved-filters',
    body: (m) => ({ name: m, query: { q: 'x' } }),
    count: (m) => rows('saved_filters', ['name', m]),
  },
  {
    name: 'quote',
    cookie: () => managerCookie,
    path: () => `/api/opportunities/${opportunityId}/quotes`,
    body: (m) => ({ title: m, items: [{ description: 'Seat', quantity: 1, unitPrice: 10 }] }),
    count: (m) => rows('quotes', ['title', m]),
  },
  {
    name: 'team',
    cookie: () => adminCookie,
    path: () => '/api/teams',
    body: (m) => ({ name: m }),
    count: (m) => rows('teams', ['name', m]),
  },
  {
    name: 'user',
    cookie: () => adminCookie,
    path: () => '/api/users',
    body: (m) => ({ email: `${m.toLowerCase()}@example.com`, name: m, role: 'rep', teamId: team.id, password: 'Initial-Pass-2026' }),
    count: (m) => rows('users', ['name', m]),
  },
  {
    name: 'pipeline stage',
    cookie: () => adminCookie,
    path: () => `/api/pipelines/${pipelineId}/stages`,
    body: (m) => ({ name: m }),
    count: (m) => rows('pipeline_stages', ['name', m]),
  },
];

describe('Idempotency-Key', () => {
  it.each(CREATES)('$name: two parallel sends with one key create one record and answer the same', async (route) => {
    const marker = `Par${route.name.replace(/\W/g, '')}${keyN}`;
    const key = newKey();
    const [a, b] = await Promise.all([0, 1].map(async () => answer(await post(route.cookie(), route.path(), route.body(marker), key))));
    expect(a!.status, a!.body).toBe(201);
    expect(b!.status).toBe(a!.status);
    expect(b!.body).toBe(a!.body);
    // One of the two was the replay.
    expect([a!.replayed, b!.replayed].filter((r) => r === 'true')).toHaveLength(1);
    expect(await route.count(marker)).toBe(1);
  });

  it.each(CREATES)('$name: a sequential repeat answers the first answer and creates nothing', async (route) => {
    const marker = `Seq${route.name.replace(/\W/g, '')}${keyN}`;
    const key = newKey();
    const first = await answer(await post(route.cookie(), route.path(), route.body(marker), key));
    const again = await answer(await post(route.cookie(), route.path(), route.body(marker), key));
    expect(first.status, first.body).toBe(201);
    expect(again).toEqual({ status: first.status, body: first.body, replayed: 'true' });
    expect(await route.count(marker)).toBe(1);
    // Without the key, the same body is a new create.
    if (route.name !== 'user' && route.name !== 'team' && route.name !== 'saved filter') {
      expect((await post(route.cookie(), route.path(), route.body(marker))).status).toBe(201);
      expect(await route.count(marker)).toBe(2);
    }
  });

  it('answers 409 idempotency_conflict to another body under the same key', async () => {
    const key = newKey();
    expect((await post(managerCookie, '/api/tasks', { title: 'Conflict A' }, key)).status).toBe(201);
    const res = await post(managerCookie, '/api/tasks', { title: 'Conflict B' }, key);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'idempotency_conflict', field: IDEMPOTENCY_KEY_HEADER } });
    expect(await rows('tasks', ['title', 'Conflict B'])).toBe(0);
    // The same key on another create route is another request too.
    expect((await post(managerCookie, '/api/saved-filters', { name: 'Conflict A', query: {} }, key)).status).toBe(409);
  });

  it('keeps keys per user: another user with the same key creates their own', async () => {
    const key = newKey();
    const mine = await answer(await post(managerCookie, '/api/tasks', { title: 'Per user' }, key));
    const theirs = await answer(await post(otherCookie, '/api/tasks', { title: 'Per user' }, key));
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.replayed).toBeNull();
    expect(theirs.body).not.toBe(mine.body);
    expect(await rows('tasks', ['title', 'Per user'])).toBe(2);
  });

  it('releases the key of a refused create, so the corrected request goes through', async () => {
    const key = newKey();
    const refused = await post(managerCookie, '/api/tasks', { title: '' }, key);
    expect(refused.status).toBe(400);
    const fixed = await post(managerCookie, '/api/tasks', { title: 'Corrected' }, key);
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get(IDEMPOTENT_REPLAYED_HEADER)).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['201 characters', 'k'.repeat(201)],
    ['not ASCII', 'clé'],
  ])('refuses a key that is %s with 400 on Idempotency-Key', async (_, key) => {
    const res = await post(managerCookie, '/api/tasks', { title: 'Bad key' }, key);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'validation', field: IDEMPOTENCY_KEY_HEADER } });
    expect(await rows('tasks', ['title', 'Bad key'])).toBe(0);
  });

  it('forgets a key after 24 hours and purges expired keys', async () => {
    const key = newKey();
    const realNow = t.ctx.now;
    try {
      expect((await post(managerCookie, '/api/tasks', { title: 'Day one' }, key)).status).toBe(201);
      const start = Date.now();
      t.ctx.now = () => new Date(start + DAY_MS - 60_000);
      expect((await post(managerCookie, '/api/tasks', { title: 'Day one' }, key)).headers.get(IDEMPOTENT_REPLAYED_HEADER)).toBe('true');
      t.ctx.now = () => new Date(start + DAY_MS + 60_000);
      const later = await post(managerCookie, '/api/tasks', { title: 'Day one' }, key);
      expect(later.status).toBe(201);
      expect(later.headers.get(IDEMPOTENT_REPLAYED_HEADER)).toBeNull();
      expect(await rows('tasks', ['title', 'Day one'])).toBe(2);
      // Every key from the start of this file is now older than a day: the claims above purged them.
      const old = await t.ctx.db
        .selectFrom('idempotency_keys')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('created_at', '<', new Date(start + 60_000))
        .executeTakeFirstOrThrow();
      expect(Number(old.n)).toBe(0);
    } finally {
      t.ctx.now = realNow;
    }
  });

  it('takes over a claim left by a request that died', async () => {
    const key = newKey();
    await t.ctx.db
      .insertInto('idempotency_keys')
      .values({ user_id: manager.id, key, request_hash: 'abandoned', created_at: new Date(t.ctx.now().getTime() - 5 * 60_000) })
      .execute();
    const res = await post(managerCookie, '/api/tasks', { title: 'After a crash' }, key);
    expect(res.status).toBe(201);
  });

  it('needs no key: a create without one works as before', async () => {
    expect((await post(managerCookie, '/api/tasks', { title: 'No key' })).status).toBe(201);
  });
});
