/**
 * The password life cycle (docs/security.md, *Password life cycle*): an admin's reset ends every
 * session and forces a change; a forgotten password by e-mail through a real SMTP server started
 * here (the link works once, expires after 30 minutes, a newer one spends it; an unknown address
 * gets the same answer and no mail); an admin's reset link without SMTP; the maximum password
 * age; `password_changed` events from the change-password route.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SECURITY_ENTITY_TYPE } from '../../server/audit/security-events.ts';
import { createTestContext, jsonRequest, login, seedUser, TEST_PASSWORD, type TestContext } from '../helpers/context.ts';

const NEW_PASSWORD = 'Brand-New-Horse-77';

interface Mail {
  to: string[];
  raw: string;
}
let smtp: SMTPServer;
const inbox: Mail[] = [];
let t: TestContext;
let clock: number;

beforeAll(async () => {
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        raw += chunk;
      });
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  t = await createTestContext({ smtpUrl: `smtp://127.0.0.1:${port}`, publicUrl: 'https://crm.example.com' });
  t.ctx.now = () => new Date(clock);
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});
let epoch = Date.now();
beforeEach(() => {
  epoch += 24 * 3600 * 1000;
  clock = epoch;
});

/** The text of a quoted-printable body, enough to read the link back. */
function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function mailTo(address: string): Promise<{ link: string; token: string }> {
  const mail = await waitFor(() => inbox.find((m) => m.to.includes(address)), `mail to ${address}`);
  inbox.splice(inbox.indexOf(mail), 1);
  const link = decodeQuotedPrintable(mail.raw).match(/https:\/\/crm\.example\.com\/reset-password\?token=([A-Za-z0-9_-]{43})/);
  if (!link) throw new Error(`no link in ${mail.raw}`);
  return { link: link[0], token: link[1]! };
}

function requestReset(email: string) {
  return t.app.request('/api/auth/password-reset', jsonRequest('POST', { email }));
}
function confirm(token: string, newPassword = NEW_PASSWORD) {
  return t.app.request('/api/auth/password-reset/confirm', jsonRequest('POST', { token, newPassword }));
}
function signIn(email: string, password: string) {
  return t.app.request('/api/auth/login', jsonRequest('POST', { email, password }));
}
async function events(kind: string, filter: { userId?: string; email?: string }) {
  const rows = await t.ctx.db.selectFrom('audit_log').selectAll().where('entity_type', '=', SECURITY_ENTITY_TYPE).where('action', '=', kind).execute();
  return rows.filter((r) => {
    const changes = (typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes) as { email?: string };
    return (filter.userId && r.actor_id === filter.userId) || (filter.email && changes.email === filter.email);
  });
}
const me = (cookie: string) => t.app.request('/api/me', { headers: { cookie } });

describe("an admin's reset", () => {
  it('gives a temporary password, ends every session of the user, forces a change; audited', async () => {
    const admin = await seedUser(t.ctx, { role: 'admin' });
    const adminCookie = await login(t.app, admin.email);
    const user = await seedUser(t.ctx);
    const sessions = [await login(t.app, user.email), await login(t.app, user.email)];

    expect((await t.app.request(`/api/users/${admin.id}/password-reset`, jsonRequest('POST', { mode: 'temporary' }, sessions[0]))).status).toBe(403);
    expect((await t.app.request(`/api/users/${admin.id}/password-reset`, jsonRequest('POST', { mode: 'temporary' }, adminCookie))).status).toBe(400);
    const res = await t.app.request(`/api/users/${user.id}/password-reset`, jsonRequest('POST', { mode: 'temporary' }, adminCookie));
    expect(res.status).toBe(200);
    const { temporaryPassword } = (await res.json()) as { temporaryPassword: string };
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(16);

    for (const cookie of sessions) expect((await me(cookie)).status).toBe(401);
    expect((await signIn(user.email, TEST_PASSWORD)).status).toBe(401);
    const cookie = await login(t.app, user.email, temporaryPassword);
    expect(((await (await me(cookie)).json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(true);
    expect((await t.app.request('/api/customers', { headers: { cookie } })).status).toBe(403);

    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'password_reset').where('entity_type', '=', 'user').execute();
    expect(audit.filter((a) => a.entity_id === user.id && a.actor_id === admin.id)).toHaveLength(1);
    expect(await events('password_reset', { userId: user.id })).toHaveLength(1);
    expect(JSON.stringify(await events('password_reset', { userId: user.id }))).not.toContain(temporaryPassword);

    // The change records a password_changed event and clears the forced change.
    const change = await t.app.request('/api/me/password', jsonRequest('POST', { currentPassword: temporaryPassword, newPassword: NEW_PASSWORD }, cookie));
    expect(change.status).toBe(204);
    expect(await events('password_changed', { userId: user.id })).toHaveLength(1);
    expect((await t.app.request('/api/customers', { headers: { cookie } })).status).toBe(200);
  });

  it('can make a one-time reset link instead (no SMTP needed)', async () => {
    const admin = await seedUser(t.ctx, { role: 'admin' });
    const adminCookie = await login(t.app, admin.email);
    const user = await seedUser(t.ctx);
    const res = await t.app.request(`/api/users/${user.id}/password-reset`, jsonRequest('POST', { mode: 'link' }, adminCookie));
    const { link, expiresAt } = (await res.json()) as { link: string; expiresAt: string };
    expect(new Date(expiresAt).getTime()).toBe(clock + 30 * 60_000);
    const token = new URL(link).searchParams.get('token')!;
    expect(link.startsWith('https://crm.example.com/reset-password?token=')).toBe(true);
    expect((await confirm(token)).status).toBe(204);
    expect((await confirm(token, 'Another-Horse-88')).status).toBe(400);
    expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(200);
  });
});

describe('a forgotten password', () => {
  it('sends a link by e-mail that works once and ends every session', async () => {
    const user = await seedUser(t.ctx);
    const old = await login(t.app, user.email);
    const res = await requestReset(user.email.toUpperCase());
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true });
    const { token } = await mailTo(user.email);
    // Only a hash of the token is stored.
    const stored = await t.ctx.db.selectFrom('password_reset_tokens').selectAll().where('user_id', '=', user.id).execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token);

    // A weak password is refused without spending the link.
    const weak = await confirm(token, 'short');
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as { error: { code: string; field: string } }).error).toMatchObject({ code: 'weak_password', field: 'newPassword' });

    expect((await confirm(token)).status).toBe(204);
    expect((await me(old)).status).toBe(401);
    expect((await signIn(user.email, TEST_PASSWORD)).status).toBe(401);
    expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(200);
    const again = await confirm(token, 'Another-Horse-88');
    expect(((await again.json()) as { error: { code: string; field: string } }).error).toMatchObject({ code: 'invalid_token', field: 'token' });
    expect(await events('password_reset_requested', { userId: user.id })).toHaveLength(1);
    expect(await events('password_reset', { userId: user.id })).toHaveLength(1);
  });

  it('expires after 30 minutes', async () => {
    const user = await seedUser(t.ctx);
    await requestReset(user.email);
    const { token } = await mailTo(user.email);
    clock += 30 * 60_000;
    expect((await confirm(token)).status).toBe(400);
    expect((await signIn(user.email, TEST_PASSWORD)).status).toBe(200);

    await requestReset(user.email);
    const second = await mailTo(user.email);
    clock += 30 * 60_000 - 1;
    expect((await confirm(second.token)).status).toBe(204);
  });

  it('is spent by a newer link', async () => {
    const user = await seedUser(t.ctx);
    await requestReset(user.email);
    const first = await mailTo(user.email);
    await requestReset(user.email);
    const second = await mailTo(user.email);
    expect((await confirm(first.token)).status).toBe(400);
    expect((await confirm(second.token)).status).toBe(204);
  });

  it('answers an unknown address the same, and sends nothing', async () => {
    const user = await seedUser(t.ctx);
    const known = await requestReset(user.email);
    const unknown = await requestReset('nobody-here@example.com');
    expect(unknown.status).toBe(known.status);
    expect(await unknown.text()).toBe(await known.text());
    await mailTo(user.email);
    // The request is recorded, and by then any mail would have been sent.
    await waitFor(async () => ((await events('password_reset_requested', { email: 'nobody-here@example.com' })).length ? true : undefined), 'the event');
    expect(inbox.filter((m) => m.to.includes('nobody-here@example.com'))).toHaveLength(0);
  });

  it('takes a token that is not one as a 400 on token', async () => {
    const res = await confirm('not-a-token');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('token');
    expect((await confirm('A'.repeat(43))).status).toBe(400);
  });
});

describe('the maximum password age', () => {
  it('is off by default, and past it the user must change the password at sign-in', async () => {
    const admin = await seedUser(t.ctx, { role: 'admin' });
    const adminCookie = await login(t.app, admin.email);
    const user = await seedUser(t.ctx);
    await t.ctx.db.updateTable('users').set({ password_changed_at: new Date(clock - 100 * 86_400_000) }).where('id', '=', user.id).execute();
    const first = await signIn(user.email, TEST_PASSWORD);
    expect(((await first.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(false);

    const set = await t.app.request('/api/workspace/security', jsonRequest('PATCH', { maxPasswordAgeDays: 90 }, adminCookie));
    expect(((await set.json()) as { maxPasswordAgeDays: number }).maxPasswordAgeDays).toBe(90);
    const res = await signIn(user.email, TEST_PASSWORD);
    expect(((await res.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(true);
    const cookie = res.headers.get('set-cookie')!.match(/session=[^;]+/)![0];
    expect((await t.app.request('/api/customers', { headers: { cookie } })).status).toBe(403);
    expect((await t.app.request('/api/me/password', jsonRequest('POST', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, cookie))).status).toBe(204);
    // A password changed now is within the age.
    const after = await signIn(user.email, NEW_PASSWORD);
    expect(((await after.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(false);
    // A password of 89 days passes; switching the limit off leaves old passwords alone.
    const fresh = await seedUser(t.ctx);
    await t.ctx.db.updateTable('users').set({ password_changed_at: new Date(clock - 89 * 86_400_000) }).where('id', '=', fresh.id).execute();
    expect(((await (await signIn(fresh.email, TEST_PASSWORD)).json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(false);
    await t.app.request('/api/workspace/security', jsonRequest('PATCH', { maxPasswordAgeDays: null }, adminCookie));
    clock += 200 * 86_400_000;
    expect(((await (await signIn(fresh.email, TEST_PASSWORD)).json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(false);
  });
});
