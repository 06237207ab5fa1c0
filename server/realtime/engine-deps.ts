/**
 * What the live-document engine receives from the app at bootstrap, and
 * nothing more: its store, a clock, a logger, a session lookup and its
 * limits. The document kinds come beside it, in a registry (doc-kinds.ts).
 * The engine never reaches the app's context: whatever else a kind needs,
 * the app gives it by closure when it builds the kind.
 */
import type { Logger } from 'pino';
import type { User } from '../users/user.ts';
import type { DocStore } from './doc-store.repository.ts';
import type { RealtimeConfig } from './realtime-config.ts';

export interface EngineDeps {
  store: DocStore;
  /** The clock, asked each time (tests move the app's clock). Write budgets use the monotonic clock instead. */
  now(): Date;
  log: Logger;
  sessions: SessionLookup;
  config: RealtimeConfig;
}

/** A signed-in session, as a connection holds it. */
export interface SessionAuth {
  user: User;
  sessionId: string;
}

/** What a connection's access depends on, for a session still live. */
export type LiveSession = Pick<User, 'role' | 'teamId' | 'mustChangePassword'>;

export interface SessionLookup {
  /** The session of a cookie's token, with its user; null when malformed, forged, expired, ended, or its user deactivated. */
  validate(token: string): Promise<SessionAuth | null>;
  /** Those of `ids` still live now (not expired, ended or deactivated), with their user's access; the others are left out. */
  findLive(ids: string[]): Promise<Map<string, LiveSession>>;
  /** Calls `fn` with the ids of sessions that end, in this process or another; returns the unsubscribe. */
  onRevoked(fn: (sessionIds: string[]) => void): () => void;
}
