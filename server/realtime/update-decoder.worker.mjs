/**
 * Decodes untrusted Yjs updates away from the main thread. Some crafted
 * updates make Yjs' decoder loop or allocate without end (yjs issue #687);
 * here that costs one worker, which the main thread terminates (timeout) or
 * loses (resource limits) and replaces. Plain JavaScript so that it runs the
 * same under tsx, vitest and node.
 *
 * In: { jobs: [{ id, update: Uint8Array }] }. Out, once all are decoded:
 * { results: [{ id, ok: true, structs, deletes } or { id, ok: false, error }] }.
 * Progress is published in the shared `progress`
 * array (workerData): [id of the job being decoded, 0 when idle] and the
 * time it started, so that the main thread times the decode itself, not its
 * own event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';

const job = new Int32Array(workerData.progress, 0, 1);
const started = new Float64Array(workerData.progress, 8, 1);

parentPort.on('message', ({ jobs }) => {
  const results = [];
  for (const { id, update } of jobs) {
    started[0] = Date.now();
    Atomics.store(job, 0, id);
    try {
      const decoded = Y.decodeUpdate(update);
      let deletes = 0;
      for (const ranges of decoded.ds.clients.values()) deletes += ranges.length;
      results.push({ id, ok: true, structs: decoded.structs.length, deletes });
    } catch (err) {
      results.push({ id, ok: false, error: String(err?.message ?? err) });
    }
  }
  Atomics.store(job, 0, 0);
  parentPort.postMessage({ results });
});
