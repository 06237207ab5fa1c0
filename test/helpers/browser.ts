/**
 * Browser tests: a real Tandem server on an ephemeral port over a fresh
 * database (PGlite, or PostgreSQL with TEST_DATABASE_URL), and Debian's
 * Chromium driven by playwright-core. Each page gets its own browser context,
 * so each signed-in person has their own cookies.
 */
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { type RunningServer, startServer } from '../../server/server.ts';
import { createTestContext, type TestContext } from './context.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * playwright-core starts every browser with a fresh temporary user-data-dir of
 * its own (and refuses --user-data-dir in args), so no profile state leaks in.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Serialises client builds between test files running in parallel. */
const BUILD_LOCK = 'dist/.client-build.lock';
/** A lock older than this was left by a build that died. */
const BUILD_LOCK_STALE_MS = 5 * 60 * 1000;
const BUILD_LOCK_POLL_MS = 200;
/** How long a locator waits for an element before failing with its name (below the test timeout, so the failure says what was missing). */
export const ELEMENT_TIMEOUT_MS = 15_000;

const CLIENT_INDEX = 'dist/client/index.html';
const CLIENT_SOURCES = ['client', 'schema/wire'];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function clientIsStale(): boolean {
  if (!existsSync(CLIENT_INDEX)) return true;
  const built = statSync(CLIENT_INDEX).mtimeMs;
  return CLIENT_SOURCES.some((dir) => newestMtime(dir) > built);
}

/**
 * Builds the client if dist/client is missing or older than its sources, one
 * builder at a time. `npm test` has already done it (scripts/ensure-build.mjs);
 * this covers `npx vitest run test/e2e` on a fresh clone or after an edit. The
 * output directory is not emptied first: a browser test running in another
 * worker keeps loading the chunks its page was built with.
 */
export async function ensureClientBuilt(): Promise<void> {
  if (!clientIsStale()) return;
  mkdirSync('dist', { recursive: true });
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      try {
        if (Date.now() - statSync(BUILD_LOCK).mtimeMs > BUILD_LOCK_STALE_MS) rmdirSync(BUILD_LOCK);
      } catch {
        // Released meanwhile.
      }
      await delay(BUILD_LOCK_POLL_MS);
    }
  }
  try {
    // Another worker may have built it while this one waited for the lock.
    if (clientIsStale()) await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { emptyOutDir: false } });
  } finally {
    rmdirSync(BUILD_LOCK);
  }
}

export interface BrowserApp {
  test: TestContext;
  server: RunningServer;
  browser: Browser;
  /** http://127.0.0.1:port */
  url: string;
  /** Uncaught errors of any page, as text; tests assert it stays empty. */
  pageErrors: string[];
  /** A page in a new browser context (own cookies, own storage) with the given browser language. */
  newPage(opts?: { locale?: string }): Promise<Page>;
  close(): Promise<void>;
}

export async function startBrowserApp(): Promise<BrowserApp> {
  await ensureClientBuilt();
  const test = await createTestContext();
  const server = await startServer(test.ctx, { port: 0, host: '127.0.0.1' });
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  } catch (e) {
    await server.close();
    await test.close();
    throw e;
  }
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  return {
    test,
    server,
    browser,
    url: server.url,
    pageErrors,
    async newPage(opts = {}) {
      const context = await browser.newContext({ locale: opts.locale ?? 'en-US', viewport: { width: 1280, height: 800 } });
      context.setDefaultTimeout(ELEMENT_TIMEOUT_MS);
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await server.close();
      await test.close();
    },
  };
}
