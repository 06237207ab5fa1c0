import type { Logger } from 'pino';
import type { SessionEvents } from './auth/session-events.ts';
import type { Config } from './config.ts';
import type { DB, Engine } from './db/database.ts';
import type { Notifier } from './notifications/notifier.ts';
import type { DocHub } from './realtime/hub.ts';

/** The app's services, from which bootstrap builds the live-document hub (server/live-docs.ts). */
export interface AppServices {
  db: DB;
  engine: Engine;
  config: Config;
  log: Logger;
  /** The clock; tests may replace it. Domain rules take `now` from here, never from Date.now(). */
  now: () => Date;
  sessionEvents: SessionEvents;
  /** Stores notifications in the caller's transaction and delivers them live after commit. */
  notifier: Notifier;
}

/** What the composition root hands to routes and services. */
export interface AppContext extends AppServices {
  /** The live-document hub: server-side edits (`hub.edit`) and the /yjs endpoint. */
  hub: DocHub;
}
