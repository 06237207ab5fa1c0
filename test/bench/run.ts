/**
 * `npm run bench`: runs every benchmark, each in a child process of its own
 * (tsx), and lets each print its tables.
 *
 *   npm run bench                   all benchmarks, full scenarios
 *   npm run bench -- hub            only those whose name contains "hub"
 *   npm run bench -- --quick        shorter scenarios, for a smoke run
 *   npm run bench -- hub --servers=tandem-pglite,hocuspocus --scenarios=c
 *
 * Flags (arguments starting with --) are passed to every benchmark; other
 * arguments select benchmarks by name.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Every benchmark, by name; a missing file is reported and skipped. */
const BENCHMARKS = [
  { name: 'hub', file: 'hub.bench.ts' },
  { name: 'customers', file: 'customers.bench.ts' },
  { name: 'customers-import', file: 'customer-import.bench.ts' },
  { name: 'customer-list', file: 'customer-list.bench.ts' },
  { name: 'notify', file: 'notify.bench.ts' },
  { name: 'board', file: 'board.bench.ts' },
  { name: 'board-render', file: 'board-render.bench.ts' },
  { name: 'reports', file: 'reports.bench.ts' },
] as const;

function runBenchmark(file: string, flags: string[]): Promise<number> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...flags], { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolveRun(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolveRun(1));
  });
}

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const filters = args.filter((a) => !a.startsWith('--'));
const selected = BENCHMARKS.filter((b) => filters.length === 0 || filters.some((f) => b.name.includes(f)));
if (selected.length === 0) {
  process.stderr.write(`No benchmark matches ${filters.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}

let failed = 0;
for (const bench of selected) {
  const file = resolve(HERE, bench.file);
  if (!existsSync(file)) {
    process.stdout.write(`\n== ${bench.name}: ${bench.file} is not present, skipped\n`);
    continue;
  }
  process.stdout.write(`\n== ${bench.name} (${bench.file}${flags.length ? ` ${flags.join(' ')}` : ''})\n`);
  const code = await runBenchmark(file, flags);
  if (code !== 0) {
    failed++;
    process.stdout.write(`== ${bench.name} exited with code ${code}\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
