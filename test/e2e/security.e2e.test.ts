/**
 * The browser defences in Chromium (docs/security.md): every response carries the security
 * headers, and the app works under its strict Content-Security-Policy — a manager signs in
 * through the form and walks the start page, the customer list, a customer's live page
 * (WebSocket /yjs), the board, tasks, reports and settings, receives a live notification
 * (Socket.IO), and the browser reports no CSP violation on the way.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDto } from '../../schema/wire/customer.ts';
import type { User } from '../../server/users/user.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { login, TEST_PASSWORD } from '../helpers/context.ts';
import { api } from '../helpers/customers.ts';
import { type BoardFixture, seedBoard } from './board-fixture.ts';

const WALK_TIMEOUT_MS = 180_000;
const LIVE_TIMEOUT_MS = 15_000;

let app: BrowserApp;
let board: BoardFixture;
let customer: CustomerDto;
let manager: User;

/** Violations as the page saw them (`securitypolicyviolation`, shadow roots included) and console lines about CSP. */
interface CspWatch {
  violations: () => Promise<string[]>;
  console: string[];
  errors: string[];
}

async function watchCsp(page: Page): Promise<CspWatch> {
  // Injected by the browser itself before any page script: CSP does not apply to it.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener(
      'securitypolicyviolation',
      (e) => seen.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`),
      true,
    );
  });
  const watch: CspWatch = {
    violations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []),
    console: [],
    errors: [],
  };
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy|Refused to|Permissions-Policy/i.test(m.text())) watch.console.push(m.text());
    else if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) watch.errors.push(m.text());
  });
  return watch;
}

beforeAll(async () => {
  app = await startBrowserApp();
  board = await seedBoard(app, 1);
  manager = board.manager;
  customer = await api(app.test, board.managerCookie).create({ name: 'Contoso 康拓', website: 'contoso.example' });
}, WALK_TIMEOUT_MS);

afterAll(async () => {
  await app?.close();
});

describe('security headers and CSP in Chromium', () => {
  it('serves pages, files, the API, errors and Socket.IO with the security headers', async () => {
    const index = await fetch(`${app.url}/customers`);
    const html = await index.text();
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    // No inline script in the page the build made.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    for (const res of [
      index,
      await fetch(`${app.url}${script}`),
      await fetch(`${app.url}/api/me`),
      await fetch(`${app.url}/api/nowhere`),
      await fetch(`${app.url}/healthz`),
      // Socket.IO's own HTTP answer (the long-polling handshake), outside Hono.
      await fetch(`${app.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: app.url } }),
    ]) {
      expect(res.headers.get('content-security-policy'), res.url).toContain("script-src 'self'");
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy')).toContain("object-src 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('permissions-policy')).toContain('camera=()');
      // Plain http here: no HSTS (SECURE_COOKIES is off).
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('signs in and walks every main screen with no CSP violation', { timeout: WALK_TIMEOUT_MS }, async () => {
    const page = await app.newPage();
    const csp = await watchCsp(page);

    await page.goto(`${app.url}/`);
    await page.getByLabel('E-mail or employee number').fill(manager.email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByLabel('Password', { exact: true }).press('Enter');
    await page.locator('#h-stages').waitFor();

    await page.goto(`${app.url}/customers`);
    await page.locator('a.row .name', { hasText: 'Contoso 康拓' }).waitFor();

    await page.goto(`${app.url}/customers/${customer.id}`);
    await page.locator('.status[data-status="synced"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await expect(page.locator('#customer-name').textContent()).resolves.toBe('Contoso 康拓');

    await page.goto(`${app.url}/pipeline/${board.pipeline.id}`);
    await page.locator('.status[data-status="synced"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.locator(`tandem-board-card[data-card-id="${board.opportunities[0]!.id}"]`).waitFor();

    await page.goto(`${app.url}/tasks`);
    await page.locator('tandem-tasks-page h2').first().waitFor();
    // A task handed to the manager arrives live (Socket.IO) while the page is open.
    const repApi = api(app.test, await login(app.test.app, board.rep.email));
    expect((await repApi.post('/api/tasks', { title: 'Check the CSP', assigneeId: manager.id })).status).toBe(201);
    await expect.poll(() => page.locator('tandem-notification-bell button.bell').getAttribute('data-unread'), { timeout: LIVE_TIMEOUT_MS }).toBe('1');

    await page.goto(`${app.url}/reports`);
    await page.locator('tandem-report-section[data-report="funnel"] tbody tr').first().waitFor();
    // Charts draw on a canvas.
    await page.locator('tandem-report-section[data-report="funnel"] tandem-chart canvas').waitFor();

    await page.goto(`${app.url}/settings`);
    await page.locator('#profile-heading').waitFor();

    expect(await csp.violations()).toEqual([]);
    expect(csp.console).toEqual([]);
    expect(csp.errors).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it('refuses inline script: the policy is enforced, not only sent', async () => {
    const page = await app.newPage();
    const csp = await watchCsp(page);
    await page.goto(`${app.url}/settings`);
    const ran = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 50));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => csp.violations()).toEqual([expect.stringMatching(/^script-src(-elem)? blocked inline/)]);
  });
});
