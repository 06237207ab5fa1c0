/**
 * A fresh database per test file: in-memory PGlite by default, or a new
 * PostgreSQL database (dropped afterwards) when TEST_DATABASE_URL is set.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createApp } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/password.ts';
import { bootstrap } from '../../server/bootstrap.ts';
import { type Config, loadConfig } from '../../server/config.ts';
import type { AppContext } from '../../server/context.ts';
import { createLogger } from '../../server/logger.ts';
import { insertTeam } from '../../server/teams/team.repository.ts';
import type { User } from '../../server/users/user.ts';
import { insertUser } from '../../server/users/user.repository.ts';
import type { Role } from '../../schema/wire/user.ts';

export const ORIGIN = 'http://localhost';
export const TEST_PASSWORD = 'Correct-Horse-42';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty PostgreSQL database on the server of `baseUrl`; `drop()` removes it. */
export async function createPostgresDatabase(baseUrl: string, prefix = 'tandem_t'): Promise<TestDatabase & { name: string }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A database URL of its own for one test file (or one server process in a test). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  return base ? createPostgresDatabase(base) : { url: 'memory://', drop: async () => {} };
}

export interface TestContext {
  ctx: AppContext;
  app: ReturnType<typeof createApp>;
  databaseUrl: string;
  close(): Promise<void>;
}

export async function createTestContext(overrides: Partial<Config> = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const config = { ...loadConfig({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }), databaseUrl: database.url, ...overrides };
  const { ctx, close } = await bootstrap(config, createLogger(config.logLevel));
  return {
    ctx,
    app: createApp(ctx),
    databaseUrl: database.url,
    async close() {
      await close();
      await database.drop();
    },
  };
}

let hashed: Promise<string> | null = null;

/** A user ready to sign in with TEST_PASSWORD (no forced change unless asked). */
export async function seedUser(
  ctx: AppContext,
  opts: { role?: Role; teamId?: string | null; email?: string; name?: string; mustChangePassword?: boolean } = {},
): Promise<User> {
  hashed ??= hashPassword(TEST_PASSWORD);
  const role = opts.role ?? 'rep';
  return insertUser(ctx.db, {
    email: opts.email ?? `${role}-${randomBytes(4).toString('hex')}@example.com`,
    name: opts.name ?? `Test ${role}`,
    role,
    team_id: opts.teamId === undefined ? null : opts.teamId,
    password_hash: await hashed,
    must_change_password: opts.mustChangePassword ?? false,
  });
}

export async function seedTeam(ctx: AppContext, name = `Team ${randomBytes(3).toString('hex')}`) {
  return insertTeam(ctx.db, name);
}

type Fetchable = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** Signs in through the API and returns the `session=…` cookie pair. */
export async function login(app: Fetchable, email: string, password = TEST_PASSWORD): Promise<string> {
  const res = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')?.match(/session=[^;]+/)?.[0];
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

/** A JSON request as a same-origin browser would send it. */
export function jsonRequest(method: string, body: unknown, cookie?: string): RequestInit {
  return {
    method,
    headers: { 'content-type': 'application/json', origin: ORIGIN, ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}
