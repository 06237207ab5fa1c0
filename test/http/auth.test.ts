import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SESSION_ABSOLUTE_LIFETIME_MS,
  SESSION_ACTIVITY_CHECK_INTERVAL_MS,
  SESSION_INACTIVITY_TIMEOUT_MS,
} from '../../server/auth/session.ts';
import { updateUserRow } from '../../server/users/user.repository.ts';
import { ORIGIN, TEST_PASSWORD, type TestContext, createTestContext, jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';

let t: TestContext;
let clock: Date;

beforeAll(async () => {
  t = await createTestContext({ trustProxy: true });
  clock = new Date();
  t.ctx.now = () => clock;
});
afterAll(() => t.close());

const me = (cookie?: string) => t.app.request('/api/me', { headers: cookie ? { cookie } : {} });
const post = (path: string, body: unknown, cookie?: string, extra: Record<string, string> = {}) =>
  t.app.request(path, { ...jsonRequest('POST', body, cookie), headers: { ...jsonRequest('POST', body, cookie).headers, ...extra } });

async function errorOf(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string; field?: string } };
  return { status: res.status, ...body.error };
}

describe('sign-in', () => {
  it('answers the user and sets a hardened session cookie', async () => {
    const u = await seedUser(t.ctx, { role: 'admin' });
    const res = await post('/api/auth/login', { email: u.email.toUpperCase(), password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: { id: string; role: string; mustChangePassword: boolean } };
    expect(body.user).toMatchObject({ id: u.id, role: 'admin', mustChangePassword: false });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^session=[A-Za-z0-9_-]{20}\.[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    expect(JSON.stringify(body)).not.toContain('password');
  });

  it('gives the same answer for an unknown e-mail and a wrong password', async () => {
    const u = await seedUser(t.ctx);
    const wrong = await errorOf(await post('/api/auth/login', { email: u.email, password: 'Wrong-Horse-42' }));
    const unknown = await errorOf(await post('/api/auth/login', { email: 'nobody@example.com', password: 'Wrong-Horse-42' }));
    expect(wrong).toEqual({ status: 401, code: 'invalid_credentials', message: 'Wrong e-mail or password' });
    expect(unknown).toEqual(wrong);
  });

  it('refuses a deactivated user with the same answer', async () => {
    const u = await seedUser(t.ctx);
    await updateUserRow(t.ctx.db, u.id, { active: false });
    expect(await errorOf(await post('/api/auth/login', { email: u.email, password: TEST_PASSWORD }))).toMatchObject({
      status: 401,
      code: 'invalid_credentials',
    });
  });

  it.each([
    ['missing fields', {}, 'email'],
    ['wrong types', { email: 42, password: true }, 'email'],
    ['empty password', { email: 'a@b.co', password: '' }, 'password'],
    ['overlong e-mail', { email: `${'x'.repeat(300)}@b.co`, password: 'x' }, 'email'],
    ['overlong password', { email: 'a@b.co', password: 'x'.repeat(1000) }, 'password'],
  ])('names the field for %s', async (_, body, field) => {
    expect(await errorOf(await post('/api/auth/login', body))).toMatchObject({ status: 400, code: 'validation', field });
  });

  it('refuses malformed JSON and a non-JSON body', async () => {
    const bad = await t.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: '{"email": "a@b.co", ',
    });
    expect(await errorOf(bad)).toMatchObject({ status: 400, code: 'bad_request' });
    const form = await t.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      body: 'email=a&password=b',
    });
    expect(form.status).toBe(415);
  });

  it('refuses an oversized body with 413', async () => {
    const res = await post('/api/auth/login', { email: 'a@b.co', password: 'x'.repeat(2 * 1024 * 1024) });
    expect(await errorOf(res)).toMatchObject({ status: 413, code: 'payload_too_large' });
  });
  // Sign-in limits and the security events they write: test/http/sign-in-limits.test.ts.
});

describe('sessions', () => {
  it('authenticate /api/me and end at sign-out', async () => {
    const u = await seedUser(t.ctx);
    const cookie = await login(t.app, u.email);
    expect((await me(cookie)).status).toBe(200);
    const out = await post('/api/auth/logout', undefined, cookie);
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/session=;/);
    expect(await errorOf(await me(cookie))).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('refuse forged and tampered cookies', async () => {
    const u = await seedUser(t.ctx);
    const cookie = await login(t.app, u.email);
    const token = cookie.slice('session='.length);
    const [id, secret] = token.split('.') as [string, string];
    const flipped = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    for (const bad of [`session=${id}.${flipped}`, 'session=garbage', `session=${'A'.repeat(20)}.${secret}`, 'session=']) {
      const res = await me(bad);
      expect(res.status).toBe(401);
    }
    expect((await me(cookie)).status).toBe(200);
  });

  it('slide with use and expire after inactivity and at the absolute cap', async () => {
    const u = await seedUser(t.ctx);
    const start = clock;
    const cookie = await login(t.app, u.email);
    clock = new Date(start.getTime() + SESSION_ACTIVITY_CHECK_INTERVAL_MS + 1);
    const refreshed = await me(cookie);
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('set-cookie')).toContain('session=');
    // Used within the inactivity window, again and again, up to the absolute cap.
    for (let days = 9; days < 30; days += 9) {
      clock = new Date(start.getTime() + days * 24 * 3600 * 1000);
      expect((await me(cookie)).status).toBe(200);
    }
    clock = new Date(start.getTime() + SESSION_ABSOLUTE_LIFETIME_MS);
    expect((await me(cookie)).status).toBe(401);

    clock = new Date(clock.getTime() + 1000);
    const idle = await login(t.app, u.email);
    clock = new Date(clock.getTime() + SESSION_INACTIVITY_TIMEOUT_MS);
    expect((await me(idle)).status).toBe(401);
    const rows = await t.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute();
    expect(rows).toHaveLength(0);
  });

  it('are all ended by sign-out everywhere', async () => {
    const u = await seedUser(t.ctx);
    const a = await login(t.app, u.email);
    const b = await login(t.app, u.email);
    expect((await post('/api/auth/logout-all', undefined, a)).status).toBe(204);
    expect((await me(a)).status).toBe(401);
    expect((await me(b)).status).toBe(401);
  });
});

describe('the forced password change', () => {
  it('blocks everything else until done, then signs out the other sessions', async () => {
    const team = await seedTeam(t.ctx);
    const u = await seedUser(t.ctx, { teamId: team.id, mustChangePassword: true, email: 'li.na@example.com' });
    const a = await login(t.app, u.email);
    const b = await login(t.app, u.email);
    expect(((await (await me(a)).json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(true);
    expect(await errorOf(await t.app.request('/api/users', { headers: { cookie: a } }))).toMatchObject({
      status: 403,
      code: 'password_change_required',
    });

    const change = (body: unknown) => post('/api/me/password', body, a);
    expect(await errorOf(await change({ currentPassword: TEST_PASSWORD, newPassword: 'short' }))).toMatchObject({
      status: 400,
      code: 'weak_password',
      field: 'newPassword',
    });
    expect(await errorOf(await change({ currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }))).toMatchObject({
      code: 'weak_password',
    });
    expect(await errorOf(await change({ currentPassword: TEST_PASSWORD, newPassword: 'Li.na-Secret-2026' }))).toMatchObject({
      code: 'weak_password',
    });
    expect(await errorOf(await change({ currentPassword: 'Wrong-Horse-42', newPassword: 'Brand-New-Pass-9' }))).toMatchObject({
      status: 400,
      code: 'invalid_credentials',
      field: 'currentPassword',
    });
    expect(await errorOf(await change({ newPassword: 'Brand-New-Pass-9' }))).toMatchObject({ status: 400, field: 'currentPassword' });

    expect((await change({ currentPassword: TEST_PASSWORD, newPassword: 'Brand-New-Pass-9' })).status).toBe(204);
    expect(((await (await me(a)).json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(false);
    expect((await t.app.request('/api/users', { headers: { cookie: a } })).status).toBe(200);
    expect((await me(b)).status).toBe(401);

    // The flow cannot be replayed with the initial password.
    expect(await errorOf(await change({ currentPassword: TEST_PASSWORD, newPassword: 'Another-Pass-77' }))).toMatchObject({
      code: 'invalid_credentials',
    });
    expect((await post('/api/auth/login', { email: u.email, password: TEST_PASSWORD })).status).toBe(401);
    await login(t.app, u.email, 'Brand-New-Pass-9');
  });
});

describe('cross-site requests', () => {
  it('refuse a state-changing request from another origin or with none', async () => {
    const u = await seedUser(t.ctx, { role: 'admin' });
    const cookie = await login(t.app, u.email);
    const foreign: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { origin: 'null' }, {}, { 'sec-fetch-site': 'cross-site' }];
    for (const headers of foreign) {
      const res = await t.app.request('/api/teams', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, ...headers },
        body: JSON.stringify({ name: 'Evil team' }),
      });
      expect(await errorOf(res)).toMatchObject({ status: 403, code: 'bad_origin' });
    }
    expect(await t.ctx.db.selectFrom('teams').select('id').where('name', '=', 'Evil team').execute()).toHaveLength(0);
    const sameSite = await t.app.request('/api/teams', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ name: 'Good team' }),
    });
    expect(sameSite.status).toBe(201);
  });
});

describe('operations', () => {
  it('answers health and readiness, and JSON 404 for an unknown API route', async () => {
    expect((await t.app.request('/healthz')).status).toBe(200);
    expect((await t.app.request('/readyz')).status).toBe(200);
    expect(await errorOf(await t.app.request('/api/nothing-here'))).toMatchObject({ status: 404, code: 'not_found' });
  });
});
