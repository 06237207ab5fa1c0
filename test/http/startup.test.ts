import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrator.ts';
import { migrations } from '../../schema/migrations/index.ts';
import { createTestDatabase } from '../helpers/context.ts';

const STARTUP_TIMEOUT_MS = 60_000;
/** Two starts of a real process on a fresh database, on a possibly busy 2-core machine. */
const PROCESS_TEST_TIMEOUT_MS = 180_000;

/** Starts `server/main.ts` as `npm start` would, and waits for its address. */
async function startMain(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; stdout: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), STARTUP_TIMEOUT_MS);
    const check = () => {
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  return { child, url, stdout: () => out };
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('first run on the embedded database', () => {
  it('creates an admin with a printed password, serves, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tandem-start-'));
    dirs.push(dataDir);
    const { child, url, stdout } = await startMain({ DATA_DIR: dataDir, DATABASE_URL: '' });
    const m = /Sign in as (\S+) with password (\S+)/.exec(stdout());
    expect(m).not.toBeNull();
    const [, email, password] = m!;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const res = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ email, password }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { mustChangePassword: boolean; role: string } }).user).toMatchObject({
      role: 'admin',
      mustChangePassword: true,
    });
    // The password is printed once to the terminal, never into the structured log.
    const logLines = stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(logLines.some((l) => l.includes(password!))).toBe(false);
    expect(logLines.some((l) => /session=|"password"/.test(l))).toBe(false);

    const exit = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(`${code} ${signal}`)));
    child.kill('SIGTERM');
    expect(await exit).toBe('0 null');

    // A second start on the same data finds the admin and prints no new password.
    const again = await startMain({ DATA_DIR: dataDir, DATABASE_URL: '' });
    expect(again.stdout()).not.toContain('with password');
    const exit2 = new Promise<string>((resolve) => again.child.on('exit', (code, signal) => resolve(`${code} ${signal}`)));
    again.child.kill('SIGTERM');
    expect(await exit2).toBe('0 null');
  }, PROCESS_TEST_TIMEOUT_MS);

  it('takes the admin from ADMIN_EMAIL and ADMIN_PASSWORD when given', async () => {
    const { child, url, stdout } = await startMain({
      DATABASE_URL: 'memory://',
      ADMIN_EMAIL: 'Boss@Example.com',
      ADMIN_PASSWORD: 'Given-Admin-Pass-1',
    });
    expect(stdout()).not.toContain('with password');
    const res = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ email: 'boss@example.com', password: 'Given-Admin-Pass-1' }),
    });
    expect(res.status).toBe(200);
    const exit = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(`${code} ${signal}`)));
    child.kill('SIGTERM');
    expect(await exit).toBe('0 null');
  }, PROCESS_TEST_TIMEOUT_MS);
});

describe('migrations', () => {
  it('apply once when two processes migrate at once, and a second run is a no-op', async () => {
    const database = await createTestDatabase();
    if (database.url === 'memory://') {
      // One PGlite database belongs to one process; run twice in a row instead.
      const h = await openDatabase('memory://', '');
      expect(await migrateToLatest(h.db)).toEqual(Object.keys(migrations));
      expect(await migrateToLatest(h.db)).toEqual([]);
      await h.close();
      return;
    }
    const a = await openDatabase(database.url, '');
    const b = await openDatabase(database.url, '');
    const [ra, rb] = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]);
    expect([...ra, ...rb].sort()).toEqual(Object.keys(migrations).sort());
    expect(await migrateToLatest(a.db)).toEqual([]);
    await a.close();
    await b.close();
    await database.drop();
  });
});
