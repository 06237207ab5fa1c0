/**
 * Team operations in Chromium: an admin renames a tag and adds a lost reason on the Lists
 * screen; a manager merges a duplicate customer from its page, picking a field's and a custom
 * field's value from the other record after a preview of what moves (a custom value only the
 * other record has is taken by default). Screenshots under /tmp/shots-teamops/ when
 * TEAMOPS_SHOTS is set (English and Chinese, desktop and phone).
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDto } from '../../schema/wire/customer.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';
import { signedInPage } from './board-fixture.ts';

const SHOTS = process.env.TEAMOPS_SHOTS ? '/tmp/shots-teamops' : null;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let app: BrowserApp;
let adminCookie: string;
let managerCookie: string;
let keep: CustomerDto;
let dupe: CustomerDto;

async function create(cookie: string, body: Record<string, unknown>): Promise<CustomerDto> {
  const res = await app.test.app.request('/api/customers', jsonRequest('POST', { confirm: true, ...body }, cookie));
  return ((await res.json()) as { customer: CustomerDto }).customer;
}

/** Screenshots of a screen in both languages, desktop and phone: `open` brings it up (after a locale change). */
async function shotsOf(page: Page, name: string, open: () => Promise<unknown>): Promise<void> {
  if (!SHOTS) return;
  for (const [locale, size] of [
    ['en', DESKTOP],
    ['en', PHONE],
    ['zh-CN', DESKTOP],
    ['zh-CN', PHONE],
  ] as const) {
    await app.test.ctx.db.updateTable('users').set({ locale }).execute();
    await page.setViewportSize(size);
    await open();
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${SHOTS}/${name}-${locale}-${size.width}.png`, fullPage: true });
  }
  await app.test.ctx.db.updateTable('users').set({ locale: 'en' }).execute();
  await page.setViewportSize(DESKTOP);
}

async function shots(page: Page, path: string, name: string, ready: () => Promise<unknown>): Promise<void> {
  await shotsOf(page, name, async () => {
    await page.goto(`${app.url}${path}`);
    await ready();
  });
}

/** The merge screen with the other record chosen. */
async function openMerge(page: Page): Promise<void> {
  await page.goto(`${app.url}/customers/${keep.id}/merge`);
  await page.locator('#merge-q').fill('华为技术');
  await page.locator('ul.candidates button').first().click();
  await page.locator('tr[data-field="custom.tier"]').waitFor();
}

beforeAll(async () => {
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  app = await startBrowserApp();
  const team = await seedTeam(app.test.ctx, 'East');
  const admin = await seedUser(app.test.ctx, { role: 'admin', name: 'Ada Admin' });
  const manager = await seedUser(app.test.ctx, { role: 'manager', teamId: team.id, name: 'Mei Wang' });
  adminCookie = await login(app.test.app, admin.email);
  managerCookie = await login(app.test.app, manager.email);
  const define = async (body: Record<string, unknown>) =>
    expect((await app.test.app.request('/api/custom-fields', jsonRequest('POST', { entity: 'customer', ...body }, adminCookie))).status).toBe(201);
  await define({ key: 'contract_no', type: 'text', label: { en: 'Contract no.', zh: '合同编号' } });
  await define({
    key: 'tier',
    type: 'select',
    label: { en: 'Tier', zh: '等级' },
    options: [
      { value: 'gold', label: { en: 'Gold', zh: '金牌' } },
      { value: 'silver', label: { en: 'Silver', zh: '银牌' } },
    ],
  });
  keep = await create(managerCookie, { name: '华为技术有限公司', tags: ['hot'], custom: { tier: 'gold' } });
  dupe = await create(managerCookie, { name: '华为技术', phone: '+86 755 2878 0808', tags: ['hot', 'price sensitive'], custom: { tier: 'silver', contract_no: 'HT-2026-001' } });
  const contact = await app.test.app.request(`/api/customers/${dupe.id}/contacts`, jsonRequest('POST', { name: '李雷', phone: '13800000000' }, managerCookie));
  expect(contact.status).toBe(201);
});

afterAll(() => app?.close());

describe('the Lists screen', () => {
  it('renames a tag across customers and adds a lost reason', async () => {
    const page = await signedInPage(app, adminCookie);
    await page.goto(`${app.url}/admin/lists`);
    const tags = page.locator('tandem-tags-admin');
    const hot = tags.locator('li[data-tag="hot"]');
    await hot.getByText('2 customers').waitFor();
    await hot.getByRole('button', { name: 'Rename hot' }).click();
    const dialog = tags.locator('tandem-dialog[open]');
    await dialog.getByLabel('New name').fill('高潜力');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await tags.getByText('Updated 2 customers.').waitFor();
    await tags.locator('li[data-tag="高潜力"]').waitFor();
    const rows = await app.test.ctx.db.selectFrom('customers').select('tags').where('id', 'in', [keep.id, dupe.id]).execute();
    expect(rows.every((r) => r.tags.includes('高潜力') && !r.tags.includes('hot'))).toBe(true);

    const lost = page.locator('tandem-lost-reasons-admin');
    // Both fields missing: both errors at once.
    await lost.getByRole('button', { name: 'Add reason' }).click();
    await expect(lost.getByText('Enter the reason in this language.').count()).resolves.toBe(2);
    await lost.getByLabel('Reason in English').fill('Price too high');
    await lost.getByLabel('Reason in Chinese').fill('价格太高');
    await lost.getByRole('button', { name: 'Add reason' }).click();
    await lost.getByText('价格太高').waitFor();
    const stored = await app.test.ctx.db.selectFrom('lost_reasons').select(['label_en', 'label_zh']).execute();
    expect(stored).toEqual([{ label_en: 'Price too high', label_zh: '价格太高' }]);
    await shots(page, '/admin/lists', 'lists', () => page.locator('tandem-lost-reasons-admin li').first().waitFor());
    expect(app.pageErrors).toEqual([]);
  });
});

describe('the merge screen', () => {
  it('is reached from the customer page, previews what moves and merges with the picked values', async () => {
    const page = await signedInPage(app, managerCookie);
    await page.goto(`${app.url}/customers/${keep.id}`);
    await page.getByRole('link', { name: 'Merge with another…' }).click();
    await page.getByRole('heading', { level: 1, name: 'Merge customers' }).waitFor();
    await page.getByLabel('Name, phone or contact').fill('华为技术');
    await page.getByRole('button', { name: /^华为技术\s/ }).click();
    const preview = page.locator('[data-preview]');
    await preview.getByText('1 contacts').waitFor();
    await preview.getByText('0 opportunities').waitFor();
    if (SHOTS) {
      await shotsOf(page, 'merge', () => openMerge(page));
      await openMerge(page);
    }
    // The phone is empty here and set there: the other record's value is picked by default.
    const phone = page.locator('tr[data-field="phone"]');
    await expect(phone.locator('input[value="source"]').isChecked()).resolves.toBe(true);
    // Keep this record's name.
    await expect(page.locator('tr[data-field="name"] input[value="target"]').isChecked()).resolves.toBe(true);
    // Custom values the same way: the contract number only the other has; this one's tier unless picked.
    const contract = page.locator('tr[data-field="custom.contract_no"]');
    await contract.getByText('HT-2026-001').waitFor();
    await expect(contract.locator('input[value="source"]').isChecked()).resolves.toBe(true);
    const tier = page.locator('tr[data-field="custom.tier"]');
    await expect(tier.locator('input[value="target"]').isChecked()).resolves.toBe(true);
    await tier.getByText('Silver').click();
    await expect(tier.locator('input[value="source"]').isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Merge…' }).click();
    await page.locator('tandem-dialog[open]').getByRole('button', { name: 'Merge', exact: true }).click();
    await page.waitForURL(`${app.url}/customers/${keep.id}`);
    const row = () =>
      app.test.ctx.db.selectFrom('customers').select(['name', 'phone', 'archived_at']).where('id', 'in', [keep.id, dupe.id]).orderBy('created_at').execute();
    await expect
      .poll(async () => (await row()).map((r) => [r.name, r.phone, r.archived_at !== null]))
      .toEqual([
        ['华为技术有限公司', '+86 755 2878 0808', false],
        ['华为技术', '+86 755 2878 0808', true],
      ]);
    const kept = await app.test.ctx.db.selectFrom('customers').select('custom_fields').where('id', '=', keep.id).executeTakeFirstOrThrow();
    expect(kept.custom_fields).toEqual({ tier: 'silver', contract_no: 'HT-2026-001' });
    const contacts = await app.test.ctx.db.selectFrom('contacts').select('customer_id').execute();
    expect(contacts.map((c) => c.customer_id)).toEqual([keep.id]);
    // Leaving a customer page can make the notes editor's teardown report a ProseMirror error
    // (`matchesNode`); that belongs to the notes editor, not to this screen.
    expect(app.pageErrors.filter((e) => !e.includes('matchesNode'))).toEqual([]);
  });
});
