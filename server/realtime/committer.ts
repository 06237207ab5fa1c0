/**
 * Group commit. Accepted updates of every document wait here, then one
 * transaction appends them all to the log and runs the projection of each
 * document touched (the latest accepted state of each); only after COMMIT are
 * they applied to the durable documents and broadcast. When the database is
 * idle the commit starts at once (on the next turn of the event loop, so the
 * updates of that turn share it); while commits follow each other, an update
 * waits at most `windowMs` after the previous commit ended, so that one
 * commit carries all that arrived meanwhile. No update waits more than the
 * window plus the commit in progress. Compactions run between commits, in the
 * same queue, so that a snapshot never races a batch of the same document.
 */
import { AppError } from '../http/app-error.ts';
import type { AppContext } from '../context.ts';
import type { User } from '../users/user.ts';
import { appendUpdates, writeSnapshot } from './doc-store.repository.ts';
import type { ProjectionCommit } from './doc-kind.ts';
import type { LiveDocument } from './document.ts';
import * as Y from 'yjs';

/**
 * A batch whose projection values equal the last ones written for the
 * document skips the projection (typing in notes changes no column), unless
 * the last write is older than this: `updated_at` then moves on.
 */
export const PROJECTION_TOUCH_INTERVAL_MS = 60_000;

export interface CommitRequest {
  doc: LiveDocument;
  update: Uint8Array;
  user: User | null;
  /** Passed to the durable document's transaction: the sending connection is not echoed its own update. */
  origin: unknown;
  projection: unknown;
}

interface Entry extends CommitRequest {
  resolve(): void;
  reject(err: unknown): void;
}

export class Committer {
  private queue: Entry[] = [];
  private jobs: Array<() => Promise<void>> = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private active: Promise<void> | null = null;
  /** When the last commit ended (ms, monotonic). */
  private lastCommitEnd = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ctx: AppContext,
    private readonly windowMs: number,
    private readonly compactAfterUpdates: number,
  ) {}

  /** Queues an accepted update; resolves once it is stored (and projected) and broadcast. */
  enqueue(req: CommitRequest): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ...req, resolve, reject });
      this.kick();
    });
  }

  /** Compacts a document into its snapshot, after every update queued before. */
  compact(doc: LiveDocument): Promise<void> {
    return this.schedule(() => this.compactNow(doc));
  }

  /** Resolves when everything queued so far is stored. */
  async flush(): Promise<void> {
    this.cancelStart();
    while (this.queue.length > 0 || this.jobs.length > 0 || this.active) {
      this.active ??= this.drain();
      await this.active;
    }
  }

  private schedule(job: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.jobs.push(() => job().then(resolve, reject));
      this.kick();
    });
  }

  private kick(): void {
    if (this.active || this.timer || this.immediate) return;
    const start = () => {
      this.cancelStart();
      this.active ??= this.drain();
    };
    const wait = this.lastCommitEnd + this.windowMs - performance.now();
    if (wait <= 0) this.immediate = setImmediate(start);
    else this.timer = setTimeout(start, wait);
  }

  private cancelStart(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 || this.jobs.length > 0) {
        if (this.queue.length > 0) {
          await this.commit(this.queue.splice(0));
          this.lastCommitEnd = performance.now();
          // Updates that arrived during the commit wait out the rest of the window.
          if (this.queue.length > 0 && this.windowMs > 0) await new Promise((r) => setTimeout(r, this.windowMs));
        }
        for (const job of this.jobs.splice(0)) await job();
      }
    } finally {
      this.active = null;
    }
  }

  private async commit(batch: Entry[]): Promise<void> {
    const now = this.ctx.now();
    // The projections this batch must write: the latest state of each document, where it changed.
    const latest = new Map<LiveDocument, Entry>();
    for (const e of batch) latest.set(e.doc, e);
    const projections: Array<{ doc: LiveDocument; entry: Entry; key: string }> = [];
    for (const [doc, entry] of latest) {
      const key = JSON.stringify(entry.projection);
      if (key === doc.projectedKey && now.getTime() - doc.projectedAt < PROJECTION_TOUCH_INTERVAL_MS) continue;
      projections.push({ doc, entry, key });
    }
    const rows = batch.map((e) => ({ docName: e.doc.name, update: e.update, userId: e.user?.id ?? null }));
    const afterCommit: Array<() => void> = [];
    const commit: ProjectionCommit = { ctx: this.ctx, afterCommit: (fn) => afterCommit.push(fn) };
    let ids: number[];
    try {
      // One INSERT is atomic by itself: a batch with no projection to write needs no transaction.
      ids =
        projections.length === 0
          ? await appendUpdates(this.ctx.db, rows)
          : await this.ctx.db.transaction().execute(async (trx) => {
              const written = await appendUpdates(trx, rows);
              for (const { doc, entry } of projections) {
                await doc.kind.project(trx, doc.id, entry.projection, entry.user, now, commit);
              }
              return written;
            });
      for (const { doc, key } of projections) {
        doc.projectedKey = key;
        doc.projectedAt = now.getTime();
      }
    } catch (err) {
      this.ctx.log.error({ err, docs: [...new Set(batch.map((e) => e.doc.name))] }, 'storing document updates failed');
      const failedDocs = new Set(batch.map((e) => e.doc));
      // Later updates of these documents were accepted on top of the failed ones: drop them too.
      const dropped = this.queue.filter((e) => failedDocs.has(e.doc));
      this.queue = this.queue.filter((e) => !failedDocs.has(e.doc));
      for (const doc of failedDocs) doc.storageFailed();
      const error = new AppError('internal', 500, 'Storing the change failed');
      for (const e of [...batch, ...dropped]) e.reject(error);
      return;
    }
    for (const fn of afterCommit) {
      try {
        fn();
      } catch (err) {
        this.ctx.log.error({ err }, 'an after-commit step of a projection failed');
      }
    }
    const touched = new Set<LiveDocument>();
    batch.forEach((e, i) => {
      e.doc.committed(e.update, ids[i]!, e.origin);
      touched.add(e.doc);
      e.resolve();
    });
    for (const doc of touched) {
      if (doc.logRows >= this.compactAfterUpdates) this.jobs.push(() => this.compactNow(doc));
    }
  }

  private async compactNow(doc: LiveDocument): Promise<void> {
    if (doc.logRows === 0) return;
    const state = Y.encodeStateAsUpdate(doc.doc);
    const lastId = doc.lastUpdateId;
    try {
      await this.ctx.db.transaction().execute((trx) => writeSnapshot(trx, doc.name, state, lastId, this.ctx.now()));
      doc.compacted(state.length);
    } catch (err) {
      // The log still holds every update; compaction is retried after the next commit.
      this.ctx.log.error({ err, doc: doc.name }, 'compacting a document failed');
    }
  }
}
