/**
 * The hub's limits and timings, every one named here with its default.
 * `loadRealtimeConfig` reads them from the environment record `main.ts` hands
 * to `loadConfig`; tests override them through `createTestContext`.
 */

/** Largest accepted WebSocket message (DOC_MAX_MESSAGE_BYTES). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
/** How long the first update of a group commit waits for others (DOC_COMMIT_WINDOW_MS). */
export const DEFAULT_COMMIT_WINDOW_MS = 10;
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

export interface RealtimeConfig {
  maxMessageBytes: number;
  commitWindowMs: number;
  compactAfterUpdates: number;
  unloadDelayMs: number;
  sessionRecheckMs: number;
  decodeTimeoutMs: number;
  reconcileMs: number;
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
    compactAfterUpdates: positiveInt(env, 'DOC_COMPACT_AFTER', DEFAULT_COMPACT_AFTER_UPDATES),
    unloadDelayMs: positiveInt(env, 'DOC_UNLOAD_DELAY_MS', DEFAULT_UNLOAD_DELAY_MS, 0),
    sessionRecheckMs: positiveInt(env, 'DOC_SESSION_RECHECK_MS', DEFAULT_SESSION_RECHECK_MS, 100),
    decodeTimeoutMs: positiveInt(env, 'DOC_DECODE_TIMEOUT_MS', DEFAULT_DECODE_TIMEOUT_MS, 10),
    reconcileMs: positiveInt(env, 'DOC_RECONCILE_MS', DEFAULT_RECONCILE_MS, 50),
  };
}
