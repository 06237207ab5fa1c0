/**
 * Notifications and tasks in Chromium: a manager assigns a task to a rep
 * from the tasks page while the rep has two tabs open — both show the toast
 * and a count of one, marking it read in one tab clears the other, the actor
 * hears nothing; a rep who was offline finds the count at sign-in and follows
 * the link; a task assigned to a teammate notifies them and appears in their
 * My day with its customer; the customer list shows who else is viewing it;
 * a customer reassigned on its 360° page notifies the new owner's tabs.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDto } from '../../schema/wire/customer.ts';
import type { User } from '../../server/users/user.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';
import { api } from '../helpers/customers.ts';

/** Waits for live effects: generous on a shared 2-core machine, and never a timing assertion. */
const LIVE_TIMEOUT_MS = 15_000;
/** Tests that open several browser contexts and pages. */
const MULTI_PAGE_TIMEOUT_MS = 120_000;

let app: BrowserApp;
let alice: User;
let bob: User;
let dan: User;
let acme: CustomerDto;
let globex: CustomerDto;
const consoleErrors: string[] = [];

beforeAll(async () => {
  app = await startBrowserApp();
  const { ctx } = app.test;
  const east = await seedTeam(ctx, 'East');
  alice = await seedUser(ctx, { role: 'manager', teamId: east.id, name: 'Alice Chen', email: 'alice@example.com' });
  bob = await seedUser(ctx, { role: 'rep', teamId: east.id, name: 'Bob Wang', email: 'bob@example.com' });
  dan = await seedUser(ctx, { role: 'rep', teamId: east.id, name: 'Dan Liu', email: 'dan@example.com' });
  const east1 = api(app.test, await login(app.test.app, alice.email));
  acme = await east1.create({ name: 'Acme Robotics' });
  globex = await east1.create({ name: 'Globex 环球' });
}, MULTI_PAGE_TIMEOUT_MS);

afterAll(async () => {
  await app?.close();
});

function watch(page: Page): Page {
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) consoleErrors.push(m.text());
  });
  return page;
}

/** A page in its own browser context, signed in as `user`. */
async function signedIn(user: User): Promise<Page> {
  const cookie = await login(app.test.app, user.email);
  const page = watch(await app.newPage());
  await page.context().addCookies([{ name: 'session', value: cookie.slice('session='.length), url: app.url, httpOnly: true, sameSite: 'Lax' }]);
  return page;
}

/** A second tab of the same browser context (same session cookie). */
async function secondTab(page: Page): Promise<Page> {
  const tab = watch(await page.context().newPage());
  tab.on('pageerror', (e) => app.pageErrors.push(e.message));
  return tab;
}

const bell = (page: Page) => page.locator('tandem-notification-bell button.bell');

async function unreadOf(page: Page): Promise<string | null> {
  return bell(page).getAttribute('data-unread');
}

async function notificationsOf(userId: string) {
  return app.test.ctx.db.selectFrom('notifications').selectAll().where('recipient_id', '=', userId).execute();
}

/** The manager's "New task" dialog on the tasks page, filled and submitted. */
async function createTaskInUi(page: Page, title: string, assignee: User, customer?: CustomerDto): Promise<void> {
  await page.goto(`${app.url}/tasks`);
  await page.getByRole('button', { name: 'New task' }).click();
  const dialog = page.locator('tandem-task-dialog');
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByLabel('Assignee').selectOption(assignee.id);
  if (customer) {
    await dialog.getByLabel('Customer').fill(customer.name.split(' ')[0]!);
    await dialog.getByRole('button', { name: customer.name }).click();
  }
  await dialog.getByRole('button', { name: 'Create task' }).click();
  await dialog.locator('tandem-dialog[open]').waitFor({ state: 'detached' });
}

describe('notifications in the browser', () => {
  it(
    'an assignment reaches both of the rep’s tabs; reading it in one clears the other; the actor hears nothing',
    async () => {
      const tab1 = await signedIn(bob);
      const tab2 = await secondTab(tab1);
      const manager = await signedIn(alice);
      await tab1.goto(`${app.url}/customers`);
      await tab2.goto(`${app.url}/tasks`);
      await expect.poll(() => unreadOf(tab1), { timeout: LIVE_TIMEOUT_MS }).toBe('0');
      await expect.poll(() => unreadOf(tab2), { timeout: LIVE_TIMEOUT_MS }).toBe('0');
      // Both tabs are on the customer list: each sees the manager's avatar once she opens it.
      await manager.goto(`${app.url}/customers`);
      await tab1.locator(`tandem-presence .avatar[data-user-id="${alice.id}"]`).waitFor({ timeout: LIVE_TIMEOUT_MS });
      await manager.locator(`tandem-presence .avatar[data-user-id="${bob.id}"]`).waitFor({ timeout: LIVE_TIMEOUT_MS });

      await createTaskInUi(manager, 'Visit Acme Robotics', bob);

      for (const tab of [tab1, tab2]) {
        await tab.locator('tandem-notification-center .toast', { hasText: 'Visit Acme Robotics' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
        await expect.poll(() => unreadOf(tab), { timeout: LIVE_TIMEOUT_MS }).toBe('1');
      }
      await expect(bell(tab1).getAttribute('aria-label')).resolves.toBe('Notifications, 1 unread');

      // The panel lists it; marking it read in tab 1 brings tab 2 to zero.
      await bell(tab1).click();
      const item = tab1.locator('tandem-notification-bell li', { hasText: 'Visit Acme Robotics' });
      await item.waitFor();
      await expect(item.getAttribute('class')).resolves.toBe('unread');
      await item.getByRole('button', { name: 'Mark read' }).click();
      await expect.poll(() => unreadOf(tab2), { timeout: LIVE_TIMEOUT_MS }).toBe('0');
      await expect.poll(() => unreadOf(tab1), { timeout: LIVE_TIMEOUT_MS }).toBe('0');
      await expect.poll(() => item.getAttribute('class'), { timeout: LIVE_TIMEOUT_MS }).toBe('read');

      // Escape closes the panel and gives focus back to the bell.
      await tab1.keyboard.press('Escape');
      await tab1.locator('#notifications-panel').waitFor({ state: 'detached' });
      await expect
        .poll(() =>
          tab1.evaluate(() => {
            let el: Element | null = document.activeElement;
            while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
            return el?.className ?? '';
          }),
        )
        .toBe('bell');

      // The manager who made the change was told nothing.
      expect(await notificationsOf(alice.id)).toEqual([]);
      await expect.poll(() => unreadOf(manager)).toBe('0');
      expect(await manager.locator('tandem-notification-center .toast').count()).toBe(0);
      expect((await notificationsOf(bob.id)).map((n) => [n.type, n.entity_type])).toEqual([['assignment', 'task']]);
      expect(app.pageErrors).toEqual([]);
      expect(consoleErrors).toEqual([]);
    },
    MULTI_PAGE_TIMEOUT_MS,
  );

  it(
    'a rep who was offline finds the count at sign-in, and the link opens the task',
    async () => {
      // Assigned over the REST API while Dan has no tab open.
      const cookie = await login(app.test.app, alice.email);
      const res = await app.test.app.request('/api/tasks', jsonRequest('POST', { title: 'Call Acme back', assigneeId: dan.id, customerId: acme.id }, cookie));
      expect(res.status).toBe(201);
      const { task } = (await res.json()) as { task: { id: string } };

      const page = await signedIn(dan);
      await page.goto(`${app.url}/customers`);
      await expect.poll(() => unreadOf(page), { timeout: LIVE_TIMEOUT_MS }).toBe('1');
      await expect(bell(page).getAttribute('aria-label')).resolves.toBe('Notifications, 1 unread');
      await bell(page).click();
      await page.locator('tandem-notification-bell li a', { hasText: 'Call Acme back' }).click();
      await page.waitForURL(`${app.url}/tasks/${task.id}`);
      // The task opens in its dialog; following the link marked the notification read.
      await expect.poll(() => page.locator('tandem-task-dialog #task-title').inputValue(), { timeout: LIVE_TIMEOUT_MS }).toBe('Call Acme back');
      await expect.poll(() => unreadOf(page), { timeout: LIVE_TIMEOUT_MS }).toBe('0');
      expect(app.pageErrors).toEqual([]);
    },
    MULTI_PAGE_TIMEOUT_MS,
  );

  it(
    'a task assigned to a teammate notifies them and shows in their My day',
    async () => {
      const rep = await signedIn(dan);
      await rep.goto(`${app.url}/tasks`);
      await rep.locator('tandem-tasks-page').waitFor();
      await expect.poll(() => unreadOf(rep), { timeout: LIVE_TIMEOUT_MS }).toBe('0');

      const manager = await signedIn(alice);
      await createTaskInUi(manager, 'Send the Globex quote', dan, globex);

      await rep.locator('tandem-notification-center .toast', { hasText: 'Send the Globex quote' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
      await expect.poll(() => unreadOf(rep), { timeout: LIVE_TIMEOUT_MS }).toBe('1');
      const row = rep.locator('tandem-tasks-page section[data-section="upcoming"] li', { hasText: 'Send the Globex quote' });
      await row.waitFor({ timeout: LIVE_TIMEOUT_MS });
      await row.locator('a', { hasText: 'Globex 环球' }).waitFor({ timeout: LIVE_TIMEOUT_MS });

      // The rep completes it; it leaves the open sections and can be reopened.
      await row.getByRole('button', { name: 'Mark done' }).click();
      const done = rep.locator('tandem-tasks-page section[data-section="done"] li', { hasText: 'Send the Globex quote' });
      await done.waitFor();
      await expect.poll(() => row.count()).toBe(0);
      const [task] = await app.test.ctx.db.selectFrom('tasks').selectAll().where('title', '=', 'Send the Globex quote').execute();
      expect(task?.assignee_id).toBe(dan.id);
      expect(task?.customer_id).toBe(globex.id);
      expect(task?.done_at).not.toBeNull();
      expect(app.pageErrors).toEqual([]);
      expect(consoleErrors).toEqual([]);
    },
    MULTI_PAGE_TIMEOUT_MS,
  );

  it(
    'a customer reassigned on its 360° page notifies the new owner in both tabs, and not the manager',
    async () => {
      const tab1 = await signedIn(dan);
      const tab2 = await secondTab(tab1);
      await tab1.goto(`${app.url}/customers`);
      await tab2.goto(`${app.url}/tasks`);
      await expect.poll(() => unreadOf(tab1), { timeout: LIVE_TIMEOUT_MS }).toBeTruthy();
      const before = Number(await unreadOf(tab1));

      const manager = await signedIn(alice);
      await manager.goto(`${app.url}/customers/${acme.id}`);
      const owner = manager.locator('tandem-customer-field[name="ownerId"] select');
      await owner.waitFor({ timeout: LIVE_TIMEOUT_MS });
      await expect.poll(() => owner.isEnabled(), { timeout: LIVE_TIMEOUT_MS }).toBe(true);
      await owner.selectOption(dan.id);

      for (const tab of [tab1, tab2]) {
        await tab.locator('tandem-notification-center .toast', { hasText: 'Acme Robotics' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
        await expect.poll(() => unreadOf(tab), { timeout: LIVE_TIMEOUT_MS }).toBe(String(before + 1));
      }
      const customerNotes = (await notificationsOf(dan.id)).filter((n) => n.entity_type === 'customer');
      expect(customerNotes.map((n) => [n.type, n.entity_id])).toEqual([['assignment', acme.id]]);
      expect((await notificationsOf(alice.id)).filter((n) => n.entity_type === 'customer')).toEqual([]);
      expect(app.pageErrors).toEqual([]);
    },
    MULTI_PAGE_TIMEOUT_MS,
  );
});
