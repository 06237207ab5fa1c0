/**
 * Live lists in Chromium: a manager hands a customer from one rep to another;
 * each rep's "mine" list (open in its own browser) changes without a reload —
 * the row leaves the old owner's list and arrives, highlighted, in the new
 * owner's — and a task handed over appears in the new assignee's "My day".
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../server/users/user.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { api } from '../helpers/customers.ts';

const TEST_TIMEOUT_MS = 120_000;
const LIVE_TIMEOUT_MS = 15_000;

let app: BrowserApp;
let manager: User;
let chen: User;
let ravi: User;
let managerCookie: string;

beforeAll(async () => {
  app = await startBrowserApp();
  const { ctx } = app.test;
  const team = await seedTeam(ctx);
  manager = await seedUser(ctx, { role: 'manager', teamId: team.id, name: 'Mei Wang' });
  chen = await seedUser(ctx, { teamId: team.id, name: '陈静' });
  ravi = await seedUser(ctx, { teamId: team.id, name: 'Ravi Kumar' });
  managerCookie = await login(app.test.app, manager.email);
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  await app?.close();
});

async function signedIn(user: User): Promise<Page> {
  const cookie = await login(app.test.app, user.email);
  const page = await app.newPage();
  await page.context().addCookies([{ name: 'session', value: cookie.slice('session='.length), url: app.url, httpOnly: true, sameSite: 'Lax' }]);
  return page;
}

/** Marks the page's window: the mark survives only as long as the page is not reloaded. */
const markWindow = (page: Page) => page.evaluate(() => ((window as unknown as { liveMark: number }).liveMark = 42));
const stillMarked = (page: Page) => page.evaluate(() => (window as unknown as { liveMark?: number }).liveMark === 42);

describe('live lists', () => {
  it(
    'a reassigned customer leaves the old owner’s list and appears in the new owner’s, without a reload',
    async () => {
      const asManager = api(app.test, managerCookie);
      const created = await asManager.post('/api/customers', { name: 'Acme Handover 移交', ownerId: chen.id, confirm: true });
      expect(created.status).toBe(201);
      const { customer } = (await created.json()) as { customer: { id: string } };

      const chenPage = await signedIn(chen);
      const raviPage = await signedIn(ravi);
      await chenPage.goto(`${app.url}/customers?ownerId=${chen.id}`);
      await raviPage.goto(`${app.url}/customers?ownerId=${ravi.id}`);
      const row = (page: Page) => page.locator(`a.row[data-customer-id="${customer.id}"]`);
      await row(chenPage).waitFor();
      await raviPage.getByText(/no customers|No customers/i).first().waitFor();
      await markWindow(chenPage);
      await markWindow(raviPage);

      const moved = await asManager.patch(`/api/customers/${customer.id}`, { ownerId: ravi.id });
      expect(moved.status).toBe(200);

      await row(raviPage).waitFor({ timeout: LIVE_TIMEOUT_MS });
      await expect.poll(() => row(chenPage).count(), { timeout: LIVE_TIMEOUT_MS }).toBe(0);
      expect(await row(raviPage).getAttribute('class')).toContain('changed');
      expect(await stillMarked(chenPage)).toBe(true);
      expect(await stillMarked(raviPage)).toBe(true);

      // A task handed to Ravi shows in his "My day" as it happens.
      await raviPage.goto(`${app.url}/tasks`);
      await raviPage.getByRole('heading', { level: 2 }).first().waitFor();
      await markWindow(raviPage);
      const task = await asManager.post('/api/tasks', { title: 'Call 移交 contact', assigneeId: ravi.id, dueAt: new Date(Date.now() + 3_600_000).toISOString() });
      expect(task.status).toBe(201);
      await raviPage.locator('li', { hasText: 'Call 移交 contact' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
      expect(await stillMarked(raviPage)).toBe(true);
      expect(app.pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
