/**
 * The one Kysely instance, its dialect chosen by DATABASE_URL:
 * unset → PGlite on disk in dataDir; `memory://` → in-memory PGlite;
 * `postgres://…` / `postgresql://…` → a `pg` pool.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from './pglite-dialect.ts';
import pg from 'pg';
import type { Database } from '../../schema/types.ts';

export type DB = Kysely<Database>;
export type Engine = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: DB;
  engine: Engine;
  close(): Promise<void>;
}

const PG_POOL_SIZE = 10;

// pg returns BIGINT (int8) as string by default; our int8 columns are counters
// and sequence numbers well inside Number.MAX_SAFE_INTEGER.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * PGlite's own settings. Its data files live in this process's memory or go
 * through Node's file system (and the OS cache), so Postgres's default
 * 128 MB of shared buffers mostly doubles what is cached already. Most of
 * the rest is PGlite's own WebAssembly heap, which never shrinks: creating a
 * database (initdb) grows it to about 700 MB, so a new data directory is
 * created in a child process (createDataDir) and this process only opens it:
 * a process that opened an existing directory holds 160–210 MB of PGlite
 * with 32 MB of shared buffers and about 25 MB less with 16 (PGlite 0.5, Node 20); the
 * hub benchmark's latency on PGlite did not change with the smaller buffers.
 */
const PGLITE_SETTINGS = ['shared_buffers=16MB'];

export const PGLITE_WASM_TIERS = ['baseline', 'optimizing'] as const;
/**
 * How V8 compiles PGlite's WebAssembly (Postgres, 9 MB of it). By default V8 compiles every
 * function with its baseline compiler (Liftoff) and compiles the hot ones again with its
 * optimizing one (TurboFan); the optimized code and the compilers' working memory stay in the
 * process. `baseline` keeps to the first: in `npm run bench -- hub` (c) the PGlite process peaked
 * at 253 MB against 336, its CPU per edit within the runs' noise (docs/benchmarks.md). The setting is
 * process-wide and applies to modules compiled after it, so it is set before PGlite compiles.
 */
export type PgliteWasmTier = (typeof PGLITE_WASM_TIERS)[number];

export interface OpenOptions {
  /** PGlite only. */
  wasmTier?: PgliteWasmTier;
}

/** Runs PGlite's initdb for `dataDir` in a child process (pglite-init.mjs says why). */
async function createDataDir(dataDir: string): Promise<void> {
  const script = fileURLToPath(new URL('./pglite-init.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < 10_000) stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`Creating the database in ${dataDir} failed (exit ${code}): ${stderr.trim()}`);
}

export async function openDatabase(url: string | undefined, dataDir: string, open: OpenOptions = {}): Promise<DatabaseHandle> {
  if (url?.startsWith('postgres://') || url?.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: PG_POOL_SIZE });
    // An idle connection that the server ends (restart, database dropped) emits 'error' on the
    // pool; unhandled, that would crash the process. The pool drops it and opens another one
    // when needed; a query in flight still gets its own error.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  setFlagsFromString((open.wasmTier ?? 'baseline') === 'baseline' ? '--liftoff-only' : '--no-liftoff-only');
  // Loaded only when used: the module alone takes about 45 MB of a process on PostgreSQL.
  const { PGlite } = await import('@electric-sql/pglite');
  let pglite: PGlite;
  const options = { parsers: { 20: (v: string) => Number(v) }, postgresqlconf: PGLITE_SETTINGS };
  if (url === 'memory://') {
    pglite = new PGlite(options);
  } else if (url === undefined) {
    mkdirSync(dataDir, { recursive: true });
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await createDataDir(dataDir);
    pglite = new PGlite(dataDir, options);
  } else {
    throw new Error('DATABASE_URL must be unset, memory://, or a postgres:// URL');
  }
  await pglite.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    engine: 'pglite',
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
