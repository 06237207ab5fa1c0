/**
 * Two-factor sign-in and the reset page in Chromium: a user sets it up from the settings page
 * (the key read off the page, the code made from it here), signs out, and signs in with a code;
 * a rep whose role requires it is sent to enrol; the reset page asks for an address and takes a
 * link's token out of the address bar. Screenshots of the enrolment and reset screens, English
 * and Chinese, desktop and phone, go to /tmp/shots-2fa/ (SHOTS_DIR).
 */
import { mkdirSync } from 'node:fs';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashResetToken, newResetToken } from '../../server/auth/password-reset.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { seedTeam, seedUser, TEST_PASSWORD } from '../helpers/context.ts';

const SHOTS_DIR = process.env.SHOTS_DIR ?? '/tmp/shots-2fa';
const PHONE = { width: 390, height: 844 };
const WALK_TIMEOUT_MS = 120_000;

let app: BrowserApp;

beforeAll(async () => {
  mkdirSync(SHOTS_DIR, { recursive: true });
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

function codeNow(secret: string, steps = 0): string {
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(Date.now() / 30_000) + steps), 6);
}

async function signIn(page: Page, login: string, labels = { login: 'E-mail or employee number', password: 'Password' }) {
  await page.goto(app.url);
  await page.getByLabel(labels.login).fill(login);
  await page.getByLabel(labels.password, { exact: true }).fill(TEST_PASSWORD);
  await page.getByLabel(labels.password, { exact: true }).press('Enter');
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS_DIR}/${name}.png`, fullPage: true });
}

/** The key as the page shows it (groups of four). */
async function keyOnPage(page: Page): Promise<string> {
  const text = await page.locator('tandem-totp-enrolment .key').textContent();
  return (text ?? '').replace(/\s/g, '');
}

describe('two-factor sign-in in the browser', () => {
  it(
    'is set up from the settings page and then asked for at sign-in',
    async () => {
      const team = await seedTeam(app.test.ctx);
      const user = await seedUser(app.test.ctx, { teamId: team.id, name: 'Chen Jing' });
      const page = await app.newPage();
      await signIn(page, user.email);
      await page.getByRole('navigation').first().waitFor();
      await page.goto(`${app.url}/settings`);
      await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
      await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
      const secret = await keyOnPage(page);
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      // The QR code is an SVG element, not an image: nothing for the CSP to refuse.
      expect(await page.locator('tandem-totp-enrolment svg.qr path').count()).toBe(1);
      await shot(page, 'settings-enrol-en-desktop');
      await page.getByLabel('Enter the 6-digit code the app shows').fill(codeNow(secret));
      await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
      await expect.poll(() => page.locator('tandem-totp-enrolment .codes li').count()).toBe(10);
      await shot(page, 'settings-recovery-codes-en-desktop');
      await page.getByRole('button', { name: 'I have saved them' }).click();
      await page.getByText('Recovery codes left: 10').waitFor();

      // Sign out, then sign in: the code is asked for, a wrong one refused, the right one lets in.
      const fresh = await app.newPage();
      await signIn(fresh, user.email);
      const code = fresh.getByLabel('Code from your authenticator app');
      await code.waitFor();
      await shot(fresh, 'sign-in-code-en-desktop');
      await code.fill('000000');
      await code.press('Enter');
      await fresh.getByText('That code is not right.').waitFor();
      await code.fill(codeNow(secret, 1));
      await code.press('Enter');
      await fresh.getByRole('navigation').first().waitFor();
      expect(app.pageErrors).toEqual([]);
    },
    WALK_TIMEOUT_MS,
  );

  it(
    'sends a rep whose role requires it to enrol, in English and in Chinese, on a desktop and a phone',
    async () => {
      await app.test.ctx.db.updateTable('workspace_settings').set({ totp_required_roles: JSON.stringify(['rep']) }).execute();
      const team = await seedTeam(app.test.ctx);
      for (const [locale, size] of [
        ['en', 'desktop'],
        ['en', 'phone'],
        ['zh-CN', 'desktop'],
        ['zh-CN', 'phone'],
      ] as const) {
        const rep = await seedUser(app.test.ctx, { teamId: team.id, role: 'rep' });
        await app.test.ctx.db.updateTable('users').set({ locale }).where('id', '=', rep.id).execute();
        const page = await app.newPage({ locale: locale === 'en' ? 'en-US' : 'zh-CN' });
        if (size === 'phone') await page.setViewportSize(PHONE);
        await signIn(
          page,
          rep.email,
          locale === 'en' ? undefined : { login: '邮箱或工号', password: '密码' },
        );
        const heading = locale === 'en' ? 'Set up two-factor sign-in' : '设置两步验证登录';
        await page.getByRole('heading', { name: heading }).waitFor();
        await page.locator('tandem-totp-enrolment .key').waitFor();
        await shot(page, `enrol-${locale}-${size}`);
        if (size === 'phone') {
          const scrolls = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
          expect(scrolls).toBe(false);
        }
        if (locale === 'en' && size === 'desktop') {
          const secret = await keyOnPage(page);
          await page.getByLabel('Enter the 6-digit code the app shows').fill(codeNow(secret));
          await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
          await page.getByRole('button', { name: 'I have saved them' }).click();
          await page.getByRole('navigation').first().waitFor();
        }
      }
      await app.test.ctx.db.updateTable('workspace_settings').set({ totp_required_roles: JSON.stringify([]) }).execute();
      expect(app.pageErrors).toEqual([]);
    },
    WALK_TIMEOUT_MS,
  );

  it(
    'lets an admin make a reset link for a user and require two-factor sign-in for a role',
    async () => {
      const admin = await seedUser(app.test.ctx, { role: 'admin', name: 'Admin Wu' });
      const team = await seedTeam(app.test.ctx);
      await seedUser(app.test.ctx, { teamId: team.id, name: 'Liu Yang' });
      const page = await app.newPage();
      await signIn(page, admin.email);
      await page.getByRole('navigation').first().waitFor();
      await page.goto(`${app.url}/admin/users`);
      await page.getByRole('button', { name: 'Sign-in help Liu Yang' }).click();
      await page.getByRole('button', { name: 'Create reset link' }).click();
      const link = await page.locator('tandem-account-help output').textContent();
      expect(link).toMatch(/\/reset-password\?token=[A-Za-z0-9_-]{43}$/);
      await shot(page, 'admin-reset-link-en-desktop');
      await page.getByRole('button', { name: 'Close' }).click();

      const rules = page.locator('tandem-workspace-security');
      await rules.getByRole('checkbox', { name: 'Sales rep' }).check();
      await rules.getByRole('button', { name: 'Save', exact: true }).click();
      await rules.getByText('Saved.').waitFor();
      await shot(page, 'admin-sign-in-rules-en-desktop');
      const row = await app.test.ctx.db.selectFrom('workspace_settings').selectAll().executeTakeFirstOrThrow();
      const roles = typeof row.totp_required_roles === 'string' ? JSON.parse(row.totp_required_roles) : row.totp_required_roles;
      expect(roles).toEqual(['rep']);
      await app.test.ctx.db.updateTable('workspace_settings').set({ totp_required_roles: JSON.stringify([]) }).execute();
      expect(app.pageErrors).toEqual([]);
    },
    WALK_TIMEOUT_MS,
  );

  it(
    'shows the reset page: asking for a link, and choosing a password from one, with the token out of the address bar',
    async () => {
      for (const [locale, size] of [
        ['en', 'desktop'],
        ['en', 'phone'],
        ['zh-CN', 'desktop'],
        ['zh-CN', 'phone'],
      ] as const) {
        const page = await app.newPage({ locale: locale === 'en' ? 'en-US' : 'zh-CN' });
        if (size === 'phone') await page.setViewportSize(PHONE);
        await page.goto(app.url);
        await page.getByRole('link', { name: locale === 'en' ? 'Forgot your password?' : '忘记密码？' }).click();
        await page.getByRole('heading', { name: locale === 'en' ? 'Forgot your password?' : '忘记密码？' }).waitFor();
        await shot(page, `reset-ask-${locale}-${size}`);

        const user = await seedUser(app.test.ctx);
        const token = newResetToken();
        const now = new Date();
        await app.test.ctx.db
          .insertInto('password_reset_tokens')
          .values({ token_hash: hashResetToken(token), user_id: user.id, created_by: null, created_at: now, expires_at: new Date(now.getTime() + 1_800_000), used_at: null })
          .execute();
        await page.goto(`${app.url}/reset-password?token=${token}`);
        await page.getByRole('heading', { name: locale === 'en' ? 'Choose a new password' : '设置新密码' }).waitFor();
        expect(page.url()).not.toContain(token);
        await shot(page, `reset-choose-${locale}-${size}`);
        if (size === 'phone') expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
        if (locale === 'en' && size === 'desktop') {
          await page.getByLabel('New password', { exact: true }).fill('Fresh-Start-Pass-31');
          await page.getByLabel('Confirm new password').fill('Fresh-Start-Pass-31');
          await page.getByRole('button', { name: 'Set new password' }).click();
          await page.getByRole('heading', { name: 'Your password was changed' }).waitFor();
          await shot(page, 'reset-done-en-desktop');
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.getByLabel('E-mail or employee number').waitFor();
        }
      }
      expect(app.pageErrors).toEqual([]);
    },
    WALK_TIMEOUT_MS,
  );
});
