/**
 * How far V8 lets the JavaScript heap grow past what is live before a full collection. Left to
 * itself it lets a busy hub's heap reach three to four times the live objects (an edit's
 * short-lived objects outlive the young generation while its commit and projection run), so the
 * resident memory doubles for garbage. At 10 % the full collections come sooner: measured in
 * `npm run bench -- hub` (c) they cost no CPU the runs' noise shows, and the peak resident memory
 * falls by a third (docs/benchmarks.md).
 *
 * Bulk work (an import) allocates far more per second over a larger live heap, where collecting
 * that often would cost more CPU than the memory saves (the import's server CPU rose by 80 % in
 * `npm run bench -- customers`): while one runs, V8's own heuristics apply again.
 */
import { setFlagsFromString } from 'node:v8';

export const DEFAULT_HEAP_GROWTH_PERCENT = 10;

/** The configured growth (0: V8's own), and how many bulk runs are under way. Process-wide, as the heap is. */
let configured = 0;
let bulkRuns = 0;

/** `percent` 0: V8's own heuristics. V8 reads the flag at every collection, so setting it at start-up is enough. */
export function limitHeapGrowth(percent: number): void {
  configured = percent;
  apply();
}

/** Runs bulk work with V8's own heap growth, restoring the limit once no bulk run is left. */
export async function withBulkHeap<T>(work: () => Promise<T>): Promise<T> {
  bulkRuns++;
  apply();
  try {
    return await work();
  } finally {
    bulkRuns--;
    apply();
  }
}

function apply(): void {
  // 0 is V8's own growth: set it too, so that a limit set before is lifted.
  setFlagsFromString(`--heap-growing-percent=${bulkRuns > 0 ? 0 : configured}`);
}
