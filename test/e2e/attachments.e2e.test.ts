/**
 * The "Attachments" section of the customer 360° page in Chromium: list, upload through the file
 * input with the keyboard, a refused type explained, archive behind the in-app confirmation;
 * screenshots in English and Chinese at desktop and phone width under /tmp/shots-attachments/.
 */
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_BYTES, EXE_BYTES, PDF_BYTES, PNG_BYTES, upload } from '../helpers/attachments.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { signedInPage } from './board-fixture.ts';

const SHOTS = '/tmp/shots-attachments';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let app: BrowserApp;
let repCookie: string;
let customerId: string;

async function shot(page: Page, section: Locator, name: string): Promise<void> {
  await page.waitForTimeout(300);
  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: `${SHOTS}/${name}-section.png` });
  await page.screenshot({ path: `${SHOTS}/${name}-page.png`, fullPage: true });
}

const sectionOf = (page: Page) => page.locator('section:has(tandem-attachments)');
const items = (page: Page) => page.locator('tandem-attachments li');

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  app = await startBrowserApp();
  const ctx = app.test.ctx;
  const team = (await seedTeam(ctx, 'Files team')).id;
  const rep = await seedUser(ctx, { teamId: team, name: 'Rita Rep', email: 'rita@example.com' });
  const mate = await seedUser(ctx, { teamId: team, name: '王芳', email: 'wang@example.com' });
  repCookie = await login(app.test.app, rep.email);
  const mateCookie = await login(app.test.app, mate.email);
  customerId = (await ctx.db.insertInto('customers').values({ team_id: team, name: 'Acme 华为', owner_id: rep.id }).returning('id').executeTakeFirstOrThrow()).id;
  for (const [cookie, file] of [
    [mateCookie, { bytes: PDF_BYTES, name: '报价单 2026（终版）.pdf', type: 'application/pdf' }],
    [repCookie, { bytes: CSV_BYTES, name: 'contacts-export.csv', type: 'text/csv' }],
  ] as const) {
    const res = await upload(app.test.app, cookie, { parentType: 'customer', parentId: customerId, file });
    expect(res.status).toBe(201);
  }
}, 240_000);
afterAll(async () => {
  await app?.close();
});

describe('attachments on the customer page', () => {
  it('lists, uploads from the keyboard, explains a refused type and archives after confirming', async () => {
    const page = await signedInPage(app, repCookie);
    await page.setViewportSize(DESKTOP);
    await page.goto(`${app.url}/customers/${customerId}`);
    await expect.poll(() => items(page).count(), { timeout: 15_000 }).toBe(2);
    const section = sectionOf(page);
    expect(await section.locator('h3').textContent()).toBe('Attachments');
    expect(await items(page).first().locator('a').getAttribute('href')).toMatch(/^\/api\/attachments\/[0-9a-f-]+\/download$/);

    // The file input is reachable with the keyboard (focus it, then choose the file).
    const input = page.locator('tandem-attachments input[type=file]');
    await input.focus();
    expect(await input.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await input.setInputFiles({ name: 'site-photo.png', mimeType: 'image/png', buffer: Buffer.from(PNG_BYTES) });
    await expect.poll(() => items(page).count(), { timeout: 15_000 }).toBe(3);
    expect(await items(page).first().textContent()).toContain('site-photo.png');

    await input.setInputFiles({ name: 'setup.pdf', mimeType: 'application/pdf', buffer: Buffer.from(EXE_BYTES) });
    await expect.poll(() => page.locator('tandem-attachments tandem-alert').textContent(), { timeout: 15_000 }).toContain('not accepted');
    expect(await items(page).count()).toBe(3);
    await shot(page, section, 'en-desktop-refused');

    // Archive the photo: in-app confirmation, then it leaves the list. The colleague's PDF has no Remove for a rep.
    const pdfRow = items(page).filter({ hasText: '报价单' });
    expect(await pdfRow.getByRole('button').count()).toBe(0);
    await items(page).first().getByRole('button', { name: 'Remove site-photo.png' }).click();
    await expect.poll(() => page.locator('tandem-attachments tandem-dialog dialog[open]').count(), { timeout: 15_000 }).toBe(1);
    await shot(page, section, 'en-desktop-confirm');
    await page.locator('tandem-attachments tandem-dialog').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => items(page).count(), { timeout: 15_000 }).toBe(2);
    await page.locator('tandem-attachments tandem-alert button').click();
    await shot(page, section, 'en-desktop');
    await page.setViewportSize(PHONE);
    await shot(page, section, 'en-phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(app.pageErrors).toEqual([]);
  });

  it('reads in Chinese', async () => {
    await app.test.ctx.db.updateTable('users').set({ locale: 'zh-CN' }).where('email', '=', 'rita@example.com').execute();
    const page = await signedInPage(app, repCookie, 'zh-CN');
    await page.setViewportSize(DESKTOP);
    await page.goto(`${app.url}/customers/${customerId}`);
    await expect.poll(() => items(page).count(), { timeout: 15_000 }).toBe(2);
    const section = sectionOf(page);
    await expect.poll(() => section.locator('h3').textContent(), { timeout: 15_000 }).toBe('附件');
    expect(await page.locator('tandem-attachments').evaluate((el) => el.shadowRoot?.textContent ?? '')).toContain('添加文件');
    await shot(page, section, 'zh-desktop');
    await page.setViewportSize(PHONE);
    await shot(page, section, 'zh-phone');
    expect(app.pageErrors).toEqual([]);
  });
});
