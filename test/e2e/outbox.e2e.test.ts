/**
 * The outbox in Chromium (docs/offline.md, "Outbox"): a lead captured without a
 * network waits on this device, survives a reload made offline, and is created
 * once when the network returns; an entry the server refuses comes back with
 * its reason and the field at fault, is fixed and sent again; signing out
 * leaves no outbox behind.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadDto } from '../../schema/wire/lead.ts';
import { type BrowserApp, ELEMENT_TIMEOUT_MS, startBrowserApp } from '../helpers/browser.ts';
import { login, ORIGIN, seedTeam, seedUser } from '../helpers/context.ts';
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
