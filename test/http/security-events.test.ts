/**
 * Security events: `recordSecurityEvent` as other code will call it (each kind, hostile text,
 * a field it has no place for), and `GET /api/admin/security-events` — admins only, newest
 * first, by kind, page by page, with a 400 for a query it cannot answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../server/audit/audit.repository.ts';
import { recordSecurityEvent, type SecurityEvent } from '../../server/audit/security-events.ts';
import { SECURITY_EVENT_KINDS, type SecurityEventDto, type SecurityEventListDto } from '../../schema/wire/security-events.ts';
import type { User } from '../../server/users/user.ts';
import { createTestContext, jsonRequest, login, seedTeam, seedUser, type TestContext } from '../helpers/context.ts';

let t: TestContext;
let admin: User;
let adminCookie: string;
const base = Date.parse('2026-03-01T08:00:00.000Z');

beforeAll(async () => {
  t = await createTestContext({ trustProxy: true });
  admin = await seedUser(t.ctx, { role: 'admin', name: 'Ada Admin' });
  adminCookie = await login(t.app, admin.email);
});
afterAll(() => t.close());

const list = (query: string, cookie: string | null = adminCookie) =>
  t.app.request(`/api/admin/security-events${query}`, { headers: cookie ? { cookie } : {} });

async function page(query: string): Promise<SecurityEventListDto> {
  const res = await list(query);
  expect(res.status).toBe(200);
  return (await res.json()) as SecurityEventListDto;
}

async function errorOf(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string; field?: string } };
  return { status: res.status, ...body.error };
}

/** Every page of a listing, following nextCursor. */
async function all(query: string, limit: number): Promise<SecurityEventDto[]> {
  const items: SecurityEventDto[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const sep = query ? '&' : '?';
    const p = await page(`${query}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(p.items.length).toBeLessThanOrEqual(limit);
    items.push(...p.items);
    cursor = p.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('no end to the pages');
}

describe('recordSecurityEvent', () => {
  it('stores each kind with its detail, who and where, and lists it with the account', async () => {
    const rep = await seedUser(t.ctx, { name: 'Wang Fang' });
    const at = (i: number) => new Date(base + i * 1000);
    const where = { address: '198.51.100.4', userAgent: 'TandemTest/2.0' };
    const events: SecurityEvent[] = [
      { kind: 'login_failed', at: at(1), userId: rep.id, email: rep.email, reason: 'wrong_password', ...where },
      { kind: 'login_throttled', at: at(2), userId: rep.id, email: rep.email, limit: 'account', retryAfterSeconds: 8, ...where },
      { kind: 'doc_refused', at: at(3), userId: rep.id, doc: 'customer:0b9e…', reason: 'not in your team', ...where },
      { kind: 'totp_failed', at: at(4), userId: rep.id, ...where },
      { kind: 'password_reset_requested', at: at(5), email: ' Someone@Example.COM ', ...where },
      { kind: 'password_reset', at: at(6), userId: rep.id, ...where },
      { kind: 'password_changed', at: at(7), userId: rep.id, ...where },
    ];
    for (const e of events) await recordSecurityEvent(t.ctx.db, e);
    expect(events.map((e) => e.kind).sort()).toEqual([...SECURITY_EVENT_KINDS].sort());

    const items = (await page('?limit=100')).items.filter((e) => e.address === where.address);
    expect(items.map((e) => e.kind)).toEqual([...events].reverse().map((e) => e.kind));
    const byKind = Object.fromEntries(items.map((e) => [e.kind, e]));
    expect(byKind.login_failed).toMatchObject({
      user: { id: rep.id, name: 'Wang Fang', email: rep.email },
      email: rep.email,
      userAgent: 'TandemTest/2.0',
      reason: 'wrong_password',
      at: at(1).toISOString(),
    });
    expect(byKind.login_throttled).toMatchObject({ limit: 'account', retryAfterSeconds: 8 });
    expect(byKind.doc_refused).toMatchObject({ doc: 'customer:0b9e…', reason: 'not in your team' });
    expect(byKind.password_reset_requested).toMatchObject({ user: null, email: 'someone@example.com' });
  });

  it('keeps no field it has no place for, and stores hostile text safely', async () => {
    const sneaky = {
      kind: 'totp_failed',
      at: new Date(base + 100_000),
      address: '198.51.100.5',
      userAgent: `Evil\u0000Agent\ud800/${'x'.repeat(1000)}`,
      password: 'Hunter2-Secret-9',
      token: 'abc.def',
    } as SecurityEvent;
    await recordSecurityEvent(t.ctx.db, sneaky);
    const row = await t.ctx.db.selectFrom('audit_log').select('changes').where('action', '=', 'totp_failed').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const text = JSON.stringify(row.changes);
    expect(text).not.toContain('Hunter2');
    expect(text).not.toContain('abc.def');
    const item = (await page('?kind=totp_failed')).items.find((e) => e.address === '198.51.100.5')!;
    expect(item.userAgent).toMatch(/^Evil Agent\uFFFD\/x+$/);
    expect(item.userAgent!.length).toBe(300);
  });
});

describe('GET /api/admin/security-events', () => {
  it('refuses anyone but an admin, whatever the query', async () => {
    const team = await seedTeam(t.ctx);
    const rep = await seedUser(t.ctx, { role: 'rep', teamId: team.id });
    const manager = await seedUser(t.ctx, { role: 'manager', teamId: team.id });
    expect(await errorOf(await list('', null))).toMatchObject({ status: 401, code: 'unauthenticated' });
    for (const u of [rep, manager]) {
      const cookie = await login(t.app, u.email);
      expect(await errorOf(await list('', cookie))).toMatchObject({ status: 403, code: 'forbidden' });
      expect(await errorOf(await list('?kind=nonsense&limit=-1', cookie))).toMatchObject({ status: 403, code: 'forbidden' });
    }
  });

  it.each([
    ['an unknown kind', '?kind=login_succeeded', 'kind'],
    ['a zero limit', '?limit=0', 'limit'],
    ['a limit above the maximum', '?limit=101', 'limit'],
    ['a limit that is not a number', '?limit=ten', 'limit'],
    ['a fractional limit', '?limit=2.5', 'limit'],
    ['a cursor that is not one', '?cursor=garbage', 'cursor'],
    ['a cursor with an impossible time', `?cursor=${Buffer.from('2026-02-30T10:00:00.000Z|5').toString('base64url')}`, 'cursor'],
    ['a cursor with an id that is not a number', `?cursor=${Buffer.from('2026-02-01T10:00:00.000Z|x').toString('base64url')}`, 'cursor'],
    ['an overlong cursor', `?cursor=${'A'.repeat(500)}`, 'cursor'],
  ])('answers 400 naming the parameter for %s', async (_, query, field) => {
    expect(await errorOf(await list(query))).toMatchObject({ status: 400, code: 'validation', field });
  });

  it('pages through every event newest first, and through one kind, with no repeat or gap', async () => {
    const who = await seedUser(t.ctx);
    // Several at the same instant: the id breaks the tie.
    const times = [5, 5, 5, 4, 3, 3, 2, 1].map((m) => new Date(base + 3600_000 + m * 60_000));
    for (const [i, at] of times.entries()) {
      await recordSecurityEvent(t.ctx.db, i % 2 === 0 ? { kind: 'login_failed', at, userId: who.id, reason: 'wrong_password' } : { kind: 'password_changed', at, userId: who.id });
    }
    // Audit entries that are not security events stay out.
    await recordAudit(t.ctx.db, { actor_id: who.id, team_id: null, action: 'update', entity_type: 'customer', entity_id: 'c-1', changes: {} });

    const everything = await all('', 3);
    const mine = everything.filter((e) => e.user?.id === who.id);
    expect(mine).toHaveLength(times.length);
    expect(everything.some((e) => (e.kind as string) === 'update')).toBe(false);
    expect(new Set(everything.map((e) => e.id)).size).toBe(everything.length);
    const order = everything.map((e) => [Date.parse(e.at), Number(e.id)] as const);
    for (let i = 1; i < order.length; i++) {
      const [a, b] = [order[i - 1]!, order[i]!];
      expect(a[0] > b[0] || (a[0] === b[0] && a[1] > b[1])).toBe(true);
    }
    expect(everything.every((e) => SECURITY_EVENT_KINDS.includes(e.kind))).toBe(true);

    const changed = await all('?kind=password_changed', 2);
    expect(changed.every((e) => e.kind === 'password_changed')).toBe(true);
    expect(changed.filter((e) => e.user?.id === who.id)).toHaveLength(4);
    const firstPage = await page('?kind=login_failed&limit=1');
    expect(firstPage.items).toHaveLength(1);
    expect(firstPage.nextCursor).not.toBeNull();
  });

  it('shows the failed sign-ins of the API itself, without the password', async () => {
    const u = await seedUser(t.ctx);
    const init = jsonRequest('POST', { email: u.email, password: 'Not-The-Password-1' });
    await t.app.request('/api/auth/login', { ...init, headers: { ...init.headers, 'x-forwarded-for': '192.0.2.55', 'user-agent': 'Phone/1.0' } });
    const body = await page('?kind=login_failed&limit=100');
    expect(body.items.find((e) => e.address === '192.0.2.55')).toMatchObject({ kind: 'login_failed', reason: 'wrong_password', user: { id: u.id }, address: '192.0.2.55', userAgent: 'Phone/1.0' });
    expect(JSON.stringify(body)).not.toContain('Not-The-Password-1');
  });
});
