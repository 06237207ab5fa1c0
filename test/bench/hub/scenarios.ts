/** The hub benchmark's workloads (issue "Live documents", section Benchmark). `--quick` shrinks them for smoke runs. */
import type { Scenario } from './ipc.ts';

const FULL: Scenario[] = [
  { kind: 'traffic', id: 'a', title: '(a) 50 clients on 1 document, 1 edit/s each', clients: 50, docs: 1, editIntervalMs: 1000, durationMs: 20_000 },
  { kind: 'traffic', id: 'b', title: '(b) 500 clients over 100 documents, 1 edit per 2 s', clients: 500, docs: 100, editIntervalMs: 2000, durationMs: 20_000 },
  { kind: 'traffic', id: 'c', title: '(c) 2000 clients over 500 documents, 1 edit per 5 s', clients: 2000, docs: 500, editIntervalMs: 5000, durationMs: 20_000 },
  { kind: 'history', id: 'd', title: '(d) 20,000 single edits of history, then new clients join', edits: 20_000, joins: 20 },
];

const QUICK: Scenario[] = [
  { kind: 'traffic', id: 'a', title: '(a, quick) 10 clients on 1 document, 1 edit/s each', clients: 10, docs: 1, editIntervalMs: 1000, durationMs: 5000 },
  { kind: 'traffic', id: 'b', title: '(b, quick) 100 clients over 20 documents, 1 edit per 2 s', clients: 100, docs: 20, editIntervalMs: 2000, durationMs: 5000 },
  { kind: 'traffic', id: 'c', title: '(c, quick) 400 clients over 100 documents, 1 edit per 5 s', clients: 400, docs: 100, editIntervalMs: 5000, durationMs: 5000 },
  { kind: 'history', id: 'd', title: '(d, quick) 2,000 single edits of history, then new clients join', edits: 2000, joins: 5 },
];

export function scenarios(quick: boolean): Scenario[] {
  return quick ? QUICK : FULL;
}

/** Documents a server must prepare for a scenario. */
export function docsNeeded(s: Scenario): number {
  return s.kind === 'traffic' ? s.docs : 1;
}
