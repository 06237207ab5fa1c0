/**
 * The customer 360° page in Chromium, two people at once: what a teammate adds (a contact,
 * a task, an opportunity started from the page) appears on the other's open page without a
 * reload; follow-ups carry an outcome, are corrected and deleted by their author (an in-app
 * confirmation), not by another rep, and the timeline filters by type. Screenshots in English
 * and Chinese at desktop and phone width under /tmp/shots-360/ when CUSTOMER_360_SHOTS is set.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import type { User } from '../../server/users/user.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';
import { signedInPage } from './board-fixture.ts';

const SHOTS = process.env.CUSTOMER_360_SHOTS ? '/tmp/shots-360' : null;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const WAIT = { timeout: 20_000 };

let app: BrowserApp;
let rep: User;
let mate: User;
let repCookie: string;
let mateCookie: string;
let customerId: string;
const pages: Page[] = [];

async function post(cookie: string, path: string, body: Record<string, unknown>): Promise<void> {
  const res = await app.test.app.request(path, jsonRequest('POST', body, cookie));
  expect(res.status).toBe(201);
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function open(cookie: string, locale = 'en-US'): Promise<Page> {
  const page = await signedInPage(app, cookie, locale);
  pages.push(page);
  await page.setViewportSize(DESKTOP);
  await page.goto(`${app.url}/customers/${customerId}`);
  await expect.poll(() => page.locator('tandem-customer-page .status[data-status="synced"]').count(), WAIT).toBe(1);
  return page;
}

beforeAll(async () => {
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  app = await startBrowserApp();
  const ctx = app.test.ctx;
  const team = (await seedTeam(ctx, '360 team')).id;
  rep = await seedUser(ctx, { teamId: team, name: 'Rita Rep', email: 'rita360@example.com' });
  mate = await seedUser(ctx, { teamId: team, name: '王芳', email: 'wang360@example.com' });
  repCookie = await login(app.test.app, rep.email);
  mateCookie = await login(app.test.app, mate.email);
  const res = await app.test.app.request('/api/customers', jsonRequest('POST', { name: '华为技术有限公司', industry: 'Telecom' }, repCookie));
  expect(res.status).toBe(201);
  customerId = ((await res.json()) as { customer: { id: string } }).customer.id;
  // The team's pipeline exists once someone has used it.
  expect((await app.test.app.request('/api/pipelines', { headers: { cookie: mateCookie } })).status).toBe(200);
  // A follow-up by the teammate: the rep reads it, and may not change it.
  await ctx.hub.edit(customerDocName(customerId), mate, (d) => {
    const m = new Y.Map<unknown>();
    m.set('id', randomUUID());
    m.set('type', 'visit');
    m.set('authorId', mate.id);
    m.set('at', new Date(Date.now() - 86_400_000).toISOString());
    m.set('outcome', 'Met the CTO');
    m.set('text', new Y.Text('Site visit in Shenzhen'));
    d.getArray(CUSTOMER_ROOTS.followups).push([m]);
  });
}, 240_000);
afterAll(async () => {
  for (const p of pages) await p.context().close();
  await app?.close();
});

describe('the customer 360° page', () => {
  it('shows a teammate’s new contact, task and opportunity (started from the page) without a reload', async () => {
    const page = await open(repCookie);
    const matePage = await open(mateCookie);
    await expect.poll(() => page.locator('tandem-customer-opportunities p.muted').textContent(), WAIT).toContain('No opportunities yet');

    await post(mateCookie, `/api/customers/${customerId}/contacts`, { name: '李雷', title: 'CTO' });
    await expect.poll(() => page.locator('tandem-customer-contacts tr[data-contact-id]').allTextContents(), WAIT).toEqual([expect.stringContaining('李雷')]);

    await post(mateCookie, '/api/tasks', { title: 'Send the proposal', customerId });
    await expect.poll(() => page.locator('tandem-customer-related[kind="tasks"] li').allTextContents(), WAIT).toEqual([expect.stringContaining('Send the proposal')]);

    // The teammate starts an opportunity from the customer's page: the customer is fixed, a stage chosen.
    await matePage.locator('tandem-customer-opportunities button.new-opportunity').click();
    const dialog = matePage.locator('tandem-opportunity-dialog');
    await expect.poll(() => dialog.locator('.fixed-customer').textContent(), WAIT).toBe('华为技术有限公司');
    await dialog.locator('#name').fill('5G core upgrade');
    await dialog.locator('#amount').fill('250000');
    const stageOptions = dialog.locator('#stage option');
    expect(await stageOptions.count()).toBeGreaterThan(1);
    const secondStage = await stageOptions.nth(1).textContent();
    await dialog.locator('#stage').selectOption({ index: 1 });
    await dialog.locator('button[type="submit"]').click();
    await expect.poll(() => matePage.locator('tandem-customer-opportunities li.opp').count(), WAIT).toBe(1);

    const opp = page.locator('tandem-customer-opportunities li.opp');
    await expect.poll(() => opp.count(), WAIT).toBe(1);
    const text = (await opp.textContent()) ?? '';
    expect(text).toContain('5G core upgrade');
    expect(text).toContain(secondStage!.trim());
    expect(text).toMatch(/250,000/);
    const row = await app.test.ctx.db.selectFrom('opportunities').select(['id', 'pipeline_id']).where('customer_id', '=', customerId).executeTakeFirstOrThrow();
    expect(await opp.locator('a').getAttribute('href')).toBe(`/pipeline/${row.pipeline_id}?card=${encodeURIComponent(row.id)}`);
    await shot(page, '360-en-desktop');
    await page.setViewportSize(PHONE);
    await shot(page, '360-en-phone');
    expect(app.pageErrors).toEqual([]);
  }, 120_000);

  it('logs a follow-up with an outcome, corrects it, filters by type and deletes it after a confirmation', async () => {
    const page = await open(repCookie);
    const followups = page.locator('tandem-followups');
    const items = followups.locator('li[data-followup-id]');
    await expect.poll(() => items.count(), WAIT).toBe(1);
    // The teammate's follow-up: shown with its outcome, no edit or delete for this rep.
    expect(await items.first().textContent()).toContain('Met the CTO');
    expect(await items.first().locator('button.edit').count()).toBe(0);

    await followups.locator('#fu-type').selectOption('call');
    await followups.locator('#fu-text').fill('Called about pricing');
    await followups.locator('#fu-outcome').fill('Wants a quote');
    await followups.locator('form:not(.edit) button.primary').click();
    await expect.poll(() => items.count(), WAIT).toBe(2);
    const mine = followups.locator('li[data-type="call"]');
    expect(await mine.textContent()).toContain('Wants a quote');

    await mine.locator('button.edit').click();
    const edit = followups.locator('form.edit');
    await edit.locator('input[name="outcome"]').fill('Quote sent');
    await edit.locator('button.primary').click();
    await expect.poll(() => mine.textContent(), WAIT).toContain('Quote sent');

    await followups.locator('#fu-filter').selectOption('visit');
    await expect.poll(() => items.count(), WAIT).toBe(1);
    expect(await items.first().getAttribute('data-type')).toBe('visit');
    await followups.locator('#fu-filter').selectOption('');
    await expect.poll(() => items.count(), WAIT).toBe(2);
    await shot(page, 'followups-en-desktop');

    await mine.locator('button.delete').click();
    const confirm = followups.locator('tandem-dialog button.confirm-delete');
    await expect.poll(() => confirm.isVisible(), WAIT).toBe(true);
    await confirm.click();
    await expect.poll(() => items.count(), WAIT).toBe(1);
    // Kept in the document for the record; the history says who deleted it.
    await expect.poll(() => page.locator('tandem-customer-history ol').textContent(), WAIT).toContain('Follow-up deleted');
    const activities = await app.test.ctx.db.selectFrom('activities').select('type').where('customer_id', '=', customerId).execute();
    expect(activities.map((a) => a.type)).toEqual(['visit']);
    expect(app.pageErrors).toEqual([]);
  }, 120_000);

  it('reads in Chinese with the manual’s words', async () => {
    await app.test.ctx.db.updateTable('users').set({ locale: 'zh-CN' }).where('id', '=', rep.id).execute();
    const page = await open(repCookie, 'zh-CN');
    await expect.poll(() => page.locator('#opps-h').textContent(), WAIT).toBe('销售机会');
    expect(await page.locator('#followups-h').textContent()).toBe('跟进记录');
    expect(await page.locator('tandem-customer-field[name="name"] label').first().textContent()).toContain('公司名称');
    expect(await page.locator('tandem-customer-opportunities button.new-opportunity').textContent()).toContain('新建销售机会');
    await shot(page, '360-zh-desktop');
    await page.setViewportSize(PHONE);
    await shot(page, '360-zh-phone');
    expect(app.pageErrors).toEqual([]);
  }, 120_000);
});
