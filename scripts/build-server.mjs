// Compiles the server (TypeScript) into one ES module with esbuild, packages left to node_modules.
// Run as a script: builds dist/server/main.mjs when it is missing or older than the sources.
// The files the server starts by URL (the update decoder's worker, PGlite's first-run script) are
// copied next to the bundle, where `new URL('./…', import.meta.url)` finds them.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['server', 'schema'];
const BESIDE = ['server/realtime/update-decoder.worker.mjs', 'server/db/pglite-init.mjs'];

export const SERVER_OUT = join(ROOT, 'dist/server/main.mjs');

/** The newest modification time of the files below `dir`. */
export function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Bundles `entry` (a path from the project's root) into `outfile`; packages stay imports. */
export async function buildServer(entry, outfile) {
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  mkdirSync(dirname(outfile), { recursive: true });
  for (const file of BESIDE) copyFileSync(join(ROOT, file), join(dirname(outfile), file.split('/').at(-1)));
}

/** Builds the server unless dist/server/main.mjs is newer than every source file. */
export async function ensureServerBuilt() {
  const sources = Math.max(...SOURCES.map((d) => newest(join(ROOT, d))), statSync(join(ROOT, 'package.json')).mtimeMs);
  if (existsSync(SERVER_OUT) && statSync(SERVER_OUT).mtimeMs >= sources) return;
  console.log('Building the server…');
  await buildServer('server/main.ts', SERVER_OUT);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await ensureServerBuilt();
