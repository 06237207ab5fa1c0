import { type PgliteWasmTier, PGLITE_WASM_TIERS } from './db/database.ts';
import { DEFAULT_HEAP_GROWTH_PERCENT } from './heap.ts';
import { loadRealtimeConfig, type RealtimeConfig } from './realtime/realtime-config.ts';

/**
 * Configuration, parsed from an environment record. Only `main.ts` passes
 * `process.env` in; everything else receives a `Config`.
 */
export interface Config {
  port: number;
  host: string;
  /** undefined → PGlite on disk in dataDir; 'memory://' → in-memory PGlite; postgres://… → pg pool */
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  /** Prefix of every Redis key, stream and channel, so deployments can share one Redis (REDIS_PREFIX). */
  redisPrefix: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  logLevel: string;
  /** Set the Secure flag on the session cookie (serve behind https). */
  secureCookies: boolean;
  /** Origins allowed for state-changing requests and upgrades, besides the request's own host. */
  allowedOrigins: string[];
  /** Take the client address from X-Forwarded-For (behind a reverse proxy). */
  trustProxy: boolean;
  /** Largest accepted HTTP request body, bytes. */
  maxBodyBytes: number;
  /** Live-document hub limits and timings (server/realtime/realtime-config.ts). */
  realtime: RealtimeConfig;
  /** Outgoing mail (password reset links): smtp://user:pass@host:port or smtps://…; unset: no mail. */
  smtpUrl: string | undefined;
  /** The From address of that mail (MAIL_FROM). */
  mailFrom: string;
  /** The address users open Tandem at, for links in e-mail (PUBLIC_URL); unset: http://HOST:PORT. */
  publicUrl: string;
  /** How far the JavaScript heap grows past its live objects before a full collection, % (HEAP_GROWTH_PERCENT; 0: V8's own). */
  heapGrowthPercent: number;
  /** How PGlite's WebAssembly is compiled (PGLITE_WASM_TIER): `baseline` only, or also `optimizing` for hot code (database.ts). */
  pgliteWasmTier: PgliteWasmTier;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function loadConfig(env: Record<string, string | undefined>): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const maxBodyBytes = Number(env.MAX_BODY_BYTES ?? DEFAULT_MAX_BODY_BYTES);
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) throw new Error('MAX_BODY_BYTES must be a positive integer');
  const heapGrowthPercent = Number(env.HEAP_GROWTH_PERCENT ?? DEFAULT_HEAP_GROWTH_PERCENT);
  if (!Number.isInteger(heapGrowthPercent) || heapGrowthPercent < 0 || heapGrowthPercent > 1000) {
    throw new Error('HEAP_GROWTH_PERCENT must be an integer from 0 to 1000');
  }
  const pgliteWasmTier = (env.PGLITE_WASM_TIER || 'baseline') as PgliteWasmTier;
  if (!PGLITE_WASM_TIERS.includes(pgliteWasmTier)) throw new Error(`PGLITE_WASM_TIER must be one of ${PGLITE_WASM_TIERS.join(', ')}`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR ?? './data',
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: redisPrefix(env.REDIS_PREFIX),
    adminEmail: env.ADMIN_EMAIL || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    secureCookies: env.SECURE_COOKIES === '1' || env.SECURE_COOKIES === 'true',
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    maxBodyBytes,
    realtime: loadRealtimeConfig(env),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Tandem <no-reply@tandem.local>',
    publicUrl: publicUrl(env.PUBLIC_URL, env.HOST ?? '127.0.0.1', port),
    heapGrowthPercent,
    pgliteWasmTier,
  };
}

/** Links in e-mail never come from the request's Host header, which a sender can forge. */
function publicUrl(raw: string | undefined, host: string, port: number): string {
  if (!raw) return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('PUBLIC_URL must be an http(s) address');
  return url.origin + url.pathname.replace(/\/+$/, '');
}

export const DEFAULT_REDIS_PREFIX = 'tandem:';

function redisPrefix(raw: string | undefined): string {
  if (raw === undefined || raw === '') return DEFAULT_REDIS_PREFIX;
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(raw)) throw new Error('REDIS_PREFIX may hold only letters, digits and _.:- (at most 64)');
  return raw;
}
