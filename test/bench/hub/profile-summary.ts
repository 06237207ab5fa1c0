/**
 * Summarises a V8 .cpuprofile (from `--cpu-prof`, e.g. `npm run bench -- hub
 * --cpu-prof=<dir>`): self time by function and by package or source file,
 * to see where a server spends its CPU.
 *
 *   tsx test/bench/hub/profile-summary.ts <file.cpuprofile> [top=25]
 */
import { readFile } from 'node:fs/promises';
import { formatTable } from './stats.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** `node_modules/<pkg>` (scoped too) or the project-relative path of a source file. */
export function sourceOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.startsWith('node:')) return url;
  const project = url.indexOf('/work/');
  return project >= 0 ? url.slice(url.indexOf('/', project + 6) + 1) : url;
}

async function main() {
  const file = process.argv[2];
  const top = Number(process.argv[3] ?? 25);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = profile.endTime - profile.startTime;

  const byFunction = new Map<string, number>();
  const bySource = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)') continue;
    const source = sourceOf(url, functionName);
    const fn = `${functionName || '(anonymous)'} ${source}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    bySource.set(source, (bySource.get(source) ?? 0) + us);
  }
  const busy = [...selfUs.entries()]
    .filter(([id]) => byId.get(id)?.callFrame.functionName !== '(idle)')
    .reduce((s, [, us]) => s + us, 0);
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => [k, (us / 1000).toFixed(0), `${((100 * us) / busy).toFixed(1)}%`]);
  process.stdout.write(`${file}\nprofiled ${(total / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s\n\n`);
  process.stdout.write(`${formatTable(['self time by package / file', 'ms', 'of busy'], rows(bySource))}\n\n`);
  process.stdout.write(`${formatTable(['self time by function', 'ms', 'of busy'], rows(byFunction))}\n\n`);

  // Inclusive time of the project's own functions (outside node_modules): where the hub's paths spend, callees included.
  const inclusive = new Map<number, number>();
  const total_ = (id: number): number => {
    const known = inclusive.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id);
    const own = n?.callFrame.functionName === '(idle)' ? 0 : (selfUs.get(id) ?? 0);
    const sum = own + (n?.children ?? []).reduce((acc, c) => acc + total_(c), 0);
    inclusive.set(id, sum);
    return sum;
  };
  const byOwnFunction = new Map<string, number>();
  for (const n of profile.nodes) {
    const { functionName, url, lineNumber } = n.callFrame;
    if (!url || url.includes('node_modules/') || url.startsWith('node:') || url.startsWith('wasm:')) continue;
    // Count a function once per stack: skip nodes whose ancestors already include the same function.
    const key = `${functionName || '(anonymous)'} ${sourceOf(url, functionName)}:${lineNumber + 1}`;
    if (hasAncestor(n.id, key)) continue;
    byOwnFunction.set(key, (byOwnFunction.get(key) ?? 0) + total_(n.id));
  }
  process.stdout.write(`${formatTable(['inclusive time, project functions', 'ms', 'of busy'], rows(byOwnFunction))}\n`);

  function hasAncestor(id: number, key: string): boolean {
    for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
      const f = byId.get(p)?.callFrame;
      if (f && `${f.functionName || '(anonymous)'} ${sourceOf(f.url, f.functionName)}:${f.lineNumber + 1}` === key) return true;
    }
    return false;
  }
}

await main();
