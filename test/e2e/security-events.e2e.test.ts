/**
 * The security events page in Chromium: an admin reaches it from the navigation, sees a
 * failed sign-in made through the sign-in form, filters by kind and pages back with the
 * keyboard alone, in English and Chinese, on a phone too; a rep has no link and no access.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_EVENTS_PAGE_DEFAULT } from '../../schema/wire/security-events.ts';
import { recordSecurityEvent } from '../../server/audit/security-events.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { seedTeam, seedUser, TEST_PASSWORD } from '../helpers/context.ts';

let app: BrowserApp;

beforeAll(async () => {
  app = await startBrowserApp();
});

afterAll(async () => {
  await app?.close();
});

async function signIn(page: Page, login: string, password: string) {
  await page.getByLabel('E-mail or employee number').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Password', { exact: true }).press('Enter');
}

/** Text of the focused element's row id, looking through shadow roots. */
function focusedRowId(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.getAttribute('data-id') ?? null;
  });
}

const rows = (page: Page) => page.locator('tandem-security-events-page tbody tr');

describe('security events in the browser', () => {
  it('an admin finds a failed sign-in, filters and pages with the keyboard', async () => {
    const admin = await seedUser(app.test.ctx, { role: 'admin', name: 'Ada Admin' });
    const victim = await seedUser(app.test.ctx, { name: 'Zhou Min', email: 'zhou.min@example.com' });
    // Older password changes, more than one page of them.
    const start = Date.now() - 24 * 3600_000;
    for (let i = 0; i < SECURITY_EVENTS_PAGE_DEFAULT + 5; i++) {
      await recordSecurityEvent(app.test.ctx.db, { kind: 'password_changed', at: new Date(start + i * 1000), userId: admin.id, address: '192.0.2.1' });
    }

    // A wrong password through the real form.
    const stranger = await app.newPage();
    await stranger.goto(`${app.url}/`);
    await signIn(stranger, victim.email, 'Not-Their-Password-1');
    await stranger.getByRole('alert').getByText('The sign-in name or password is wrong.').waitFor();

    const page = await app.newPage();
    await page.goto(`${app.url}/`);
    await signIn(page, admin.email, TEST_PASSWORD);
    await page.getByRole('navigation').getByRole('link', { name: 'Security' }).click();
    await page.getByRole('heading', { name: 'Security events', exact: true }).waitFor();
    const first = rows(page).first();
    await first.getByText('Failed sign-in').waitFor();
    await first.getByText('Wrong password').waitFor();
    await first.getByText('Zhou Min').waitFor();
    expect(await first.textContent()).not.toContain('Not-Their-Password-1');

    // Keyboard only: the kind filter, then older pages.
    await page.getByLabel('Kind of event').focus();
    // End picks the last kind of the closed list, as a keyboard user would.
    await page.keyboard.press('End');
    await page.waitForURL(/\/admin\/security\?kind=password_changed$/);
    await rows(page).first().getByText('Password changed').waitFor();
    await expect.poll(() => rows(page).count()).toBe(SECURITY_EVENTS_PAGE_DEFAULT);
    const more = page.getByRole('button', { name: 'Show older events' });
    await more.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => rows(page).count()).toBe(SECURITY_EVENTS_PAGE_DEFAULT + 5);
    // Focus moved to the first older event; the button is gone with the last page.
    expect(await focusedRowId(page)).toBe(await rows(page).nth(SECURITY_EVENTS_PAGE_DEFAULT).getAttribute('data-id'));
    expect(await more.count()).toBe(0);
    await page.getByRole('status').getByText(`Events shown: ${SECURITY_EVENTS_PAGE_DEFAULT + 5}`).waitFor();

    // A kind with no events: the empty state.
    await page.getByLabel('Kind of event').selectOption('totp_failed');
    await page.getByText('No events of this kind').waitFor();

    // The filter survives a reload (it is in the address); Chinese after switching the account's language.
    await page.evaluate(() =>
      fetch('/api/me', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'zh-CN' }) }),
    );
    await page.goto(`${app.url}/admin/security?kind=login_failed`);
    await page.getByRole('heading', { name: '安全事件' }).waitFor();
    await rows(page).first().getByText('密码错误').waitFor();
    expect(await page.getByLabel('事件类型').inputValue()).toBe('login_failed');

    // On a phone the events are cards, no wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await rows(page).first().getByText('登录失败').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(app.pageErrors).toEqual([]);
  });

  it('a rep has no link to the page and cannot open it', async () => {
    const rep = await seedUser(app.test.ctx, { role: 'rep', teamId: (await seedTeam(app.test.ctx)).id });
    const page = await app.newPage();
    await page.goto(`${app.url}/admin/security`);
    await signIn(page, rep.email, TEST_PASSWORD);
    await page.getByRole('heading', { name: 'You do not have access to this page' }).waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Security' }).count()).toBe(0);
    expect(await page.locator('tandem-security-events-page').count()).toBe(0);
  });
});
