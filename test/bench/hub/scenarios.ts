/** The hub benchmark's workloads (issue "Live documents", section Benchmark). `--quick` shrinks them for smoke runs. */
import type { Scenario } from './ipc.ts';

const FULL: Scenario[] = [
  { kind: 'traffic', id: 'a', title: '(a) 50 clients on 1 document, 1 edit/s each', clients: 50, docs: 1, editIntervalMs: 1000, durationMs: 20_000 },
  { kind: 'traffic', id: 'b', title: '(b) 500 clients over 100 documents, 1 edit per 2 s', clients: 500, docs: 100, editIntervalMs: 2000, durationMs: 20_000 },
  { kind: 'traffic', id: 'c', title: '(c) 2000 clients over 500 documents, 1 edit per 5 s', clients: 2000, docs: 500, editIntervalMs: 5000, durationMs: 20_000 },
  { kind: 'history', id: 'd', title: '(d) 20,000 single edits of history, then new clients join', edits: 20_000, joins: 20 },
  { kind: 'traffic', id: 'e', title: '(e) 2000 clients over 500 documents, 1 edit per 2 s (twice c)', clients: 2000, docs: 500, editIntervalMs: 2000, durationMs: 20_000 },
];

/**
 * The rate sweep, run only when named (`--scenarios=c,e,f,g`): the load of c
 * at 1500 and 2000 edits/s, to find the rate at which p95 crosses 100 ms.
 */
const SWEEP: Scenario[] = [
  { kind: 'traffic', id: 'f', title: '(f) 2000 clients over 500 documents, 1 edit per 1.33 s (1500 edits/s)', clients: 2000, docs: 500, editIntervalMs: 1333, durationMs: 20_000 },
  { kind: 'traffic', id: 'g', title: '(g) 2000 clients over 500 documents, 1 edit per 1 s (2000 edits/s)', clients: 2000, docs: 500, editIntervalMs: 1000, durationMs: 20_000 },
];

const QUICK: Scenario[] = [
  { kind: 'traffic', id: 'a', title: '(a, quick) 10 clients on 1 document, 1 edit/s each', clients: 10, docs: 1, editIntervalMs: 1000, durationMs: 5000 },
  { kind: 'traffic', id: 'b', title: '(b, quick) 100 clients over 20 documents, 1 edit per 2 s', clients: 100, docs: 20, editIntervalMs: 2000, durationMs: 5000 },
  { kind: 'traffic', id: 'c', title: '(c, quick) 400 clients over 100 documents, 1 edit per 5 s', clients: 400, docs: 100, editIntervalMs: 5000, durationMs: 5000 },
  { kind: 'history', id: 'd', title: '(d, quick) 2,000 single edits of history, then new clients join', edits: 2000, joins: 5 },
];

/** The scenarios to run: all the default ones, or those named (the sweep's only when named). */
export function scenarios(quick: boolean, ids: readonly string[] | null): Scenario[] {
  if (quick) return QUICK.filter((s) => !ids || ids.includes(s.id));
  if (!ids) return FULL;
  return [...FULL, ...SWEEP].filter((s) => ids.includes(s.id));
}

/** Documents a server must prepare for a scenario. */
export function docsNeeded(s: Scenario): number {
  return s.kind === 'traffic' ? s.docs : 1;
}
