/** Opens the database, migrates it and builds the AppContext. Shared by main, demo and tests. */
import type { Logger } from 'pino';
import { closeRateLimits } from './auth/rate-limit.ts';
import { SessionEvents } from './auth/session-events.ts';
import type { Config } from './config.ts';
import type { AppContext, AppServices } from './context.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
import { createDocHub } from './live-docs.ts';
import { Notifier } from './notifications/notifier.ts';
import { randomUUID } from 'node:crypto';
import { type DocBus, RedisDocBus } from './realtime/doc-bus.ts';
import { resumeImports, startImportSweeper, stopImportJobs } from './customers/import-job.ts';

export async function bootstrap(config: Config, log: Logger): Promise<{ ctx: AppContext; close(): Promise<void> }> {
  const handle = await openDatabase(config.databaseUrl, config.dataDir, { wasmTier: config.pgliteWasmTier });
  const applied = await migrateToLatest(handle.db);
  if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
  const services: AppServices = {
    db: handle.db,
    engine: handle.engine,
    config,
    log,
    now: () => new Date(),
    sessionEvents: new SessionEvents(),
    notifier: new Notifier(log),
  };
  const bus = connectBus(services);
  // The same object gains its hub: the hub asks `services.now()`, so a test that replaces `ctx.now` moves its clock too.
  const ctx: AppContext = Object.assign(services, { hub: createDocHub(services, bus) });
  // Documents stored but not projected when the last process stopped are projected again.
  const recovering = ctx.hub
    .recover()
    .then((n) => {
      if (n > 0) log.info({ documents: n }, 'projected documents whose projection trailed their log');
    })
    .catch((err: unknown) => log.error({ err }, 'projecting trailing documents failed'));
  // Imports a restart interrupted continue after their last committed batch, in the background;
  // later, so do those a dead node left once their claim ran out (import-claim.ts).
  void recovering.then(() => resumeImports(ctx)).catch((err: unknown) => log.error({ err }, 'continuing interrupted imports failed'));
  const importSweeper = startImportSweeper(ctx);
  return {
    ctx,
    async close() {
      await recovering;
      importSweeper.stop();
      stopImportJobs(ctx);
      // Every accepted document update is stored before the database closes.
      await ctx.hub.close();
      await bus?.close();
      await closeRateLimits(config);
      await handle.close();
    },
  };
}

/**
 * Several nodes: with REDIS_URL on PostgreSQL, live documents are shared
 * with the other nodes through Redis, and so are session ends. PGlite is
 * one process's database, so there it stays off.
 */
function connectBus(ctx: AppServices): DocBus | null {
  const { redisUrl, redisPrefix } = ctx.config;
  if (!redisUrl) return null;
  if (ctx.engine !== 'postgres') {
    ctx.log.warn('REDIS_URL is set but the database is PGlite, which one process owns: live documents stay on this node');
    return null;
  }
  const bus = RedisDocBus.start({ url: redisUrl, prefix: redisPrefix, nodeId: randomUUID(), log: ctx.log });
  ctx.sessionEvents.onRevoked((ids, from) => {
    if (from === 'local') bus.publishRevoked(ids);
  });
  bus.onRevoked((ids) => ctx.sessionEvents.revoked(ids, 'bus'));
  return bus;
}
