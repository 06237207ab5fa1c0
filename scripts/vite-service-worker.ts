/**
 * Writes dist/client/sw.js from client/sw/sw.js at build time, with the
 * build's version and the list of files to cache for opening offline (every
 * emitted chunk and asset, and the files of client/public). The version is a
 * hash of that list and of index.html, so a deploy that changes anything
 * installs a new worker (docs/offline.md).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin } from 'vite';

const SOURCE = 'client/sw/sw.js';
const PUBLIC_DIR = 'client/public';
const INDEX = 'client/index.html';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

export function serviceWorker(): Plugin {
  return {
    name: 'tandem-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const emitted = Object.keys(bundle).filter((f) => !f.endsWith('.map') && !f.endsWith('.html'));
      const publicFiles = filesUnder(PUBLIC_DIR).map((f) => relative(PUBLIC_DIR, f).split('\\').join('/'));
      const files = [...new Set([...emitted, ...publicFiles])].sort().map((f) => `/${f}`);
      const version = createHash('sha256')
        .update(files.join('\n'))
        .update(readFileSync(INDEX))
        .update(readFileSync(SOURCE))
        .digest('hex')
        .slice(0, 16);
      const template = readFileSync(SOURCE, 'utf8');
      if (!template.includes("const VERSION = 'dev';") || !template.includes('/* PRECACHE */ []')) throw new Error(`${SOURCE}: placeholders missing`);
      const source = template.replace("const VERSION = 'dev';", `const VERSION = '${version}';`).replace('/* PRECACHE */ []', JSON.stringify(files));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
