/**
 * @mention suggestions in Chromium, by keyboard only: `@` and pinyin initials
 * in a follow-up list the teammates (王芳 for "wf"), arrows move, Enter inserts
 * the mention, and the mentioned teammate is notified; in the shared notes
 * Escape closes the list and Enter inserts the mention as text.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationEventDto } from '../../schema/wire/notifications.ts';
import type { User } from '../../server/users/user.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { api } from '../helpers/customers.ts';

const TEST_TIMEOUT_MS = 120_000;
const LIVE_TIMEOUT_MS = 15_000;

let app: BrowserApp;
let chen: User;
let wang: User;
let customerId: string;

beforeAll(async () => {
  app = await startBrowserApp();
  const { ctx } = app.test;
  const team = await seedTeam(ctx);
  chen = await seedUser(ctx, { teamId: team.id, name: '陈静' });
  wang = await seedUser(ctx, { teamId: team.id, name: '王芳' });
  await seedUser(ctx, { teamId: team.id, name: 'Wendy Fox' });
  const outsider = await seedTeam(ctx);
  await seedUser(ctx, { teamId: outsider.id, name: '王峰' });
  customerId = (await api(app.test, await login(app.test.app, chen.email)).create({ name: '华为技术' })).id;
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  await app?.close();
});

async function signedIn(user: User): Promise<Page> {
  const cookie = await login(app.test.app, user.email);
  const page = await app.newPage();
  await page.context().addCookies([{ name: 'session', value: cookie.slice('session='.length), url: app.url, httpOnly: true, sameSite: 'Lax' }]);
  return page;
}

describe('@mention suggestions', () => {
  it(
    'are picked with the keyboard in a follow-up and notify the teammate',
    async () => {
      const page = await signedIn(chen);
      await page.goto(`${app.url}/customers/${customerId}`);
      await page.locator('.status[data-status="synced"]').waitFor({ timeout: LIVE_TIMEOUT_MS });

      const text = page.locator('#fu-text');
      await text.click();
      await page.keyboard.type('请 @wf');
      const list = page.getByRole('listbox', { name: 'Mention a teammate' });
      await list.waitFor();
      // Pinyin initials and the words of a Latin name both match "wf"; another team's 王峰 is not offered.
      await expect.poll(() => list.getByRole('option').allTextContents()).toHaveLength(2);
      expect((await list.getByRole('option').allTextContents()).join(' ')).not.toContain('王峰');
      const options = list.getByRole('option');
      const names = await options.evaluateAll((els) => els.map((e) => e.querySelector('.mention-name')!.textContent));
      const wangAt = names.indexOf('王芳');
      expect(wangAt).toBeGreaterThanOrEqual(0);
      // Walk to 王芳 with the arrows; the textarea points at the active option.
      for (let i = 0; i < wangAt; i++) await page.keyboard.press('ArrowDown');
      expect(await options.nth(wangAt).getAttribute('aria-selected')).toBe('true');
      expect(await text.getAttribute('aria-activedescendant')).toBe(await options.nth(wangAt).getAttribute('id'));
      await page.keyboard.press('Enter');
      await expect.poll(() => list.count()).toBe(0);
      await page.keyboard.type('看一下报价');
      expect(await text.inputValue()).toBe('请 @王芳 看一下报价');

      await page.getByRole('button', { name: 'Add follow-up' }).click();
      await page.locator('tandem-followups li', { hasText: '@王芳' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
      const wangApi = api(app.test, await login(app.test.app, wang.email));
      await expect
        .poll(
          async () => {
            const { items } = (await (await wangApi.get('/api/notifications')).json()) as { items: NotificationEventDto[] };
            return items.filter((n) => n.type === 'mention').length;
          },
          { timeout: LIVE_TIMEOUT_MS },
        )
        .toBe(1);

      // The notes: Escape closes the list, Enter inserts the mention.
      const notes = page.locator('[data-testid="notes-editor"]');
      await notes.click();
      await page.keyboard.type('Ask @');
      await list.waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => list.count()).toBe(0);
      await page.keyboard.press('Backspace');
      await page.keyboard.type('@王');
      await list.waitFor();
      await page.keyboard.press('Enter');
      await expect.poll(() => notes.textContent()).toContain('Ask @王芳 ');
      expect(app.pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
