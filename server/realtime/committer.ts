/**
 * Group commit. Accepted updates of every document wait here, then one
 * multi-row INSERT appends them all to the log; only after it has committed
 * are they applied to the durable documents and broadcast, and the documents
 * handed to the projector (projector.ts), which follows the log. When the database is
 * idle the commit starts at once (on the next turn of the event loop, so the
 * updates of that turn share it); while commits follow each other, an update
 * waits at most `windowMs` after the previous commit ended, so that one
 * commit carries all that arrived meanwhile. No update waits more than the
 * window plus the commit in progress. Compactions run between commits, in the
 * same queue, so that a snapshot never races a batch of the same document.
 */
import { AppError } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import type { LogRow } from './doc-store.repository.ts';
import type { CommitRequest, LiveDocument } from './document.ts';
import type { EngineDeps } from './engine-deps.ts';
import type { Projector } from './projector.ts';
import * as Y from 'yjs';
import { WindowedStart } from './windowed-start.ts';

/** With several nodes, a commit whose every document another node is committing retries after this long at least. */
const DEFERRED_RETRY_MS = 5;

interface Entry extends CommitRequest {
  /** With the update's log id. */
  resolve(id: number): void;
  reject(err: unknown): void;
}

export class Committer {
  private queue: Entry[] = [];
  private jobs: Array<() => Promise<void>> = [];
  /** When the next run starts. */
  private readonly start: WindowedStart;
  private active: Promise<void> | null = null;
  /** When the last commit ended (ms, monotonic). */

  constructor(
    private readonly deps: Pick<EngineDeps, 'store' | 'log' | 'now'>,
    private readonly projector: Projector,
    private readonly windowMs: number,
    private readonly compactAfterUpdates: number,
    /**
     * Several nodes share the database: every commit and compaction takes the
     * documents' advisory locks and first applies what other nodes stored
     * (so projections and snapshots describe every stored update).
     */
    private readonly shared = false,
  ) {
    this.start = new WindowedStart(windowMs, () => {
      this.active ??= this.drain();
    });
  }

  /** Queues an accepted update; resolves with its log id once it is stored and broadcast. */
  enqueue(req: CommitRequest): Promise<number> {
    return new Promise<number>((resolve, reject) => {
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
    this.start.cancel();
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
    if (!this.active) this.start.schedule();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 || this.jobs.length > 0) {
        if (this.queue.length > 0) {
          const stored = await this.commit(this.queue.splice(0));
          this.start.ended();
          // Updates that arrived during the commit wait out the rest of the window (and deferred
          // ones, at least a moment, for the other node's transaction to end).
          const pause = stored === 0 ? Math.max(this.windowMs, DEFERRED_RETRY_MS) : this.windowMs;
          if (this.queue.length > 0 && pause > 0) await new Promise((r) => setTimeout(r, pause));
        }
        for (const job of this.jobs.splice(0)) await job();
      }
    } finally {
      this.active = null;
    }
  }

  /** Stores a batch; answers how many of its updates were stored (with several nodes, some may wait for the next). */
  private async commit(all: Entry[]): Promise<number> {
    let batch = all;
    let deferred: Entry[] = [];
    let ids: number[];
    try {
      if (this.shared) {
        ({ batch, deferred, ids } = await this.storeShared(all));
      } else {
        // One INSERT is atomic by itself: no transaction needed.
        ids = await this.deps.store.append(rowsOf(batch));
      }
    } catch (err) {
      this.deps.log.error({ err, docs: [...new Set(batch.map((e) => e.doc.name))] }, 'storing document updates failed');
      const failedDocs = new Set(batch.map((e) => e.doc));
      // Later updates of these documents were accepted on top of the failed ones: drop them too.
      const dropped = this.queue.filter((e) => failedDocs.has(e.doc));
      this.queue = this.queue.filter((e) => !failedDocs.has(e.doc));
      for (const doc of failedDocs) doc.storageFailed();
      const error = new AppError('internal', 500, 'Storing the change failed');
      for (const e of [...batch, ...dropped]) e.reject(error);
      return 0;
    } finally {
      // Documents another node is committing wait for the next commit, ahead of their newer updates.
      if (deferred.length > 0) this.queue.unshift(...deferred);
    }
    // Each document takes its stored updates in order, broadcasts them as one frame, and is projected soon.
    const byDoc = new Map<LiveDocument, Array<{ update: Uint8Array; id: number; origin: unknown }>>();
    const lastUser = new Map<LiveDocument, User | null>();
    batch.forEach((e, i) => {
      const list = byDoc.get(e.doc) ?? [];
      list.push({ update: e.update, id: ids[i]!, origin: e.origin });
      byDoc.set(e.doc, list);
      lastUser.set(e.doc, e.user);
    });
    for (const [doc, stored] of byDoc) {
      doc.committed(stored);
      this.projector.mark(doc, lastUser.get(doc) ?? null);
      if (doc.logRows >= this.compactAfterUpdates) this.jobs.push(() => this.compactNow(doc));
    }
    for (const [i, e] of batch.entries()) e.resolve(ids[i]!);
    return batch.length;
  }

  /**
   * A commit when several nodes share the database. Each document's advisory
   * lock is tried, never waited for: a document another node is committing
   * right now waits for this node's next commit instead of stalling the whole
   * batch (and every other document in it) behind the other node's
   * transaction. Under the locks, what other nodes stored is applied first,
   * so that a document's log ids follow the order its copies apply them in.
   */
  private storeShared(all: Entry[]) {
    return this.deps.store.transaction(async (tx) => {
      const locked = await tx.tryLock([...new Set(all.map((e) => e.doc.name))]);
      const batch = all.filter((e) => locked.has(e.doc.name));
      const deferred = all.filter((e) => !locked.has(e.doc.name));
      if (batch.length === 0) return { batch, deferred, ids: [] as number[] };
      const docs = [...new Set(batch.map((e) => e.doc))];
      const since = await tx.readSince(new Map(docs.map((d) => [d.name, d.lastUpdateId])));
      for (const doc of docs) doc.catchUp(since.get(doc.name));
      return { batch, deferred, ids: await tx.append(rowsOf(batch)) };
    });
  }

  private async compactNow(doc: LiveDocument): Promise<void> {
    if (doc.logRows === 0) return;
    try {
      let state: Uint8Array | null = null;
      let version = 0;
      await this.deps.store.transaction(async (tx) => {
        if (this.shared) {
          // Another node may have stored updates this one has not applied yet: apply them, or the snapshot would drop them.
          await tx.lock([doc.name]);
          doc.catchUp((await tx.readSince(new Map([[doc.name, doc.lastUpdateId]]))).get(doc.name));
        }
        version = doc.storedVersion;
        state = Y.encodeStateAsUpdate(doc.storedState());
        await tx.writeSnapshot(doc.name, state, doc.lastUpdateId, this.deps.now());
      });
      doc.compacted(state!, version);
    } catch (err) {
      // The log still holds every update; compaction is retried after the next commit.
      this.deps.log.error({ err, doc: doc.name }, 'compacting a document failed');
    }
  }
}

function rowsOf(batch: readonly Entry[]): LogRow[] {
  return batch.map((e) => ({ docName: e.doc.name, update: e.update, userId: e.user?.id ?? null }));
}
