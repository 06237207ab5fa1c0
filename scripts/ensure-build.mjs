// Builds the client once if dist/client is missing or older than the client sources.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureServerBuilt } from './build-server.mjs';

const OUT = 'dist/client/index.html';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sources = Math.max(newest('client'), newest('schema/wire'));
if (!existsSync(OUT) || statSync(OUT).mtimeMs < sources) {
  console.log('Building the client…');
  execSync('npx vite build', { stdio: 'inherit' });
}

// The server runs compiled (scripts/build-server.mjs), not through a TypeScript loader.
await ensureServerBuilt();
