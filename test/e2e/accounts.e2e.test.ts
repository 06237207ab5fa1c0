/**
 * The first-run walk of the accounts feature in Chromium, and the refusals a
 * browser user meets: a wrong password, and a rep at the admin page.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_PAIR_LIMIT } from '../../server/auth/sign-in-limits.ts';
import { ensureFirstAdmin } from '../../server/users/user.service.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { seedTeam, seedUser, TEST_PASSWORD } from '../helpers/context.ts';

const FIRST_ADMIN_PASSWORD = 'First-Run-Pass-42';
const ADMIN_NEW_PASSWORD = 'Bright-Harbor-Pass-77';
const MANAGER_INITIAL = 'Manager-Start-2026';
const REP_INITIAL = 'Rep-Start-2026!';
const REP_NEW_PASSWORD = 'Rep-Own-Password-88';

/** The walk signs in three times and hashes five passwords (argon2id) on a shared machine. */
const WALK_TIMEOUT_MS = 120_000;

let app: BrowserApp;

beforeAll(async () => {
  app = await startBrowserApp();
});

afterAll(async () => {
  await app?.close();
});

async function signIn(page: Page, login: string, password: string, labels = { login: 'E-mail or employee number', password: 'Password' }) {
  await page.getByLabel(labels.login).fill(login);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await page.getByLabel(labels.password, { exact: true }).press('Enter');
}

async function changeInitialPassword(page: Page, current: string, next: string) {
  await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await page.getByLabel('Current password').fill(current);
  await page.getByLabel('New password', { exact: true }).fill(next);
  await page.getByLabel('Confirm new password').fill(next);
  await page.getByLabel('Confirm new password').press('Enter');
}

/** Text of the focused element, looking through shadow roots. */
function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.textContent?.trim() ?? '';
  });
}

async function userRow(email: string) {
  return app.test.ctx.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

describe('accounts in the browser', () => {
  // First in this file: the first-run admin is only created in an empty database.
  it('walks the first run: forced change, Chinese, a team, a manager and a rep; the rep must change their password', async () => {
    const first = await ensureFirstAdmin(app.test.ctx, () => FIRST_ADMIN_PASSWORD);
    expect(first?.password).toBe(FIRST_ADMIN_PASSWORD);
    const admin = first!.email;

    const page = await app.newPage({ locale: 'en-US' });
    await page.goto(`${app.url}/`);
    await signIn(page, admin, FIRST_ADMIN_PASSWORD);

    // Forced change: a weak password first is refused by the server, with the field named.
    await changeInitialPassword(page, FIRST_ADMIN_PASSWORD, 'short1A');
    await page.getByText('Use at least 10 characters.').waitFor();
    expect(await page.getByLabel('New password', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect((await userRow(admin))?.must_change_password).toBe(true);

    await changeInitialPassword(page, FIRST_ADMIN_PASSWORD, ADMIN_NEW_PASSWORD);
    await page.getByRole('heading', { name: 'Start', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect((await userRow(admin))?.must_change_password).toBe(false);

    // Switch the interface to Chinese in Settings: it re-renders at once and is saved.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('link', { name: '客户' }).waitFor();
    const nav = page.getByRole('navigation');
    expect(await nav.getByRole('link').allTextContents()).toEqual(
      expect.arrayContaining(['客户', '销售管道', '任务', '报表', '用户', '设置'].map((s) => expect.stringContaining(s))),
    );
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect((await userRow(admin))?.locale).toBe('zh-CN');

    // Create a team.
    await nav.getByRole('link', { name: '用户' }).click();
    await page.getByRole('heading', { name: '用户与团队' }).waitFor();
    await page.getByRole('button', { name: '新建团队' }).click();
    // Dialog content is slotted into <tandem-dialog>, which reflects `open`.
    let dialog = page.locator('tandem-dialog[open]');
    await dialog.getByRole('textbox', { name: '团队名称' }).fill('华东销售');
    await dialog.getByRole('textbox', { name: '团队名称' }).press('Enter');
    await page.getByText('已创建团队 华东销售。').waitFor();

    // Escape closes a dialog.
    await page.getByRole('button', { name: '新建用户' }).click();
    dialog = page.locator('tandem-dialog[open]');
    await dialog.getByRole('textbox', { name: '工作邮箱或工号' }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByRole('dialog').count()).toBe(0);

    // A manager (by e-mail) and a rep (by employee number).
    for (const person of [
      { login: 'wang.fang@example.com', name: '王芳', role: 'manager', password: MANAGER_INITIAL },
      { login: 'E2041', name: '李伟', role: 'rep', password: REP_INITIAL },
    ]) {
      await page.getByRole('button', { name: '新建用户' }).click();
      dialog = page.locator('tandem-dialog[open]');
      await dialog.getByRole('textbox', { name: '工作邮箱或工号' }).fill(person.login);
      await dialog.getByRole('textbox', { name: '姓名' }).fill(person.name);
      await dialog.getByRole('combobox', { name: '角色' }).selectOption(person.role);
      await dialog.getByRole('combobox', { name: '团队' }).selectOption({ label: '华东销售' });
      await dialog.locator('#new-password').fill(person.password);
      await dialog.locator('#new-password').press('Enter');
      await page.getByText(`已创建 ${person.name}。`).waitFor();
      await page.locator(`tr[data-user="${person.login.toLowerCase()}"]`).waitFor();
    }
    const team = await app.test.ctx.db.selectFrom('teams').selectAll().where('name', '=', '华东销售').executeTakeFirstOrThrow();
    const manager = await userRow('wang.fang@example.com');
    const rep = await userRow('e2041');
    expect(manager).toMatchObject({ role: 'manager', team_id: team.id, must_change_password: true, name: '王芳' });
    expect(rep).toMatchObject({ role: 'rep', team_id: team.id, must_change_password: true, name: '李伟' });

    // Deactivate the manager with the keyboard (the confirmation starts on Cancel), then reactivate.
    const managerRow = page.locator('tr[data-user="wang.fang@example.com"]');
    await managerRow.getByRole('button', { name: '停用' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('tandem-dialog[open]').waitFor({ state: 'attached' });
    expect(await focusedText(page)).toBe('取消');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await managerRow.getByText('已停用').waitFor();
    expect((await userRow('wang.fang@example.com'))?.active).toBe(false);
    // Focus is back on the row's button, which now reactivates.
    await managerRow.getByRole('button', { name: '重新启用' }).waitFor();
    expect(await focusedText(page)).toContain('重新启用');
    await page.keyboard.press('Enter');
    await managerRow.getByRole('button', { name: '停用' }).waitFor();
    expect((await userRow('wang.fang@example.com'))?.active).toBe(true);

    // Sign out: back to the sign-in page, still in Chinese.
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    const meAfter = await page.evaluate(async () => (await fetch('/api/me')).status);
    expect(meAfter).toBe(401);

    // The rep signs in (an English browser) and must change the initial password first.
    const repPage = await app.newPage({ locale: 'en-US' });
    await repPage.goto(`${app.url}/customers`);
    await signIn(repPage, 'E2041', REP_INITIAL);
    await changeInitialPassword(repPage, REP_INITIAL, REP_NEW_PASSWORD);
    await repPage.getByRole('heading', { name: 'Customers', exact: true }).waitFor();
    expect((await userRow('e2041'))?.must_change_password).toBe(false);
    expect(app.pageErrors).toEqual([]);
  }, WALK_TIMEOUT_MS);

  it('shows an error for a wrong password and stays signed out', async () => {
    const user = await seedUser(app.test.ctx, { role: 'rep', teamId: (await seedTeam(app.test.ctx)).id });
    const page = await app.newPage();
    await page.goto(`${app.url}/settings`);
    await signIn(page, user.email, 'Not-The-Password-1');
    await page.getByRole('alert').getByText('The sign-in name or password is wrong.').waitFor();
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);

    // The right password then opens the page that was asked for.
    await signIn(page, user.email, TEST_PASSWORD);
    await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
    expect(app.pageErrors).toEqual([]);
  });

  it('greets a Chinese browser in Chinese, then follows the saved preference once signed in', async () => {
    const user = await seedUser(app.test.ctx, { role: 'rep', teamId: (await seedTeam(app.test.ctx)).id });
    const page = await app.newPage({ locale: 'zh-CN' });
    await page.goto(`${app.url}/`);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await signIn(page, user.email, TEST_PASSWORD, { login: '邮箱或工号', password: '密码' });
    // The account's language (English, the default) wins over the browser's.
    await page.getByRole('navigation').getByRole('link', { name: 'Customers' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('tells how long to wait once sign-in attempts from this address are limited', async () => {
    const user = await seedUser(app.test.ctx, { role: 'rep', teamId: (await seedTeam(app.test.ctx)).id });
    const page = await app.newPage();
    await page.goto(`${app.url}/`);
    // The server's clock, held and moved by hand: the waits are exact however slow the machine.
    const { ctx } = app.test;
    const realNow = ctx.now;
    let clock = Date.now();
    ctx.now = () => new Date(clock);
    try {
      // Wrong passwords from this machine (the browser's address too), each wait sat out, until the wait is minutes long.
      let wait = 0;
      while (wait < 90) {
        const res = await fetch(`${app.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: app.url },
          body: JSON.stringify({ email: user.email, password: 'Wrong-Password-0' }),
        });
        if (res.status === 429) {
          wait = Number(res.headers.get('retry-after'));
          if (wait < 90) clock += wait * 1000;
        } else {
          expect(res.status).toBe(401);
          wait = 0;
        }
      }
      // 1 s, 2 s, 4 s … 128 s: the first wait over 90 s, not sat out.
      expect(wait).toBe((SIGN_IN_PAIR_LIMIT.baseDelayMs / 1000) * 128);
      await signIn(page, user.email, TEST_PASSWORD);
      await page.getByRole('alert').getByText('Too many attempts. Try again in 3 minutes.').waitFor();
      expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
    } finally {
      ctx.now = realNow;
    }
  });

  it('saves profile and density, and signs out everywhere', async () => {
    const admin = await seedUser(app.test.ctx, { role: 'admin' });
    const here = await app.newPage();
    const elsewhere = await app.newPage();
    for (const page of [here, elsewhere]) {
      await page.goto(`${app.url}/settings`);
      await signIn(page, admin.email, TEST_PASSWORD);
      await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
    }

    await here.getByRole('textbox', { name: 'Title' }).fill('Head of Sales Operations');
    await here.getByRole('textbox', { name: 'Phone' }).fill('+86 21 5555 0100');
    await here.getByRole('textbox', { name: 'Phone' }).press('Enter');
    await here.getByText('Saved').waitFor();
    expect(await userRow(admin.email)).toMatchObject({ title: 'Head of Sales Operations', phone: '+86 21 5555 0100' });

    await here.getByRole('radio', { name: 'Compact' }).check();
    await here.waitForFunction(() => document.documentElement.dataset.density === 'compact');
    expect((await userRow(admin.email))?.density).toBe('compact');

    await here.getByRole('button', { name: 'Sign out everywhere' }).click();
    await here.locator('tandem-dialog[open]').getByRole('button', { name: 'Sign out everywhere' }).click();
    await here.getByRole('heading', { name: 'Sign in' }).waitFor();

    // The other browser learns it at once (the server closes its Socket.IO connection with the session
    // and the notification centre's next request gets 401), and says why.
    await elsewhere.getByText('Your session has ended. Please sign in again.').waitFor();
    expect(await elsewhere.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
    expect(app.pageErrors).toEqual([]);
  });

  it('gives a rep no Users entry and a forbidden state at the admin address', async () => {
    const rep = await seedUser(app.test.ctx, { role: 'rep', teamId: (await seedTeam(app.test.ctx)).id });
    const page = await app.newPage();
    await page.goto(`${app.url}/`);
    await signIn(page, rep.email, TEST_PASSWORD);
    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: 'Customers' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Users' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Settings' }).count()).toBe(1);

    await page.goto(`${app.url}/admin/users`);
    await page.getByText('You do not have access to this page').waitFor();
    expect(await page.getByRole('button', { name: 'New user' }).count()).toBe(0);
    expect(app.pageErrors).toEqual([]);
  });
});
