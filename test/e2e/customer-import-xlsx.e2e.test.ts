/**
 * The import wizard with an Excel workbook in Chromium: a book with Chinese headers whose
 * first sheet is a cover page; the wizard offers the sheet picker, maps the headers (a custom
 * field by its label) and creates the customers, reporting a row with an unknown owner. An
 * updated copy imported matching by e-mail, with one field on "fill only if empty", updates
 * the same records (one per customer), and undoing it restores the previous values.
 */
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDto, CustomerListDto } from '../../schema/wire/customer.ts';
import type { User } from '../../server/users/user.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { api, json } from '../helpers/customers.ts';

/** Waits for imports and reloads: generous on a shared 2-core machine, never a timing assertion. */
const STEP_TIMEOUT_MS = 30_000;
/** Setup signs users in (argon2id) and starts Chromium. */
const SETUP_TIMEOUT_MS = 180_000;
const TEST_TIMEOUT_MS = 180_000;

let app: BrowserApp;
let manager: User;
let http: ReturnType<typeof api>;

beforeAll(async () => {
  app = await startBrowserApp();
  const { ctx } = app.test;
  const team = await seedTeam(ctx, 'East');
  manager = await seedUser(ctx, { role: 'manager', teamId: team.id, name: 'Alice Chen', email: 'alice@example.com' });
  const admin = await seedUser(ctx, { role: 'admin', teamId: null });
  const adminApi = api(app.test, await login(app.test.app, admin.email));
  const field = { entity: 'customer', key: 'erp_id', type: 'text', label: { en: 'ERP id', zh: 'ERP编号' } };
  expect((await adminApi.post('/api/custom-fields', field)).status).toBe(201);
  http = api(app.test, await login(app.test.app, manager.email));
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await app?.close();
});

async function book(rows: (string | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('说明').addRow(['客户导入模板：请在“客户”工作表中填写']);
  const sheet = wb.addWorksheet('客户');
  sheet.addRow(['客户名称', '邮箱', '电话', '行业', 'ERP编号', '负责人邮箱']);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function signedIn(user: User): Promise<Page> {
  const cookie = await login(app.test.app, user.email);
  const page = await app.newPage();
  await page.context().addCookies([{ name: 'session', value: cookie.slice('session='.length), url: app.url, httpOnly: true, sameSite: 'Lax' }]);
  return page;
}

async function findByName(name: string): Promise<CustomerDto[]> {
  const list = await json<CustomerListDto>(await http.get(`/api/customers?q=${encodeURIComponent(name)}`));
  return list.items.filter((c) => c.name === name);
}

async function openWizard(page: Page, file: Buffer, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('#i-file').setInputFiles({ name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
  await page.getByRole('button', { name: 'Next: map columns' }).click();
  // The cover page comes first: the wizard says so and offers the sheets.
  await page.getByText('has no header row with a name column').waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.locator('#i-sheet').selectOption('客户');
  await page.locator('select[data-column="客户名称"]').waitFor({ timeout: STEP_TIMEOUT_MS });
}

describe('Excel import through the wizard', () => {
  it(
    'picks the sheet, creates, then updates matching by e-mail with fill-only-empty, and undo restores the previous values',
    async () => {
      const page = await signedIn(manager);
      await page.goto(`${app.url}/customers`);

      const first = await book([
        ['华为技术有限公司', 'info@huawei.example', '0755-2878 0808', '通信', 'ERP-001', ''],
        ['深圳星辰科技', 'hello@xingchen.example', '0755-5555 0002', '', 'ERP-002', ''],
        ['无名负责人公司', 'x@nobody.example', '', '', '', 'nobody@example.com'],
      ]);
      await openWizard(page, first, '客户.xlsx');
      // Chinese headers recognised, the custom field by its label in the user's language.
      const selected = (column: string) => page.locator(`select[data-column="${column}"] option:checked`).textContent();
      await expect(selected('客户名称')).resolves.toBe('Name');
      await expect(selected('ERP编号')).resolves.toBe('ERP id');
      await expect(selected('负责人邮箱')).resolves.toBe('Owner (e-mail or employee number)');
      await page.getByRole('button', { name: 'Next: preview' }).click();
      await page.getByText('Nothing has been imported yet').waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.getByRole('button', { name: 'Import 2 customers' }).click();
      await page.getByText('Import finished.').waitFor({ timeout: STEP_TIMEOUT_MS });
      await expect(page.locator('tandem-customer-import tr[data-status="imported"]').count()).resolves.toBe(2);
      // The failed row names the unknown owner.
      await expect(page.locator('tandem-customer-import tr[data-status="refused"]').textContent()).resolves.toContain('no active member of the team is nobody@example.com');
      await page.getByRole('button', { name: 'Done' }).click();

      const [huawei] = await findByName('华为技术有限公司');
      const [xingchen] = await findByName('深圳星辰科技');
      expect(huawei).toMatchObject({ phone: '0755-2878 0808', industry: '通信' });
      expect(xingchen?.industry || '').toBe('');

      // The updated copy: new phones for both; an industry for both, kept only where empty.
      const second = await book([
        ['华为技术有限公司', 'info@huawei.example', '0755-2878 9999', '电信设备', 'ERP-001', ''],
        ['深圳星辰科技', 'hello@xingchen.example', '0755-5555 9999', '软件', 'ERP-002', ''],
      ]);
      await openWizard(page, second, '客户-更新.xlsx');
      await page.locator('#i-match').selectOption('email');
      await page.locator('select[data-field="industry"]').selectOption('fillEmpty');
      await expect(page.locator('select[data-field="phone"] option:checked').textContent()).resolves.toBe('Overwrite');
      await page.getByRole('button', { name: 'Next: preview' }).click();
      await page.getByText('Nothing has been imported yet').waitFor({ timeout: STEP_TIMEOUT_MS });
      await expect(page.locator('tandem-customer-import tr[data-status="updated"]').count()).resolves.toBe(2);
      await page.getByRole('button', { name: 'Create 0, update 2' }).click();
      await page.getByText('Import finished.').waitFor({ timeout: STEP_TIMEOUT_MS });
      await expect(page.locator('tandem-customer-import [data-count="updated"]').textContent()).resolves.toContain('2 updated');

      // Exactly one record per customer, up to date.
      const huaweis = await findByName('华为技术有限公司');
      const xingchens = await findByName('深圳星辰科技');
      expect(huaweis).toHaveLength(1);
      expect(xingchens).toHaveLength(1);
      expect(huaweis[0]).toMatchObject({ id: huawei!.id, phone: '0755-2878 9999', industry: '通信' });
      expect(xingchens[0]).toMatchObject({ id: xingchen!.id, phone: '0755-5555 9999', industry: '软件' });

      await page.getByRole('button', { name: 'Undo this import' }).click();
      await page.getByText('Import undone: 0 customers archived, 2 restored').waitFor({ timeout: STEP_TIMEOUT_MS });
      const afterUndo = [...(await findByName('华为技术有限公司')), ...(await findByName('深圳星辰科技'))];
      expect(afterUndo).toHaveLength(2);
      expect(afterUndo[0]).toMatchObject({ id: huawei!.id, phone: '0755-2878 0808', industry: '通信' });
      expect(afterUndo[1]).toMatchObject({ id: xingchen!.id, phone: '0755-5555 0002' });
      expect(afterUndo[1]!.industry || '').toBe('');
      expect(app.pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
