/**
 * Team operations in Chromium: an admin hands a rep's book over from the users page (preview,
 * result, undo), and a manager ticks rows of the customer list and sets their owner in bulk,
 * with the list's match count shown.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../server/users/user.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { api } from '../helpers/customers.ts';

/** Browser tests on a shared 2-core machine: generous, and never a timing assertion. */
const TEST_TIMEOUT_MS = 90_000;

let app: BrowserApp;
let admin: User;
let manager: User;
let leaver: User;
let colleague: User;
let bookIds: string[];
let listIds: string[];

beforeAll(async () => {
  app = await startBrowserApp();
  const { ctx } = app.test;
  const team = await seedTeam(ctx, 'North');
  admin = await seedUser(ctx, { role: 'admin', teamId: null, name: 'Ada Admin' });
  manager = await seedUser(ctx, { role: 'manager', teamId: team.id, name: 'Mia Manager' });
  leaver = await seedUser(ctx, { role: 'rep', teamId: team.id, name: '张伟' });
  colleague = await seedUser(ctx, { role: 'rep', teamId: team.id, name: 'Li Na' });
  const asManager = api(app.test, await login(app.test.app, manager.email));
  bookIds = [(await asManager.create({ name: 'Leaver One', ownerId: leaver.id })).id, (await asManager.create({ name: 'Leaver Two', ownerId: leaver.id })).id];
  listIds = [(await asManager.create({ name: 'Bulk Alpha' })).id, (await asManager.create({ name: 'Bulk Beta' })).id];
});

afterAll(async () => {
  await app?.close();
});

async function signedIn(user: User): Promise<Page> {
  const cookie = await login(app.test.app, user.email);
  const page = await app.newPage();
  await page.context().addCookies([{ name: 'session', value: cookie.slice('session='.length), url: app.url, httpOnly: true, sameSite: 'Lax' }]);
  return page;
}

const ownersOf = async (ids: string[]) =>
  (await app.test.ctx.db.selectFrom('customers').select(['id', 'owner_id']).where('id', 'in', ids).execute()).map((r) => r.owner_id);

describe('team operations in the browser', () => {
  it(
    'an admin hands a rep’s book over from the users page, then undoes it',
    async () => {
      const page = await signedIn(admin);
      await page.goto(`${app.url}/admin/users`);
      const row = page.locator(`tr[data-user="${leaver.email}"]`);
      await row.getByRole('button', { name: /Hand over/ }).click();
      const form = page.locator('tandem-handover-form');
      await form.getByRole('checkbox', { name: 'Li Na' }).check();
      await expect.poll(() => form.locator('[data-preview]').textContent().catch(() => ''), { timeout: 15_000 }).toContain('2 customers');
      // The preview changed nothing.
      expect(await ownersOf(bookIds)).toEqual([leaver.id, leaver.id]);
      await form.getByRole('button', { name: 'Hand over', exact: true }).click();
      await expect.poll(() => form.locator('[data-result]').textContent().catch(() => ''), { timeout: 20_000 }).toContain('Handed over');
      expect(await ownersOf(bookIds)).toEqual([colleague.id, colleague.id]);
      await form.getByRole('button', { name: 'Undo' }).click();
      await expect.poll(() => form.locator('[data-result]').textContent().catch(() => ''), { timeout: 20_000 }).toContain('Handover undone');
      expect(await ownersOf(bookIds)).toEqual([leaver.id, leaver.id]);
      expect(app.pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a manager ticks rows of the list (mouse and keyboard) and sets their owner in bulk',
    async () => {
      const page = await signedIn(manager);
      await page.goto(`${app.url}/customers?q=Bulk`);
      const bar = page.locator('tandem-customer-bulk-bar');
      await expect.poll(() => bar.locator('[data-count]').textContent(), { timeout: 15_000 }).toContain('2 customers');
      const list = page.locator('tandem-customer-list');
      await list.getByRole('checkbox', { name: 'Select Bulk Alpha' }).check();
      // Space on the focused second row ticks it too.
      await list.locator('a.row', { hasText: 'Bulk Beta' }).focus();
      await page.keyboard.press('Space');
      await expect.poll(() => bar.locator('strong').textContent().catch(() => '')).toContain('2 selected');
      await bar.getByRole('combobox', { name: 'Bulk action' }).selectOption('owner');
      await bar.getByRole('combobox', { name: 'Value' }).selectOption({ label: 'Li Na' });
      await bar.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => bar.locator('[data-bulk-result]').textContent().catch(() => ''), { timeout: 20_000 }).toContain('Updated 2 customers');
      expect(await ownersOf(listIds)).toEqual([colleague.id, colleague.id]);
      expect(app.pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
