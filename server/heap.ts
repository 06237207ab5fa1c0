/**
 * How far V8 lets the JavaScript heap grow past what is live before a full collection. Left to
 * itself it lets a busy hub's heap reach three to four times the live objects (an edit's
 * short-lived objects outlive the young generation while its commit and projection run), so the
 * resident memory doubles for garbage. At 10 % the full collections come sooner; measured in
 * `npm run bench -- hub` (c) they cost no CPU the runs' noise shows, and the peak resident memory
 * falls by a third (docs/benchmarks.md).
 */
import { setFlagsFromString } from 'node:v8';

export const DEFAULT_HEAP_GROWTH_PERCENT = 10;

/** `percent` 0 leaves V8's own heuristics. V8 reads the flag at every collection, so setting it at start-up is enough. */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
