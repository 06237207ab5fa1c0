/**
 * Opportunity custom fields in Chromium: the board's details panel shows the opportunity's
 * custom fields, a rep sets a select and a number there, and the values reach the board
 * document's card and `opportunities.custom_fields`; a field an admin adds appears in the open
 * panel without a reload. The Reports screen offers the select fields as filters; the board's
 * Export downloads its opportunities with their custom values and its filters. Screenshots
 * in English and Chinese, desktop and phone (under /tmp/shots-opp-custom/ when
 * OPP_CUSTOM_SHOTS is set).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { boardDocName } from '../../schema/wire/docs.ts';
import { storedDoc } from '../realtime/realtime-helpers.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { jsonRequest, login, seedUser } from '../helpers/context.ts';
import { type BoardFixture, boardCard, closeBoardApp, openBoard, seedBoard, signedInPage } from './board-fixture.ts';

const SHOTS = process.env.OPP_CUSTOM_SHOTS ? '/tmp/shots-opp-custom' : null;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const WAIT = { timeout: 15_000 };

let app: BrowserApp;
let f: BoardFixture;
let adminCookie: string;
const pages: Page[] = [];

const label = (en: string, zh: string) => ({ en, zh });

async function api(cookie: string, method: string, path: string, body?: unknown): Promise<Response> {
  return app.test.app.request(path, method === 'GET' ? { headers: { cookie, origin: 'http://localhost' } } : jsonRequest(method, body ?? {}, cookie));
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function page(cookie: string, locale = 'en-US'): Promise<Page> {
  const p = await signedInPage(app, cookie, locale);
  pages.push(p);
  await p.setViewportSize(DESKTOP);
  return p;
}

const stored = async (id: string) =>
  (await app.test.ctx.db.selectFrom('opportunities').select('custom_fields').where('id', '=', id).executeTakeFirstOrThrow()).custom_fields;

beforeAll(async () => {
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  app = await startBrowserApp();
  f = await seedBoard(app, 1);
  const admin = await seedUser(app.test.ctx, { role: 'admin', name: 'Ada Admin' });
  adminCookie = await login(app.test.app, admin.email);
  const define = async (body: Record<string, unknown>) =>
    expect((await api(adminCookie, 'POST', '/api/custom-fields', { entity: 'opportunity', ...body })).status).toBe(201);
  await define({
    key: 'deal_type',
    type: 'select',
    label: label('Deal type', '交易类型'),
    options: [
      { value: 'new', label: label('New business', '新业务') },
      { value: 'renewal', label: label('Renewal', '续约') },
    ],
  });
  await define({ key: 'seats', type: 'number', label: label('Seats', '席位'), help: label('Licensed users', '授权用户数') });
}, 240_000);
afterAll(() => closeBoardApp(app, pages));

describe('opportunity custom fields in the browser', () => {
  it('the panel shows and saves custom fields; a new field appears without a reload', async () => {
    const opp = f.opportunities[0]!;
    const rep = await page(f.repCookie);
    await openBoard(app, f, rep);
    await boardCard(rep, opp.id).click();
    const section = rep.locator('tandem-opportunity-panel tandem-custom-fields-section');
    await section.locator('[data-key="deal_type"] select').waitFor(WAIT);
    await section.locator('[data-key="deal_type"] select').selectOption('renewal');
    const seats = section.locator('[data-key="seats"] input');
    await seats.fill('25');
    await seats.press('Enter');
    await expect.poll(() => stored(opp.id), WAIT).toEqual({ deal_type: 'renewal', seats: 25 });
    // The board's card carries the values as `custom.<key>` entries.
    const board = await storedDoc(app.test.ctx, boardDocName(f.pipeline.id));
    const card = board.getMap<Y.Map<unknown>>('cards').get(opp.id)!;
    expect([card.get('custom.deal_type'), card.get('custom.seats')]).toEqual(['renewal', 25]);

    // An admin adds a field: the open panel shows it through `customFields:changed`.
    const res = await api(adminCookie, 'POST', '/api/custom-fields', { entity: 'opportunity', key: 'strategic', type: 'checkbox', label: label('Strategic', '战略') });
    expect(res.status).toBe(201);
    const strategic = section.locator('[data-key="strategic"] input[type="checkbox"]');
    await strategic.waitFor(WAIT);
    await strategic.check();
    await expect.poll(() => stored(opp.id), WAIT).toEqual({ deal_type: 'renewal', seats: 25, strategic: true });
    await section.scrollIntoViewIfNeeded();
    await shot(rep, 'panel-en-desktop');
    await rep.setViewportSize(PHONE);
    await section.scrollIntoViewIfNeeded();
    await shot(rep, 'panel-en-phone');

    // The Reports screen offers the opportunity select as a filter; choosing it narrows the funnel.
    await rep.setViewportSize(DESKTOP);
    await rep.goto(`${app.url}/reports`);
    const filters = rep.locator('tandem-reports-page tandem-custom-field-filters[entity="opportunity"]');
    await filters.locator('#cff-deal_type').waitFor(WAIT);
    await filters.locator('#cff-deal_type').selectOption('renewal');
    await expect.poll(() => new URL(rep.url()).searchParams.get('opportunity.deal_type'), WAIT).toBe('renewal');
    await shot(rep, 'reports-en-desktop');
    expect(app.pageErrors).toEqual([]);
  });

  it('the New opportunity dialog asks for the team’s fields, a required one before it creates', async () => {
    expect(
      (await api(adminCookie, 'POST', '/api/custom-fields', { entity: 'opportunity', key: 'po_number', type: 'text', label: label('PO number', '采购单号'), teamId: f.manager.teamId, required: true }))
        .status,
    ).toBe(201);
    const rep = await page(f.repCookie);
    await openBoard(app, f, rep);
    await rep.getByRole('button', { name: 'New opportunity' }).first().click();
    const dialog = rep.locator('tandem-dialog[open]');
    await dialog.getByLabel('Find a customer').fill('Northwind');
    await dialog.getByRole('option', { name: 'Northwind Foods' }).waitFor(WAIT);
    await dialog.locator('select[name="customerId"]').selectOption({ label: 'Northwind Foods' });
    await dialog.getByLabel('Deal name').fill('Forklift fleet');
    await dialog.getByLabel('Amount').fill('1200');
    await rep.locator('#opp-custom-deal_type').selectOption('new');
    await dialog.getByRole('button', { name: 'Create opportunity' }).click();
    // The required field left empty: said under it, and nothing is created.
    await rep.locator('#opp-custom-po_number-issue').waitFor(WAIT);
    await shot(rep, 'dialog-en-desktop');
    const named = () => app.test.ctx.db.selectFrom('opportunities').select('custom_fields').where('name', '=', 'Forklift fleet').execute();
    expect(await named()).toEqual([]);
    await rep.locator('#opp-custom-po_number').fill('PO-88');
    await dialog.getByRole('button', { name: 'Create opportunity' }).click();
    await rep.locator('tandem-dialog[open]').waitFor({ state: 'detached', ...WAIT });
    expect((await named()).map((r) => r.custom_fields)).toEqual([{ deal_type: 'new', po_number: 'PO-88' }]);
    // Archived again, so the other tests' deals need no PO number.
    const fields = (await (await api(adminCookie, 'GET', '/api/custom-fields?entity=opportunity')).json()) as { items: Array<{ id: string; key: string }> };
    expect((await api(adminCookie, 'POST', `/api/custom-fields/${fields.items.find((x) => x.key === 'po_number')!.id}/archive`)).status).toBe(200);
  });

  it('the board exports the opportunities it shows, with their custom values', async () => {
    const opp = f.opportunities[0]!;
    const rep = await page(f.repCookie);
    await openBoard(app, f, rep);
    const csvLink = rep.getByRole('link', { name: 'Export CSV' });
    await expect(csvLink.getAttribute('href')).resolves.toBe(`/api/opportunities/export.csv?pipelineId=${f.pipeline.id}`);
    const [download] = await Promise.all([rep.waitForEvent('download'), csvLink.click()]);
    expect(download.suggestedFilename()).toMatch(/^opportunities-\d{14}\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const [header, ...rows] = text.trim().split('\n').map((line) => line.split(','));
    const row = rows.find((r) => r[0] === opp.id)!;
    expect(row[header!.indexOf('custom.deal_type')]).toBe('renewal');
    expect(row[header!.indexOf('custom.seats')]).toBe('25');
    // The owner filter goes along: unowned deals only.
    await rep.locator('#owner').selectOption('none');
    await expect(rep.getByRole('link', { name: 'Export Excel' }).getAttribute('href')).resolves.toBe(
      `/api/opportunities/export.xlsx?pipelineId=${f.pipeline.id}&ownerId=none`,
    );
    await shot(rep, 'board-export-en-desktop');
    expect(app.pageErrors).toEqual([]);
  });

  it('reads in Chinese', async () => {
    const opp = f.opportunities[0]!;
    await app.test.ctx.db.updateTable('users').set({ locale: 'zh-CN' }).where('id', '=', f.rep.id).execute();
    const rep = await page(f.repCookie, 'zh-CN');
    await openBoard(app, f, rep);
    await boardCard(rep, opp.id).click();
    const section = rep.locator('tandem-opportunity-panel tandem-custom-fields-section');
    await section.locator('[data-key="deal_type"] select').waitFor(WAIT);
    await expect.poll(() => section.evaluate((el) => el.shadowRoot?.textContent ?? ''), WAIT).toContain('更多信息');
    await expect
      .poll(() => section.locator('[data-key="deal_type"] select').evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? ''), WAIT)
      .toBe('续约');
    await section.scrollIntoViewIfNeeded();
    await shot(rep, 'panel-zh-desktop');
    await rep.setViewportSize(PHONE);
    await section.scrollIntoViewIfNeeded();
    await shot(rep, 'panel-zh-phone');
    await rep.setViewportSize(DESKTOP);
    await rep.getByRole('link', { name: '导出 CSV' }).waitFor(WAIT);
    await shot(rep, 'board-export-zh-desktop');
    await rep.setViewportSize(PHONE);
    await shot(rep, 'board-export-zh-phone');
    await rep.goto(`${app.url}/reports?opportunity.deal_type=renewal`);
    const filters = rep.locator('tandem-reports-page tandem-custom-field-filters[entity="opportunity"]');
    await filters.locator('#cff-deal_type').waitFor(WAIT);
    await expect.poll(() => filters.evaluate((el) => el.shadowRoot?.textContent ?? ''), WAIT).toContain('销售机会');
    await shot(rep, 'reports-zh-phone');
    await rep.setViewportSize(DESKTOP);
    await shot(rep, 'reports-zh-desktop');
    expect(app.pageErrors).toEqual([]);
  });
});
