/**
 * A customer's whole life cycle in one Chromium walk, in Chinese: a lead captured and converted
 * into a customer with an opportunity, a quote written, sent and accepted, the order made from
 * it, the contract signed with its file, and a service record after the sale; meanwhile the
 * manager keeps the customer's 360° page open and sees each part arrive without a reload.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDto } from '../../schema/wire/customer.ts';
import type { PipelineDto } from '../../schema/wire/pipeline.ts';
import { PDF_BYTES } from '../helpers/attachments.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { api, json } from '../helpers/customers.ts';
import { signedInPage } from './board-fixture.ts';

const WAIT = { timeout: 20_000 };
const TEST_TIMEOUT_MS = 240_000;
let app: BrowserApp;
let repCookie: string;
let managerCookie: string;

const textOf = (l: Locator) => l.evaluate((el) => (el.shadowRoot ?? el).textContent ?? '');

beforeAll(async () => {
  app = await startBrowserApp();
  const ctx = app.test.ctx;
  const team = (await seedTeam(ctx, '华南销售部')).id;
  const rep = await seedUser(ctx, { teamId: team, name: '韩梅梅' });
  const manager = await seedUser(ctx, { teamId: team, role: 'manager', name: '张伟' });
  await ctx.db.updateTable('users').set({ locale: 'zh-CN' }).where('team_id', '=', team).execute();
  repCookie = await login(app.test.app, rep.email);
  managerCookie = await login(app.test.app, manager.email);
}, TEST_TIMEOUT_MS);
afterAll(async () => {
  await app?.close();
});

describe('the life cycle', () => {
  it(
    'runs from a lead to after-sales, with the manager watching the 360° page update live',
    async () => {
      const rep: Page = await signedInPage(app, repCookie, 'zh-CN');

      // A lead, captured and converted into a customer with an opportunity.
      await rep.goto(`${app.url}/leads`);
      await rep.getByRole('button', { name: '新建线索' }).first().click();
      const capture = rep.locator('tandem-lead-capture-form');
      await capture.locator('#l-name').fill('王芳');
      await capture.locator('#l-company').fill('青岛海风贸易有限公司');
      await capture.locator('#l-phone').fill('0532 8888 6666');
      await capture.locator('#l-name').press('Enter');
      const row = rep.locator('tandem-lead-row', { hasText: '王芳' });
      await row.getByRole('button', { name: '转化' }).click();
      const convert = rep.locator('tandem-lead-convert-dialog');
      await convert.getByRole('checkbox', { name: '同时创建销售机会' }).check();
      await convert.locator('#cv-name').fill('海风贸易 CRM 项目');
      await convert.locator('#cv-amount').fill('120000');
      await convert.locator('form').getByRole('button', { name: '转化' }).click();
      await rep.locator('tandem-alert', { hasText: '已将 王芳 转化为客户' }).waitFor(WAIT);

      const asRep = api(app.test, repCookie);
      const found = await json<{ items: CustomerDto[] }>(await asRep.get(`/api/customers?q=${encodeURIComponent('青岛海风')}`));
      expect(found.items.map((c) => c.name)).toEqual(['青岛海风贸易有限公司']);
      const customerId = found.items[0]!.id;
      const opportunity = await app.test.ctx.db.selectFrom('opportunities').select(['id']).where('customer_id', '=', customerId).executeTakeFirstOrThrow();

      // The manager opens the customer's 360° page and keeps it open.
      const manager = await signedInPage(app, managerCookie, 'zh-CN');
      await manager.goto(`${app.url}/customers/${customerId}`);
      const opportunities = manager.locator('tandem-customer-opportunities');
      await expect.poll(() => textOf(opportunities), WAIT).toContain('海风贸易 CRM 项目');

      // A quote on the opportunity, sent and accepted; the order made from it.
      await rep.goto(`${app.url}/opportunities/${opportunity.id}`);
      const panel = rep.locator('tandem-opportunity-panel');
      await panel.getByRole('button', { name: '新建报价' }).click();
      const quoteForm = panel.locator('tandem-quote-form');
      await quoteForm.getByLabel('报价标题').fill('CRM 年度订阅报价');
      await quoteForm.getByRole('textbox', { name: '项目' }).fill('CRM 订阅（50 席）');
      await quoteForm.getByRole('spinbutton', { name: '数量' }).fill('1');
      await quoteForm.getByRole('spinbutton', { name: '单价' }).fill('100000');
      await quoteForm.getByRole('button', { name: '保存报价' }).click();
      await expect.poll(() => panel.locator('.quote').count(), WAIT).toBe(1);
      await expect.poll(() => textOf(opportunities), WAIT).toContain('CRM 年度订阅报价');
      await panel.getByRole('button', { name: '标记为已发送' }).click();
      await panel.getByRole('button', { name: '已接受', exact: true }).click();
      await panel.getByRole('button', { name: '登记订单' }).click();
      const orderForm = panel.locator('tandem-order-form');
      await orderForm.getByLabel('合同编号').fill('PO-HF-001');
      await orderForm.getByRole('button', { name: '保存订单' }).click();
      await expect.poll(() => panel.locator('#p-order-status').count(), WAIT).toBe(1);

      // The deal reaches 合同签订 on the board; the contract is signed and its scan attached.
      const pipeline = (await json<{ items: PipelineDto[] }>(await asRep.get('/api/pipelines'))).items[0]!;
      const signing = pipeline.stages.find((s) => s.nameZh === '合同签订')!;
      await json(await asRep.patch(`/api/opportunities/${opportunity.id}`, { stageId: signing.id }));
      await rep.reload();
      await panel.getByRole('button', { name: '创建合同' }).click();
      const contractForm = panel.locator('tandem-contract-form');
      await contractForm.getByLabel('合同编号').fill('HT-HF-2026-01');
      await contractForm.getByLabel('合同终止日').fill('2027-12-31');
      await contractForm.getByRole('button', { name: '保存合同' }).click();
      const contract = panel.locator('tandem-contract-view');
      await expect.poll(() => contract.locator('[data-testid=contract-number]').textContent(), WAIT).toBe('HT-HF-2026-01');
      await contract.locator('tandem-attachments input[type=file]').setInputFiles({ name: '合同扫描件.pdf', mimeType: 'application/pdf', buffer: Buffer.from(PDF_BYTES) });
      await expect.poll(() => contract.locator('tandem-attachments li').count(), WAIT).toBe(1);

      // The manager's page lists the order and the contract without a reload.
      const deals = manager.locator('tandem-customer-deals');
      await expect.poll(() => deals.locator('li').count(), WAIT).toBe(2);
      expect(await textOf(deals)).toContain('HT-HF-2026-01');

      // After the sale: a service record on the customer's page.
      await rep.goto(`${app.url}/customers/${customerId}`);
      const service = rep.locator('tandem-service-records-section');
      await service.getByRole('button', { name: '添加记录' }).click();
      const dialog = service.locator('tandem-service-record-dialog');
      await dialog.locator('#title').fill('培训后回访');
      await dialog.getByRole('button', { name: '保存', exact: true }).click();
      await expect.poll(() => service.locator('li').count(), WAIT).toBe(1);
      const watched = manager.locator('tandem-service-records-section');
      await expect.poll(() => watched.locator('li').count(), WAIT).toBe(1);
      expect(await watched.locator('li').first().textContent()).toContain('培训后回访');

      // One record carries it all: the lead converted, the deal, its order and contract, the service.
      const lead = await app.test.ctx.db.selectFrom('leads').select(['status', 'customer_id']).where('name', '=', '王芳').executeTakeFirstOrThrow();
      expect(lead).toEqual({ status: 'converted', customer_id: customerId });
      const order = await app.test.ctx.db.selectFrom('orders').select(['status']).where('opportunity_id', '=', opportunity.id).executeTakeFirstOrThrow();
      expect(order.status).toBe('confirmed');
      const records = await app.test.ctx.db.selectFrom('service_records').select(['title']).where('customer_id', '=', customerId).execute();
      expect(records.map((r) => r.title)).toEqual(['培训后回访']);
      expect(app.pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
