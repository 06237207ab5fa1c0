/**
 * Bounded decoding of untrusted updates: each update is decoded in a worker
 * thread with resource limits first; one that takes longer than the timeout
 * or exhausts the worker's memory is refused, and the worker is replaced.
 * Only updates that decoded in bounds reach a Y.Doc on the main thread, where
 * decoding the same bytes again is then bounded as well. The updates that
 * arrive in one turn of the event loop travel to the worker in one message,
 * and their answers come back in one: a round trip per update would cost
 * more than decoding a small one.
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

type WorkerResult = { id: number; ok: true; structs: number; deletes: number } | { id: number; ok: false; error: string };
type WorkerReply = { results: WorkerResult[] };

export class UpdateDecoder {
  private worker: Worker | null = null;
  /** Jobs sent to the current worker, oldest first; it answers in order. */
  private inFlight: Job[] = [];
  /** Jobs of this turn of the event loop, posted together at its end. */
  private batch: Job[] = [];
  private flushing: NodeJS.Immediate | null = null;
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
      this.batch.push({ id: this.nextId++, update: own, resolve });
      this.flushing ??= setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.flushing = null;
    const jobs = this.batch.splice(0);
    if (jobs.length === 0) return;
    if (this.closed) {
      for (const job of jobs) job.resolve({ ok: false, reason: 'closed', detail: 'decoder closed' });
      return;
    }
    this.post(jobs);
  }

  private post(jobs: Job[]): void {
    const idle = this.inFlight.length === 0;
    this.inFlight.push(...jobs);
    this.ensureWorker().postMessage({ jobs: jobs.map((j) => ({ id: j.id, update: j.update })) });
    if (idle) this.armTimer();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = null;
    for (const job of [...this.inFlight.splice(0), ...this.batch.splice(0)]) {
      job.resolve({ ok: false, reason: 'closed', detail: 'decoder closed' });
    }
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
    for (const r of reply.results) {
      const i = this.inFlight.findIndex((j) => j.id === r.id);
      if (i < 0) continue;
      const [job] = this.inFlight.splice(i, 1);
      job!.resolve(r.ok ? { ok: true, structs: r.structs, deletes: r.deletes } : { ok: false, reason: 'malformed', detail: r.error });
    }
    this.clearTimer();
    if (this.inFlight.length > 0) this.armTimer();
  }

  /**
   * The job the worker was decoding killed it (or ran out of time): refuse
   * that one, replay the others on a new worker (those it had decoded but not
   * yet answered decode again).
   */
  private onWorkerLost(worker: Worker, reason: 'timeout' | 'out-of-memory', detail: string): void {
    if (worker !== this.worker) return;
    this.worker = null;
    this.clearTimer();
    const running = Atomics.load(new Int32Array(this.progress, 0, 1), 0);
    Atomics.store(new Int32Array(this.progress, 0, 1), 0, 0);
    void worker.terminate();
    const jobs = this.inFlight;
    this.inFlight = [];
    const culprit = jobs.find((j) => j.id === running) ?? jobs[0];
    culprit?.resolve({ ok: false, reason, detail });
    const rest = jobs.filter((j) => j !== culprit);
    if (this.closed) {
      for (const job of rest) job.resolve({ ok: false, reason: 'closed', detail: 'decoder closed' });
      return;
    }
    if (rest.length > 0) this.post(rest);
  }

  /**
   * Checks the job the worker is decoding after the timeout: only a decode
   * the worker itself has been running for longer than the timeout ends it.
   * A worker that has not started, or whose answer waits in a busy event
   * loop, is checked again later.
   */
  private armTimer(delay = this.timeoutMs): void {
    this.clearTimer();
    const worker = this.worker;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!worker || worker !== this.worker || this.inFlight.length === 0) return;
      const running = Atomics.load(new Int32Array(this.progress, 0, 1), 0);
      const elapsed = Date.now() - new Float64Array(this.progress, 8, 1)[0]!;
      const busy = running !== 0 && this.inFlight.some((j) => j.id === running);
      if (busy && elapsed >= this.timeoutMs) {
        this.onWorkerLost(worker, 'timeout', `decoding took longer than ${this.timeoutMs} ms`);
      } else {
        this.armTimer(busy ? this.timeoutMs - elapsed : this.timeoutMs);
      }
    }, delay);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
