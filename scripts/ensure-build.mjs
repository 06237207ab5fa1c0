// Builds the client once if dist/client is missing or older than the client sources.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { ensureServerBuilt, newest } from './build-server.mjs';

const OUT = 'dist/client/index.html';

const sources = Math.max(newest('client'), newest('schema/wire'));
if (!existsSync(OUT) || statSync(OUT).mtimeMs < sources) {
  console.log('Building the client…');
  execSync('npx vite build', { stdio: 'inherit' });
}

// The server runs compiled (scripts/build-server.mjs), not through a TypeScript loader.
await ensureServerBuilt();
