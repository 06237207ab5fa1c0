/**
 * Decodes untrusted Yjs updates away from the main thread. Some crafted
 * updates make Yjs' decoder loop or allocate without end (yjs issue #687);
 * here that costs one worker, which the main thread terminates (timeout) or
 * loses (resource limits) and replaces. Plain JavaScript so that it runs the
 * same under tsx, vitest and node.
 *
 * In: { id, update: Uint8Array }. Out: { id, ok: true, structs, deletes } or
 * { id, ok: false, error }.
 */
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

parentPort.on('message', (msg) => {
  try {
    const decoded = Y.decodeUpdate(msg.update);
    let deletes = 0;
    for (const ranges of decoded.ds.clients.values()) deletes += ranges.length;
    parentPort.postMessage({ id: msg.id, ok: true, structs: decoded.structs.length, deletes });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, ok: false, error: String(err?.message ?? err) });
  }
});
