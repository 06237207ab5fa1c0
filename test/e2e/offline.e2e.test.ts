/**
 * Working offline in Chromium (docs/offline.md): a customer edited without a
 * network for two minutes of the page's clock, the page reloaded while still offline (the app shell from the
 * service worker, the customer from IndexedDB), the edits reaching a second
 * user once the network returns; a forbidden offline change reverted with its
 * reason while the change beside it stays; the status never "Live" offline;
 * the local data gone after signing out, and never kept on a shared computer.
 *
 * `context.setOffline(true)` fails new requests and fires the offline event,
 * but Chromium keeps an open WebSocket working: the DocController ends its
 * socket on the offline event, which is what these tests rely on seeing.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDto } from '../../schema/wire/customer.ts';
import type { CustomerLiveDoc } from '../../client/src/customers/customer-live-doc.ts';
import { type BrowserApp, ELEMENT_TIMEOUT_MS, startBrowserApp } from '../helpers/browser.ts';
import { login, seedTeam, seedUser, TEST_PASSWORD } from '../helpers/context.ts';
import { api } from '../helpers/customers.ts';
import { cardsOf, storedBoard } from '../helpers/opportunities.ts';
import { boardCard, closeBoardApp, seedBoard, signedInPage } from './board-fixture.ts';

const TEST_TIMEOUT_MS = 120_000;
const POLL = { timeout: ELEMENT_TIMEOUT_MS };
const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/shots-offline';
let app: BrowserApp;

beforeAll(async () => {
  app = await startBrowserApp();
  mkdirSync(SHOTS, { recursive: true });
}, TEST_TIMEOUT_MS);
afterAll(() => closeBoardApp(app, []));

const fieldInput = (page: Page, name: string) => page.locator(`tandem-customer-field[name="${name}"] #f-${name}`);
const status = (page: Page) => page.locator('tandem-customer-page .status').first();

/** Names of the IndexedDB databases Tandem created in this page's browser context. */
const tandemDatabases = (page: Page) =>
  page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('tandem:')));

/** Opens a customer live, and waits until the app shell is cached and the record kept locally. */
async function openLive(page: Page, customerId: string): Promise<void> {
  await page.goto(`${app.url}/customers/${customerId}`);
  await page.locator('.status[data-live="live"]').waitFor();
  // The service worker took the page over (clients.claim) once it cached the shell.
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), POLL).toBe(true);
  await expect.poll(() => tandemDatabases(page), POLL).toEqual([expect.stringContaining(`:customer:${customerId}`)]);
}

async function team() {
  const t = await seedTeam(app.test.ctx, `Offline ${Math.random().toString(36).slice(2, 6)}`);
  const manager = await seedUser(app.test.ctx, { role: 'manager', teamId: t.id, name: 'Mia Manager' });
  const rep = await seedUser(app.test.ctx, { role: 'rep', teamId: t.id, name: 'Ray Rep' });
  const other = await seedUser(app.test.ctx, { role: 'rep', teamId: t.id, name: 'Olga Other' });
  const a = api(app.test, await login(app.test.app, manager.email));
  const managerApi = {
    create: a.create,
    /** The customer as the server has it. */
    get: async (id: string): Promise<CustomerDto> => ((await (await a.get(`/api/customers/${id}`)).json()) as { customer: CustomerDto }).customer,
  };
  return { manager, rep, other, managerApi };
}

describe('offline', () => {
  it('serves the service worker and the manifest as script and manifest, with the security headers', async () => {
    const sw = await fetch(`${app.url}/sw.js`);
    expect(sw.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(sw.headers.get('content-security-policy')).toContain("script-src 'self'");
    const body = await sw.text();
    expect(body).not.toContain("const VERSION = 'dev';");
    expect(body).toMatch(/const PRECACHE = \["\/assets\//);
    const manifest = await fetch(`${app.url}/manifest.webmanifest`);
    expect(manifest.headers.get('content-type')).toBe('application/manifest+json');
    const m = (await manifest.json()) as { name: string; icons: { sizes: string }[] };
    expect(m.name).toBe('Tandem');
    expect(m.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of ['/icons/icon-192.png', '/icons/icon-512.png']) expect((await fetch(`${app.url}${icon}`)).status).toBe(200);
  });

  it('edits made offline survive a reload without a network and reach a second user when it returns', async () => {
    const { rep, other, managerApi } = await team();
    const customer = await managerApi.create({ name: 'Offline Trading 离线贸易', industry: 'Retail' });
    const page = await signedInPage(app, await login(app.test.app, rep.email));
    // The page's clock is Playwright's, flowing in real time until the test moves it on.
    await page.clock.install();
    await openLive(page, customer.id);
    expect(await status(page).textContent()).toContain('Live');

    await page.context().setOffline(true);
    await page.locator('.status[data-live="offline"]').waitFor();
    expect(await status(page).textContent()).not.toContain('Live');
    // Still editable offline.
    expect(await fieldInput(page, 'industry').isEditable()).toBe(true);
    await fieldInput(page, 'industry').fill('Logistics 物流');
    await fieldInput(page, 'industry').press('Enter');
    await expect.poll(() => status(page).textContent(), POLL).toContain('1 change waiting');
    await fieldInput(page, 'phone').fill('+86 10 1234 5678');
    await fieldInput(page, 'phone').press('Enter');
    await expect.poll(() => status(page).textContent(), POLL).toContain('2 changes waiting');
    // Two minutes pass without a network: every timer of the page runs (resyncs, the silent
    // socket check, reconnection backoff), and the page stays offline, editable, its edits kept.
    await page.clock.runFor('02:00');
    expect(await status(page).getAttribute('data-live')).toBe('offline');
    expect(await status(page).textContent()).toContain('2 changes waiting');
    expect(await fieldInput(page, 'industry').isEditable()).toBe(true);
    expect(await fieldInput(page, 'industry').inputValue()).toBe('Logistics 物流');
    // Nothing reached the server.
    expect((await managerApi.get(customer.id)).industry).toBe('Retail');

    // Reloading offline: the shell from the service worker, the customer from IndexedDB.
    await page.reload();
    await page.locator('tandem-alert.offline-record').waitFor();
    await expect.poll(() => fieldInput(page, 'industry').inputValue(), POLL).toBe('Logistics 物流');
    expect(await fieldInput(page, 'phone').inputValue()).toBe('+86 10 1234 5678');
    expect(await status(page).getAttribute('data-live')).toBe('offline');
    expect(await status(page).textContent()).toContain('2 changes waiting');
    // The parts only the server has say so instead of failing.
    expect(await page.locator('.offline-note').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('tandem-empty-state').count()).toBe(0);

    await page.context().setOffline(false);
    await page.locator('.status[data-live="live"]').waitFor();
    await page.locator('tandem-alert.offline-record').waitFor({ state: 'detached' });
    await expect.poll(async () => (await managerApi.get(customer.id)).industry, POLL).toBe('Logistics 物流');
    expect((await managerApi.get(customer.id)).phone).toBe('+86 10 1234 5678');

    const second = await signedInPage(app, await login(app.test.app, other.email));
    await second.goto(`${app.url}/customers/${customer.id}`);
    await second.locator('.status[data-live="live"]').waitFor();
    expect(await fieldInput(second, 'industry').inputValue()).toBe('Logistics 物流');
    expect(await fieldInput(second, 'phone').inputValue()).toBe('+86 10 1234 5678');
    expect(app.pageErrors.join("\n")).toBe("");
  }, TEST_TIMEOUT_MS);

  it(
    'a card moved on the board offline survives a reload without a network and a closed browser, and reaches the other board when it returns',
    async () => {
      const f = await seedBoard(app, 1);
      const [from, to] = [f.pipeline.stages[0]!, f.pipeline.stages[1]!];
      const opp = f.opportunities.find((o) => o.stageId === from.id)!;
      const cardIn = (page: Page, stageId: string) => page.locator(`tandem-board-column[data-stage-id="${stageId}"] tandem-board-card[data-card-id="${opp.id}"]`);
      const boardStatus = (page: Page) => page.locator('tandem-pipeline-page .status').first();
      const page = await signedInPage(app, f.repCookie);
      await page.goto(`${app.url}/pipeline/${f.pipeline.id}`);
      await page.locator('.status[data-live="live"]').waitFor();
      await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), POLL).toBe(true);
      await expect.poll(() => tandemDatabases(page), POLL).toEqual([expect.stringContaining(`:board:${f.pipeline.id}`)]);

      await page.context().setOffline(true);
      await page.locator('.status[data-live="offline"]').waitFor();
      await boardCard(page, opp.id).focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Space');
      await cardIn(page, to.id).waitFor();
      await expect.poll(() => boardStatus(page).textContent(), POLL).toContain('1 change waiting');
      expect(await boardStatus(page).textContent()).not.toContain('Live');

      // A reload without a network: the shell from the service worker, the board from IndexedDB.
      await page.reload();
      await cardIn(page, to.id).waitFor();
      expect(await boardStatus(page).getAttribute('data-live')).toBe('offline');
      expect(cardsOf(await storedBoard(app.test.ctx, f.pipeline.id)).get(opp.id)?.stageId).toBe(from.id);

      // The laptop closes: the browser context goes, its storage (IndexedDB included) is kept.
      const state = await page.context().storageState({ indexedDB: true });
      await page.context().close();
      const context = await app.browser.newContext({ storageState: state });
      const back = await context.newPage();
      await back.goto(`${app.url}/pipeline/${f.pipeline.id}`);
      await back.locator('.status[data-live="live"]').waitFor();
      await expect.poll(async () => cardsOf(await storedBoard(app.test.ctx, f.pipeline.id)).get(opp.id)?.stageId, POLL).toBe(to.id);

      const manager = await signedInPage(app, f.managerCookie);
      await manager.goto(`${app.url}/pipeline/${f.pipeline.id}`);
      await cardIn(manager, to.id).waitFor();
      await context.close();
      await manager.context().close();
    },
    TEST_TIMEOUT_MS,
  );

  it('a forbidden change made offline is undone with its reason when the network returns, and the change beside it stays', async () => {
    const { manager, rep, managerApi } = await team();
    const customer = await managerApi.create({ name: 'Northwind 北风', ownerId: manager.id });
    const page = await signedInPage(app, await login(app.test.app, rep.email));
    await openLive(page, customer.id);

    await page.context().setOffline(true);
    await page.locator('.status[data-live="offline"]').waitFor();
    // Reps may not take a customer over; the page offers no such control, a stale or tampered client would.
    await page.locator('tandem-customer-page').evaluate((el, to) => {
      const doc = (el as unknown as { customerDoc: CustomerLiveDoc }).customerDoc.doc;
      doc.getMap('fields').set('ownerId', to);
    }, rep.id);
    await fieldInput(page, 'website').fill('northwind.example');
    await fieldInput(page, 'website').press('Enter');
    await expect.poll(() => status(page).textContent(), POLL).toContain('2 changes waiting');

    await page.context().setOffline(false);
    const refusal = page.locator('#f-ownerId-refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('not accepted');
    await expect.poll(() => page.locator('tandem-customer-field[name="ownerId"] select').inputValue(), POLL).toBe(manager.id);
    await expect.poll(async () => (await managerApi.get(customer.id)).website, POLL).toBe('northwind.example');
    const saved = await managerApi.get(customer.id);
    expect(saved.ownerId).toBe(manager.id);
    expect(await status(page).getAttribute('data-live')).toBe('live');
  }, TEST_TIMEOUT_MS);

  it('signing out deletes the local data, and a shared computer keeps none', async () => {
    const { rep, managerApi } = await team();
    const customer = await managerApi.create({ name: 'Private 私密' });
    const page = await signedInPage(app, await login(app.test.app, rep.email));
    await openLive(page, customer.id);
    expect(await page.evaluate(() => localStorage.getItem('tandem.offline.user'))).toContain(rep.id);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('tandem-sign-in').waitFor();
    await expect.poll(() => tandemDatabases(page), POLL).toEqual([]);
    expect(await page.evaluate(() => localStorage.getItem('tandem.offline.user'))).toBeNull();

    // Signing in again on a shared computer: the same page keeps nothing.
    await page.locator('#email').fill(rep.email);
    await page.locator('#password').fill(TEST_PASSWORD);
    await page.getByLabel('Shared computer').check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('tandem-frame').waitFor();
    await page.goto(`${app.url}/customers/${customer.id}`);
    await page.locator('.status[data-live="live"]').waitFor();
    await fieldInput(page, 'industry').fill('Finance');
    await fieldInput(page, 'industry').press('Enter');
    await expect.poll(async () => (await managerApi.get(customer.id)).industry, POLL).toBe('Finance');
    expect(await tandemDatabases(page)).toEqual([]);
    expect(await page.evaluate(() => localStorage.getItem('tandem.offline.user'))).toBeNull();
    expect(await page.evaluate(() => sessionStorage.getItem('tandem.sharedDevice'))).toBe('1');
  }, TEST_TIMEOUT_MS);

  it('another user signing in on the same browser finds nothing of the first', async () => {
    const { rep, other, managerApi } = await team();
    const customer = await managerApi.create({ name: 'Handover 交接' });
    const page = await signedInPage(app, await login(app.test.app, rep.email));
    await openLive(page, customer.id);
    // The session ends without a sign-out on this page (e.g. revoked): the next start finds a 401, then someone else signs in.
    await page.context().clearCookies();
    await page.reload();
    await page.locator('tandem-sign-in').waitFor();
    await expect.poll(() => tandemDatabases(page), POLL).toEqual([]);
    const [name, value] = (await login(app.test.app, other.email)).split(';')[0]!.split('=');
    await page.context().addCookies([{ name: name!, value: value!, url: app.url }]);
    await openLive(page, customer.id);
    expect((await tandemDatabases(page))[0]).toContain(other.id);
  }, TEST_TIMEOUT_MS);

  it('screenshots of the offline status, English and Chinese, desktop and phone', async () => {
    const { rep, managerApi } = await team();
    const customer = await managerApi.create({ name: 'Shenzhen Devices 深圳设备' });
    for (const locale of ['en-US', 'zh-CN']) {
      await app.test.ctx.db
        .updateTable('users')
        .set({ locale: locale === 'zh-CN' ? 'zh-CN' : 'en' })
        .where('id', '=', rep.id)
        .execute();
      for (const viewport of [
        { name: 'desktop', width: 1280, height: 800 },
        { name: 'phone', width: 390, height: 844 },
      ]) {
        const page = await signedInPage(app, await login(app.test.app, rep.email), locale);
        await page.setViewportSize(viewport);
        await openLive(page, customer.id);
        await page.context().setOffline(true);
        // The socket ends on the browser's offline event: an edit typed before it would still go out.
        await page.locator('.status[data-live="offline"]').waitFor();
        // A value new to the record each time, so that one change waits.
        await fieldInput(page, 'industry').fill(`${locale === 'zh-CN' ? '电子' : 'Electronics'} ${viewport.name}`);
        await fieldInput(page, 'industry').press('Enter');
        await expect.poll(() => status(page).textContent(), POLL).toContain(locale === 'zh-CN' ? '1 项修改等待发送' : '1 change waiting');
        await page.reload();
        await page.locator('tandem-alert.offline-record').waitFor();
        await expect.poll(() => status(page).textContent(), POLL).toContain(locale === 'zh-CN' ? '1 项修改等待发送' : '1 change waiting');
        await page.screenshot({ path: `${SHOTS}/offline-${locale}-${viewport.name}.png` });
        await page.context().setOffline(false);
        await page.locator('.status[data-live="live"]').waitFor();
        await page.close();
      }
    }
  }, TEST_TIMEOUT_MS * 2);
});
