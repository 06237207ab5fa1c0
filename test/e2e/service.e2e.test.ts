/**
 * The Service queue and the customer's "Feedback & service records" section in Chromium: a
 * teammate's change shows on an open page without a reload; screenshots in English and
 * Chinese at desktop and phone width (under /tmp/shots-service/ when SERVICE_SHOTS is set).
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceRecordDto } from '../../schema/wire/service-records.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';
import { signedInPage } from './board-fixture.ts';

const SHOTS = process.env.SERVICE_SHOTS ? '/tmp/shots-service' : null;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let app: BrowserApp;
let repCookie: string;
let mateCookie: string;
let customerId: string;

async function post(cookie: string, body: Record<string, unknown>): Promise<ServiceRecordDto> {
  const res = await app.test.app.request('/api/service-records', jsonRequest('POST', body, cookie));
  expect(res.status).toBe(201);
  return ((await res.json()) as { serviceRecord: ServiceRecordDto }).serviceRecord;
}

async function patch(cookie: string, id: string, body: Record<string, unknown>): Promise<void> {
  const res = await app.test.app.request(`/api/service-records/${id}`, jsonRequest('PATCH', body, cookie));
  expect(res.status).toBe(200);
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

beforeAll(async () => {
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  app = await startBrowserApp();
  const ctx = app.test.ctx;
  const team = (await seedTeam(ctx, 'Service team')).id;
  const rep = await seedUser(ctx, { teamId: team, name: 'Rita Rep', email: 'rita@example.com' });
  const mate = await seedUser(ctx, { teamId: team, name: '王芳', email: 'wang@example.com' });
  repCookie = await login(app.test.app, rep.email);
  mateCookie = await login(app.test.app, mate.email);
  customerId = (await ctx.db.insertInto('customers').values({ team_id: team, name: 'Acme 华为', owner_id: rep.id }).returning('id').executeTakeFirstOrThrow()).id;
  const other = (await ctx.db.insertInto('customers').values({ team_id: team, name: 'Beta 贸易' }).returning('id').executeTakeFirstOrThrow()).id;
  const day = 24 * 3600_000;
  await post(repCookie, { customerId, type: 'complaint', channel: 'phone', title: 'Printer jams on duplex', assigneeId: mate.id, dueAt: new Date(Date.now() - day).toISOString() });
  await post(repCookie, { customerId: other, type: 'maintenance', channel: 'visit', title: 'Yearly maintenance', dueAt: new Date(Date.now() + 3 * day).toISOString() });
  const done = await post(mateCookie, { customerId, type: 'feedback', channel: 'email', title: 'Praise for the install team' });
  await patch(mateCookie, done.id, { status: 'resolved', resolution: 'Thanked the customer and passed it on', satisfaction: 5 });
}, 240_000);
afterAll(async () => {
  await app?.close();
});

describe('service records in the browser', () => {
  it('the queue lists the team’s open records and refreshes when a teammate adds one', async () => {
    const page = await signedInPage(app, repCookie);
    await page.setViewportSize(DESKTOP);
    await page.goto(`${app.url}/service`);
    const list = page.locator('tandem-service-record-list');
    await expect.poll(() => list.locator('li').count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => page.locator('tandem-service-report .figure .value').first().textContent(), { timeout: 15_000 }).toBe('2');
    await shot(page, 'queue-en-desktop');
    await post(mateCookie, { customerId, type: 'request', title: 'Needs a spare toner', channel: 'chat' });
    await expect.poll(() => list.locator('li').count(), { timeout: 15_000 }).toBe(3);
    await page.setViewportSize(PHONE);
    await shot(page, 'queue-en-phone');
    expect(app.pageErrors).toEqual([]);
  });

  it('the customer’s section lists its records and shows a teammate’s status change live', async () => {
    const page = await signedInPage(app, repCookie);
    await page.setViewportSize(DESKTOP);
    await page.goto(`${app.url}/customers/${customerId}`);
    const section = page.locator('tandem-service-records-section');
    await expect.poll(() => section.locator('li').count(), { timeout: 15_000 }).toBe(3);
    const first = await post(mateCookie, { customerId, type: 'visit', title: 'Quarterly visit' });
    await expect.poll(() => section.locator('li').count(), { timeout: 15_000 }).toBe(4);
    await patch(mateCookie, first.id, { status: 'in_progress' });
    await expect.poll(() => section.locator(`li[data-record-id="${first.id}"] .badge`).first().textContent(), { timeout: 15_000 }).toContain('In progress');
    await section.scrollIntoViewIfNeeded();
    await shot(page, 'customer-en-desktop');
    // Open the dialog from the keyboard-reachable button and see the form.
    await section.getByRole('button', { name: 'Add record' }).click();
    await expect.poll(() => section.locator('tandem-service-record-dialog dialog[open]').count(), { timeout: 15_000 }).toBe(1);
    await shot(page, 'customer-dialog-en-desktop');
    await page.setViewportSize(PHONE);
    await page.keyboard.press('Escape');
    await shot(page, 'customer-en-phone');
    expect(app.pageErrors).toEqual([]);
  });

  it('reads in Chinese', async () => {
    await app.test.ctx.db.updateTable('users').set({ locale: 'zh-CN' }).where('email', '=', 'rita@example.com').execute();
    const page = await signedInPage(app, repCookie, 'zh-CN');
    await page.setViewportSize(DESKTOP);
    await page.goto(`${app.url}/service`);
    await expect.poll(() => page.locator('tandem-service-record-list li').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('tandem-service-page').evaluate((el) => el.shadowRoot?.textContent ?? ''), { timeout: 15_000 }).toContain('售后概览');
    await shot(page, 'queue-zh-desktop');
    await page.setViewportSize(PHONE);
    await shot(page, 'queue-zh-phone');
    await page.setViewportSize(DESKTOP);
    await page.goto(`${app.url}/customers/${customerId}`);
    const section = page.locator('tandem-service-records-section');
    await expect.poll(() => section.locator('li').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await section.scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('tandem-customer-page').evaluate((el) => el.shadowRoot?.textContent ?? ''), { timeout: 15_000 }).toContain('客户反馈与服务记录');
    await shot(page, 'customer-zh-desktop');
    await page.setViewportSize(PHONE);
    await shot(page, 'customer-zh-phone');
    expect(app.pageErrors).toEqual([]);
  });
});
