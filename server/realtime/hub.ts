/**
 * The document hub: loads documents on demand, admits connections, applies
 * server-side edits through the same path as client updates, commits in
 * groups, compacts, unloads idle documents, and closes the connections of
 * sessions that end.
 */
import type * as Y from 'yjs';
import { DOC_CLOSE, parseDocName } from '../../schema/wire/docs.ts';
import { AppError, forbidden, notFound } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import { Committer } from './committer.ts';
import { Connection, type ConnectionLimits, type WebSocketLike } from './connection.ts';
import type { BusMessage, DocBus } from './doc-bus.ts';
import type { DocKind } from './doc-kind.ts';
import type { DocKindRegistry } from './doc-kinds.ts';
import { type EnqueueCommit, LiveDocument } from './document.ts';
import type { EngineDeps, SessionAuth } from './engine-deps.ts';
import { Projector } from './projector.ts';
import type { RealtimeConfig } from './realtime-config.ts';
import { UpdateDecoder } from './update-decoder.ts';
import { RefusalRate, UserBudgets } from './write-budget.ts';

/** How long a document a bulk writer edited (`edit(…, {unloadSoon})`) stays loaded once nobody holds it. */
export const BULK_UNLOAD_DELAY_MS = 1_000;

export interface DocTarget {
  name: string;
  kind: DocKind;
  id: string;
  access: 'write' | 'read';
}

interface DocEntry {
  ready: Promise<LiveDocument>;
  doc: LiveDocument | null;
  unloadTimer: NodeJS.Timeout | null;
  unloading: Promise<void> | null;
  /**
   * Only bulk writers held the document since it was loaded (`edit(…, {unloadSoon})`): its
   * unload leaves the few log rows they added to the next compaction instead of writing a
   * snapshot per document, which would double an import's writes.
   */
  bulkOnly: boolean;
}

export class DocHub {
  private readonly docs = new Map<string, DocEntry>();
  private readonly connections = new Set<Connection>();
  private readonly decoder: UpdateDecoder;
  private readonly budgets: UserBudgets;
  private readonly committer: Committer;
  private readonly projector: Projector;
  private readonly enqueue: EnqueueCommit;
  private readonly config: RealtimeConfig;
  private readonly recheckTimer: NodeJS.Timeout;
  private readonly stopRevoked: () => void;
  private rechecking = false;
  private closed = false;
  private readonly reconcileTimer: NodeJS.Timeout | null = null;
  private reconciling: Promise<void> | null = null;
  private reconcileAgain = false;

  /**
   * With a bus (several nodes on one PostgreSQL), documents held by several
   * nodes stay in step: stored updates and clients' awareness travel over
   * the bus, commits and compactions take per-document advisory locks, and
   * each node reconciles with the log every `reconcileMs` and when Redis
   * comes back.
   */
  constructor(
    private readonly deps: EngineDeps,
    private readonly kinds: DocKindRegistry,
    private readonly bus: DocBus | null = null,
  ) {
    this.config = deps.config;
    this.decoder = new UpdateDecoder(this.config.decodeTimeoutMs);
    this.budgets = new UserBudgets(this.config.writeBudget);
    this.projector = new Projector(deps, kinds, this.config.projectionWindowMs, bus !== null);
    this.committer = new Committer(deps, this.projector, this.config.commitWindowMs, this.config.compactAfterUpdates, bus !== null);
    this.enqueue = (req) => this.committer.enqueue(req);
    this.stopRevoked = deps.sessions.onRevoked((ids) => this.closeSessions(ids));
    this.recheckTimer = setInterval(() => void this.recheckSessions(), this.config.sessionRecheckMs);
    this.recheckTimer.unref();
    if (bus) {
      bus.onReconnect(() => {
        void this.reconcile();
        for (const entry of this.docs.values()) if (entry.doc) this.announce(entry.doc);
      });
      this.reconcileTimer = setInterval(() => void this.reconcile(), this.config.reconcileMs);
      this.reconcileTimer.unref();
    }
  }

  /** True when this node shares its documents with others through the bus. */
  get clustered(): boolean {
    return this.bus !== null;
  }

  /** The bus connection, for readiness: null without a bus. */
  get busConnected(): boolean | null {
    return this.bus ? this.bus.connected : null;
  }

  get maxMessageBytes(): number {
    return this.config.maxMessageBytes;
  }

  /** How often the sockets of the upgrade endpoint are pinged (keepalive.ts). */
  get pingIntervalMs(): number {
    return this.config.pingIntervalMs;
  }

  /** The session of a cookie's token and its user, or null (upgrade.ts answers 401). */
  authenticate(token: string): Promise<SessionAuth | null> {
    return this.deps.sessions.validate(token);
  }

  /** Resolves a document name for a user: 404 for unknown names and hidden records, the access otherwise. */
  async authorize(name: string, user: User): Promise<DocTarget> {
    const parsed = parseDocName(name);
    const kind = parsed ? this.kinds.get(parsed.kind) : undefined;
    if (!parsed || !kind) throw notFound('No such document');
    const access = await kind.access(user, parsed.id);
    if (access === 'hidden') throw notFound('No such document');
    return { name, kind, id: parsed.id, access };
  }

  /** Loads (or finds) a document and holds it for a caller; pair with `release`. */
  async acquire(target: Pick<DocTarget, 'name' | 'kind' | 'id'>): Promise<LiveDocument> {
    if (this.closed) throw new AppError('internal', 503, 'The server is shutting down');
    for (;;) {
      const entry = this.docs.get(target.name);
      if (!entry) break;
      if (entry.unloading) {
        await entry.unloading;
        continue;
      }
      const doc = await entry.ready;
      if (entry.unloading || this.docs.get(target.name) !== entry) continue;
      doc.leases++;
      if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
      entry.unloadTimer = null;
      return doc;
    }
    const entry: DocEntry = { ready: this.load(target), doc: null, unloadTimer: null, unloading: null, bulkOnly: true };
    this.docs.set(target.name, entry);
    try {
      const doc = await entry.ready;
      entry.doc = doc;
      doc.leases++;
      return doc;
    } catch (err) {
      this.docs.delete(target.name);
      throw err;
    }
  }

  /**
   * Lets go of a document; once nobody holds it, it is unloaded after `delayMs` (by default
   * DOC_UNLOAD_DELAY_MS) unless someone takes it again meanwhile.
   */
  release(doc: LiveDocument, delayMs = this.config.unloadDelayMs, bulk = false): void {
    doc.leases--;
    const entry = this.docs.get(doc.name);
    if (entry && entry.doc === doc && !bulk) entry.bulkOnly = false;
    if (doc.leases > 0 || !entry || entry.doc !== doc || entry.unloading || this.closed) return;
    if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
    entry.unloadTimer = setTimeout(() => {
      entry.unloadTimer = null;
      if (doc.leases === 0 && !entry.unloading) void this.unload(entry, doc);
    }, delayMs);
    entry.unloadTimer.unref();
  }

  /** Admits an upgraded WebSocket to a document acquired for it. */
  connect(ws: WebSocketLike, doc: LiveDocument, user: User, sessionId: string, access: 'write' | 'read'): Connection {
    const limits: ConnectionLimits = {
      budget: this.budgets.forConnection(user.id, Date.now()),
      refusals: new RefusalRate(this.config.maxRefusalsPerMinute, 60_000),
      maxWaitMs: this.config.writeBudget.maxWaitMs,
    };
    const conn = new Connection(ws, doc, user, sessionId, access, this.decoder, this.deps.log, limits, (c) => {
      if (this.connections.delete(c)) this.release(c.doc);
    });
    this.connections.add(conn);
    conn.start();
    return conn;
  }

  /**
   * Changes a document as `user`, through the same permission check,
   * validation, storage, projection and broadcast as a client's update.
   * Resolves once stored and projected (a query right after sees the
   * change); throws the AppError of a refusal (nothing stored).
   */
  async edit(
    name: string,
    user: User,
    change: (doc: Y.Doc) => void,
    /**
     * `unloadSoon`: the caller is a bulk writer (an import) that will not come back to this
     * document; unless someone has it open, it leaves memory after BULK_UNLOAD_DELAY_MS, so
     * that editing a million documents keeps only the last few thousand loaded.
     */
    opts: { origin?: string; unloadSoon?: boolean } = {},
  ): Promise<void> {
    const target = await this.authorize(name, user);
    if (target.access !== 'write') throw forbidden('This document is read-only for you');
    const doc = await this.acquire(target);
    try {
      const outcome = await doc.accept({ type: 'change', change, origin: opts.origin }, user, 'write', null);
      switch (outcome.status) {
        case 'accepted':
          await this.projector.whenProjected(doc, await outcome.durable);
          return;
        case 'unchanged':
          return;
        case 'incomplete':
          throw new AppError('internal', 500, 'A server-side change cannot depend on missing changes');
        case 'refused':
          throw outcome.error;
        default: {
          const never: never = outcome;
          throw new Error(`unknown outcome ${JSON.stringify(never)}`);
        }
      }
    } finally {
      if (opts.unloadSoon) this.release(doc, Math.min(BULK_UNLOAD_DELAY_MS, this.config.unloadDelayMs), true);
      else this.release(doc);
    }
  }

  /**
   * Re-checks the access of every connection to a document, for domain code
   * that changed it (a customer archived, moved to another team, deleted):
   * hidden now → close 4404; access changed → close 4001 (the client
   * reconnects and gets its new access).
   */
  async recheckAccess(name: string): Promise<void> {
    this.bus?.publish(name, { kind: 'recheck', node: this.bus.nodeId });
    await this.recheckLocal(name);
  }

  private async recheckLocal(name: string): Promise<void> {
    const conns = [...this.connections].filter((c) => c.doc.name === name);
    for (const c of conns) {
      const access = await c.doc.kind.access(c.user, c.doc.id);
      if (access === 'hidden') c.close(DOC_CLOSE.notFound, 'No such document');
      else if (access !== c.access) c.close(DOC_CLOSE.recheck, 'Access changed; reconnect');
    }
  }

  /** Stores and projects every accepted update. */
  async flush(): Promise<void> {
    for (const entry of this.docs.values()) if (entry.doc) await entry.doc.settled();
    await this.committer.flush();
    await this.projector.flush();
  }

  /**
   * Projects again the documents whose log runs past their projection's
   * watermark (the process stopped between a commit and its projection).
   * Run once at start; answers how many documents it projected.
   */
  async recover(batchSize = 200): Promise<number> {
    let count = 0;
    const failed = new Set<string>();
    for (;;) {
      const names = (await this.deps.store.findTrailing(batchSize + failed.size)).filter((n) => !failed.has(n));
      if (names.length === 0 || this.closed) return count;
      for (const name of names) {
        const parsed = parseDocName(name);
        const kind = parsed ? this.kinds.get(parsed.kind) : undefined;
        if (!parsed || !kind) {
          failed.add(name);
          continue;
        }
        try {
          const doc = await this.acquire({ name, kind, id: parsed.id });
          try {
            doc.markAllUnprojected();
            this.projector.mark(doc, null);
            await this.projector.flush();
            if (doc.projectedId < doc.lastUpdateId) failed.add(name);
            else count++;
          } finally {
            this.release(doc);
          }
        } catch (err) {
          failed.add(name);
          this.deps.log.warn({ err, doc: name }, 'projecting a document again failed');
        }
      }
    }
  }

  /** Closes every connection (they reconnect elsewhere or later). */
  disconnectAll(code = DOC_CLOSE.goingAway, reason = 'Server shutting down'): void {
    for (const c of [...this.connections]) c.close(code, reason);
  }

  /** How long documents waited for their projection since the last call, ms (metrics, the benchmark). */
  drainProjectionLags(): number[] {
    return this.projector.drainLags();
  }

  /** Number of loaded documents (for tests and metrics). */
  get loadedCount(): number {
    return this.docs.size;
  }

  /** Flushes, compacts and unloads every document, and stops. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.disconnectAll();
    await this.flush();
    this.closed = true;
    clearInterval(this.recheckTimer);
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    await this.reconciling;
    await this.projector.close();
    this.stopRevoked();
    const entries = [...this.docs.values()];
    for (const entry of entries) {
      if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
      const doc = entry.doc ?? (await entry.ready.catch(() => null));
      if (doc) await (entry.unloading ?? this.unload(entry, doc));
    }
    await this.decoder.close();
  }

  private async load(target: Pick<DocTarget, 'name' | 'kind' | 'id'>): Promise<LiveDocument> {
    const bus = this.bus;
    if (!bus) {
      const stored = await this.deps.store.load(target.name);
      return new LiveDocument(target.name, target.id, target.kind, stored, this.enqueue);
    }
    // Subscribed before reading the store, so nothing stored in between is missed; what arrives early waits.
    let doc: LiveDocument | null = null;
    const early: BusMessage[] = [];
    await bus.subscribe(target.name, (msg) => (doc ? this.onBusMessage(doc, msg) : early.push(msg)));
    try {
      const stored = await this.deps.store.load(target.name);
      doc = new LiveDocument(target.name, target.id, target.kind, stored, this.enqueue);
    } catch (err) {
      await bus.unsubscribe(target.name);
      throw err;
    }
    const loaded: LiveDocument = doc;
    loaded.onStored = (ids, update) => bus.publish(loaded.name, { kind: 'update', node: bus.nodeId, ids, update });
    loaded.onLocalAwareness = (payload) => bus.publish(loaded.name, { kind: 'awareness', node: bus.nodeId, payload });
    for (const msg of early) this.onBusMessage(loaded, msg);
    bus.publish(loaded.name, { kind: 'awareness-query', node: bus.nodeId });
    return loaded;
  }

  /** Another node's message about a document this node holds. */
  private onBusMessage(doc: LiveDocument, msg: BusMessage): void {
    switch (msg.kind) {
      case 'update':
        if (doc.hasRows(msg.ids)) return;
        doc.applyRemote(msg.update, msg.ids);
        // A gap (a message lost while Redis was away): the log has what is missing.
        if (doc.behind) void this.reconcile();
        return;
      case 'awareness':
        doc.applyRemoteAwareness(msg.payload);
        return;
      case 'awareness-query': {
        const mine = doc.localAwareness();
        if (mine && this.bus) this.bus.publish(doc.name, { kind: 'awareness', node: this.bus.nodeId, payload: mine });
        return;
      }
      case 'recheck':
        void this.recheckLocal(doc.name).catch((err: unknown) => this.deps.log.warn({ err, doc: doc.name }, 're-checking access failed'));
        return;
      case 'revoked':
        return;
      default: {
        const never: never = msg;
        throw new Error(`unknown bus message ${JSON.stringify(never)}`);
      }
    }
  }

  /** Tells the other nodes who is here, and asks who is there (after Redis came back). */
  private announce(doc: LiveDocument): void {
    const bus = this.bus;
    if (!bus) return;
    const mine = doc.localAwareness();
    if (mine) bus.publish(doc.name, { kind: 'awareness', node: bus.nodeId, payload: mine });
    bus.publish(doc.name, { kind: 'awareness-query', node: bus.nodeId });
  }

  /**
   * Applies what other nodes stored that this node has not received (lost
   * pub/sub messages, a Redis outage): one query for every loaded document.
   */
  reconcile(): Promise<void> {
    if (this.reconciling) {
      this.reconcileAgain = true;
      return this.reconciling;
    }
    const run = async () => {
      try {
        do {
          this.reconcileAgain = false;
          const loaded = [...this.docs.values()].map((e) => e.doc).filter((d): d is LiveDocument => d !== null);
          if (loaded.length === 0) return;
          const since = await this.deps.store.readSince(new Map(loaded.map((d) => [d.name, d.lastUpdateId])));
          for (const doc of loaded) doc.catchUp(since.get(doc.name));
        } while (this.reconcileAgain && !this.closed);
      } catch (err) {
        this.deps.log.warn({ err }, 'reconciling live documents with the log failed');
      }
    };
    // Cleared asynchronously: a run that ends at once (nothing loaded) must not leave itself set.
    this.reconciling = run().finally(() => {
      this.reconciling = null;
    });
    return this.reconciling;
  }

  private closeSessions(ids: string[]): void {
    const ended = new Set(ids);
    for (const c of [...this.connections]) {
      if (ended.has(c.sessionId)) c.close(DOC_CLOSE.unauthenticated, 'The session ended');
    }
  }

  private unload(entry: DocEntry, doc: LiveDocument): Promise<void> {
    entry.unloading = (async () => {
      try {
        // This document's own updates stored and projected; the others' commits and runs keep their windows.
        await doc.settled();
        await doc.stored();
        await this.projector.settle(doc);
        if (doc.logRows > 0 && !(entry.bulkOnly && doc.logRows < this.config.compactAfterUpdates)) await this.committer.compact(doc);
      } finally {
        this.projector.forget(doc);
        doc.destroy();
        if (this.docs.get(doc.name) === entry) this.docs.delete(doc.name);
        await this.bus?.unsubscribe(doc.name);
      }
    })();
    return entry.unloading;
  }

  /** Closes connections whose session expired, ended elsewhere, or whose user was deactivated or changed. */
  private async recheckSessions(): Promise<void> {
    if (this.rechecking || this.connections.size === 0) return;
    this.rechecking = true;
    try {
      // Only the connections open when the query starts: one that opens while it
      // runs has a session the answer does not cover (and was just checked anyway).
      const checked = [...this.connections];
      const ids = [...new Set(checked.map((c) => c.sessionId))];
      const live = await this.deps.sessions.findLive(ids);
      for (const c of checked) {
        if (!this.connections.has(c)) continue;
        const s = live.get(c.sessionId);
        if (!s) {
          c.close(DOC_CLOSE.unauthenticated, 'The session ended');
        } else if (s.role !== c.user.role || s.teamId !== c.user.teamId || s.mustChangePassword) {
          c.close(DOC_CLOSE.recheck, 'Access changed; reconnect');
        }
      }
    } catch (err) {
      this.deps.log.warn({ err }, 're-checking live sessions failed');
    } finally {
      this.rechecking = false;
    }
  }
}
