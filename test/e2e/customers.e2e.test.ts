/**
 * The customer screens in Chromium: two people of one team co-editing a
 * customer (a field, the shared notes, each other's presence), Chinese search
 * from the list, keyboard navigation, the create form's server field errors
 * and duplicate path, the import wizard with undo, a customer of another team
 * (not found), a name holding <script> shown as text, and a long list paged
 * through and back (only the pages near the view kept, rows at the density's
 * height).
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDto } from '../../schema/wire/customer.ts';
import { NOTES_MAX_CHARS } from '../../schema/wire/docs.ts';
import { insertInitialCustomers } from '../../server/customers/customer-bulk.repository.ts';
import { buildInitialCustomer } from '../../server/customers/customer-initial-doc.ts';
import type { User } from '../../server/users/user.ts';
import { type BrowserApp, startBrowserApp } from '../helpers/browser.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { api } from '../helpers/customers.ts';

/** Waits for live effects: generous on a shared 2-core machine, and never a timing assertion. */
const LIVE_TIMEOUT_MS = 10_000;
/** Longer than the field's write debounce (300 ms): the value goes into the document during the pause. */
const FIELD_WRITE_PAUSE_MS = 800;
/** Tests that open two browser contexts and several pages. */
const MULTI_PAGE_TIMEOUT_MS = 90_000;
const SCRIPT_NAME = '<script>window.__injected = 1</script><img src=x onerror="window.__injected = 2"> Evil Ltd';

let app: BrowserApp;
let alice: User;
let bob: User;
let carol: User;
let huawei: CustomerDto;
let evil: CustomerDto;
let otherTeams: CustomerDto;
const consoleErrors: string[] = [];

beforeAll(async () => {
  app = await startBrowserApp();
  const { ctx } = app.test;
  const east = await seedTeam(ctx, 'East');
  const west = await seedTeam(ctx, 'West');
  alice = await seedUser(ctx, { role: 'manager', teamId: east.id, name: 'Alice Chen', email: 'alice@example.com' });
  bob = await seedUser(ctx, { role: 'rep', teamId: east.id, name: 'Bob Wang', email: 'bob@example.com' });
  carol = await seedUser(ctx, { role: 'rep', teamId: west.id, name: 'Carol Li', email: 'carol@example.com' });
  const east1 = api(app.test, await login(app.test.app, alice.email));
  huawei = await east1.create({ name: '华为技术有限公司', industry: 'Telecom', phone: '+86 755 2878 0808', tags: ['high potential'] });
  await east1.create({ name: 'Acme Robotics', industry: 'Manufacturing', phone: '+1 415 555 0100', email: 'hello@acme.example' });
  evil = await east1.create({ name: SCRIPT_NAME });
  const west1 = api(app.test, await login(app.test.app, carol.email));
  otherTeams = await west1.create({ name: '华为西区代理' });
});

afterAll(async () => {
  await app?.close();
});

/** A page in its own browser context, signed in as `user` (cookie from the API, as the sign-in form would set it). */
async function signedIn(user: User, locale = 'en-US'): Promise<Page> {
  const cookie = await login(app.test.app, user.email);
  const page = await app.newPage({ locale });
  // Errors the app caught and logged (a Yjs update that failed to apply, say) fail the test too.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) consoleErrors.push(m.text());
  });
  await page.context().addCookies([{ name: 'session', value: cookie.slice('session='.length), url: app.url, httpOnly: true, sameSite: 'Lax' }]);
  return page;
}

function fieldInput(page: Page, name: string) {
  return page.locator(`tandem-customer-field[name="${name}"] #f-${name}`);
}

describe('customers in the browser', () => {
  it(
    'two people of one team co-edit a customer: a field and the notes appear for the other, with presence and who edits what',
    async () => {
      const pa = await signedIn(alice);
      const pb = await signedIn(bob);
      await pa.goto(`${app.url}/customers/${huawei.id}`);
      await pb.goto(`${app.url}/customers/${huawei.id}`);
      await pa.locator('.status[data-status="synced"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
      await pb.locator('.status[data-status="synced"]').waitFor({ timeout: LIVE_TIMEOUT_MS });

      // Each sees the other's avatar.
      await pa.locator(`.avatar[data-user-id="${bob.id}"]`).waitFor({ timeout: LIVE_TIMEOUT_MS });
      await pb.locator(`.avatar[data-user-id="${alice.id}"]`).waitFor({ timeout: LIVE_TIMEOUT_MS });

      // Alice edits the industry: Bob sees who is editing it, then the new value.
      await fieldInput(pa, 'industry').click();
      await pb.locator('tandem-customer-field[name="industry"] .editor', { hasText: 'Alice Chen' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
      await fieldInput(pa, 'industry').fill('Telecom equipment 通信设备');
      await expect.poll(() => fieldInput(pb, 'industry').inputValue(), { timeout: LIVE_TIMEOUT_MS }).toBe('Telecom equipment 通信设备');

      // Alice types in the shared notes: the text reaches Bob, with Alice's cursor.
      await pa.locator('[data-testid="notes-editor"]').click();
      await pa.keyboard.type('Met the CTO 在深圳');
      await expect.poll(() => pb.locator('[data-testid="notes-editor"]').textContent(), { timeout: LIVE_TIMEOUT_MS }).toContain('Met the CTO 在深圳');
      await pb.locator('.ProseMirror-yjs-cursor', { hasText: 'Alice Chen' }).waitFor({ timeout: LIVE_TIMEOUT_MS });

      // Bob answers in the notes; Alice sees it.
      await pb.locator('[data-testid="notes-editor"]').click();
      await pb.keyboard.press('End');
      await pb.keyboard.press('Enter');
      await pb.keyboard.type('Budget confirmed');
      await expect.poll(() => pa.locator('[data-testid="notes-editor"]').textContent(), { timeout: LIVE_TIMEOUT_MS }).toContain('Budget confirmed');

      // The change went through the document into the record.
      await expect
        .poll(
          async () => {
            const [row] = await app.test.ctx.db.selectFrom('customers').select('industry').where('id', '=', huawei.id).execute();
            return row?.industry;
          },
          { timeout: LIVE_TIMEOUT_MS },
        )
        .toBe('Telecom equipment 通信设备');

      // A follow-up added by Bob appears in Alice's timeline.
      await pb.locator('#fu-text').fill('Called about the renewal');
      await pb.getByRole('button', { name: 'Add follow-up' }).click();
      await pa.locator('tandem-followups li', { hasText: 'Called about the renewal' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
      await expect(pa.locator('tandem-followups li', { hasText: 'Called about the renewal' }).textContent()).resolves.toContain('Bob Wang');
      expect(app.pageErrors).toEqual([]);
      expect(consoleErrors).toEqual([]);
    },
    MULTI_PAGE_TIMEOUT_MS,
  );

  it('finds 华为 in 华为技术有限公司 from the search box, only in the own team, and opens it from the keyboard', async () => {
    const page = await signedIn(bob);
    await page.goto(`${app.url}/customers`);
    await page.locator('a.row').first().waitFor();
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('华为');
    await expect.poll(() => page.locator('a.row .name').allInnerTexts(), { timeout: LIVE_TIMEOUT_MS }).toEqual(['华为技术有限公司']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('华为');

    // Arrow down from the search box to the row, Enter opens it. (The list may still be
    // re-rendering the search's answer when the key arrives: press again until the row has focus.)
    const search = page.getByRole('searchbox', { name: 'Search customers' });
    const rowFocused = () =>
      page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el instanceof HTMLAnchorElement && el.classList.contains('row');
      });
    await expect
      .poll(
        async () => {
          if (!(await rowFocused())) await search.press('ArrowDown');
          return rowFocused();
        },
        { timeout: LIVE_TIMEOUT_MS },
      )
      .toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/customers/${huawei.id}`);
    await page.locator('#customer-name', { hasText: '华为技术有限公司' }).waitFor();

    // A phone by its last digits, and an English substring.
    await page.goto(`${app.url}/customers?q=0808`);
    await expect.poll(() => page.locator('a.row .name').allInnerTexts(), { timeout: LIVE_TIMEOUT_MS }).toEqual(['华为技术有限公司']);
    await page.goto(`${app.url}/customers?q=robot`);
    await expect.poll(() => page.locator('a.row .name').allInnerTexts(), { timeout: LIVE_TIMEOUT_MS }).toEqual(['Acme Robotics']);
    await page.goto(`${app.url}/customers?q=nothing-like-this`);
    await page.getByText('No customers match').waitFor();
  });

  it('shows another team’s customer as not found, and never opens its document', async () => {
    const page = await signedIn(bob);
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${app.url}/customers/${otherTeams.id}`);
    await page.getByRole('heading', { name: 'Customer not found' }).waitFor();
    await expect(page.locator('tandem-customer-field').count()).resolves.toBe(0);
    expect(sockets.filter((u) => u.includes(otherTeams.id))).toEqual([]);
  });

  it('shows a name holding <script> as text, in the list and on its page', async () => {
    const page = await signedIn(alice);
    await page.goto(`${app.url}/customers?q=Evil`);
    await expect.poll(() => page.locator('a.row .name').allInnerTexts(), { timeout: LIVE_TIMEOUT_MS }).toEqual([SCRIPT_NAME]);
    await page.goto(`${app.url}/customers/${evil.id}`);
    await page.locator('.status[data-status="synced"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await expect(page.locator('#customer-name').textContent()).resolves.toBe(SCRIPT_NAME);
    await expect(fieldInput(page, 'name').inputValue()).resolves.toBe(SCRIPT_NAME);
    await expect(page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).resolves.toBeUndefined();
  });

  it('create form: the server’s field error shows next to its field; a likely duplicate is confirmed and created', async () => {
    const page = await signedIn(bob);
    await page.goto(`${app.url}/customers`);
    await page.getByRole('button', { name: 'New customer' }).first().click();
    await page.locator('#c-name').fill('Northwind Traders');
    await page.locator('#c-email').fill('not-an-email@');
    await page.getByRole('button', { name: 'Create customer' }).click();
    await page.locator('#c-email-error', { hasText: 'Enter an e-mail address' }).waitFor();
    await expect(page.locator('#c-email').getAttribute('aria-invalid')).resolves.toBe('true');

    // Same phone as Acme: warned while typing, 409 on create, then created anyway.
    await page.locator('#c-email').fill('');
    await page.locator('#c-phone').fill('+1 415 555 0100');
    await page.getByText('existing customers look similar').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.getByRole('button', { name: 'Create customer' }).click();
    await page.getByText('This customer may already exist').waitFor();
    await page.getByRole('button', { name: 'Create anyway' }).click();
    await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
    await page.locator('#customer-name', { hasText: 'Northwind Traders' }).waitFor();
  });

  it('a refused update is explained and the page resyncs to the saved version', async () => {
    const delta = await api(app.test, await login(app.test.app, alice.email)).create({ name: 'Delta Foods' });
    const page = await signedIn(bob);
    await page.goto(`${app.url}/customers/${delta.id}`);
    await page.locator('.status[data-status="synced"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.locator('[data-testid="notes-editor"]').click();
    await page.keyboard.type('Kept');
    await expect
      .poll(async () => (await app.test.ctx.db.selectFrom('doc_updates').select('doc_name').where('doc_name', '=', `customer:${delta.id}`).execute()).length, {
        timeout: LIVE_TIMEOUT_MS,
      })
      .toBeGreaterThan(0);
    // More than NOTES_MAX_CHARS: the hub refuses the update and closes with 4422.
    await page.keyboard.insertText('x'.repeat(NOTES_MAX_CHARS + 1));
    await page.getByText('Your last change was not accepted').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.locator('.status[data-status="synced"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await expect.poll(() => page.locator('[data-testid="notes-editor"]').textContent(), { timeout: LIVE_TIMEOUT_MS }).toBe('Kept');
    // Editing goes on after the resync. A pause after a space (the value is written meanwhile)
    // keeps the space: the next word is not glued on.
    await fieldInput(page, 'industry').click();
    await fieldInput(page, 'industry').pressSequentially('Food ');
    await page.waitForTimeout(FIELD_WRITE_PAUSE_MS);
    await fieldInput(page, 'industry').pressSequentially('service');
    await expect
      .poll(async () => (await app.test.ctx.db.selectFrom('customers').select('industry').where('id', '=', delta.id).executeTakeFirst())?.industry, {
        timeout: LIVE_TIMEOUT_MS,
      })
      .toBe('Food service');
  });

  it('a manager archives and restores from the page; a rep sees the archived customer read-only and cannot archive', async () => {
    const gamma = await api(app.test, await login(app.test.app, alice.email)).create({ name: 'Gamma Logistics 伽马物流' });
    const rep = await signedIn(bob);
    await rep.goto(`${app.url}/customers/${gamma.id}`);
    await rep.locator('.status[data-status="synced"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await expect(rep.getByRole('button', { name: 'Archive', exact: true }).count()).resolves.toBe(0);
    await expect(fieldInput(rep, 'industry').isEditable()).resolves.toBe(true);

    const manager = await signedIn(alice);
    await manager.goto(`${app.url}/customers/${gamma.id}`);
    await manager.locator('.status[data-status="synced"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    // Archiving asks in an in-app dialog, not the browser's own confirm box.
    await manager.getByRole('button', { name: 'Archive', exact: true }).click();
    await manager.locator('tandem-dialog[open]').getByRole('button', { name: 'Archive', exact: true }).click();
    await manager.getByRole('button', { name: 'Restore' }).waitFor();
    await manager.locator('.top .badge', { hasText: 'Archived' }).waitFor();

    await rep.reload();
    await rep.getByText('This customer is archived: only managers can change it.').waitFor();
    await rep.locator('.status[data-status="synced"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await expect(fieldInput(rep, 'industry').isEditable()).resolves.toBe(false);
    await expect(rep.locator('tandem-customer-notes [contenteditable="false"]').count()).resolves.toBe(1);

    await manager.getByRole('button', { name: 'Restore' }).click();
    await manager.getByRole('button', { name: 'Archive', exact: true }).waitFor();
    const [row] = await app.test.ctx.db.selectFrom('customers').select('archived_at').where('id', '=', gamma.id).execute();
    expect(row?.archived_at).toBeNull();
  });

  it('imports a CSV through the wizard (mapping, preview, report) and undoes it', async () => {
    const page = await signedIn(alice);
    await page.goto(`${app.url}/customers`);
    await page.getByRole('button', { name: 'Import' }).click();
    const csv = '\uFEFFCompany,Tel,Notes\n"Blue Sky, Inc.",+86 21 5555 0001,x\n深圳星辰科技,+86 755 5555 0002,y\n,+86 10 5555 0003,no name\n';
    await page.locator('#i-file').setInputFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Next: map columns' }).click();
    await page.locator('select[data-column="Company"]').selectOption('name');
    await page.locator('select[data-column="Tel"]').selectOption('phone');
    await page.getByRole('button', { name: 'Next: preview' }).click();
    await page.getByText('Nothing has been imported yet').waitFor();
    await expect(page.locator('tandem-customer-import tr[data-status="refused"]').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Import 2 customers' }).click();
    await page.getByText('Import finished.').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await expect(page.locator('tandem-customer-import tr[data-status="imported"]').count()).resolves.toBe(2);
    // The list behind the dialog was refreshed.
    await page.locator('a.row .name', { hasText: '深圳星辰科技' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.getByRole('button', { name: 'Undo this import' }).click();
    await page.getByText('Import undone: 2 customers archived,').waitFor({ timeout: LIVE_TIMEOUT_MS });
    const live = await app.test.ctx.db
      .selectFrom('customers')
      .select('name')
      .where('name', 'in', ['Blue Sky, Inc.', '深圳星辰科技'])
      .where('archived_at', 'is', null)
      .execute();
    expect(live).toEqual([]);
  });
  it('a file too large to import at once shows its progress (counts only while it runs), then its report', async () => {
    const page = await signedIn(alice);
    const polls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/imports/')) polls.push(new URL(r.url()).search);
    });
    await page.goto(`${app.url}/customers`);
    await page.getByRole('button', { name: 'Import' }).click();
    const rows = ['name,phone'];
    for (let i = 0; i < 2500; i++) rows.push(`Progress ${String(i).padStart(4, '0')},+86 20 7${String(i).padStart(7, '0')}`);
    await page.locator('#i-file').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await page.getByRole('button', { name: 'Next: map columns' }).click();
    await page.getByRole('button', { name: 'Next: preview' }).click();
    await page.getByRole('button', { name: 'Import 2500 customers' }).click();
    await page.getByText('Import finished.').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await expect(page.locator('tandem-customer-import tr[data-status="imported"]').count()).resolves.toBeGreaterThan(0);
    // Polled for the counts while it ran; the report was asked for once, at the end.
    expect(polls.filter((q) => q === '?report=none').length).toBeGreaterThan(0);
    expect(polls.filter((q) => q === '')).toHaveLength(1);
    expect(polls.at(-1)).toBe('');
  });
  it('pages through 2,000 customers keeping only the pages near the view, and goes back to the top and the end from the keyboard', async () => {
    const { ctx } = app.test;
    const north = await seedTeam(ctx, 'North');
    const dan = await seedUser(ctx, { role: 'rep', teamId: north.id, name: 'Dan Zhao', email: 'dan@example.com' });
    const rows = 2000;
    // Newest first (the default sort): row k was updated k seconds ago.
    const states = Array.from({ length: rows }, (_, k) =>
      buildInitialCustomer(
        { id: randomUUID(), teamId: north.id, createdBy: dan.id, importId: null, name: `North ${String(k).padStart(4, '0')}`, change: { fields: { ownerId: dan.id } } },
        new Date(Date.now() - k * 1000),
      ),
    );
    await ctx.db.transaction().execute((trx) => insertInitialCustomers(trx, states, new Date()));

    const errorsBefore = app.pageErrors.length;
    const page = await signedIn(dan);
    await page.goto(`${app.url}/customers`);
    await page.locator('a.row').first().waitFor();
    await expect(page.locator('a.row .name').first().textContent()).resolves.toBe('North 0000');
    type ListProbe = HTMLElement & { rowCount: number; nextCursor: string | null; loadedPages: number; customerAt(i: number): unknown };
    const list = page.locator('tandem-customer-list');
    // Scroll to the end until every page has been reached.
    await expect
      .poll(
        () =>
          list.evaluate((el: ListProbe) => {
            const viewport = el.shadowRoot!.querySelector('.viewport')!;
            viewport.scrollTop = viewport.scrollHeight;
            return el.nextCursor === null ? el.rowCount : -1;
          }),
        { timeout: 30_000, interval: 50 },
      )
      .toBe(rows);
    await page.locator('a.row .name', { hasText: 'North 1999' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    const atEnd = await list.evaluate((el: ListProbe) => ({
      pages: el.loadedPages,
      firstKept: el.customerAt(0) !== undefined,
      rowElements: el.shadowRoot!.querySelectorAll('a.row').length,
      scrollHeight: el.shadowRoot!.querySelector('.viewport')!.scrollHeight,
    }));
    // Ten pages reached, the first ones dropped; the DOM holds only the rows in view.
    expect(atEnd.pages).toBeLessThanOrEqual(4);
    expect(atEnd.firstKept).toBe(false);
    expect(atEnd.rowElements).toBeGreaterThan(0);
    expect(atEnd.rowElements).toBeLessThan(60);
    expect(atEnd.scrollHeight).toBe(rows * 56);

    // Home fetches the first page again and focuses its first row; End goes back to the last.
    await page.locator('a.row[data-index="1999"]').focus();
    const focusedName = () =>
      page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el instanceof HTMLAnchorElement ? (el.querySelector('.name')?.textContent ?? '') : '';
      });
    await page.keyboard.press('Home');
    await expect.poll(focusedName, { timeout: LIVE_TIMEOUT_MS }).toBe('North 0000');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedName, { timeout: LIVE_TIMEOUT_MS }).toBe('North 0001');
    await page.keyboard.press('End');
    await expect.poll(focusedName, { timeout: LIVE_TIMEOUT_MS }).toBe('North 1999');
    await page.keyboard.press('PageUp');
    await expect.poll(focusedName, { timeout: LIVE_TIMEOUT_MS }).toBe('North 1989');

    // Compact density: shorter rows, and the list's height follows.
    await page.evaluate(() => {
      document.documentElement.dataset.density = 'compact';
    });
    await expect.poll(() => list.evaluate((el: ListProbe) => el.shadowRoot!.querySelector('.viewport')!.scrollHeight), { timeout: LIVE_TIMEOUT_MS }).toBe(rows * 44);
    await expect.poll(async () => (await page.locator('a.row').first().boundingBox())?.height, { timeout: LIVE_TIMEOUT_MS }).toBe(44);
    expect(app.pageErrors.slice(errorsBefore)).toEqual([]);
  });
});
