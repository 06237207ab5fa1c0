/**
 * Creates a PGlite data directory (initdb) and exits. Run by database.ts in a child process
 * for a directory that holds no database yet: initdb grows PGlite's WebAssembly heap to about
 * 700 MB, and a WebAssembly heap never shrinks, so a server that created its own database
 * would carry that memory for as long as it runs; opening an existing directory takes about
 * 190 MB. Plain JavaScript so that it runs without the TypeScript loader.
 *
 *   node server/db/pglite-init.mjs <dataDir>
 */
import { PGlite } from '@electric-sql/pglite';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: pglite-init.mjs <dataDir>\n');
  process.exit(2);
}
const db = new PGlite(dataDir);
await db.waitReady;
await db.close();
