/**
 * The outbox in Chromium (docs/offline.md, "Outbox"): a lead captured without a
 * network waits on this device, survives a reload made offline, and is created
 * once when the network returns; an entry the server refuses comes back with
 * its reason and the field at fault, is fixed and sent again; signing out
 * leaves no outbox behind. The customer and task lists open offline from
 * their kept answers, the customer, contact and task forms close on an offline
 * create, and what they made shows in the lists as waiting to send.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDto } from '../../schema/wire/customer.ts';
import type { LeadDto } from '../../schema/wire/lead.ts';
import type { TaskDto } from '../../schema/wire/tasks.ts';
import { type BrowserApp, ELEMENT_TIMEOUT_MS, startBrowserApp } from '../helpers/browser.ts';
import { login, ORIGIN, seedTeam, seedUser, TEST_PASSWORD } from '../helpers/context.ts';
import { closeBoardApp, signedInPage } from './board-fixture.ts';

const TEST_TIMEOUT_MS = 150_000;
const POLL = { timeout: ELEMENT_TIMEOUT_MS };
const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/shots-outbox';
let app: BrowserApp;

beforeAll(async () => {
  app = await startBrowserApp();
  mkdirSync(SHOTS, { recursive: true });
}, TEST_TIMEOUT_MS);
afterAll(() => closeBoardApp(app, []));

const outboxButton = (page: Page) => page.locator('tandem-outbox button.summary');

/** The server's leads of this rep whose name contains `q`. */
async function leadsNamed(cookie: string, q: string): Promise<LeadDto[]> {
  const res = await app.test.app.request(`/api/leads?q=${encodeURIComponent(q)}`, { headers: { cookie } });
  return ((await res.json()) as { items: LeadDto[] }).items;
}

/** Puts an entry straight into a user's outbox, as the app would have kept it. */
async function keepInOutbox(page: Page, userId: string, entry: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    ({ name, entry }) =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open(name, 1);
        req.onupgradeneeded = () => req.result.createObjectStore('entries', { keyPath: 'seq', autoIncrement: true });
        req.onsuccess = () => {
          const tx = req.result.transaction('entries', 'readwrite');
          tx.objectStore('entries').add(entry);
          tx.oncomplete = () => {
            req.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        req.onerror = () => reject(req.error);
      }),
    { name: `tandem:${userId}:outbox`, entry },
  );
}

async function rep(locale: 'en' | 'zh-CN' = 'en') {
  const team = await seedTeam(app.test.ctx, `Outbox ${Math.random().toString(36).slice(2, 6)}`);
  const user = await seedUser(app.test.ctx, { role: 'rep', teamId: team.id, name: 'Rita Rep' });
  await app.test.ctx.db.updateTable('users').set({ locale }).where('id', '=', user.id).execute();
  const cookie = await login(app.test.app, user.email);
  return { user, cookie };
}

/** Opens the leads page online, and waits until the service worker has the app shell. */
async function openLeads(page: Page, newLead = 'New lead'): Promise<void> {
  await page.goto(`${app.url}/leads`);
  await page.getByRole('button', { name: newLead }).first().waitFor();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), POLL).toBe(true);
}

describe('outbox', () => {
  it(
    'keeps a lead captured offline through a reload and creates it once when the network returns',
    async () => {
      const { cookie } = await rep();
      const page = await signedInPage(app, cookie);
      await openLeads(page);
      expect(await outboxButton(page).count()).toBe(0);

      await page.context().setOffline(true);
      await page.getByRole('button', { name: 'New lead' }).first().click();
      const form = page.locator('tandem-lead-capture-form');
      await form.locator('#l-name').fill('Offline Lead 离线线索');
      await form.locator('#l-company').fill('海风贸易');
      await form.locator('#l-name').press('Enter');
      await page.locator('tandem-alert[kind="info"]', { hasText: 'Saved on this device' }).waitFor();
      await expect.poll(() => outboxButton(page).textContent(), POLL).toContain('1 waiting to be sent');

      // A reload without a network: the entry is still there.
      await page.reload();
      await expect.poll(() => outboxButton(page).textContent(), POLL).toContain('1 waiting to be sent');
      expect(await leadsNamed(cookie, 'Offline Lead')).toHaveLength(0);

      await page.context().setOffline(false);
      await outboxButton(page).waitFor({ state: 'detached' });
      const created = await leadsNamed(cookie, 'Offline Lead');
      expect(created.map((l) => [l.name, l.company])).toEqual([['Offline Lead 离线线索', '海风贸易']]);
      await page.context().close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'shows a refused entry with its reason, sends it again once fixed, and sends a repeat only once',
    async () => {
      const { user, cookie } = await rep();
      const page = await signedInPage(app, cookie);
      await openLeads(page);
      await page.context().setOffline(true);
      // One entry the server refuses (a malformed e-mail), one it accepts, and the accepted one
      // again under the same key (a create that had reached the server before the network failed).
      const base = { method: 'POST', path: '/api/leads', createdAt: new Date().toISOString(), state: 'waiting' };
      await keepInOutbox(page, user.id, { ...base, kind: 'lead', label: 'Broken Mail', body: { name: 'Broken Mail 坏邮箱', email: 'not-an-address' }, key: 'a'.repeat(32) });
      await keepInOutbox(page, user.id, { ...base, kind: 'lead', label: 'Good Lead', body: { name: 'Good Lead 好线索' }, key: 'b'.repeat(32) });
      const first = await app.test.app.request('/api/leads', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', origin: ORIGIN, 'idempotency-key': 'c'.repeat(32) },
        body: JSON.stringify({ name: 'Twice Lead 重复线索' }),
      });
      expect(first.status).toBe(201);
      await keepInOutbox(page, user.id, { ...base, kind: 'lead', label: 'Twice Lead', body: { name: 'Twice Lead 重复线索' }, key: 'c'.repeat(32) });
      await page.reload();
      await expect.poll(() => outboxButton(page).textContent(), POLL).toContain('3 waiting to be sent');

      await page.context().setOffline(false);
      await expect.poll(() => outboxButton(page).textContent(), POLL).toContain('1 could not be sent');
      expect(await leadsNamed(cookie, 'Good Lead')).toHaveLength(1);
      expect(await leadsNamed(cookie, 'Twice Lead')).toHaveLength(1);
      expect(await leadsNamed(cookie, 'Broken Mail')).toHaveLength(0);

      await outboxButton(page).click();
      const entry = page.locator('tandem-outbox li[data-state="failed"]');
      await entry.waitFor();
      expect(await entry.locator('.reason').textContent()).toContain('E-mail');
      await page.screenshot({ path: `${SHOTS}/outbox-failed-en-desktop.png` });
      await entry.getByRole('button', { name: 'Fix' }).click();
      // The field at fault comes first, focused and marked.
      const email = entry.locator('input[name="email"]');
      await expect.poll(() => email.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement), POLL).toBe(true);
      expect(await email.getAttribute('aria-invalid')).toBe('true');
      await email.fill('broken@example.com');
      await entry.getByRole('button', { name: 'Send again' }).click();
      await outboxButton(page).waitFor({ state: 'detached' });
      expect((await leadsNamed(cookie, 'Broken Mail')).map((l) => l.email)).toEqual(['broken@example.com']);
      await page.context().close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'discards an entry, and leaves no outbox after signing out',
    async () => {
      const { user, cookie } = await rep('zh-CN');
      const page = await signedInPage(app, cookie, 'zh-CN');
      await openLeads(page, '新建线索');
      await page.context().setOffline(true);
      const base = { method: 'POST', path: '/api/leads', createdAt: new Date().toISOString(), state: 'waiting', kind: 'lead' };
      await keepInOutbox(page, user.id, { ...base, label: '丢弃线索', body: { name: '丢弃线索' }, key: 'd'.repeat(32) });
      await keepInOutbox(page, user.id, { ...base, label: '保留线索', body: { name: '保留线索' }, key: 'e'.repeat(32) });
      await page.reload();
      await expect.poll(() => outboxButton(page).textContent(), POLL).toContain('2 项等待发送');
      await outboxButton(page).click();
      await page.locator('tandem-outbox li').first().waitFor();
      await page.screenshot({ path: `${SHOTS}/outbox-waiting-zh-desktop.png` });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${SHOTS}/outbox-waiting-zh-phone.png` });
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.locator('tandem-outbox li').first().getByRole('button', { name: '放弃' }).click();
      await expect.poll(() => page.locator('tandem-outbox li').count(), POLL).toBe(1);

      await page.context().setOffline(false);
      await outboxButton(page).waitFor({ state: 'detached' });
      expect(await leadsNamed(cookie, '保留线索')).toHaveLength(1);
      expect(await leadsNamed(cookie, '丢弃线索')).toHaveLength(0);

      // Something waiting again, then sign-out: the outbox database goes with the rest.
      await page.context().setOffline(true);
      await keepInOutbox(page, user.id, { ...base, label: '留下线索', body: { name: '留下线索' }, key: 'f'.repeat(32) });
      await page.context().setOffline(false);
      await page.goto(`${app.url}/leads`);
      await page.locator('tandem-frame').getByRole('button', { name: '退出登录' }).click();
      await expect
        .poll(() => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.endsWith(':outbox'))), POLL)
        .toEqual([]);
      await page.context().close();
    },
    TEST_TIMEOUT_MS,
  );
});

/** A create through the API as this user (the server's answer). */
async function post<T>(cookie: string, path: string, body: Record<string, unknown>): Promise<T> {
  const res = await app.test.app.request(path, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function serverItems<T>(cookie: string, path: string): Promise<T[]> {
  return ((await (await app.test.app.request(path, { headers: { cookie } })).json()) as { items: T[] }).items;
}

/** The keys of the lists kept in this user's local data (`tandem:<userId>:lists`), or null without that database. */
const keptListKeys = (page: Page, userId: string) =>
  page.evaluate(async (name) => {
    if (!(await indexedDB.databases()).some((d) => d.name === name)) return null;
    return new Promise<string[]>((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => {
        const keys = req.result.transaction('lists').objectStore('lists').getAllKeys();
        keys.onsuccess = () => {
          req.result.close();
          resolve((keys.result as string[]).sort());
        };
        keys.onerror = () => reject(keys.error);
      };
      req.onerror = () => reject(req.error);
    });
  }, `tandem:${userId}:lists`);

const keptBanner = (page: Page) => page.locator('tandem-alert[data-kept-list]');
const customerRow = (page: Page, id: string) => page.locator(`tandem-customer-list a.row[data-customer-id="${id}"]`);
const waitingCustomers = (page: Page) => page.locator('tandem-customer-list ul.waiting li');

/** A rep with two customers (one opened, so kept on the device) and a task, and the lists opened online and kept. */
async function repWithLists(locale: 'en' | 'zh-CN') {
  const { user, cookie } = await rep(locale);
  const opened = (await post<{ customer: CustomerDto }>(cookie, '/api/customers', { name: `Opened ${locale} 已打开`, confirm: true })).customer;
  const other = (await post<{ customer: CustomerDto }>(cookie, '/api/customers', { name: `Never opened ${locale} 未打开`, confirm: true })).customer;
  const dueAt = new Date(Date.now() + 26 * 3600_000).toISOString();
  const task = (await post<{ task: TaskDto }>(cookie, '/api/tasks', { title: `Call back ${locale} 回电`, dueAt, customerId: opened.id })).task;
  const page = await signedInPage(app, cookie, locale === 'en' ? 'en-US' : 'zh-CN');
  await page.goto(`${app.url}/customers/${opened.id}`);
  await page.locator('.status[data-live="live"]').waitFor();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), POLL).toBe(true);
  await page.goto(`${app.url}/tasks`);
  await page.locator(`li[data-task-id="${task.id}"]`).waitFor();
  // The list is kept after it is drawn: leaving the page at once could abort that write.
  await expect.poll(async () => (await keptListKeys(page, user.id))?.includes('tasks:mine') ?? false, POLL).toBe(true);
  await page.goto(`${app.url}/customers`);
  await customerRow(page, other.id).waitFor();
  await expect.poll(() => keptListKeys(page, user.id), POLL).toEqual(['customers', 'customers:reference', 'tasks:mine']);
  return { user, cookie, page, opened, other, task };
}

describe('lists and forms offline', () => {
  it(
    'shows the kept customer and task lists offline, closes the forms on an offline create, and sends each create once',
    async () => {
      const { cookie, page, opened, other, task } = await repWithLists('en');

      // A contact added while the customer page is open and the network goes: the form closes and says so.
      await page.goto(`${app.url}/customers/${opened.id}`);
      await page.locator('.status[data-live="live"]').waitFor();
      await page.context().setOffline(true);
      const contacts = page.locator('tandem-customer-contacts');
      await contacts.getByRole('button', { name: 'Add contact' }).click();
      await contacts.locator('#ct-name').fill('Wendy Offline 离线联系人');
      await contacts.getByRole('button', { name: 'Save' }).click();
      await contacts.locator('tandem-alert[kind="info"]', { hasText: 'Saved on this device' }).waitFor();
      expect(await contacts.locator('form.contact').count()).toBe(0);
      await expect.poll(() => outboxButton(page).textContent(), POLL).toContain('1 waiting to be sent');

      // The task list, reloaded without a network: the kept rows under the offline banner.
      await page.goto(`${app.url}/tasks`);
      await expect.poll(() => keptBanner(page).textContent(), POLL).toContain('Offline — showing the list as of');
      const taskRow = page.locator(`li[data-task-id="${task.id}"]`);
      expect(await taskRow.locator('.title').textContent()).toBe('Call back en 回电');
      expect(await taskRow.getByRole('link').textContent()).toBe('Opened en 已打开');
      expect(await taskRow.getByRole('button', { name: 'Mark done' }).isDisabled()).toBe(true);
      // A new task offline: the dialog closes, the page says so, the task waits above the list.
      await page.getByRole('button', { name: 'New task' }).click();
      await page.locator('#task-title').fill('Offline task 离线任务');
      await page.getByRole('button', { name: 'Create task' }).click();
      await page.locator('tandem-tasks-page tandem-alert[kind="info"]', { hasText: 'Saved on this device' }).waitFor();
      expect(await page.locator('tandem-task-dialog tandem-dialog').getAttribute('open')).toBeNull();
      const waitingTask = page.locator('section[data-section="waiting"] li');
      await expect.poll(() => waitingTask.textContent(), POLL).toContain('Offline task 离线任务');
      expect(await waitingTask.textContent()).toContain('Waiting to send');
      await page.screenshot({ path: `${SHOTS}/tasks-offline-en-desktop.png` });

      // The customer list offline: the kept rows, the one never opened here marked, server-only actions off.
      await page.goto(`${app.url}/customers`);
      await keptBanner(page).waitFor();
      expect(await keptBanner(page).textContent()).toContain('Offline — showing the list as of');
      await customerRow(page, opened.id).waitFor();
      expect(await customerRow(page, other.id).getAttribute('class')).toContain('unkept');
      expect(await customerRow(page, opened.id).getAttribute('class')).not.toContain('unkept');
      // The owners' names come from the kept team list.
      expect(await customerRow(page, opened.id).textContent()).toContain('Rita Rep');
      expect(await page.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);
      await page.getByRole('button', { name: 'New customer' }).first().click();
      await page.locator('#c-name').fill('Offline Customer 离线客户');
      await page.locator('#c-name').press('Enter');
      await page.locator('tandem-customers-page tandem-alert[kind="info"]', { hasText: 'Saved on this device' }).waitFor();
      expect(await page.locator('tandem-customers-page tandem-dialog').first().getAttribute('open')).toBeNull();
      await expect.poll(() => waitingCustomers(page).textContent(), POLL).toContain('Offline Customer 离线客户');
      expect(await waitingCustomers(page).textContent()).toContain('Waiting to send');
      await expect.poll(() => outboxButton(page).textContent(), POLL).toContain('3 waiting to be sent');
      await page.screenshot({ path: `${SHOTS}/lists-offline-en-desktop.png` });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${SHOTS}/lists-offline-en-phone.png` });
      await page.setViewportSize({ width: 1280, height: 800 });

      // A customer opened before opens from the list offline, from its kept copy.
      await customerRow(page, opened.id).click();
      await page.locator('tandem-customer-page tandem-alert', { hasText: 'You are offline' }).first().waitFor();

      // Back online: everything is created once, and the lists are the server's again.
      await page.context().setOffline(false);
      await outboxButton(page).waitFor({ state: 'detached' });
      expect((await serverItems<CustomerDto>(cookie, `/api/customers?q=${encodeURIComponent('Offline Customer')}`)).map((c) => c.name)).toEqual([
        'Offline Customer 离线客户',
      ]);
      const tasks = await serverItems<TaskDto>(cookie, '/api/tasks?scope=mine&status=open&limit=200');
      expect(tasks.filter((t) => t.title === 'Offline task 离线任务')).toHaveLength(1);
      const contactsNow = await serverItems<{ name: string }>(cookie, `/api/customers/${opened.id}/contacts`);
      expect(contactsNow.map((c) => c.name)).toEqual(['Wendy Offline 离线联系人']);
      await page.goto(`${app.url}/customers`);
      await page.locator('tandem-customer-list a.row', { hasText: 'Offline Customer 离线客户' }).waitFor();
      expect(await waitingCustomers(page).count()).toBe(0);
      expect(await keptBanner(page).count()).toBe(0);
      await page.context().close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'shows the kept list in Chinese, keeps no list after signing out nor on a shared computer',
    async () => {
      const { user, page, opened } = await repWithLists('zh-CN');
      await page.context().setOffline(true);
      await page.reload();
      await expect.poll(() => keptBanner(page).textContent(), POLL).toContain('离线 — 显示的是');
      await customerRow(page, opened.id).waitFor();
      await page.getByRole('button', { name: '新建客户' }).first().click();
      await page.locator('#c-name').fill('离线新客户');
      await page.locator('#c-name').press('Enter');
      await expect.poll(() => waitingCustomers(page).textContent(), POLL).toContain('待发送');
      await page.screenshot({ path: `${SHOTS}/lists-offline-zh-desktop.png` });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${SHOTS}/lists-offline-zh-phone.png` });
      await page.setViewportSize({ width: 1280, height: 800 });

      await page.context().setOffline(false);
      await outboxButton(page).waitFor({ state: 'detached' });
      await page.locator('tandem-frame').getByRole('button', { name: '退出登录' }).click();
      await page.locator('tandem-sign-in').waitFor();
      await expect.poll(() => keptListKeys(page, user.id), POLL).toBeNull();

      // A shared computer: the lists are shown, and none is kept.
      await page.locator('#email').fill(user.email);
      await page.locator('#password').fill(TEST_PASSWORD);
      await page.locator('tandem-sign-in input[type="checkbox"]').check();
      await page.locator('tandem-sign-in button[type="submit"]').click();
      await page.locator('tandem-frame').waitFor();
      await page.goto(`${app.url}/customers`);
      await customerRow(page, opened.id).waitFor();
      await page.goto(`${app.url}/tasks`);
      await page.locator('li[data-task-id]').first().waitFor();
      expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('tandem:')))).toEqual([]);
      await page.context().close();
    },
    TEST_TIMEOUT_MS,
  );
});
