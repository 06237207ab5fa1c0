/**
 * Reports and the start page in Chromium: a manager's funnel follows a card
 * that another user moves on the board (chart and table, without reload); a
 * filter change lands in the URL and changes the tables; the CSV links answer
 * CSV; a rep's start page lists the task due today.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, ELEMENT_TIMEOUT_MS, startBrowserApp } from '../helpers/browser.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { caller, json } from '../helpers/opportunities.ts';
import { type BoardFixture, seedBoard, signedInPage } from './board-fixture.ts';

const TEST_TIMEOUT_MS = 120_000;
/** expect.poll waits as long as a locator would. */
const POLL = { timeout: ELEMENT_TIMEOUT_MS };

let app: BrowserApp;
let f: BoardFixture;
let manager: Page;

const section = (page: Page, report: string) => page.locator(`tandem-report-section[data-report="${report}"]`);

/** The deal count of a stage in the funnel table. */
async function funnelCount(page: Page, stageName: string): Promise<string> {
  const row = section(page, 'funnel').locator('tbody tr').filter({ has: page.locator('td:first-child', { hasText: stageName }) });
  return (await row.locator('td').nth(1).textContent())?.trim() ?? '';
}

/** The deal counts the funnel chart draws (its first series), stage by stage. */
async function funnelChartCounts(page: Page): Promise<number[]> {
  return section(page, 'funnel')
    .locator('tandem-chart')
    .evaluate((el) => (el as HTMLElement & { drawnValues: number[][] }).drawnValues[0] ?? []);
}

beforeAll(async () => {
  app = await startBrowserApp();
  f = await seedBoard(app, 2);
  manager = await signedInPage(app, f.managerCookie);
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  await app?.close();
});

describe('reports', () => {
  it('moves the funnel when another user moves a card on the board', { timeout: TEST_TIMEOUT_MS }, async () => {
    const open = f.pipeline.stages.filter((s) => s.kind === 'open');
    const [from, to] = [open[0]!, open[1]!];
    await manager.goto(`${app.url}/reports`);
    await section(manager, 'funnel').locator('tbody tr').first().waitFor();
    await manager.locator('tandem-board-watch[data-status="synced"]').waitFor({ state: 'attached' });
    expect(await funnelCount(manager, from.name)).toBe('2');
    expect(await funnelCount(manager, to.name)).toBe('2');
    const fromIndex = f.pipeline.stages.findIndex((s) => s.id === from.id);
    const toIndex = f.pipeline.stages.findIndex((s) => s.id === to.id);
    await expect.poll(() => funnelChartCounts(manager), POLL).toSatisfy((v: number[]) => v[fromIndex] === 2 && v[toIndex] === 2);

    // The rep moves one of their deals from the first open stage to the next one.
    const deal = f.opportunities.find((o) => o.stageId === from.id && o.ownerId === f.rep.id)!;
    await json(await caller(app.test.app, f.repCookie).patch(`/api/opportunities/${deal.id}`, { stageId: to.id }));

    await expect.poll(() => funnelCount(manager, from.name), POLL).toBe('1');
    await expect.poll(() => funnelCount(manager, to.name), POLL).toBe('3');
    await expect.poll(() => funnelChartCounts(manager), POLL).toSatisfy((v: number[]) => v[fromIndex] === 1 && v[toIndex] === 3);
    expect(app.pageErrors).toEqual([]);
  });

  it('keeps the filters in the URL and applies them to the tables', { timeout: TEST_TIMEOUT_MS }, async () => {
    await manager.goto(`${app.url}/reports`);
    const leaders = section(manager, 'leaderboard').locator('tbody tr');
    await expect.poll(() => leaders.count(), POLL).toBe(2);

    await manager.getByLabel('New customers by').selectOption('week');
    await expect.poll(() => new URL(manager.url()).searchParams.get('period'), POLL).toBe('week');
    await section(manager, 'new-customers').locator('th', { hasText: 'Week of' }).waitFor();

    await manager.getByLabel('Owner').selectOption(f.rep.id);
    await expect.poll(() => new URL(manager.url()).searchParams.get('ownerId'), POLL).toBe(f.rep.id);
    await expect.poll(() => leaders.count(), POLL).toBe(1);
    // The seeded customers have no owner: the rep has no new customers.
    await section(manager, 'new-customers').getByText('No data for this period.').waitFor();
    expect(await leaders.first().locator('td').first().textContent()).toBe('Ravi Kumar');

    // The shared address opens the same report.
    const shared = manager.url();
    const other = await signedInPage(app, f.managerCookie);
    await other.goto(shared);
    await expect.poll(() => section(other, 'leaderboard').locator('tbody tr').count(), POLL).toBe(1);
    // The owner list arrives on its own request, possibly after the report.
    await expect.poll(() => other.getByLabel('Owner').inputValue(), POLL).toBe(f.rep.id);

    // A start date after the end date is refused in place and changes nothing.
    const before = manager.url();
    await manager.getByLabel('From').fill('2099-01-01');
    await manager.getByLabel('From').dispatchEvent('change');
    await manager.getByText('The start date must not be after the end date.').waitFor();
    expect(manager.url()).toBe(before);
    expect(app.pageErrors).toEqual([]);
  });

  it('shows an error with a way to try again when the server refuses the period', { timeout: TEST_TIMEOUT_MS }, async () => {
    // Longer than a report may span: every period report answers 400.
    await manager.goto(`${app.url}/reports?from=2019-01-01&to=2026-01-01`);
    const winRate = section(manager, 'win-rate');
    await winRate.getByRole('button', { name: 'Try again' }).waitFor();
    expect(await winRate.locator('tandem-alert[kind="error"]').count()).toBe(1);
    // The funnel is the board as it stands and is still drawn.
    await section(manager, 'funnel').locator('tbody tr').first().waitFor();
    // The filters are reachable from the keyboard.
    await manager.getByLabel('Period').focus();
    await manager.keyboard.press('Tab');
    expect(await manager.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.id;
    })).toBe('r-from');
  });

  it('links each report to its CSV', { timeout: TEST_TIMEOUT_MS }, async () => {
    await manager.goto(`${app.url}/reports?ownerId=${f.rep.id}`);
    await section(manager, 'leaderboard').locator('tbody tr').first().waitFor();
    for (const [report, header] of [
      ['funnel', 'Stage,Deals,Amount,Currency'],
      ['leaderboard', 'Rep,Won amount,Won deals,Open amount,Activities,Currency'],
    ] as const) {
      const href = await section(manager, report).getByRole('link', { name: /CSV/ }).getAttribute('href');
      expect(href).toContain('format=csv');
      const res = await manager.request.get(`${app.url}${href}`);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toContain('text/csv');
      const text = (await res.text()).replace(/^\uFEFF/, '');
      expect(text.split('\r\n')[0]).toBe(header);
      if (report === 'leaderboard') expect(text).toContain('Ravi Kumar');
      else expect(text).toContain(f.pipeline.stages[0]!.name);
    }
  });
});

describe('start page', () => {
  it("shows a rep the task due today, and the manager the team's leaderboard", { timeout: TEST_TIMEOUT_MS }, async () => {
    const { ctx } = app.test;
    await ctx.db
      .insertInto('tasks')
      .values({ team_id: f.rep.teamId!, title: 'Call 华为 about the renewal', assignee_id: f.rep.id, created_by: f.rep.id, due_at: new Date(), customer_id: null, opportunity_id: null, done_at: null, due_soon_reminded_at: null, overdue_reminded_at: null })
      .execute();
    const rep = await signedInPage(app, f.repCookie);
    await rep.goto(`${app.url}/`);
    const tasks = rep.locator('[data-section="tasks"]');
    await tasks.getByRole('link', { name: 'Call 华为 about the renewal' }).waitFor();
    expect(await tasks.getByRole('link', { name: 'All tasks' }).getAttribute('href')).toBe('/tasks');
    // Reps get no team section; their own deals fill the summary.
    expect(await rep.locator('[data-section="leaderboard"]').count()).toBe(0);
    expect(await rep.locator('[data-figure="open-count"]').textContent()).toBe(String(f.opportunities.filter((o) => o.ownerId === f.rep.id && o.status === 'open').length));

    await manager.goto(`${app.url}/`);
    await manager.locator('[data-section="leaderboard"] tbody tr', { hasText: 'Ravi Kumar' }).waitFor();
    await manager.locator('[data-section="team-funnel"] tandem-chart').waitFor();
    expect(app.pageErrors).toEqual([]);
  });

  it('greets a new user with empty states', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { ctx } = app.test;
    const team = await seedTeam(ctx);
    const newcomer = await seedUser(ctx, { role: 'rep', teamId: team.id, name: 'Lin Xiao' });
    const page = await signedInPage(app, await login(app.test.app, newcomer.email));
    await page.goto(`${app.url}/`);
    await page.getByText('Nothing due today.').waitFor();
    await page.getByText('No overdue follow-ups.').waitFor();
    await page.getByText('No activity on your customers yet.').waitFor();
    await page.getByText('No open deals yet.', { exact: false }).waitFor();
    expect(await page.locator('[data-figure="open-count"]').textContent()).toBe('0');
    expect(app.pageErrors).toEqual([]);
  });
});
