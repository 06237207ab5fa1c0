/**
 * The live board in Chromium with two people on it, each in their own
 * browser context: a keyboard move and a drag reach the other board; a move
 * to a lost stage asks for the reason; a rep has no owner control; a stage
 * renamed by an admin shows at once on an open board.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, ELEMENT_TIMEOUT_MS, startBrowserApp } from '../helpers/browser.ts';
import { login, seedUser } from '../helpers/context.ts';
import { cardsOf, storedBoard } from '../helpers/opportunities.ts';
import { type BoardFixture, boardCard, closeBoardApp, openBoard, seedBoard, signedInPage } from './board-fixture.ts';

/** Two browsers, a server and several round trips on a shared machine. */
const TEST_TIMEOUT_MS = 120_000;
/** expect.poll waits as long as a locator would. */
const POLL = { timeout: ELEMENT_TIMEOUT_MS };

let app: BrowserApp;
let f: BoardFixture;
let managerPage: Page;
let repPage: Page;

const column = (page: Page, stageId: string) => page.locator(`tandem-board-column[data-stage-id="${stageId}"]`);
const card = boardCard;
const cardIn = (page: Page, stageId: string, cardId: string) => column(page, stageId).locator(`tandem-board-card[data-card-id="${cardId}"]`);

/** The card id of the focused element, looking through shadow roots. */
function deepFocusedCard(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return (el as HTMLElement | null)?.dataset?.cardId ?? null;
  });
}

beforeAll(async () => {
  app = await startBrowserApp();
  f = await seedBoard(app, 2);
  managerPage = await signedInPage(app, f.managerCookie);
  repPage = await signedInPage(app, f.repCookie);
  await openBoard(app, f, managerPage);
  await openBoard(app, f, repPage);
}, TEST_TIMEOUT_MS);

afterAll(() => closeBoardApp(app, [managerPage, repPage]));

describe('the live board in two browsers', () => {
  it('shows every stage with its count, and the cards of the team', async () => {
    const stages = f.pipeline.stages;
    expect(await managerPage.locator('tandem-board-column').count()).toBe(stages.length);
    const first = stages[0]!;
    await expect.poll(() => column(managerPage, first.id).locator('tandem-board-card').count(), POLL).toBe(2);
    expect(await column(managerPage, first.id).locator('.stats').textContent()).toContain('2 deals');
    const opp = f.opportunities[0]!;
    await card(repPage, opp.id).getByText(opp.name).waitFor();
    expect(app.pageErrors).toEqual([]);
  });

  it('moves a card with the keyboard; the other board sees it move and the server stores it', async () => {
    const [from, to] = [f.pipeline.stages[0]!, f.pipeline.stages[1]!];
    const opp = f.opportunities.find((o) => o.stageId === from.id)!;
    await card(repPage, opp.id).focus();
    await repPage.keyboard.press('Space');
    await repPage.getByTestId('board-live').filter({ hasText: 'Picked up' }).waitFor();
    await repPage.keyboard.press('ArrowRight');
    await repPage.keyboard.press('Home');
    await repPage.keyboard.press('Space');
    await repPage.getByTestId('board-live').filter({ hasText: `${opp.name} moved to ${to.name}` }).waitFor();

    // The other person's board: the card arrives in the new column, at the top, and is highlighted briefly.
    await cardIn(managerPage, to.id, opp.id).waitFor();
    expect(await column(managerPage, to.id).locator('tandem-board-card').first().getAttribute('data-card-id')).toBe(opp.id);
    expect(await cardIn(managerPage, from.id, opp.id).count()).toBe(0);

    // Focus stays on the moved card for the mover.
    await expect.poll(() => deepFocusedCard(repPage), POLL).toBe(opp.id);
    const stored = cardsOf(await storedBoard(app.test.ctx, f.pipeline.id)).get(opp.id);
    expect(stored?.stageId).toBe(to.id);
    const row = await app.test.ctx.db.selectFrom('opportunities').select(['stage_id']).where('id', '=', opp.id).executeTakeFirstOrThrow();
    expect(row.stage_id).toBe(to.id);
  }, TEST_TIMEOUT_MS);

  it('Escape cancels a keyboard move and nothing changes', async () => {
    const from = f.pipeline.stages[2]!;
    const opp = f.opportunities.find((o) => o.stageId === from.id)!;
    await card(managerPage, opp.id).focus();
    await managerPage.keyboard.press('Space');
    await managerPage.keyboard.press('ArrowRight');
    await managerPage.keyboard.press('Escape');
    await managerPage.getByTestId('board-live').filter({ hasText: 'cancelled' }).waitFor();
    expect(cardsOf(await storedBoard(app.test.ctx, f.pipeline.id)).get(opp.id)?.stageId).toBe(from.id);
    expect(await cardIn(managerPage, from.id, opp.id).count()).toBe(1);
  }, TEST_TIMEOUT_MS);

  it('moves a card by drag and drop; the other board sees it move', async () => {
    const [from, to] = [f.pipeline.stages[2]!, f.pipeline.stages[3]!];
    const opp = f.opportunities.find((o) => o.stageId === from.id)!;
    await card(managerPage, opp.id).dragTo(column(managerPage, to.id).locator('ol'), { targetPosition: { x: 40, y: 8 } });
    await cardIn(repPage, to.id, opp.id).waitFor();
    expect(await column(repPage, to.id).locator('tandem-board-card').first().getAttribute('data-card-id')).toBe(opp.id);
    expect(cardsOf(await storedBoard(app.test.ctx, f.pipeline.id)).get(opp.id)?.stageId).toBe(to.id);
  }, TEST_TIMEOUT_MS);

  it('asks for the reason before a move to a lost stage, and stores it', async () => {
    const lost = f.pipeline.stages.find((s) => s.kind === 'lost')!;
    const opp = f.opportunities.find((o) => o.stageId === f.pipeline.stages[1]!.id && o.ownerId === f.rep.id)!;
    await card(repPage, opp.id).focus();
    await repPage.keyboard.press('Space');
    await repPage.keyboard.press('End');
    for (let i = 0; i < f.pipeline.stages.length; i++) await repPage.keyboard.press('ArrowRight');
    await repPage.keyboard.press('Enter');
    await repPage.getByRole('dialog', { name: 'Why was it lost?' }).waitFor();
    // The dialog's content is slotted into it: find it through the open <tandem-dialog>.
    const dialog = repPage.locator('tandem-dialog[open]');
    // An empty reason is refused in the dialog.
    await dialog.getByRole('button', { name: 'Mark as lost' }).click();
    await dialog.getByText('Say why the deal was lost.').waitFor();
    await dialog.getByLabel('Reason').fill('Budget frozen until next year');
    await dialog.getByRole('button', { name: 'Mark as lost' }).click();
    await cardIn(managerPage, lost.id, opp.id).waitFor();
    await cardIn(managerPage, lost.id, opp.id).getByText('Budget frozen until next year').waitFor();
    // The row is the projection, which follows the log: the other browser can show the move first.
    const row = () => app.test.ctx.db.selectFrom('opportunities').select(['status', 'lost_reason']).where('id', '=', opp.id).executeTakeFirstOrThrow();
    await expect.poll(row, { timeout: 5000 }).toEqual({ status: 'lost', lost_reason: 'Budget frozen until next year' });
  }, TEST_TIMEOUT_MS);

  it('lets a manager change the owner in the details panel; a rep has no owner control', async () => {
    const opp = f.opportunities.find((o) => o.ownerId === f.manager.id && o.stageId === f.pipeline.stages[3]!.id)!;
    await card(repPage, opp.id).click();
    const repPanel = repPage.locator('tandem-opportunity-panel');
    await repPanel.getByRole('heading', { name: opp.name }).waitFor();
    await repPanel.getByTestId('owner-text').filter({ hasText: 'Mei Wang' }).waitFor();
    expect(await repPanel.getByRole('combobox', { name: 'Owner' }).count()).toBe(0);

    await card(managerPage, opp.id).click();
    const panel = managerPage.locator('tandem-opportunity-panel');
    await panel.getByRole('combobox', { name: 'Owner' }).selectOption(f.rep.id);
    // The rep's open panel and card follow.
    await repPanel.getByTestId('owner-text').filter({ hasText: 'Ravi Kumar' }).waitFor();
    await card(repPage, opp.id).getByText('Ravi Kumar').waitFor();
    expect(cardsOf(await storedBoard(app.test.ctx, f.pipeline.id)).get(opp.id)?.ownerId).toBe(f.rep.id);
  }, TEST_TIMEOUT_MS);

  it('opens an opportunity from its link (/opportunities/:id) on its board with the details', async () => {
    const opp = f.opportunities[0]!;
    const page = await signedInPage(app, f.repCookie);
    await page.goto(`${app.url}/opportunities/${opp.id}`);
    await page.waitForURL(`${app.url}/pipeline/${f.pipeline.id}?card=${opp.id}`);
    await page.locator('tandem-opportunity-panel').getByRole('heading', { name: opp.name }).waitFor();
    await page.context().close();
  }, TEST_TIMEOUT_MS);

  it('filters by owner and by close month', async () => {
    await repPage.getByRole('combobox', { name: 'Owner' }).first().selectOption(f.manager.id);
    const shown = await repPage.locator('tandem-board-card').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.cardId));
    const board = cardsOf(await storedBoard(app.test.ctx, f.pipeline.id));
    expect(shown.length).toBeGreaterThan(0);
    for (const id of shown) expect(board.get(id!)?.ownerId).toBe(f.manager.id);
    await repPage.getByRole('combobox', { name: 'Owner' }).first().selectOption('');
    await repPage.getByLabel('Close month').selectOption('2026-12');
    const december = await repPage.locator('tandem-board-card').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.cardId));
    expect(december.length).toBeGreaterThan(0);
    for (const id of december) expect(String(board.get(id!)?.expectedCloseDate)).toMatch(/^2026-12/);
    await repPage.getByLabel('Close month').selectOption('');
  }, TEST_TIMEOUT_MS);

  it('creates an opportunity in the dialog (seen on the other board) and writes a quote with line items', async () => {
    await managerPage.getByRole('button', { name: 'New opportunity' }).first().click();
    const dialog = managerPage.locator('tandem-dialog[open]');
    await dialog.getByLabel('Find a customer').fill('Northwind');
    await dialog.getByRole('option', { name: 'Northwind Foods' }).waitFor();
    await dialog.locator('select[name="customerId"]').selectOption({ label: 'Northwind Foods' });
    // Missing name and amount are refused in the form, nothing is created.
    await dialog.getByRole('button', { name: 'Create opportunity' }).click();
    await dialog.getByText('Enter a name for the deal.').waitFor();
    await dialog.getByLabel('Deal name').fill('Cold chain sensors');
    await dialog.getByLabel('Amount').fill('88000');
    await dialog.getByLabel('Expected close').fill('2026-12-20');
    await dialog.getByRole('button', { name: 'Create opportunity' }).click();
    await managerPage.locator('tandem-dialog[open]').waitFor({ state: 'detached' });
    // The dialog closes on 201 and the new deal's details open.
    const panel = managerPage.locator('tandem-opportunity-panel');
    await panel.getByRole('heading', { name: 'Cold chain sensors' }).waitFor();
    const row = await app.test.ctx.db
      .selectFrom('opportunities')
      .select(['id', 'owner_id', 'amount'])
      .where('name', '=', 'Cold chain sensors')
      .executeTakeFirstOrThrow();
    expect(row.owner_id).toBe(f.manager.id);
    expect(Number(row.amount)).toBe(88000);
    await cardIn(repPage, f.pipeline.stages[0]!.id, row.id).getByText('Cold chain sensors').waitFor();

    // A quote with two lines, 10 % off the first, 13 % tax.
    await panel.getByRole('button', { name: 'New quote' }).click();
    await panel.getByLabel('Quote title').fill('Sensors, first site');
    await panel.getByRole('button', { name: 'Add line' }).click();
    const items = panel.getByLabel('Item');
    await items.nth(0).fill('Sensor');
    await panel.getByLabel('Qty').nth(0).fill('10');
    await panel.getByLabel('Unit price').nth(0).fill('500');
    await panel.getByLabel('Disc. %').nth(0).fill('10');
    await items.nth(1).fill('Installation');
    await panel.getByLabel('Unit price').nth(1).fill('1000');
    await panel.getByLabel('Tax %').fill('13');
    // 10 × 500 × 0.9 + 1000 = 5,500; tax 715; total 6,215.
    await panel.getByTestId('quote-total').filter({ hasText: '6,215' }).waitFor();
    await panel.getByRole('button', { name: 'Save quote' }).click();
    await panel.getByText('Sensors, first site').waitFor();
    const quote = await app.test.ctx.db.selectFrom('quotes').selectAll().where('opportunity_id', '=', row.id).executeTakeFirstOrThrow();
    expect(Number(quote.total)).toBe(6215);
  }, TEST_TIMEOUT_MS);

  it('shows a stage renamed by an admin at once on an open board', async () => {
    const admin = await seedUser(app.test.ctx, { role: 'admin', teamId: null, name: 'Ada Admin' });
    const adminPage = await signedInPage(app, await login(app.test.app, admin.email));
    const stage = f.pipeline.stages[2]!;
    await adminPage.goto(`${app.url}/pipeline/${f.pipeline.id}/stages`);
    const name = adminPage.getByLabel(`Name of ${stage.name}`, { exact: true });
    await name.fill('Solution design');
    await adminPage.locator(`tr[data-stage-id="${stage.id}"]`).getByRole('button', { name: 'Save' }).click();
    await adminPage.getByText('Stage saved.').waitFor();
    await column(managerPage, stage.id).getByRole('heading', { name: 'Solution design' }).waitFor();
    expect(app.pageErrors).toEqual([]);
  }, TEST_TIMEOUT_MS);
});
