/**
 * Tandem as it runs in production: bootstrap (open, migrate) and startServer,
 * on a fresh PostgreSQL database (argv[3] = 'postgres', dropped afterwards) or
 * on PGlite on disk in a temporary directory (argv[3] = 'pglite', the
 * default deployment). Seeds one team, its reps and one customers row per
 * document, signs the reps in through the API and hands their cookies over.
 *
 * Several nodes (argv[4], a TandemNodeSetup, PostgreSQL only): the node
 * publishes on Redis (REDIS_URL, REDIS_PREFIX). The first node creates and
 * seeds the database as above and reports its URL; a node given
 * `joinDatabaseUrl` only opens that database and serves it: it seeds,
 * signs in, tracks and drops nothing, and reports no documents.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../../server/auth/password.ts';
import { createSession } from '../../../server/auth/session.service.ts';
import { SESSION_COOKIE } from '../../../server/auth/session.ts';
import { bootstrap } from '../../../server/bootstrap.ts';
import { loadConfig } from '../../../server/config.ts';
import { createLogger } from '../../../server/logger.ts';
import { startServer } from '../../../server/server.ts';
import { insertTeam } from '../../../server/teams/team.repository.ts';
import { insertUser } from '../../../server/users/user.repository.ts';
import { customerDocName } from '../../../schema/wire/docs.ts';
import type { TandemNodeSetup } from './ipc.ts';
import { failStartup, readSetup, serveProbe } from './server-probe.ts';
import { PostgresCpuTracker } from './postgres-cpu.ts';
import { createPostgresDatabase } from '../../helpers/context.ts';
import { benchPostgresUrl } from './tandem-defaults.ts';

const BENCH_PASSWORD = `Bench-${randomBytes(9).toString('base64url')}`;
const CUSTOMER_INSERT_BATCH = 500;

interface Storage {
  databaseUrl: string | undefined;
  dataDir: string;
  /** PostgreSQL: the administrative URL and the database's name, to follow its backends' CPU. */
  postgres: { adminUrl: string; database: string } | null;
  dispose(): Promise<void>;
}

async function postgresStorage(base: string): Promise<Storage> {
  const database = await createPostgresDatabase(base, 'tandem_bench');
  return {
    databaseUrl: database.url,
    dataDir: tmpdir(),
    postgres: { adminUrl: base, database: database.name },
    dispose: database.drop,
  };
}

/** A database another node created and seeded; it stays when this node stops. */
function joinedStorage(databaseUrl: string): Storage {
  return { databaseUrl, dataDir: tmpdir(), postgres: null, dispose: async () => {} };
}

function readNodeSetup(): TandemNodeSetup | null {
  const raw = process.argv[4];
  if (!raw) return null;
  const parsed = JSON.parse(raw) as Partial<TandemNodeSetup>;
  if (typeof parsed.redisUrl !== 'string' || typeof parsed.redisPrefix !== 'string') throw new Error('the node setup needs redisUrl and redisPrefix');
  return {
    redisUrl: parsed.redisUrl,
    redisPrefix: parsed.redisPrefix,
    joinDatabaseUrl: typeof parsed.joinDatabaseUrl === 'string' ? parsed.joinDatabaseUrl : undefined,
  };
}

async function pgliteStorage(): Promise<Storage> {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-bench-'));
  return { databaseUrl: undefined, dataDir: dir, postgres: null, dispose: () => rm(dir, { recursive: true, force: true }) };
}

async function main(): Promise<void> {
  const setup = readSetup();
  const engine = process.argv[3];
  if (engine !== 'postgres' && engine !== 'pglite') throw new Error(`unknown engine ${engine}`);
  const node = readNodeSetup();
  if (node && engine !== 'postgres') throw new Error('several nodes need PostgreSQL');
  const joining = node?.joinDatabaseUrl !== undefined;
  const storage = node?.joinDatabaseUrl
    ? joinedStorage(node.joinDatabaseUrl)
    : engine === 'postgres'
      ? await postgresStorage(benchPostgresUrl())
      : await pgliteStorage();
  try {
    const config = {
      ...loadConfig({
        // The engine's settings (DOC_COMMIT_WINDOW_MS, DOC_PROJECTION_WINDOW_MS, …), HEAP_GROWTH_PERCENT and PGLITE_WASM_TIER pass through, for sweeps.
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('DOC_') || k === 'HEAP_GROWTH_PERCENT' || k === 'PGLITE_WASM_TIER')),
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
        HOST: '127.0.0.1',
        PORT: '0',
        ...(node ? { REDIS_URL: node.redisUrl, REDIS_PREFIX: node.redisPrefix } : {}),
      }),
      databaseUrl: storage.databaseUrl,
      dataDir: storage.dataDir,
    };
    const { ctx, close: closeDb } = await bootstrap(config, createLogger(config.logLevel));
    if (node && !ctx.hub.clustered) throw new Error('the node runs without the bus although REDIS_URL is set');
    if (joining) {
      const running = await startServer(ctx, { port: 0, host: '127.0.0.1' });
      serveProbe({ type: 'ready', protocol: 'y-websocket', wsUrl: `ws://127.0.0.1:${running.port}/yjs`, docs: [], headers: [] }, async () => {
        await running.close();
        await closeDb();
      });
      return;
    }
    const team = await insertTeam(ctx.db, 'Benchmark team');
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const userIds: string[] = [];
    for (let i = 0; i < setup.users; i++) {
      const email = `bench-rep-${i}@example.com`;
      const user = await insertUser(ctx.db, {
        email,
        name: `Bench rep ${i}`,
        role: 'rep',
        team_id: team.id,
        password_hash: passwordHash,
        must_change_password: false,
      });
      userIds.push(user.id);
    }
    const ids: string[] = [];
    for (let start = 0; start < setup.docs; start += CUSTOMER_INSERT_BATCH) {
      const count = Math.min(CUSTOMER_INSERT_BATCH, setup.docs - start);
      const rows = await ctx.db
        .insertInto('customers')
        .values(Array.from({ length: count }, (_, i) => ({ team_id: team.id, name: `Bench customer ${start + i}` })))
        .returning('id')
        .execute();
      ids.push(...rows.map((r) => r.id));
    }
    const running = await startServer(ctx, { port: 0, host: '127.0.0.1' });
    const origin = running.url;
    // Sessions are made directly, as a sign-in would (the sign-in route itself is not what is measured,
    // and a hundred sign-ins from one address in a moment would meet its limits).
    const headers: Record<string, string>[] = [];
    for (const userId of userIds) {
      const { token } = await createSession(ctx.db, userId, ctx.now());
      headers.push({ cookie: `${SESSION_COOKIE}=${token}`, origin });
    }
    const dbCpu = storage.postgres ? await PostgresCpuTracker.start(storage.postgres.adminUrl, storage.postgres.database) : null;
    serveProbe(
      {
        type: 'ready',
        protocol: 'y-websocket',
        wsUrl: `ws://127.0.0.1:${running.port}/yjs`,
        docs: ids.map(customerDocName),
        headers,
        ...(node ? { databaseUrl: storage.databaseUrl } : {}),
      },
      async () => {
        try {
          await running.close();
          await closeDb();
          await dbCpu?.stop();
        } finally {
          await storage.dispose();
        }
      },
      dbCpu,
      { drainProjectionLags: () => ctx.hub.drainProjectionLags() },
    );
  } catch (err) {
    await storage.dispose().catch(() => {});
    throw err;
  }
}

try {
  await main();
} catch (err) {
  failStartup(err);
}
