/**
 * Bounded decoding of untrusted updates: each update is decoded in a worker
 * thread with resource limits first; one that takes longer than the timeout
 * or exhausts the worker's memory is refused, and the worker is replaced.
 * Only updates that decoded in bounds reach a Y.Doc on the main thread, where
 * decoding the same bytes again is then bounded as well.
 */
import { Worker } from 'node:worker_threads';

/** Memory of the decoding worker: enough for a 1 MiB update, far below the process'. */
const WORKER_OLD_GENERATION_MB = 96;
const WORKER_YOUNG_GENERATION_MB = 16;
const WORKER_STACK_MB = 4;

export type DecodeResult =
  | { ok: true; structs: number; deletes: number }
  | { ok: false; reason: 'malformed' | 'timeout' | 'out-of-memory' | 'closed'; detail: string };

interface Job {
  id: number;
  update: Uint8Array;
  resolve: (r: DecodeResult) => void;
}

type WorkerReply = { id: number; ok: true; structs: number; deletes: number } | { id: number; ok: false; error: string };

export class UpdateDecoder {
  private worker: Worker | null = null;
  /** Jobs sent to the current worker, oldest first; it answers in order. */
  private inFlight: Job[] = [];
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Shared with the worker: [job id being decoded or 0, pad, start time (ms) as float64]. */
  private progress = new SharedArrayBuffer(16);

  /** `workerUrl`: the decoding script (tests substitute one that misbehaves on purpose). */
  constructor(
    private readonly timeoutMs: number,
    private readonly workerUrl: URL = new URL('./update-decoder.worker.mjs', import.meta.url),
  ) {}

  decode(update: Uint8Array): Promise<DecodeResult> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'closed', detail: 'decoder closed' });
    // A view on a larger buffer (a WebSocket frame) would be cloned whole: send the update's own bytes only.
    const own = update.byteOffset === 0 && update.byteLength === update.buffer.byteLength ? update : update.slice();
    return new Promise((resolve) => {
      const job = { id: this.nextId++, update: own, resolve };
      this.inFlight.push(job);
      this.ensureWorker().postMessage({ id: job.id, update: own });
      if (this.inFlight.length === 1) this.armTimer();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    for (const job of this.inFlight.splice(0)) job.resolve({ ok: false, reason: 'closed', detail: 'decoder closed' });
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerUrl, {
      resourceLimits: {
        maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB,
        maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
        stackSizeMb: WORKER_STACK_MB,
      },
      // The worker needs no loader hooks of the parent (tsx, vitest): it is plain JavaScript.
      execArgv: [],
      workerData: { progress: this.progress },
    });
    worker.unref();
    worker.on('message', (reply: WorkerReply) => this.onReply(worker, reply));
    worker.on('error', (err) => this.onWorkerLost(worker, 'out-of-memory', String(err)));
    worker.on('exit', (code) => this.onWorkerLost(worker, 'out-of-memory', `worker exited with ${code}`));
    this.worker = worker;
    return worker;
  }

  private onReply(worker: Worker, reply: WorkerReply): void {
    if (worker !== this.worker) return;
    const head = this.inFlight[0];
    if (!head || head.id !== reply.id) return;
    this.inFlight.shift();
    head.resolve(
      reply.ok ? { ok: true, structs: reply.structs, deletes: reply.deletes } : { ok: false, reason: 'malformed', detail: reply.error },
    );
    this.clearTimer();
    if (this.inFlight.length > 0) this.armTimer();
  }

  /** The head job killed the worker (or ran out of time): refuse it, replay the others on a new worker. */
  private onWorkerLost(worker: Worker, reason: 'timeout' | 'out-of-memory', detail: string): void {
    if (worker !== this.worker) return;
    this.worker = null;
    this.clearTimer();
    Atomics.store(new Int32Array(this.progress, 0, 1), 0, 0);
    void worker.terminate();
    const [head, ...rest] = this.inFlight;
    this.inFlight = [];
    head?.resolve({ ok: false, reason, detail });
    if (this.closed) {
      for (const job of rest) job.resolve({ ok: false, reason: 'closed', detail: 'decoder closed' });
      return;
    }
    for (const job of rest) {
      this.inFlight.push(job);
      this.ensureWorker().postMessage({ id: job.id, update: job.update });
    }
    if (this.inFlight.length > 0) this.armTimer();
  }

  /**
   * Checks the head job after the timeout: only a decode the worker itself has
   * been running for longer than the timeout ends it. A worker that has not
   * started the job yet, or whose answer waits in a busy event loop, is
   * checked again later.
   */
  private armTimer(delay = this.timeoutMs): void {
    this.clearTimer();
    const worker = this.worker;
    this.timer = setTimeout(() => {
      this.timer = null;
      const head = this.inFlight[0];
      if (!worker || worker !== this.worker || !head) return;
      const running = Atomics.load(new Int32Array(this.progress, 0, 1), 0);
      const elapsed = Date.now() - new Float64Array(this.progress, 8, 1)[0]!;
      if (running === head.id && elapsed >= this.timeoutMs) {
        this.onWorkerLost(worker, 'timeout', `decoding took longer than ${this.timeoutMs} ms`);
      } else {
        this.armTimer(running === head.id ? this.timeoutMs - elapsed : this.timeoutMs);
      }
    }, delay);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
