/**
 * The customer list in Chromium over 100,000 customers: time to the first rows,
 * paging through every row by scrolling (cursor pages of 200 as the end comes
 * near), frame gaps while scrolling (requestAnimationFrame timestamps in the
 * page), the largest number of row elements in the DOM at once (the list
 * renders only the rows in view), and the page's JS heap once every row has
 * been paged through (the list keeps only the pages near the view).
 * The server side of search and filters is customers.bench.ts.
 *
 *   tsx test/bench/customer-list.bench.ts [--quick]
 *
 * Runs on the embedded PGlite database, or PostgreSQL with TEST_DATABASE_URL.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { AppContext } from '../../server/context.ts';
import { insertInitialCustomers } from '../../server/customers/customer-bulk.repository.ts';
import { buildInitialCustomer, type InitialCustomerState } from '../../server/customers/customer-initial-doc.ts';
import { startBrowserApp } from '../helpers/browser.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { fixed, formatTable, percentile, sortedCopy } from './hub/stats.ts';

const quick = process.argv.includes('--quick');
const ROWS = quick ? 10_000 : 100_000;
const SEED_BATCH = 1000;
/** Longest wait for a page condition before the run is declared failed. */
const WAIT_MS = 60_000;
/** A frame gap above this is a visible stutter (three frames at 60 Hz). */
const LONG_FRAME_MS = 50;
const CITIES = ['北京', '上海', '深圳', '杭州', '成都', 'Austin', 'Berlin', 'Lyon'];
const TRADES = ['科技', '贸易', '制造', 'Robotics', 'Foods', 'Logistics'];

async function seed(ctx: AppContext, teamId: string, ownerId: string): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < ROWS; i += SEED_BATCH) {
    const states: InitialCustomerState[] = [];
    for (let k = i; k < Math.min(ROWS, i + SEED_BATCH); k++) {
      states.push(
        buildInitialCustomer(
          {
            id: randomUUID(),
            teamId,
            createdBy: ownerId,
            importId: null,
            name: `${CITIES[k % CITIES.length]}${TRADES[k % TRADES.length]} ${k}`,
            change: { fields: { phone: `138${String(k).padStart(8, '0')}`, ownerId, category: 'potential' }, tags: k % 3 ? ['high potential'] : [] },
          },
          new Date(Date.now() - k * 1000),
        ),
      );
    }
    await ctx.db.transaction().execute((trx) => insertInitialCustomers(trx, states, new Date()));
    process.stdout.write(`\r  seeding: ${Math.min(ROWS, i + SEED_BATCH).toLocaleString('en')} / ${ROWS.toLocaleString('en')}`);
  }
  process.stdout.write(`  (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  await sql`analyze customers`.execute(ctx.db);
}

const app = await startBrowserApp();
try {
  const { ctx } = app.test;
  const team = await seedTeam(ctx, 'Bench');
  const rep = await seedUser(ctx, { role: 'rep', teamId: team.id, name: 'Bench Rep' });
  await seed(ctx, team.id, rep.id);
  const cookie = await login(app.test.app, rep.email);
  const page = await app.newPage();
  await page.context().addCookies([{ name: 'session', value: cookie.slice('session='.length), url: app.url }]);

  const t0 = performance.now();
  await page.goto(`${app.url}/customers`);
  // Keep every request's timing (the default buffer holds 250).
  await page.evaluate('performance.setResourceTimingBufferSize(100000)');
  await page.locator('a.row').first().waitFor({ timeout: WAIT_MS });
  const firstRowsMs = performance.now() - t0;

  // tsx names inner functions with an `__name` helper that the page does not have.
  await page.evaluate('globalThis.__name = (f) => f');
  // Scroll to the end again and again; each time the list nears its end it fetches the next page.
  const result = await page.evaluate(
    async ({ rows, waitMs }) => {
      const find = (root: Document | ShadowRoot, sel: string): Element | null => {
        const hit = root.querySelector(sel);
        if (hit) return hit;
        for (const el of root.querySelectorAll('*')) {
          if (el.shadowRoot) {
            const inner = find(el.shadowRoot, sel);
            if (inner) return inner;
          }
        }
        return null;
      };
      const list = find(document, 'tandem-customer-list') as HTMLElement & { rowCount: number; nextCursor: string | null };
      const scroller = list.shadowRoot!.querySelector('.viewport') as HTMLElement;
      const gaps: number[] = [];
      let last = performance.now();
      let running = true;
      const tick = (t: number) => {
        gaps.push(t - last);
        last = t;
        if (running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      let maxRows = 0;
      const started = performance.now();
      let lastCount = list.rowCount;
      let lastGrowth = started;
      while (list.rowCount < rows && list.nextCursor !== null) {
        if (list.rowCount !== lastCount) {
          lastCount = list.rowCount;
          lastGrowth = performance.now();
        } else if (performance.now() - lastGrowth > waitMs) throw new Error(`stalled at ${list.rowCount} rows`);
        scroller.scrollTop = scroller.scrollHeight;
        await new Promise((r) => setTimeout(r, 16));
        maxRows = Math.max(maxRows, list.shadowRoot!.querySelectorAll('a.row').length);
      }
      const loadAllMs = performance.now() - started;
      // How long the server took per page, as the browser saw it (network included).
      const pageMs = performance
        .getEntriesByType('resource')
        .filter((e) => /\/api\/customers\?.*cursor=/.test(e.name))
        .map((e) => e.duration);
      // Then scroll back up through the whole list in big steps, as a user flinging the scrollbar would.
      const upStarted = performance.now();
      for (let y = scroller.scrollHeight; y > 0; y -= scroller.clientHeight * 20) {
        scroller.scrollTop = y;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        maxRows = Math.max(maxRows, list.shadowRoot!.querySelectorAll('a.row').length);
      }
      const flingMs = performance.now() - upStarted;
      running = false;
      const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
      return { loaded: list.rowCount, loadAllMs, flingMs, maxRows, pageMs, gaps: gaps.slice(1), heapMb: memory ? memory.usedJSHeapSize / 1048576 : 0 };
    },
    { rows: ROWS, waitMs: WAIT_MS },
  );
  const gaps = sortedCopy(result.gaps);
  const pages = sortedCopy(result.pageMs);
  const long = result.gaps.filter((g) => g > LONG_FRAME_MS).length;
  console.log(
    formatTable(
      ['measure', 'value'],
      [
        ['customers', ROWS.toLocaleString('en')],
        ['first rows shown (ms)', fixed(firstRowsMs, 0)],
        ['rows loaded by scrolling', result.loaded.toLocaleString('en')],
        ['time to page through all (s)', fixed(result.loadAllMs / 1000, 1)],
        ['rows per second while paging', fixed(result.loaded / (result.loadAllMs / 1000), 0)],
        ['next-page request p50 / p95 (ms)', `${fixed(percentile(pages, 50), 0)} / ${fixed(percentile(pages, 95), 0)}`],
        ['share of paging time waiting for pages', `${fixed((100 * result.pageMs.reduce((a, b) => a + b, 0)) / result.loadAllMs, 0)} %`],
        ['fling back to the top (ms)', fixed(result.flingMs, 0)],
        ['frame gap p50 / p95 / max (ms)', `${fixed(percentile(gaps, 50), 1)} / ${fixed(percentile(gaps, 95), 1)} / ${fixed(gaps[gaps.length - 1] ?? 0, 1)}`],
        [`frames longer than ${LONG_FRAME_MS} ms`, `${long} of ${result.gaps.length}`],
        ['most row elements in the DOM', String(result.maxRows)],
        ['JS heap with all rows (MB)', fixed(result.heapMb, 1)],
      ],
    ),
  );
  if (app.pageErrors.length) console.log('page errors:', app.pageErrors);
} finally {
  await app.close();
}
