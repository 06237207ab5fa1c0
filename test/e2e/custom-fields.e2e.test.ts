/**
 * Custom fields in Chromium: an admin adds a select field on the Custom fields screen while a
 * rep has a customer open; the field appears on the rep's page without a reload, the rep fills
 * it, and the value is stored and projected. Screenshots of the admin screen and the 360°
 * section in English and Chinese, desktop and phone (under /tmp/shots-custom/ when
 * CUSTOM_SHOTS is set).
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDto } from '../../schema/wire/customer.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';
import { signedInPage } from './board-fixture.ts';

const SHOTS = process.env.CUSTOM_SHOTS ? '/tmp/shots-custom' : null;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const WAIT = { timeout: 15_000 };

let app: BrowserApp;
let adminCookie: string;
let repCookie: string;
let customerId: string;
let teamId: string;

async function api(cookie: string, method: string, path: string, body?: unknown): Promise<Response> {
  return app.test.app.request(path, method === 'GET' ? { headers: { cookie, origin: 'http://localhost' } } : jsonRequest(method, body ?? {}, cookie));
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

const label = (en: string, zh: string) => ({ en, zh });

beforeAll(async () => {
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  app = await startBrowserApp();
  const ctx = app.test.ctx;
  const team = (await seedTeam(ctx, 'East')).id;
  teamId = team;
  const admin = await seedUser(ctx, { role: 'admin', name: 'Ada Admin', email: 'ada@example.com' });
  const rep = await seedUser(ctx, { teamId: team, name: 'Rita Rep', email: 'rita@example.com' });
  adminCookie = await login(app.test.app, admin.email);
  repCookie = await login(app.test.app, rep.email);
  const res = await api(repCookie, 'POST', '/api/customers', { name: 'Acme 华为', confirm: true });
  customerId = ((await res.json()) as { customer: CustomerDto }).customer.id;
  for (const body of [
    { key: 'seats', type: 'number', label: label('Seats', '席位'), help: label('Licensed users', '授权用户数') },
    { key: 'renewal', type: 'date', label: label('Renewal date', '续约日期') },
    { key: 'portal', type: 'url', label: label('Customer portal', '客户门户') },
    { key: 'key_account', type: 'checkbox', label: label('Key account', '重点客户') },
    {
      key: 'products',
      type: 'multiSelect',
      label: label('Products', '产品'),
      options: [
        { value: 'crm', label: label('CRM', '客户管理') },
        { value: 'erp', label: label('ERP', '企业资源计划') },
      ],
    },
    { key: 'notes_internal', type: 'longText', label: label('Internal notes', '内部备注'), teamId: team },
  ]) {
    expect((await api(adminCookie, 'POST', '/api/custom-fields', { entity: 'customer', ...body })).status).toBe(201);
  }
}, 240_000);
afterAll(async () => {
  await app?.test.ctx.hub.flush();
  await app?.close();
});

describe('custom fields in the browser', () => {
  it('an admin adds a field; a rep’s open customer page shows it at once and the rep fills it', async () => {
    const rep = await signedInPage(app, repCookie);
    await rep.setViewportSize(DESKTOP);
    await rep.goto(`${app.url}/customers/${customerId}`);
    await rep.locator('.status[data-status="synced"]').waitFor(WAIT);
    const section = rep.locator('tandem-custom-fields-section');
    await section.locator('[data-key="seats"]').waitFor(WAIT);
    expect(await section.locator('[data-key="tier"]').count()).toBe(0);

    const admin = await signedInPage(app, adminCookie);
    await admin.setViewportSize(DESKTOP);
    await admin.goto(`${app.url}/admin/custom-fields`);
    const screen = admin.locator('tandem-custom-fields-page');
    await screen.locator('li[data-id]').first().waitFor(WAIT);
    await screen.getByRole('button', { name: 'Add field' }).click();
    const editor = admin.locator('tandem-custom-field-editor');
    await editor.locator('#cf-label-en').fill('Tier');
    await editor.locator('#cf-label-zh').fill('等级');
    await editor.locator('#cf-key').fill('tier');
    await editor.locator('#cf-type').selectOption('select');
    await editor.getByRole('button', { name: 'Add option' }).click();
    await editor.locator('#opt-v-0').fill('gold');
    await editor.locator('#opt-en-0').fill('Gold');
    await editor.locator('#opt-zh-0').fill('金牌');
    await editor.getByRole('button', { name: 'Add option' }).click();
    await editor.locator('#opt-v-1').fill('silver');
    await editor.locator('#opt-en-1').fill('Silver');
    await editor.locator('#opt-zh-1').fill('银牌');
    await shot(admin, 'admin-editor-en-desktop');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => screen.locator('li[data-id]').count(), WAIT).toBe(7);

    // The rep's page learns of it through `customFields:changed`, without a reload.
    const tier = section.locator('[data-key="tier"] select');
    await tier.waitFor(WAIT);
    await tier.selectOption('gold');
    await section.locator('[data-key="seats"] input').fill('25');
    await section.locator('[data-key="seats"] input').press('Enter');
    await section.locator('[data-key="products"] input[type="checkbox"]').first().check();
    await expect
      .poll(async () => ((await (await api(repCookie, 'GET', `/api/customers/${customerId}`)).json()) as { customer: CustomerDto }).customer.custom, WAIT)
      .toEqual({ tier: 'gold', seats: 25, products: ['crm'] });

    // A value the field cannot take is explained beside it and not stored.
    await section.locator('[data-key="portal"] input').fill('javascript:alert(1)');
    await section.locator('[data-key="portal"] input').press('Enter');
    await expect.poll(() => section.locator('[data-key="portal"] .field-error').textContent(), WAIT).toContain('http');

    // Moving a field up by keyboard reorders it.
    const lastUp = screen.locator('li[data-id]').last().locator('button[data-move="-1"]');
    await lastUp.focus();
    await admin.keyboard.press('Enter');
    await expect.poll(() => screen.locator('li[data-id] code').nth(5).textContent(), WAIT).toBe('custom.tier');
    // The rep's page follows the new order; what the rep typed stays with its field (keyed rendering).
    await expect.poll(() => section.locator('[data-key]').nth(5).getAttribute('data-key'), WAIT).toBe('tier');
    expect(await section.locator('[data-key="portal"] input').inputValue()).toBe('javascript:alert(1)');

    await shot(admin, 'admin-en-desktop');
    await admin.setViewportSize(PHONE);
    await shot(admin, 'admin-en-phone');
    await section.scrollIntoViewIfNeeded();
    await shot(rep, 'customer-en-desktop');
    await rep.setViewportSize(PHONE);
    await section.scrollIntoViewIfNeeded();
    await shot(rep, 'customer-en-phone');
    expect(app.pageErrors).toEqual([]);
  });

  it('the New customer form asks for the team’s custom fields, a required one before it creates', async () => {
    const field = { entity: 'customer', key: 'contract_no', type: 'text', label: label('Contract no.', '合同编号'), teamId, required: true };
    expect((await api(adminCookie, 'POST', '/api/custom-fields', field)).status).toBe(201);
    const rep = await signedInPage(app, repCookie);
    await rep.setViewportSize(DESKTOP);
    await rep.goto(`${app.url}/customers`);
    await rep.getByRole('button', { name: 'New customer' }).first().click();
    const contract = rep.locator('#c-custom-contract_no');
    await contract.waitFor(WAIT);
    await rep.setViewportSize(PHONE);
    await contract.scrollIntoViewIfNeeded();
    await shot(rep, 'create-form-en-phone');
    await rep.setViewportSize(DESKTOP);
    await rep.locator('#c-name').fill('Required Fields Ltd');
    await rep.locator('#c-custom-seats').fill('25');
    await rep.getByRole('button', { name: 'Create customer' }).click();
    // Left empty: said under the field, and nothing is created.
    await rep.locator('#c-custom-contract_no-issue').waitFor(WAIT);
    await contract.scrollIntoViewIfNeeded();
    await shot(rep, 'create-form-en-desktop');
    const named = async () =>
      (await app.test.ctx.db.selectFrom('customers').select('custom_fields').where('name', '=', 'Required Fields Ltd').execute()).map((r) => r.custom_fields);
    expect(await named()).toEqual([]);
    await contract.fill('HT-2026-042');
    await rep.getByRole('button', { name: 'Create customer' }).click();
    await rep.waitForURL(/\/customers\/[0-9a-f-]{36}$/, WAIT);
    expect(await named()).toEqual([{ contract_no: 'HT-2026-042', seats: 25 }]);
    // Archived again so that the other tests' customers need no contract number.
    const id = ((await (await api(adminCookie, 'GET', '/api/custom-fields?entity=customer')).json()) as { items: Array<{ id: string; key: string }> }).items.find((f) => f.key === 'contract_no')!.id;
    expect((await api(adminCookie, 'POST', `/api/custom-fields/${id}/archive`)).status).toBe(200);
    expect(app.pageErrors).toEqual([]);
  });

  it('reads in Chinese', async () => {
    await app.test.ctx.db.updateTable('users').set({ locale: 'zh-CN' }).where('email', 'in', ['rita@example.com', 'ada@example.com']).execute();
    const admin = await signedInPage(app, adminCookie, 'zh-CN');
    await admin.setViewportSize(DESKTOP);
    await admin.goto(`${app.url}/admin/custom-fields`);
    const screen = admin.locator('tandem-custom-fields-page');
    await screen.locator('li[data-id]').first().waitFor(WAIT);
    await expect.poll(() => screen.evaluate((el) => el.shadowRoot?.textContent ?? ''), WAIT).toContain('添加字段');
    await expect.poll(() => screen.evaluate((el) => el.shadowRoot?.textContent ?? ''), WAIT).toContain('等级');
    await shot(admin, 'admin-zh-desktop');
    await admin.setViewportSize(PHONE);
    await shot(admin, 'admin-zh-phone');

    const rep = await signedInPage(app, repCookie, 'zh-CN');
    await rep.setViewportSize(DESKTOP);
    await rep.goto(`${app.url}/customers/${customerId}`);
    const section = rep.locator('tandem-custom-fields-section');
    await section.locator('[data-key="tier"]').waitFor(WAIT);
    await expect.poll(() => section.evaluate((el) => el.shadowRoot?.textContent ?? ''), WAIT).toContain('更多信息');
    await expect.poll(() => section.locator('[data-key="tier"] select').evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? ''), WAIT).toBe('金牌');
    // The change history names custom fields by their label and options by theirs.
    const history = rep.locator('tandem-customer-history');
    await expect.poll(() => history.evaluate((el) => el.shadowRoot?.textContent ?? ''), WAIT).toContain('等级');
    await expect.poll(() => history.evaluate((el) => el.shadowRoot?.textContent ?? ''), WAIT).toContain('金牌');
    await section.scrollIntoViewIfNeeded();
    await shot(rep, 'customer-zh-desktop');
    await rep.setViewportSize(PHONE);
    await section.scrollIntoViewIfNeeded();
    await shot(rep, 'customer-zh-phone');
    expect(app.pageErrors).toEqual([]);
  });
});
