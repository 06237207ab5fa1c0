/**
 * The projector: the relational projection (search columns, activities,
 * opportunities, stage history, change history, notifications) follows the
 * log. After a commit has stored and broadcast updates, their documents are
 * marked here; a projection run then reads each marked document's stored
 * state once — however many updates it took meanwhile — and writes the
 * projections of all of them in one transaction, together with each
 * document's watermark (`doc_projections`: the last log row the projection
 * describes). Runs follow each other: one starts as soon as the previous
 * ends (after `windowMs` while there is a backlog), so updates arriving
 * during a run are coalesced into the next.
 *
 * The log stays the single source of truth: a run that fails leaves the
 * watermarks where they were and is retried; a process that dies between a
 * commit and its projection projects the trailing documents again at start
 * (`DocHub.recover`). A write the server makes itself (`hub.edit`) waits for
 * its projection (read-your-writes).
 */
import type { User } from '../users/user.ts';
import type { DocKind, Projected, UnitOfWork } from './doc-kind.ts';
import type { DocKindRegistry } from './doc-kinds.ts';
import type { LiveDocument, ProjectionReach } from './document.ts';
import type { EngineDeps } from './engine-deps.ts';
import { WindowedStart } from './windowed-start.ts';

/**
 * A run whose projection values equal the last ones written for a document
 * skips writing them (typing in notes changes no column), unless the last
 * write is older than this: `updated_at` then moves on.
 */
export const PROJECTION_TOUCH_INTERVAL_MS = 60_000;
/** Documents one projection run takes at most; the rest wait for the next run. */
const MAX_DOCS_PER_RUN = 100;
/** Lags kept between two `drainLags` calls, at most. */
const MAX_LAGS_KEPT = 100_000;
/** A document whose projection failed is tried again after this long, doubling up to RETRY_MAX_MS while it keeps failing. */
const RETRY_MS = 1_000;
const RETRY_MAX_MS = 60_000;

/** How long a projection run reads documents before it lets other work run, in ms. */
const EXTRACT_SLICE_MS = 4;

/** One document as a run read it. */
interface Extracted {
  doc: LiveDocument;
  user: User | null;
  projection: unknown;
  reach: ProjectionReach;
  key: string;
  changed: boolean;
}

interface Waiter {
  id: number;
  resolve(): void;
  reject(err: unknown): void;
}

export class Projector {
  /** Documents to project, with the last user whose update they took. */
  private dirty = new Map<LiveDocument, User | null>();
  private readonly waiters = new Map<LiveDocument, Waiter[]>();
  private active: Promise<void> | null = null;
  /** When the next run starts. */
  private readonly start: WindowedStart;
  private closed = false;
  /** Ends the pause between two runs early (set while one lasts). */
  private wake: (() => void) | null = null;
  /** Marked documents holding an update that asked for a prompt projection (an assignment). */
  private readonly prompted = new Set<LiveDocument>();
  /** Callers of `flush` waiting: no pause between runs meanwhile. */
  private flushing = 0;
  /** When each document was first marked since its last projection (monotonic ms). */
  private readonly markedAt = new Map<LiveDocument, number>();
  /** How long documents waited for their projection, since the last `drainLags` (metrics, the benchmark). */
  private lags: number[] = [];
  /** Consecutive failed projections of a document. */
  private readonly failures = new Map<LiveDocument, number>();
  /** The documents of the run in progress. */
  private readonly running = new Set<LiveDocument>();
  /** Resolved at the end of every run (`settle` waits on it). */
  private runEnded = deferred();

  constructor(
    private readonly deps: Pick<EngineDeps, 'store' | 'log' | 'now'>,
    /** Where the events projections emit go. */
    private readonly events: Pick<DocKindRegistry, 'dispatch'>,
    private readonly windowMs: number,
    /** Several nodes share the database: runs take the documents' advisory locks and catch up first. */
    private readonly shared = false,
  ) {
    this.start = new WindowedStart(windowMs, () => {
      this.active ??= this.drain();
    });
  }

  /** The document's stored updates await their projection. */
  mark(doc: LiveDocument, user: User | null): void {
    this.dirty.set(doc, user);
    if (doc.wantsPromptProjection) this.prompted.add(doc);
    if (!this.markedAt.has(doc)) this.markedAt.set(doc, performance.now());
    this.kick();
  }

  /** Resolves once the document's projection covers log row `id`; rejects when that projection failed. */
  whenProjected(doc: LiveDocument, id: number): Promise<void> {
    if (doc.projectedId >= id) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const list = this.waiters.get(doc) ?? [];
      list.push({ id, resolve, reject });
      this.waiters.set(doc, list);
      this.kick();
    });
  }

  /** Resolves when every document marked so far is projected (or its run failed). */
  async flush(): Promise<void> {
    this.start.cancel();
    this.flushing++;
    try {
      while (this.dirty.size > 0 || this.active) {
        this.wake?.();
        this.active ??= this.drain();
        await this.active;
      }
    } finally {
      this.flushing--;
    }
  }

  /**
   * Resolves once nothing of this document waits for a run or is in one: what was marked is
   * projected, or its run failed (the document is projected again at start). Other documents
   * keep their window, unlike `flush`.
   */
  async settle(doc: LiveDocument): Promise<void> {
    while (!this.closed && (this.dirty.has(doc) || this.running.has(doc))) {
      const ended = this.runEnded.promise;
      this.kick();
      await ended;
    }
  }

  /** Projects what is marked, then stops taking work. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.start.cancel();
  }

  /** The lags recorded since the last call, in ms: from a document's first commit after its last projection to its next projection. */
  drainLags(): number[] {
    const out = this.lags;
    this.lags = [];
    return out;
  }

  /** Forgets a document that is unloaded (after a flush: nothing of it is pending). */
  forget(doc: LiveDocument): void {
    this.dirty.delete(doc);
    this.prompted.delete(doc);
    this.markedAt.delete(doc);
    this.failures.delete(doc);
    for (const w of this.waiters.get(doc) ?? []) w.reject(new Error('The document was unloaded before its projection'));
    this.waiters.delete(doc);
  }

  private kick(): void {
    if (this.closed || this.dirty.size === 0) return;
    if (this.active) {
      // Between two runs: a full run or a waiting writer ends the pause.
      if (this.wake && this.urgent()) this.wake();
    } else if (this.urgent()) this.start.soon();
    else this.start.schedule();
  }

  /**
   * Whether the next run should start without waiting out the window: a full run's worth of
   * documents is marked, one holds an update that asked for it promptly (an assignment), a
   * server-side write waits for one of them (read-your-writes), or a caller flushes.
   */
  private urgent(): boolean {
    if (this.flushing > 0 || this.dirty.size >= MAX_DOCS_PER_RUN) return true;
    for (const doc of this.waiters.keys()) if (this.dirty.has(doc)) return true;
    for (const doc of this.prompted) if (this.dirty.has(doc)) return true;
    return false;
  }

  /** The pause between runs: `windowMs`, or until `kick` finds the next run urgent. */
  private pause(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.windowMs);
      this.wake = done;
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.dirty.size > 0) {
        // A bounded run: commits (on PGlite, which has one session) and waiting writers get their turn between runs.
        const batch = new Map<LiveDocument, User | null>();
        for (const [doc, user] of this.dirty) {
          batch.set(doc, user);
          this.dirty.delete(doc);
          this.prompted.delete(doc);
          if (batch.size >= MAX_DOCS_PER_RUN) break;
        }
        await this.run(batch);
        this.start.ended();
        if (this.dirty.size > 0 && this.windowMs > 0 && !this.urgent()) await this.pause();
      }
    } finally {
      this.active = null;
    }
  }

  /** One projection run over the given documents, in one transaction. */
  private async run(batch: Map<LiveDocument, User | null>): Promise<void> {
    for (const doc of batch.keys()) this.running.add(doc);
    try {
      await this.runNow(batch);
    } finally {
      for (const doc of batch.keys()) this.running.delete(doc);
      const ended = this.runEnded;
      this.runEnded = deferred();
      ended.resolve();
    }
  }

  private async runNow(batch: Map<LiveDocument, User | null>): Promise<void> {
    const now = this.deps.now();
    const afterCommit: Array<() => void> = [];
    const docs = [...batch.keys()];
    // When each waited from; marks made during the run start new waits.
    const since = new Map(docs.map((d) => [d, this.markedAt.get(d) ?? performance.now()]));
    for (const doc of docs) this.markedAt.delete(doc);
    let written: Extracted[] = [];
    try {
      // Alone on the database, the documents are read before the transaction opens, a slice at a
      // time: a run of many documents neither holds the event loop nor keeps the transaction (on
      // PGlite, the one session every commit needs) open while it reads them.
      const early = this.shared ? null : await this.extractAll(batch, now);
      written = await this.deps.store.transaction(async (tx) => {
        let extracted = early;
        if (!extracted) {
          // Another node may have stored updates this one has not applied: apply them, so the projection describes them too.
          await tx.lock(docs.map((d) => d.name));
          const since = await tx.readSince(new Map(docs.map((d) => [d.name, d.lastUpdateId])));
          for (const doc of docs) doc.catchUp(since.get(doc.name));
          extracted = await this.extractAll(batch, now);
        }
        // The documents whose projection changed, by kind: each kind writes its own at once.
        const changed = new Map<DocKind, Array<Projected<unknown>>>();
        for (const e of extracted) {
          if (!e.changed) continue;
          const list = changed.get(e.doc.kind) ?? [];
          list.push({ id: e.doc.id, projection: e.projection, user: e.user });
          changed.set(e.doc.kind, list);
        }
        const uow: UnitOfWork<unknown> = {
          trx: tx.trx,
          now,
          afterCommit: (fn) => afterCommit.push(fn),
          emit: (event) => this.events.dispatch(event, uow),
        };
        for (const [kind, docs] of changed) await kind.project(uow, docs);
        await tx.writeWatermarks(
          extracted.map(({ doc, reach }) => ({ docName: doc.name, updateId: reach.upTo })),
          now,
        );
        return extracted;
      }, { derived: true });
    } catch (err) {
      for (const [doc, at] of since) if (!this.markedAt.has(doc) || this.markedAt.get(doc)! > at) this.markedAt.set(doc, at);
      if (batch.size > 1) {
        // One document's failure must not hold back the others: each alone, so only the failing one waits.
        for (const [doc, user] of batch) await this.run(new Map([[doc, user]]));
        return;
      }
      const [doc, user] = [...batch][0]!;
      const failures = (this.failures.get(doc) ?? 0) + 1;
      this.failures.set(doc, failures);
      const wait = Math.min(RETRY_MAX_MS, RETRY_MS * 2 ** (failures - 1));
      this.deps.log.error({ err, doc: doc.name, failures, retryInMs: wait }, 'projecting a document failed; retrying');
      this.settleWaiters(doc, err);
      // The watermark did not move: try again later, with whatever arrived meanwhile.
      const retry = setTimeout(() => {
        if (!this.dirty.has(doc)) this.mark(doc, user);
      }, wait);
      retry.unref();
      return;
    }
    for (const doc of docs) this.failures.delete(doc);
    const end = performance.now();
    for (const { doc, reach, key } of written) {
      doc.projected(reach, key, now.getTime());
      if (this.lags.length < MAX_LAGS_KEPT) this.lags.push(end - since.get(doc)!);
    }
    for (const fn of afterCommit) {
      try {
        fn();
      } catch (err) {
        this.deps.log.error({ err }, 'an after-commit step of a projection failed');
      }
    }
    for (const doc of docs) this.settleWaiters(doc, null);
  }

  /**
   * Each document's projection from its stored state, and whether it differs from the last one
   * written (or that write is old); yields to the event loop between slices.
   */
  private async extractAll(batch: Map<LiveDocument, User | null>, now: Date): Promise<Extracted[]> {
    const out: Extracted[] = [];
    let sliceStart = performance.now();
    for (const [doc, user] of batch) {
      if (performance.now() - sliceStart >= EXTRACT_SLICE_MS) {
        await new Promise((r) => setImmediate(r));
        sliceStart = performance.now();
      }
      const { projection, reach } = doc.extractStored(now);
      const key = JSON.stringify(projection);
      const changed = key !== doc.projectedKey || now.getTime() - doc.projectedAt >= PROJECTION_TOUCH_INTERVAL_MS;
      out.push({ doc, user, projection, reach, key, changed });
    }
    return out;
  }

  private settleWaiters(doc: LiveDocument, err: unknown): void {
    const list = this.waiters.get(doc);
    if (!list) return;
    const keep: Waiter[] = [];
    for (const w of list) {
      if (err) w.reject(err);
      else if (doc.projectedId >= w.id) w.resolve();
      else keep.push(w);
    }
    if (keep.length > 0) this.waiters.set(doc, keep);
    else this.waiters.delete(doc);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
