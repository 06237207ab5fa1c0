/**
 * The embedded database on disk (`npm start` without DATABASE_URL): a new data directory is
 * created by PGlite in a child process (server/db/pglite-init.mjs), then opened here; what is
 * written survives closing and opening it again.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/database.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('a PGlite data directory', () => {
  it('is created when missing, opened, and keeps what was written across a reopen', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'tandem-pglite-')), 'data');
    dirs.push(dir);
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(false);

    const first = await openDatabase(undefined, dir);
    expect(first.engine).toBe('pglite');
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
    await sql`create table kept (id int primary key, label text not null)`.execute(first.db);
    await sql`insert into kept values (1, '保留 kept')`.execute(first.db);
    await first.close();

    // Opened again with PGlite's hot code compiled by the optimizing tier too (PGLITE_WASM_TIER).
    const again = await openDatabase(undefined, dir, { wasmTier: 'optimizing' });
    const { rows } = await sql<{ id: number; label: string }>`select id, label from kept`.execute(again.db);
    expect(rows).toEqual([{ id: 1, label: '保留 kept' }]);
    await again.close();
  }, 120_000);
});
