/**
 * Contact custom fields in Chromium (docs/custom-fields.md, "Contacts"): an admin switches the
 * Custom fields screen to Contacts and adds a select while a rep has a customer open; the rep's
 * contact form shows it without a reload, the rep fills it on a contact and the value is
 * stored; a required field left empty on a new contact is explained and nothing is sent; the
 * customer list's filter panel filters by a contact's value.
 * Screenshots in English and Chinese, desktop and phone (under /tmp/shots-contact-custom/ when
 * CUSTOM_SHOTS is set).
 */
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactDto, CustomerDto } from '../../schema/wire/customer.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';
import { signedInPage } from './board-fixture.ts';

const SHOTS = process.env.CUSTOM_SHOTS ? '/tmp/shots-contact-custom' : null;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const WAIT = { timeout: 15_000 };

let app: BrowserApp;
let adminCookie: string;
let repCookie: string;
let customerId: string;
let otherId: string;

async function api(cookie: string, method: string, path: string, body?: unknown): Promise<Response> {
  return app.test.app.request(path, method === 'GET' ? { headers: { cookie, origin: 'http://localhost' } } : jsonRequest(method, body ?? {}, cookie));
}

const contacts = async () => ((await (await api(repCookie, 'GET', `/api/customers/${customerId}/contacts`)).json()) as { items: ContactDto[] }).items;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** The contacts card alone (a phone's full page is too tall to read). */
async function cardShot(card: Locator, name: string): Promise<void> {
  if (!SHOTS) return;
  await card.page().waitForTimeout(300);
  await card.screenshot({ path: `${SHOTS}/${name}-card.png` });
}

const label = (en: string, zh: string) => ({ en, zh });

beforeAll(async () => {
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  app = await startBrowserApp();
  const ctx = app.test.ctx;
  const team = (await seedTeam(ctx, 'East')).id;
  const admin = await seedUser(ctx, { role: 'admin', name: 'Ada Admin', email: 'ada@example.com' });
  const rep = await seedUser(ctx, { teamId: team, name: 'Rita Rep', email: 'rita@example.com' });
  adminCookie = await login(app.test.app, admin.email);
  repCookie = await login(app.test.app, rep.email);
  const res = await api(repCookie, 'POST', '/api/customers', { name: 'Acme 华为', confirm: true });
  customerId = ((await res.json()) as { customer: CustomerDto }).customer.id;
  const other = await api(repCookie, 'POST', '/api/customers', { name: 'Other Co 其他', confirm: true });
  otherId = ((await other.json()) as { customer: CustomerDto }).customer.id;
  expect((await api(repCookie, 'POST', `/api/customers/${customerId}/contacts`, { name: 'Li Lei', title: 'CTO' })).status).toBe(201);
  expect(
    (await api(adminCookie, 'POST', '/api/custom-fields', { entity: 'contact', key: 'wechat', type: 'text', required: true, label: label('WeChat', '微信') }))
      .status,
  ).toBe(201);
}, 240_000);
afterAll(async () => {
  await app?.close();
});

describe('contact custom fields in the browser', () => {
  it('an admin adds a contact field; a rep fills it on a contact without reloading', async () => {
    const rep = await signedInPage(app, repCookie);
    await rep.setViewportSize(DESKTOP);
    await rep.goto(`${app.url}/customers/${customerId}`);
    const card = rep.locator('tandem-customer-contacts');
    await card.locator('tr[data-contact-id]').first().waitFor(WAIT);

    const admin = await signedInPage(app, adminCookie);
    await admin.setViewportSize(DESKTOP);
    await admin.goto(`${app.url}/admin/custom-fields`);
    const screen = admin.locator('tandem-custom-fields-page');
    await screen.getByRole('button', { name: 'Contacts' }).click();
    expect(await screen.getByRole('button', { name: 'Contacts' }).getAttribute('aria-pressed')).toBe('true');
    expect(new URL(admin.url()).searchParams.get('entity')).toBe('contact');
    await expect.poll(() => screen.locator('li[data-id] code').allTextContents(), WAIT).toEqual(['custom.wechat']);
    await screen.getByRole('button', { name: 'Add field' }).click();
    const editor = admin.locator('tandem-custom-field-editor');
    await editor.locator('#cf-label-en').fill('Buying role');
    await editor.locator('#cf-label-zh').fill('采购角色');
    await editor.locator('#cf-key').fill('buying_role');
    await editor.locator('#cf-type').selectOption('select');
    await editor.getByRole('button', { name: 'Add option' }).click();
    await editor.locator('#opt-v-0').fill('champion');
    await editor.locator('#opt-en-0').fill('Champion');
    await editor.locator('#opt-zh-0').fill('支持者');
    await editor.getByRole('button', { name: 'Add option' }).click();
    await editor.locator('#opt-v-1').fill('blocker');
    await editor.locator('#opt-en-1').fill('Blocker');
    await editor.locator('#opt-zh-1').fill('反对者');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => screen.locator('li[data-id] code').allTextContents(), WAIT).toEqual(['custom.wechat', 'custom.buying_role']);
    const fields = (await (await api(adminCookie, 'GET', '/api/custom-fields?entity=contact')).json()) as { items: { key: string; entity: string }[] };
    expect(fields.items.map((f) => [f.key, f.entity])).toEqual([
      ['wechat', 'contact'],
      ['buying_role', 'contact'],
    ]);
    // The customers tab does not list it.
    await screen.getByRole('button', { name: 'Customers' }).click();
    await screen.locator('tandem-empty-state').waitFor(WAIT);
    await screen.getByRole('button', { name: 'Contacts' }).click();
    await screen.locator('li[data-id]').nth(1).waitFor(WAIT);
    await shot(admin, 'admin-contacts-en-desktop');
    await admin.setViewportSize(PHONE);
    await shot(admin, 'admin-contacts-en-phone');

    // The rep's open page learned of the new field (`customFields:changed`), without a reload.
    await card.getByRole('button', { name: 'Edit' }).first().click();
    const role = card.locator('tandem-custom-field-inputs [data-key="buying_role"] select');
    await role.waitFor(WAIT);
    await role.selectOption('champion');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await contacts()).map((c) => [c.name, c.custom]), WAIT).toEqual([['Li Lei', { buying_role: 'champion' }]]);
    await expect.poll(() => card.locator('dl.custom [data-key="buying_role"] dd').textContent(), WAIT).toBe('Champion');

    // A new contact without the required WeChat is explained, and nothing is sent.
    await card.getByRole('button', { name: 'Add contact' }).click();
    await card.locator('#ct-name').fill('Han Meimei');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => card.locator('[data-key="wechat"] .field-error').textContent(), WAIT).toContain('required');
    expect(await contacts()).toHaveLength(1);
    await card.locator('tandem-custom-field-inputs [data-key="wechat"] input').fill('hanmm_88');
    await card.locator('tandem-custom-field-inputs [data-key="buying_role"] select').selectOption('blocker');
    await shot(rep, 'contact-form-en-desktop');
    await rep.setViewportSize(PHONE);
    await card.scrollIntoViewIfNeeded();
    await shot(rep, 'contact-form-en-phone');
    await cardShot(card, 'contact-form-en-phone');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await contacts()).find((c) => c.name === 'Han Meimei')?.custom, WAIT)
      .toEqual({ wechat: 'hanmm_88', buying_role: 'blocker' });
    await card.locator('tr[data-contact-id]').nth(1).waitFor(WAIT);
    await rep.setViewportSize(DESKTOP);
    await card.scrollIntoViewIfNeeded();
    await shot(rep, 'contacts-en-desktop');

    // The customer list filters by a contact's value: only customers with such a contact.
    await rep.goto(`${app.url}/customers`);
    const list = rep.locator('tandem-customer-list');
    await list.locator(`[data-customer-id="${otherId}"]`).first().waitFor(WAIT);
    await rep.getByRole('button', { name: 'Filters' }).click();
    const contactFilters = rep.locator('tandem-custom-field-filters[entity="contact"]');
    await contactFilters.getByLabel('Buying role · contact').selectOption('blocker');
    await expect.poll(() => new URL(rep.url()).searchParams.get('contact.custom.buying_role'), WAIT).toBe('blocker');
    await list.locator(`[data-customer-id="${customerId}"]`).first().waitFor(WAIT);
    await expect.poll(() => list.locator(`[data-customer-id="${otherId}"]`).count(), WAIT).toBe(0);
    await shot(rep, 'contact-filter-en-desktop');

    // The filtered customers' contacts download as a workbook, with the contact field.
    const link = rep.getByRole('link', { name: 'Export contacts' });
    expect(await link.getAttribute('href')).toContain('/api/customers/contacts-export.xlsx?');
    const [download] = await Promise.all([rep.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^contacts-\d{14}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const sheet = workbook.getWorksheet('Contacts')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const rows = Array.from({ length: sheet.rowCount - 1 }, (_, i) => sheet.getRow(i + 2));
    const column = (name: string) => rows.map((r) => r.getCell(header.indexOf(name) + 1).value);
    expect(column('contact.name')).toContain('Han Meimei');
    expect(new Set(column('id'))).toEqual(new Set([customerId]));
    expect(column('contact.custom.buying_role')).toContain('blocker');
    expect(app.pageErrors).toEqual([]);
  });

  it('reads in Chinese', async () => {
    await app.test.ctx.db.updateTable('users').set({ locale: 'zh-CN' }).where('email', 'in', ['rita@example.com', 'ada@example.com']).execute();
    const admin = await signedInPage(app, adminCookie, 'zh-CN');
    await admin.setViewportSize(DESKTOP);
    await admin.goto(`${app.url}/admin/custom-fields?entity=contact`);
    const screen = admin.locator('tandem-custom-fields-page');
    await screen.locator('li[data-id]').first().waitFor(WAIT);
    expect(await screen.getByRole('button', { name: '联系人' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => screen.evaluate((el) => el.shadowRoot?.textContent ?? ''), WAIT).toContain('采购角色');
    await shot(admin, 'admin-contacts-zh-desktop');
    await admin.setViewportSize(PHONE);
    await shot(admin, 'admin-contacts-zh-phone');

    const rep = await signedInPage(app, repCookie, 'zh-CN');
    await rep.setViewportSize(DESKTOP);
    await rep.goto(`${app.url}/customers/${customerId}`);
    const card = rep.locator('tandem-customer-contacts');
    await expect.poll(() => card.locator('dl.custom [data-key="buying_role"]').first().textContent(), WAIT).toContain('支持者');
    await card.getByRole('button', { name: '编辑' }).first().click();
    await card.locator('tandem-custom-field-inputs [data-key="buying_role"] select').waitFor(WAIT);
    await expect.poll(() => card.evaluate((el) => el.shadowRoot?.textContent ?? ''), WAIT).toContain('采购角色');
    await card.scrollIntoViewIfNeeded();
    await shot(rep, 'contact-form-zh-desktop');
    await rep.setViewportSize(PHONE);
    await card.scrollIntoViewIfNeeded();
    await shot(rep, 'contact-form-zh-phone');
    await cardShot(card, 'contact-form-zh-phone');
    await rep.goto(`${app.url}/customers?contact.custom.buying_role=champion`);
    await rep.locator('tandem-custom-field-filters[entity="contact"]').getByLabel('采购角色 · 联系人').waitFor(WAIT);
    await shot(rep, 'contact-filter-zh-phone');
    await rep.setViewportSize(DESKTOP);
    await shot(rep, 'contact-filter-zh-desktop');
    expect(app.pageErrors).toEqual([]);
  });
});
