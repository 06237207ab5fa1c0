/**
 * The hub's limits and timings, every one named here with its default.
 * `loadRealtimeConfig` reads them from the environment record `main.ts` hands
 * to `loadConfig`; tests override them through `createTestContext`.
 */

import type { WriteBudgetConfig } from './write-budget.ts';

/** Largest accepted WebSocket message (DOC_MAX_MESSAGE_BYTES). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
/** How long the first update of a group commit waits for others (DOC_COMMIT_WINDOW_MS). */
export const DEFAULT_COMMIT_WINDOW_MS = 10;
/** While projection runs follow each other, the pause between them, so updates coalesce (DOC_PROJECTION_WINDOW_MS). */
export const DEFAULT_PROJECTION_WINDOW_MS = 120;
/** Log rows of a document after which it is compacted into its snapshot (DOC_COMPACT_AFTER). */
export const DEFAULT_COMPACT_AFTER_UPDATES = 500;
/** A document with no clients is flushed and unloaded after this delay (DOC_UNLOAD_DELAY_MS). */
export const DEFAULT_UNLOAD_DELAY_MS = 30_000;
/** Connected sessions are re-checked (expiry, deactivation, ends in other processes) this often. */
export const DEFAULT_SESSION_RECHECK_MS = 5_000;
/** Decoding one untrusted update may take at most this long before its worker is replaced. */
export const DEFAULT_DECODE_TIMEOUT_MS = 2_000;
/**
 * With several nodes (REDIS_URL on PostgreSQL), each node compares the
 * documents it holds with the stored log this often and applies what
 * Redis did not deliver (DOC_RECONCILE_MS).
 */
export const DEFAULT_RECONCILE_MS = 2_000;
/**
 * Every document WebSocket is pinged this often; one that has not answered
 * the previous ping with a pong is terminated (DOC_PING_INTERVAL_MS).
 */
export const DEFAULT_PING_INTERVAL_MS = 30_000;

/**
 * Write budgets (write-budget.ts): per connection, and per user across their
 * connections on a node. Far above what a person types or pastes; a script
 * that floods a document is held back and then disconnected.
 */
export const DEFAULT_WRITE_BUDGET: WriteBudgetConfig = {
  bytesPerSec: 64 * 1024,
  burstBytes: 1024 * 1024,
  updatesPerSec: 50,
  burstUpdates: 200,
  userBytesPerSec: 128 * 1024,
  userBurstBytes: 2 * 1024 * 1024,
  userUpdatesPerSec: 100,
  userBurstUpdates: 400,
  maxWaitMs: 3_000,
};
/** Refused parts a connection may send per minute before it is closed (4429). */
export const DEFAULT_MAX_REFUSALS_PER_MINUTE = 30;

export interface RealtimeConfig {
  projectionWindowMs: number;
  writeBudget: WriteBudgetConfig;
  maxRefusalsPerMinute: number;
  maxMessageBytes: number;
  commitWindowMs: number;
  compactAfterUpdates: number;
  unloadDelayMs: number;
  sessionRecheckMs: number;
  decodeTimeoutMs: number;
  reconcileMs: number;
  pingIntervalMs: number;
}

function positiveInt(env: Record<string, string | undefined>, key: string, fallback: number, min = 1): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${key} must be an integer of at least ${min}, got ${raw}`);
  return n;
}

export function loadRealtimeConfig(env: Record<string, string | undefined>): RealtimeConfig {
  return {
    maxMessageBytes: positiveInt(env, 'DOC_MAX_MESSAGE_BYTES', DEFAULT_MAX_MESSAGE_BYTES, 1024),
    commitWindowMs: positiveInt(env, 'DOC_COMMIT_WINDOW_MS', DEFAULT_COMMIT_WINDOW_MS, 0),
    projectionWindowMs: positiveInt(env, 'DOC_PROJECTION_WINDOW_MS', DEFAULT_PROJECTION_WINDOW_MS, 0),
    compactAfterUpdates: positiveInt(env, 'DOC_COMPACT_AFTER', DEFAULT_COMPACT_AFTER_UPDATES),
    unloadDelayMs: positiveInt(env, 'DOC_UNLOAD_DELAY_MS', DEFAULT_UNLOAD_DELAY_MS, 0),
    sessionRecheckMs: positiveInt(env, 'DOC_SESSION_RECHECK_MS', DEFAULT_SESSION_RECHECK_MS, 100),
    decodeTimeoutMs: positiveInt(env, 'DOC_DECODE_TIMEOUT_MS', DEFAULT_DECODE_TIMEOUT_MS, 10),
    reconcileMs: positiveInt(env, 'DOC_RECONCILE_MS', DEFAULT_RECONCILE_MS, 50),
    pingIntervalMs: positiveInt(env, 'DOC_PING_INTERVAL_MS', DEFAULT_PING_INTERVAL_MS, 10),
    writeBudget: {
      ...DEFAULT_WRITE_BUDGET,
      bytesPerSec: positiveInt(env, 'DOC_WRITE_BYTES_PER_SEC', DEFAULT_WRITE_BUDGET.bytesPerSec, 1024),
      userBytesPerSec: positiveInt(env, 'DOC_USER_WRITE_BYTES_PER_SEC', DEFAULT_WRITE_BUDGET.userBytesPerSec, 1024),
    },
    maxRefusalsPerMinute: positiveInt(env, 'DOC_MAX_REFUSALS_PER_MINUTE', DEFAULT_MAX_REFUSALS_PER_MINUTE),
  };
}
