/**
 * Two-factor sign-in (docs/security.md, *Two-factor sign-in*): enrolment round trip with codes
 * made from the key by the same library an authenticator app follows, the code at sign-in, wrong
 * codes counted by the sign-in limits, replay refused, recovery codes once only, a role that
 * requires it, an admin's reset. The clock is the context's, moved by hand.
 */
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SECURITY_ENTITY_TYPE } from '../../server/audit/security-events.ts';
import { SIGN_IN_PAIR_LIMIT } from '../../server/auth/sign-in-limits.ts';
import type { User } from '../../server/users/user.ts';
import { createTestContext, jsonRequest, login, seedUser, TEST_PASSWORD, type TestContext } from '../helpers/context.ts';

let t: TestContext;
let clock: number;

beforeAll(async () => {
  t = await createTestContext({ trustProxy: true });
  t.ctx.now = () => new Date(clock);
});
afterAll(() => t.close());
let epoch = Date.now();
beforeEach(() => {
  epoch += 24 * 3600 * 1000;
  clock = epoch;
});

/** The code an authenticator app shows at `at`, `steps` periods away. */
function codeAt(secret: string, at: number, steps = 0): string {
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(at / 30_000) + steps), 6);
}

function signIn(email: string, password: string, code?: string, address = '198.51.100.7') {
  const init = jsonRequest('POST', { email, password, ...(code === undefined ? {} : { code }) });
  return t.app.request('/api/auth/login', { ...init, headers: { ...init.headers, 'x-forwarded-for': address } });
}

async function errorOf(res: Response) {
  const body = (await res.json()) as { error: { code: string; field?: string } };
  return { status: res.status, code: body.error.code, field: body.error.field };
}

/** Enrols `user` through the API; returns the key and the recovery codes. */
async function enrol(user: User): Promise<{ secret: string; uri: string; recoveryCodes: string[]; cookie: string }> {
  const cookie = await login(t.app, user.email);
  const start = await t.app.request('/api/me/totp/enrol', jsonRequest('POST', {}, cookie));
  expect(start.status).toBe(200);
  const { secret, uri } = (await start.json()) as { secret: string; uri: string };
  const confirm = await t.app.request('/api/me/totp/confirm', jsonRequest('POST', { code: codeAt(secret, clock) }, cookie));
  expect(confirm.status).toBe(200);
  const { recoveryCodes } = (await confirm.json()) as { recoveryCodes: string[] };
  return { secret, uri, recoveryCodes, cookie };
}

async function securityEvents(userId: string, kind: string) {
  return t.ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', SECURITY_ENTITY_TYPE)
    .where('action', '=', kind)
    .where('actor_id', '=', userId)
    .execute();
}

describe('enrolment', () => {
  it('shows a key and a QR address, confirms with a first code, gives ten recovery codes once, and never shows the key again', async () => {
    const user = await seedUser(t.ctx);
    const cookie = await login(t.app, user.email);
    const before = await t.app.request('/api/me/totp', { headers: { cookie } });
    expect(await before.json()).toEqual({ enabled: false, recoveryCodesLeft: 0, required: false });

    const start = await t.app.request('/api/me/totp/enrol', jsonRequest('POST', {}, cookie));
    const { secret, uri } = (await start.json()) as { secret: string; uri: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toMatch(/^otpauth:\/\/totp\/Tandem:/);
    expect(uri).toContain(`secret=${secret}`);

    // A wrong first code does not turn it on.
    const wrong = await t.app.request('/api/me/totp/confirm', jsonRequest('POST', { code: codeAt(secret, clock, 5) }, cookie));
    expect(await errorOf(wrong)).toMatchObject({ status: 400, code: 'totp_invalid', field: 'code' });
    expect(((await (await t.app.request('/api/me/totp', { headers: { cookie } })).json()) as { enabled: boolean }).enabled).toBe(false);

    const confirm = await t.app.request('/api/me/totp/confirm', jsonRequest('POST', { code: codeAt(secret, clock) }, cookie));
    expect(confirm.status).toBe(200);
    const { recoveryCodes } = (await confirm.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);

    const status = await t.app.request('/api/me/totp', { headers: { cookie } });
    const text = await status.text();
    expect(JSON.parse(text)).toEqual({ enabled: true, recoveryCodesLeft: 10, required: false });
    expect(text).not.toContain(secret);
    // Enrolment cannot be restarted over an enabled key (which would show a key again).
    const again = await t.app.request('/api/me/totp/enrol', jsonRequest('POST', {}, cookie));
    expect(again.status).toBe(409);
    expect(await again.text()).not.toContain(secret);
    // Recovery codes are stored as hashes only.
    const stored = await t.ctx.db.selectFrom('totp_recovery_codes').select('code_hash').where('user_id', '=', user.id).execute();
    expect(stored).toHaveLength(10);
    for (const code of recoveryCodes) expect(JSON.stringify(stored)).not.toContain(code.replace('-', ''));
  });
});

describe('sign-in with a second factor', () => {
  it('asks for the code after the right password, refuses a wrong one, and lets the right one in', async () => {
    const user = await seedUser(t.ctx);
    const { secret } = await enrol(user);
    clock += 60_000;

    expect(await errorOf(await signIn(user.email, TEST_PASSWORD))).toEqual({ status: 401, code: 'totp_required', field: 'code' });
    // A wrong password with a code says nothing about codes.
    expect(await errorOf(await signIn(user.email, 'Wrong-Horse-42', codeAt(secret, clock)))).toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect(await errorOf(await signIn(user.email, TEST_PASSWORD, codeAt(secret, clock, 3)))).toEqual({ status: 401, code: 'totp_invalid', field: 'code' });
    expect(await securityEvents(user.id, 'totp_failed')).toHaveLength(1);

    const ok = await signIn(user.email, TEST_PASSWORD, codeAt(secret, clock));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/session=/);
    // A code of the previous step still works (clock drift), but not two steps back.
    clock += 30_000;
    expect((await signIn(user.email, TEST_PASSWORD, codeAt(secret, clock, -1))).status).toBe(401);
  });

  it('refuses a code used once already, even within its window', async () => {
    const user = await seedUser(t.ctx);
    const { secret } = await enrol(user);
    clock += 30_000;
    const code = codeAt(secret, clock);
    expect((await signIn(user.email, TEST_PASSWORD, code)).status).toBe(200);
    expect(await errorOf(await signIn(user.email, TEST_PASSWORD, code))).toMatchObject({ status: 401, code: 'totp_invalid' });
    // Nor the previous step's code, now that a later step was used.
    expect((await signIn(user.email, TEST_PASSWORD, codeAt(secret, clock, -1))).status).toBe(401);
    // Two requests with the same fresh code at once (from two addresses, so that the limits let
    // both through): one gets in.
    clock += 30_000;
    const fresh = codeAt(secret, clock);
    const both = await Promise.all([
      signIn(user.email, TEST_PASSWORD, fresh, '192.0.2.8'),
      signIn(user.email, TEST_PASSWORD, fresh, '192.0.2.9'),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('counts wrong codes with the sign-in limits: after the free ones, even the right code waits', async () => {
    const user = await seedUser(t.ctx);
    const { secret } = await enrol(user);
    clock += 30_000;
    for (let i = 0; i < SIGN_IN_PAIR_LIMIT.free; i++) {
      // Asking for the code in between neither counts nor clears the count.
      expect((await errorOf(await signIn(user.email, TEST_PASSWORD))).code).toBe('totp_required');
      expect((await errorOf(await signIn(user.email, TEST_PASSWORD, '000000'))).code).toBe('totp_invalid');
    }
    const held = await signIn(user.email, TEST_PASSWORD, codeAt(secret, clock));
    expect(await errorOf(held)).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(held.headers.get('retry-after')).toBe('1');
    clock += 1000;
    expect((await signIn(user.email, TEST_PASSWORD, codeAt(secret, clock))).status).toBe(200);
    expect(await securityEvents(user.id, 'totp_failed')).toHaveLength(SIGN_IN_PAIR_LIMIT.free);
  });

  it('takes a recovery code once in place of a code', async () => {
    const user = await seedUser(t.ctx);
    const { recoveryCodes } = await enrol(user);
    const [first, second] = recoveryCodes as [string, string];
    expect((await signIn(user.email, TEST_PASSWORD, first.toUpperCase())).status).toBe(200);
    expect(await errorOf(await signIn(user.email, TEST_PASSWORD, first))).toMatchObject({ status: 401, code: 'totp_invalid' });
    const cookie = await (async () => {
      const res = await signIn(user.email, TEST_PASSWORD, second.replace('-', ''));
      expect(res.status).toBe(200);
      return res.headers.get('set-cookie')!.match(/session=[^;]+/)![0];
    })();
    expect(((await (await t.app.request('/api/me/totp', { headers: { cookie } })).json()) as { recoveryCodesLeft: number }).recoveryCodesLeft).toBe(8);
  });

  it('turns off with a current code or the password, and then sign-in needs no code', async () => {
    const user = await seedUser(t.ctx);
    const { cookie, secret } = await enrol(user);
    const bad = await t.app.request('/api/me/totp/disable', jsonRequest('POST', { password: 'Wrong-Horse-42' }, cookie));
    expect(await errorOf(bad)).toMatchObject({ status: 400, code: 'totp_invalid', field: 'password' });
    clock += 30_000;
    const off = await t.app.request('/api/me/totp/disable', jsonRequest('POST', { code: codeAt(secret, clock) }, cookie));
    expect(off.status).toBe(204);
    expect((await signIn(user.email, TEST_PASSWORD)).status).toBe(200);

    const again = await enrol(user);
    const off2 = await t.app.request('/api/me/totp/disable', jsonRequest('POST', { password: TEST_PASSWORD }, again.cookie));
    expect(off2.status).toBe(204);
    expect((await signIn(user.email, TEST_PASSWORD)).status).toBe(200);
  });
});

describe('required for a role', () => {
  it('sends a rep without it to enrol after sign-in, and lets them work once enrolled', async () => {
    const admin = await seedUser(t.ctx, { role: 'admin' });
    const adminCookie = await login(t.app, admin.email);
    const rep = await seedUser(t.ctx, { role: 'rep' });
    const manager = await seedUser(t.ctx, { role: 'manager' });

    // Only admins change the setting.
    const repCookie0 = await login(t.app, rep.email);
    expect((await t.app.request('/api/workspace/security', jsonRequest('PATCH', { totpRequiredRoles: ['rep'] }, repCookie0))).status).toBe(403);
    const set = await t.app.request('/api/workspace/security', jsonRequest('PATCH', { totpRequiredRoles: ['rep'] }, adminCookie));
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ totpRequiredRoles: ['rep'], maxPasswordAgeDays: null, mailConfigured: false });

    const res = await signIn(rep.email, TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { mustEnrolTotp: boolean } }).user.mustEnrolTotp).toBe(true);
    const cookie = res.headers.get('set-cookie')!.match(/session=[^;]+/)![0];
    expect(await errorOf(await t.app.request('/api/customers', { headers: { cookie } }))).toMatchObject({ status: 403, code: 'totp_enrolment_required' });
    expect((await t.app.request('/api/me', { headers: { cookie } })).status).toBe(200);
    expect(((await (await t.app.request('/api/me/totp', { headers: { cookie } })).json()) as { required: boolean }).required).toBe(true);

    const start = await t.app.request('/api/me/totp/enrol', jsonRequest('POST', {}, cookie));
    const { secret } = (await start.json()) as { secret: string };
    expect((await t.app.request('/api/me/totp/confirm', jsonRequest('POST', { code: codeAt(secret, clock) }, cookie))).status).toBe(200);
    expect((await t.app.request('/api/customers', { headers: { cookie } })).status).toBe(200);

    // A manager is not asked.
    const m = await signIn(manager.email, TEST_PASSWORD);
    expect(((await m.json()) as { user: { mustEnrolTotp: boolean } }).user.mustEnrolTotp).toBe(false);
  });
});

describe("an admin's reset", () => {
  it('removes a user\'s second factor, audited; only admins may', async () => {
    const admin = await seedUser(t.ctx, { role: 'admin' });
    const adminCookie = await login(t.app, admin.email);
    const user = await seedUser(t.ctx);
    const { cookie } = await enrol(user);
    expect((await t.app.request(`/api/users/${admin.id}/totp/reset`, jsonRequest('POST', {}, cookie))).status).toBe(403);

    // Not one's own: that goes through the settings, with proof.
    expect((await t.app.request(`/api/users/${admin.id}/totp/reset`, jsonRequest('POST', {}, adminCookie))).status).toBe(400);
    const res = await t.app.request(`/api/users/${user.id}/totp/reset`, jsonRequest('POST', {}, adminCookie));
    expect(res.status).toBe(204);
    expect((await signIn(user.email, TEST_PASSWORD)).status).toBe(200);
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'totp_reset').where('entity_id', '=', user.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(admin.id);
  });
});
