/** Opens the database, migrates it and builds the AppContext. Shared by main, demo and tests. */
import type { Logger } from 'pino';
import { SessionEvents } from './auth/session-events.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
import { Notifier } from './notifications/notifier.ts';
import { defaultDocKinds } from './realtime/doc-kinds.ts';
import { DocHub } from './realtime/hub.ts';

export async function bootstrap(config: Config, log: Logger): Promise<{ ctx: AppContext; close(): Promise<void> }> {
  const handle = await openDatabase(config.databaseUrl, config.dataDir);
  const applied = await migrateToLatest(handle.db);
  if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
  const ctx = {
    db: handle.db,
    engine: handle.engine,
    config,
    log,
    now: () => new Date(),
    sessionEvents: new SessionEvents(),
    notifier: new Notifier(log),
  } as AppContext;
  ctx.hub = new DocHub(ctx, defaultDocKinds());
  return {
    ctx,
    async close() {
      // Every accepted document update is stored before the database closes.
      await ctx.hub.close();
      await handle.close();
    },
  };
}
