/**
 * Quote → order → contract in Chromium, in Chinese: a sent quote accepted in the opportunity
 * panel, the order made from it and moved along its statuses, the contract created with a file
 * attached, both listed in the customer's "Orders and contracts" section, and the printable
 * quote. Screenshots in English and Chinese at desktop and phone width under /tmp/shots-contracts/.
 */
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpportunityDto, QuoteDto } from '../../schema/wire/opportunity.ts';
import type { PipelineDto } from '../../schema/wire/pipeline.ts';
import { PDF_BYTES } from '../helpers/attachments.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { api, json } from '../helpers/customers.ts';
import { signedInPage } from './board-fixture.ts';

const SHOTS = '/tmp/shots-contracts';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const WAIT = { timeout: 20_000 };

let app: BrowserApp;
let repCookie: string;
let customerId: string;
let opportunityId: string;
let quoteId: string;

async function shot(page: Page, target: Locator, name: string): Promise<void> {
  await page.waitForTimeout(300);
  await target.scrollIntoViewIfNeeded();
  await target.screenshot({ path: `${SHOTS}/${name}.png` });
}

const textOf = (l: Locator) => l.evaluate((el) => (el.shadowRoot ?? el).textContent ?? '');

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  app = await startBrowserApp();
  const ctx = app.test.ctx;
  const team = (await seedTeam(ctx, 'Deals team')).id;
  const rep = await seedUser(ctx, { teamId: team, name: '李雷', email: 'lilei@example.com' });
  await ctx.db.updateTable('users').set({ locale: 'zh-CN' }).where('id', '=', rep.id).execute();
  repCookie = await login(app.test.app, rep.email);
  const as = api(app.test, repCookie);
  customerId = (await as.create({ name: '华为技术有限公司' })).id;
  const pipeline = (await json<{ items: PipelineDto[] }>(await as.get('/api/pipelines'))).items[0]!;
  const stage = pipeline.stages.find((s) => s.nameZh === '合同签订')!;
  const opp = await json<{ opportunity: OpportunityDto }>(await as.post('/api/opportunities', { customerId, name: '服务器采购', amount: 10000, stageId: stage.id }), 201);
  opportunityId = opp.opportunity.id;
  const items = [
    { description: '服务器 R740', quantity: 2, unitPrice: 5000, discountPercent: 10 },
    { description: '安装服务', quantity: 1, unitPrice: 800 },
  ];
  const quote = await json<{ quote: QuoteDto }>(
    await as.post(`/api/opportunities/${opportunityId}/quotes`, { title: '第一版报价', items, taxPercent: 13, validUntil: '2026-12-31' }),
    201,
  );
  quoteId = quote.quote.id;
}, 240_000);
afterAll(async () => {
  await app?.close();
});

describe('quote → order → contract', () => {
  it('walks the deal to a signed contract with its file, in Chinese', async () => {
    const page = await signedInPage(app, repCookie, 'zh-CN');
    await page.setViewportSize(DESKTOP);
    await page.goto(`${app.url}/opportunities/${opportunityId}`);
    const panel = page.locator('tandem-opportunity-panel');
    await expect.poll(() => panel.locator('.quote').count(), WAIT).toBe(1);

    // The quote: sent, then accepted.
    await panel.getByRole('button', { name: '标记为已发送' }).click();
    await expect.poll(() => textOf(panel), WAIT).toContain('已发送');
    await panel.getByRole('button', { name: '已接受', exact: true }).click();
    await expect.poll(() => panel.getByRole('button', { name: '登记订单' }).count(), WAIT).toBe(1);

    // The order from the accepted quote (its total by default), then delivered.
    await panel.getByRole('button', { name: '登记订单' }).click();
    const orderForm = panel.locator('tandem-order-form');
    await orderForm.getByLabel('合同编号').fill('PO-2026-001');
    await orderForm.getByRole('button', { name: '保存订单' }).click();
    const orderStatus = panel.locator('#p-order-status');
    await expect.poll(() => orderStatus.count(), WAIT).toBe(1);
    expect(await textOf(panel)).toContain('PO-2026-001');
    await orderStatus.selectOption('delivered');
    await expect.poll(() => app.test.ctx.db.selectFrom('orders').select('status').where('opportunity_id', '=', opportunityId).executeTakeFirst().then((r) => r?.status), WAIT).toBe(
      'delivered',
    );

    // The contract (合同签订 stage): create it, then attach the signed copy.
    await panel.getByRole('button', { name: '创建合同' }).click();
    const contractForm = panel.locator('tandem-contract-form');
    await contractForm.getByLabel('合同编号').fill('HT-2026-0001');
    await contractForm.getByLabel('合同终止日').fill('2027-12-31');
    await contractForm.getByLabel('续签提醒').fill('2027-11-30');
    await shot(page, panel, 'zh-desktop-contract-form');
    await contractForm.getByRole('button', { name: '保存合同' }).click();
    const view = panel.locator('tandem-contract-view');
    await expect.poll(() => view.locator('[data-testid=contract-number]').textContent(), WAIT).toBe('HT-2026-0001');
    expect(await view.locator('[data-testid=contract-value]').textContent()).toContain('11,074');
    await view.locator('tandem-attachments input[type=file]').setInputFiles({ name: '合同扫描件.pdf', mimeType: 'application/pdf', buffer: Buffer.from(PDF_BYTES) });
    await expect.poll(() => view.locator('tandem-attachments li').count(), WAIT).toBe(1);
    expect(await view.locator('tandem-attachments li').textContent()).toContain('合同扫描件.pdf');
    await shot(page, panel, 'zh-desktop-panel');
    await page.setViewportSize(PHONE);
    await shot(page, panel, 'zh-phone-panel');

    // The customer's 360° page lists the order and the contract.
    await page.setViewportSize(DESKTOP);
    await page.goto(`${app.url}/customers/${customerId}`);
    const deals = page.locator('tandem-customer-deals');
    await expect.poll(() => deals.locator('li').count(), WAIT).toBe(2);
    const dealsText = await textOf(deals);
    expect(dealsText).toContain('已成交的订单与合同');
    expect(dealsText).toContain('PO-2026-001');
    expect(dealsText).toContain('已交付');
    expect(dealsText).toContain('HT-2026-0001');
    expect(await deals.locator('a').first().getAttribute('href')).toBe(`/opportunities/${opportunityId}`);
    await shot(page, deals, 'zh-desktop-deals');
    await page.setViewportSize(PHONE);
    await shot(page, deals, 'zh-phone-deals');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // The printable quote.
    await page.setViewportSize(DESKTOP);
    await page.goto(`${app.url}/quotes/${quoteId}/print`);
    const print = page.locator('tandem-quote-print');
    await expect.poll(() => print.locator('[data-testid=print-total]').count(), WAIT).toBe(1);
    expect(await print.locator('[data-testid=print-total]').textContent()).toContain('11,074');
    expect(await textOf(print)).toContain('致 华为技术有限公司 的报价单');
    await shot(page, page.locator('body'), 'zh-desktop-print');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('tandem-frame').evaluate((el) => getComputedStyle(el.shadowRoot!.querySelector('.side')!).display)).toBe('none');
    await page.screenshot({ path: `${SHOTS}/zh-print-media.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize(PHONE);
    await shot(page, page.locator('body'), 'zh-phone-print');
    expect(app.pageErrors).toEqual([]);
  });

  it('reads in English', async () => {
    await app.test.ctx.db.updateTable('users').set({ locale: 'en' }).where('email', '=', 'lilei@example.com').execute();
    const page = await signedInPage(app, repCookie, 'en-US');
    await page.setViewportSize(DESKTOP);
    await page.goto(`${app.url}/customers/${customerId}`);
    const deals = page.locator('tandem-customer-deals');
    await expect.poll(() => deals.locator('h3').textContent(), WAIT).toBe('Orders and contracts');
    expect(await textOf(deals)).toContain('Delivered');
    await shot(page, deals, 'en-desktop-deals');
    await page.setViewportSize(PHONE);
    await shot(page, deals, 'en-phone-deals');
    await page.setViewportSize(DESKTOP);
    await page.goto(`${app.url}/opportunities/${opportunityId}`);
    const panel = page.locator('tandem-opportunity-panel');
    await expect.poll(() => panel.locator('tandem-contract-view').count(), WAIT).toBe(1);
    expect(await textOf(panel.locator('tandem-contract-view'))).toContain('In force');
    await shot(page, panel, 'en-desktop-panel');
    await page.setViewportSize(PHONE);
    await shot(page, panel, 'en-phone-panel');
    await page.goto(`${app.url}/quotes/${quoteId}/print`);
    await expect.poll(() => page.locator('tandem-quote-print [data-testid=print-total]').count(), WAIT).toBe(1);
    await shot(page, page.locator('body'), 'en-phone-print');
    expect(app.pageErrors).toEqual([]);
  });

  it('lets an admin switch the won-customer rule off, from the keyboard', async () => {
    const admin = await seedUser(app.test.ctx, { role: 'admin', name: 'Ada Admin', email: 'ada@example.com' });
    for (const locale of ['zh-CN', 'en'] as const) {
      await app.test.ctx.db.updateTable('users').set({ locale }).where('id', '=', admin.id).execute();
      const page = await signedInPage(app, await login(app.test.app, admin.email), locale === 'en' ? 'en-US' : 'zh-CN');
      await page.setViewportSize(DESKTOP);
      await page.goto(`${app.url}/admin/users`);
      const panel = page.locator('tandem-workspace-deals');
      const box = panel.locator('input[name=wonSetsCategory]');
      await expect.poll(() => box.count(), WAIT).toBe(1);
      expect(await box.isChecked()).toBe(locale === 'zh-CN');
      await shot(page, panel, `${locale}-desktop-admin`);
      await box.focus();
      await page.keyboard.press('Space');
      await panel.getByRole('button').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => panel.locator('tandem-alert').count(), WAIT).toBe(1);
      const want = locale !== 'zh-CN';
      const row = await app.test.ctx.db.selectFrom('workspace_settings').select('won_sets_customer_category').executeTakeFirstOrThrow();
      expect(row.won_sets_customer_category).toBe(want);
      await page.setViewportSize(PHONE);
      await shot(page, panel, `${locale}-phone-admin`);
    }
    expect(app.pageErrors).toEqual([]);
  });
});
