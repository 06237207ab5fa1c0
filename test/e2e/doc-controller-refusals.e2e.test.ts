/**
 * Refused changes in Chromium: the reason shows beside the field it names
 * (customer page in Simplified Chinese; the board's details panel), the field
 * returns to its saved value through the server's compensation, and the
 * connection stays live. The pages' own controls do not offer these changes,
 * so the tests make them through the page's document layer, as a stale or
 * tampered client would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerLiveDoc } from '../../client/src/customers/customer-live-doc.ts';
import type { BoardLiveDoc } from '../../client/src/pipeline/board-live-doc.ts';
import { type BrowserApp, ELEMENT_TIMEOUT_MS, startBrowserApp } from '../helpers/browser.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { api } from '../helpers/customers.ts';
import { boardCard, closeBoardApp, openBoard, seedBoard, signedInPage } from './board-fixture.ts';

/** A server, a browser and several round trips on a shared machine. */
const TEST_TIMEOUT_MS = 120_000;
const POLL = { timeout: ELEMENT_TIMEOUT_MS };
let app: BrowserApp;

beforeAll(async () => {
  app = await startBrowserApp();
}, TEST_TIMEOUT_MS);
afterAll(() => closeBoardApp(app, []));

describe('refused changes in the browser', () => {
  it('customer page: a rep’s refused owner change shows its reason in Chinese and the owner returns, while the industry sent with it stays', async () => {
    const team = await seedTeam(app.test.ctx, 'North');
    const manager = await seedUser(app.test.ctx, { role: 'manager', teamId: team.id, name: '王经理' });
    const rep = await seedUser(app.test.ctx, { role: 'rep', teamId: team.id, name: '李销售' });
    // The language is the user's saved preference.
    await app.test.ctx.db.updateTable('users').set({ locale: 'zh-CN' }).where('id', '=', rep.id).execute();
    const customer = await api(app.test, await login(app.test.app, manager.email)).create({ name: '北方贸易' });
    const cookie = await login(app.test.app, rep.email);
    const page = await signedInPage(app, cookie, 'zh-CN');
    await page.goto(`${app.url}/customers/${customer.id}`);
    await page.locator('.status[data-status="synced"]').waitFor();
    const owner = page.locator('tandem-customer-field[name="ownerId"] select');
    const industry = page.locator('tandem-customer-field[name="industry"] input');
    const saved = await owner.inputValue();

    // One change, as a crafted or stale client would send it: taking the customer over (reps may not) and an industry.
    await page.locator('tandem-customer-page').evaluate((el, to) => {
      const doc = (el as unknown as { customerDoc: CustomerLiveDoc }).customerDoc.doc;
      doc.transact(() => {
        doc.getMap('fields').set('ownerId', to);
        doc.getMap('fields').set('industry', '物流');
      });
    }, rep.id);
    const refusal = page.locator('#f-ownerId-refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('你刚才的修改未被接受：只有经理和管理员可以把它分配给别人');
    expect(await owner.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => owner.inputValue(), POLL).toBe(saved);
    expect(await industry.inputValue()).toBe('物流');
    expect(await page.locator('tandem-customer-page .status').first().getAttribute('data-status')).toBe('synced');
    // Nothing else on the page speaks of it.
    expect(await page.locator('tandem-alert', { hasText: '未被接受' }).count()).toBe(0);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/refusal-zh.png`, fullPage: true });
    await app.test.ctx.hub.flush();
    const row = await app.test.ctx.db.selectFrom('customers').select(['industry', 'owner_id']).where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ industry: '物流', owner_id: saved === '' ? null : saved });

    await refusal.getByRole('button', { name: '知道了' }).click();
    await refusal.waitFor({ state: 'detached' });
    expect(app.pageErrors).toEqual([]);
    await page.context().close();
  }, TEST_TIMEOUT_MS);

  it('board: a rep’s reassignment is explained in the details panel and the owner comes back', async () => {
    const f = await seedBoard(app, 1);
    const page = await signedInPage(app, f.repCookie);
    await openBoard(app, f, page);
    const opp = f.opportunities.find((o) => o.ownerId === f.manager.id)!;
    await boardCard(page, opp.id).click();
    const panel = page.locator('tandem-opportunity-panel');
    await panel.getByTestId('owner-text').filter({ hasText: 'Mei Wang' }).waitFor();

    await page.locator('tandem-pipeline-page').evaluate(
      (el, { id, to }) => {
        (el as unknown as { board: BoardLiveDoc }).board.edit((cards) => cards.get(id)?.set('ownerId', to));
      },
      { id: opp.id, to: f.rep.id },
    );
    const refusal = panel.locator('#p-ownerId-refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Your last change was not accepted');
    await panel.getByTestId('owner-text').filter({ hasText: 'Mei Wang' }).waitFor();
    expect(await page.locator('tandem-pipeline-page .status').first().getAttribute('data-status')).toBe('synced');
    // Explained in the panel only, not again above the board.
    expect(await page.locator('tandem-alert', { hasText: 'not accepted' }).count()).toBe(0);
    expect(app.pageErrors).toEqual([]);
    await page.context().close();
  }, TEST_TIMEOUT_MS);
});
