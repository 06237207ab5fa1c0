/**
 * The phone layout (390×844) in Chinese: the navigation is a menu whose labels stay whole
 * (no label broken after every character, 设置 visible), and the customer list, the 360° page,
 * the board and the tasks fit the screen's width. Screenshots under /tmp/shots-phone/ when
 * PHONE_SHOTS is set.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { login, seedUser } from '../helpers/context.ts';
import { type BoardFixture, closeBoardApp, seedBoard, signedInPage } from './board-fixture.ts';

const SHOTS = process.env.PHONE_SHOTS ? '/tmp/shots-phone' : null;
const PHONE = { width: 390, height: 844 };

let app: BrowserApp;
let f: BoardFixture;
let adminCookie: string;
let customerId: string;
const pages: Page[] = [];

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

async function phonePage(cookie: string): Promise<Page> {
  const page = await signedInPage(app, cookie, 'zh-CN');
  await page.setViewportSize(PHONE);
  pages.push(page);
  return page;
}

/** Each nav label on one line: no sideways overflow, and no taller than one line of its text. */
async function navLabelProblems(page: Page): Promise<string[]> {
  return page.locator('tandem-frame').evaluate((frame) => {
    const problems: string[] = [];
    for (const a of frame.shadowRoot!.querySelectorAll<HTMLAnchorElement>('nav a')) {
      const span = a.querySelector('span')!;
      const lineHeight = Number.parseFloat(getComputedStyle(span).lineHeight) || Number.parseFloat(getComputedStyle(span).fontSize) * 1.6;
      const text = span.textContent ?? '';
      if (a.scrollWidth > a.clientWidth) problems.push(`${text}: wider than its item`);
      if (span.getBoundingClientRect().height > lineHeight * 1.5) problems.push(`${text}: wraps onto several lines`);
    }
    return problems;
  });
}

/** How far the page scrolls sideways (0: it fits the screen). */
const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

beforeAll(async () => {
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  app = await startBrowserApp();
  f = await seedBoard(app, 1);
  const admin = await seedUser(app.test.ctx, { role: 'admin', name: '管理员' });
  adminCookie = await login(app.test.app, admin.email);
  await app.test.ctx.db.updateTable('users').set({ locale: 'zh-CN' }).execute();
  customerId = f.opportunities[0]!.customerId;
});

afterAll(() => closeBoardApp(app, pages));

describe('on a phone, in Chinese', () => {
  it('the navigation is a menu of whole labels with 设置 visible', async () => {
    const page = await phonePage(adminCookie);
    await page.goto(`${app.url}/customers`);
    await page.getByRole('heading', { level: 1, name: '客户' }).waitFor();
    const toggle = page.getByRole('button', { name: '菜单' });
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
    // Closed, the navigation takes no room above the page.
    await expect(page.getByRole('link', { name: '设置' }).isVisible()).resolves.toBe(false);
    await toggle.click();
    await page.getByRole('link', { name: '设置' }).waitFor({ state: 'visible' });
    const box = await page.getByRole('link', { name: '设置' }).boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
    await expect(navLabelProblems(page)).resolves.toEqual([]);
    await shot(page, 'menu-zh');
    // Escape closes it; following a link does too.
    await page.keyboard.press('Escape');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
    await toggle.click();
    await page.getByRole('link', { name: '任务' }).click();
    await page.getByRole('heading', { level: 1, name: '任务' }).waitFor();
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
    expect(app.pageErrors).toEqual([]);
  });

  it('the customer list, the 360° page, the board and the tasks fit the width', async () => {
    const page = await phonePage(f.managerCookie);
    const screens: Array<[string, string, () => Promise<void>]> = [
      ['customers', '/customers', () => page.getByText('华为技术').first().waitFor()],
      ['customer', `/customers/${customerId}`, () => page.locator('.status[data-status="synced"]').waitFor()],
      ['board', `/pipeline/${f.pipeline.id}`, () => page.locator('.status[data-status="synced"]').waitFor()],
      ['tasks', '/tasks', () => page.getByRole('heading', { level: 1, name: '任务' }).waitFor()],
    ];
    for (const [name, path, ready] of screens) {
      await page.goto(`${app.url}${path}`);
      await ready();
      await page.waitForTimeout(200);
      expect({ name, overflow: await sidewaysOverflow(page) }).toEqual({ name, overflow: 0 });
      // The closed menu bar stays one row high, even above a short page.
      const bar = await page.locator('tandem-frame').evaluate((frame) => frame.shadowRoot!.querySelector('.side')!.getBoundingClientRect().height);
      expect(bar).toBeLessThan(80);
      await shot(page, name);
    }
    expect(app.pageErrors).toEqual([]);
  });
});
