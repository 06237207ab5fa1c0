/**
 * One loaded live document. It keeps two copies:
 * - `doc`, the durable state: exactly what the log holds, and all any client
 *   has been sent. Updates reach it only after their commit, and are then
 *   broadcast to every connection.
 * - `scratch`, the accepted state: `doc` plus accepted updates waiting for
 *   their commit. An incoming update is applied here first, in isolation, and
 *   checked by the kind's validator through the changes Yjs reports for it
 *   (cost proportional to the update, not the document). A refused update
 *   leaves `doc` untouched; `scratch` is then rebuilt from `doc` and the
 *   pending updates (cost proportional to the document, on refusals only).
 * Updates are accepted one at a time, in arrival order.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { DOC_CLOSE, type DocCloseCode } from '../../schema/wire/docs.ts';
import { awarenessUserOf } from '../../schema/wire/presence.ts';
import { AppError, badRequest, forbidden } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import { Restored, compensate, netChanges, typeChange } from './compensate.ts';
import type { DocKind, KeyChange, Refusal, SharedType, TypeChange } from './doc-kind.ts';
import type { StoredDoc, StoredSince } from './doc-store.repository.ts';
import { awarenessHolder, guardAwareness } from './awareness-guard.ts';
import { type AwarenessEntry, encodeAwareness, encodeAwarenessEntries, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from './protocol.ts';

/** Stored bytes (snapshot + log + pending) a document may reach; updates beyond are refused. */
export const MAX_DOC_BYTES = 16 * 1024 * 1024;
/** Awareness states are small (name, colour, cursor); a message with a larger one closes its connection (4400). */
export const MAX_AWARENESS_STATE_BYTES = 8 * 1024;

const SCRATCH_ORIGIN = Symbol('scratch');
/** Origin of the server's compensating changes in the scratch copy. */
const COMPENSATION_ORIGIN = Symbol('compensation');
/** Refused parts of one update before the whole update is restored. */
export const MAX_REFUSED_PARTS = 32;
/** Deepest nesting of shared types an accepted change may touch. */
export const MAX_TYPE_DEPTH = 64;
/** Origin of changes stored by another node (several nodes): forwarded to every local peer, never published again. */
export const REMOTE_ORIGIN = Symbol('remote');
/** The note `DocChange.prompt` leaves: the projection should not wait out its window. */
const PROMPT_NOTE = Symbol('prompt');

/** A connection as a document sees it. */
export interface DocPeer {
  readonly access: 'write' | 'read';
  /** The session's user: the `user` of every awareness state this peer sets. */
  readonly user: User;
  /** Awareness client ids this peer announced, removed when it leaves. */
  readonly awarenessIds: Set<number>;
  send(frame: Uint8Array): void;
  close(code: DocCloseCode, reason: string): void;
}

export type AcceptInput =
  | { type: 'update'; update: Uint8Array }
  | { type: 'change'; change: (doc: Y.Doc) => void; origin?: string };

export type AcceptOutcome =
  /** Stored (once `durable` resolves); `refusals` name the parts that were refused and restored. */
  | { status: 'accepted'; durable: Promise<number>; refusals: AppError[] }
  | { status: 'unchanged' }
  /** The update builds on changes the server has not received yet (they arrive later on the same connection). */
  | { status: 'incomplete' }
  /** Nothing was stored: malformed, over the document's quota, or a refused server-side change. */
  | { status: 'refused'; error: AppError };

/** An accepted update handed to the group commit (committer.ts). */
export interface CommitRequest {
  doc: LiveDocument;
  update: Uint8Array;
  user: User | null;
  /** Passed to the durable document's transaction: the sending connection is not echoed its own update. */
  origin: unknown;
}

/** Queues an update for the group commit; resolves with its log id once it is stored and broadcast. */
export type EnqueueCommit = (req: CommitRequest) => Promise<number>;

/** What one extraction of the projection covered. */
export interface ProjectionReach {
  /** The last log row in the state it read. */
  upTo: number;
  /** How many notes it read. */
  notes: number;
  allVersion: number;
}

interface Capture {
  changes: TypeChange[];
  updates: Uint8Array[];
}

export class LiveDocument {
  /**
   * The durable state: what is stored, up to `unapplied` (see `doc`). Made when first read:
   * a document loaded for a server-side edit (an import) never needs it.
   */
  private durableCopy: Y.Doc | null = null;
  /**
   * Stored and committed updates not yet applied to `durable`, oldest first
   * (at load: the snapshot and the log rows). Applying every commit to a
   * second copy would double Yjs's work per edit; most of the time nobody
   * reads it (the projection reads `scratch` while it holds exactly the
   * stored state), so they are applied, in one transaction, when someone does.
   */
  private unapplied: Uint8Array[] = [];
  /** True while an update is in `scratch` but not yet among `pending` (being settled), or being undone. */
  private settling = false;
  /** Made when a peer or another node first speaks of awareness (see `awareness`). */
  private awarenessState: awarenessProtocol.Awareness | null = null;
  readonly peers = new Set<DocPeer>();
  /** Holders: connections and running server-side edits. */
  leases = 0;
  /** Id of the last log row contained in `doc`. */
  lastUpdateId: number;
  /** Log rows written since the snapshot. */
  logRows: number;
  /** Bytes stored: snapshot + log rows since. */
  storedBytes: number;
  /** The projection values last written (JSON) and when; the projector skips unchanged ones. */
  projectedKey: string | null = null;
  projectedAt = 0;
  /** The last log row the projection describes. */
  projectedId: number;
  /** The commit of the newest accepted update: updates of one document are stored in order. */
  private lastDurable: Promise<number> | null = null;

  private scratch: Y.Doc;
  /** Accepted updates not yet committed, oldest first, and the kind's notes on each. */
  private pending: Uint8Array[] = [];
  private pendingNotes: unknown[][] = [];
  /** Notes of the stored updates not yet projected, oldest first. */
  private unprojected: unknown[] = [];
  /** Set when the notes do not tell everything (another node's updates, a document loaded to be projected again). */
  private unprojectedAll = false;
  /** The last log row whose projection was asked for promptly (`DocChange.prompt`); 0 when none. */
  private promptUpTo = 0;
  private allVersion = 0;
  private pendingBytes = 0;
  private capture: Capture | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private destroyed = false;
  /** A remote update waits for changes not received yet: `scratch` is rebuilt once they arrive. */
  private scratchBehind = false;
  /** Several nodes: log ids past `lastUpdateId` already applied from the bus (not applied or counted again). */
  private readonly remoteIds = new Set<number>();
  /** Counts the other nodes' updates applied; a commit re-reads a projection read before one arrived. */
  remoteVersion = 0;
  /** Counts what reached the stored state (commits, other nodes' updates): a snapshot knows what it holds. */
  storedVersion = 0;
  /** Several nodes: called with each update this node stored, and with its own clients' awareness changes. */
  onStored: ((ids: number[], update: Uint8Array) => void) | null = null;
  onLocalAwareness: ((payload: Uint8Array) => void) | null = null;

  constructor(
    readonly name: string,
    readonly id: string,
    readonly kind: DocKind,
    stored: StoredDoc,
    private readonly enqueue: EnqueueCommit,
  ) {
    // What is stored waits as `unapplied` until the durable copy is first read (a peer joins).
    this.unapplied = stored.snapshot ? [stored.snapshot, ...stored.updates] : [...stored.updates];
    this.lastUpdateId = stored.lastUpdateId;
    this.projectedId = stored.lastUpdateId;
    this.logRows = stored.updates.length;
    this.storedBytes = stored.bytes;
    this.scratch = this.newScratch(this.unapplied);
  }

  /** The peers' awareness (presence, cursors), made with the first peer or remote state. */
  get awareness(): awarenessProtocol.Awareness {
    if (this.awarenessState) return this.awarenessState;
    // Awareness reads nothing of its document but the client id and its end: a copy of its own
    // spares making the durable copy for it.
    const awareness = new awarenessProtocol.Awareness(new Y.Doc({ guid: this.name }));
    awareness.setLocalState(null);
    awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      if (isPeer(origin) && this.peers.has(origin)) {
        // Held until the peer leaves, removed state or not: nobody else may take the id meanwhile.
        for (const id of [...added, ...updated]) origin.awarenessIds.add(id);
      }
      const payload = awarenessProtocol.encodeAwarenessUpdate(awareness, changed);
      const frame = encodeAwareness(payload);
      // Not back to the connection it came from: its client has it (a quarter of the frames with four per document).
      for (const peer of this.peers) if (peer !== origin) peer.send(frame);
      // A local client's change (or its leaving, origin null) goes to the other nodes; a timeout does not.
      if (origin === null || isPeer(origin)) this.onLocalAwareness?.(payload);
    });
    this.awarenessState = awareness;
    return awareness;
  }

  /**
   * The durable copy, empty until made. No 'update' listener on it: Yjs would encode every
   * commit's updates again for it. `committed` broadcasts what it applies; `applyRemote` listens
   * for the one update it applies.
   */
  private get durable(): Y.Doc {
    this.durableCopy ??= this.newDoc();
    return this.durableCopy;
  }

  /** The durable state: every stored update this node has, none that is not stored yet. */
  get doc(): Y.Doc {
    if (this.unapplied.length > 0) {
      const updates = this.unapplied;
      this.unapplied = [];
      applyAll(this.durable, updates);
    }
    return this.durable;
  }

  /**
   * A copy holding exactly the stored state, to read from: `scratch` when it
   * holds nothing more (no update pending or being settled, no gap), which
   * spares making the durable copy and applying the commits to it (a peer
   * joining, a snapshot, a projection); otherwise that copy.
   */
  storedState(): Y.Doc {
    return this.pending.length === 0 && !this.settling && !this.scratchBehind ? this.scratch : this.doc;
  }

  // -- connections -----------------------------------------------------------

  join(peer: DocPeer): void {
    this.peers.add(peer);
    peer.send(encodeSyncStep1(Y.encodeStateVector(this.storedState())));
    const states = this.awareness.getStates();
    if (states.size > 0) {
      peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
    }
  }

  leave(peer: DocPeer): void {
    if (!this.peers.delete(peer)) return;
    if (peer.awarenessIds.size > 0 && !this.destroyed) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], null);
    }
  }

  /** Sync step 2 for a client's state vector: what the durable state has that the client lacks. */
  diffFor(stateVector: Map<number, number>): Uint8Array {
    return encodeSyncStep2(Y.encodeStateAsUpdate(this.storedState(), Y.encodeStateVector(stateVector)));
  }

  allAwareness(): Uint8Array | null {
    if (!this.awarenessState) return null;
    const states = this.awarenessState.getStates();
    if (states.size === 0) return null;
    return encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()]));
  }

  /**
   * Applies what a peer may say about itself in an awareness update
   * (awareness-guard.ts), re-encoded: the received `payload` is never relayed.
   * False when a state is too large.
   */
  applyAwareness(peer: DocPeer, _payload: Uint8Array, entries: AwarenessEntry[]): boolean {
    const verdict = guardAwareness(
      entries,
      { user: awarenessUserOf(peer.user), held: peer.awarenessIds.size, holderOf: (id) => awarenessHolder(this.awareness, this.peers, peer, id) },
      MAX_AWARENESS_STATE_BYTES,
    );
    if (!verdict.ok) return false;
    if (verdict.entries.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(verdict.entries), peer);
    return true;
  }

  /** Awareness of this node's own clients, for a node that just loaded the document; null when none. */
  localAwareness(): Uint8Array | null {
    const ids: number[] = [];
    for (const peer of this.peers) for (const id of peer.awarenessIds) if (this.awareness.getStates().has(id)) ids.push(id);
    return ids.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids) : null;
  }

  /** Applies another node's clients' awareness change; it reaches every local peer. */
  applyRemoteAwareness(payload: Uint8Array): void {
    if (this.destroyed) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, payload, REMOTE_ORIGIN);
  }

  closeAll(code: DocCloseCode, reason: string, filter: (p: DocPeer) => boolean = () => true): void {
    for (const peer of [...this.peers]) if (filter(peer)) peer.close(code, reason);
  }

  // -- updates ---------------------------------------------------------------

  /** Validates and accepts an update (or a server-side change); resolves once accepted or refused. */
  accept(input: AcceptInput, user: User, access: 'write' | 'read', origin: unknown): Promise<AcceptOutcome> {
    const run = this.chain.then(() => this.acceptNow(input, user, access, origin));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Resolves when every update handed to `accept` so far has been accepted or refused. */
  settled(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  /** Once `settled`: resolves when every accepted update is stored, or its commit failed. */
  stored(): Promise<void> {
    // A failed commit is the committer's to report; here it only means nothing waits any more.
    return (this.lastDurable ?? Promise.resolve(0)).then(
      () => undefined,
      () => undefined,
    );
  }

  private async acceptNow(input: AcceptInput, user: User, access: 'write' | 'read', origin: unknown): Promise<AcceptOutcome> {
    if (this.destroyed) return refused(new AppError('internal', 500, 'The document was unloaded'));
    const capture: Capture = { changes: [], updates: [] };
    this.settling = true;
    try {
      return await this.acceptInScratch(input, user, access, origin, capture);
    } finally {
      this.settling = false;
    }
  }

  /** `acceptNow` with `settling` set: the update is in `scratch` and not yet pending until this returns. */
  private async acceptInScratch(input: AcceptInput, user: User, access: 'write' | 'read', origin: unknown, capture: Capture): Promise<AcceptOutcome> {
    this.capture = capture;
    try {
      if (input.type === 'update') Y.applyUpdate(this.scratch, input.update, SCRATCH_ORIGIN);
      else this.scratch.transact(() => input.change(this.scratch), input.origin ?? SCRATCH_ORIGIN);
    } catch (err) {
      this.capture = null;
      this.rebuildScratch();
      if (input.type === 'change') throw err;
      return refused(malformed('The update could not be applied'));
    }
    this.capture = null;

    const store = this.scratch.store;
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      this.rebuildScratch();
      return { status: 'incomplete' };
    }
    if (capture.updates.length === 0) return { status: 'unchanged' };
    const unknownRoot = [...this.scratch.share.keys()].find((k) => !(k in this.kind.roots));
    if (unknownRoot !== undefined) {
      this.rebuildScratch();
      return refused(malformed(`Unknown part ${unknownRoot}`));
    }
    const size = capture.updates.reduce((n, u) => n + u.length, 0);
    if (this.storedBytes + this.pendingBytes + size > MAX_DOC_BYTES) {
      this.rebuildScratch();
      return refused(new AppError('payload_too_large', 413, `The document would exceed ${MAX_DOC_BYTES} bytes`));
    }

    let refusals: AppError[];
    let notes: unknown[];
    try {
      ({ refusals, notes } = await this.settle(input, capture, user, access));
    } catch (err) {
      this.rebuildScratch();
      throw err;
    }
    // A server-side change is all or nothing: its caller hears of the refusal and nothing is stored.
    if (input.type === 'change' && refusals.length > 0) {
      this.rebuildScratch();
      return refused(refusals[0]!);
    }

    const update = capture.updates.length === 1 ? capture.updates[0]! : Y.mergeUpdates(capture.updates);
    this.pending.push(update);
    this.pendingNotes.push(notes);
    this.pendingBytes += update.length;
    // A compensated update goes back to its sender too: it lacks the compensation.
    const durable = this.enqueue({ doc: this, update, user, origin: refusals.length > 0 ? null : origin });
    this.lastDurable = durable;
    return { status: 'accepted', durable, refusals };
  }

  /**
   * Validates what the update changed; each refused part is restored by a
   * server-authored change in `scratch` (captured with the update), and the
   * rest validated again, until the kind accepts what remains. Answers the
   * reasons of the refused parts. A server-side change stops at the first.
   */
  private async settle(
    input: AcceptInput,
    capture: Capture,
    user: User,
    access: 'write' | 'read',
  ): Promise<{ refusals: AppError[]; notes: unknown[] }> {
    const refusals: AppError[] = [];
    let notes: unknown[] = [];
    const restored = new Restored();
    const tried = new Map<SharedType, Set<string>>();
    let before: Y.Doc | null = null;
    try {
      for (;;) {
        let refusal: Refusal | null;
        if (access === 'read') {
          refusal = { error: forbidden('This document is read-only for you'), part: 'all' };
        } else {
          const changes = netChanges(capture.changes, restored);
          if (changes.length === 0) break;
          const tooDeep = changes.find((ch) => depthOf(ch.target) > MAX_TYPE_DEPTH);
          refusal = tooDeep
            ? { error: badRequest('Nested too deeply', tooDeep.root), part: 'all' }
            : await this.validate(user, changes, (n) => {
                notes = n;
              });
        }
        if (!refusal) break;
        refusals.push(refusal.error);
        if (input.type === 'change') break;
        let part = refusal.part;
        // A part refused again after its restoration, or too many parts: restore everything.
        if (part !== 'all') {
          const key = 'keys' in part ? part.keys.join('\u0000') : '\u0001content';
          const seen = tried.get(part.of) ?? new Set<string>();
          const again = seen.has(key);
          seen.add(key);
          tried.set(part.of, seen);
          if (again || refusals.length > MAX_REFUSED_PARTS) part = 'all';
        }
        before ??= this.copyOfAccepted();
        const old = before;
        this.capture = capture;
        try {
          this.scratch.transact(() => compensate(this.scratch, old, part, restored), COMPENSATION_ORIGIN);
        } finally {
          this.capture = null;
        }
        if (part === 'all') break;
      }
    } finally {
      before?.destroy();
    }
    return { refusals, notes };
  }

  /** One validation by the kind; `keep` receives the notes it took (those of the accepting call count). */
  private validate(user: User, changes: readonly TypeChange[], keep: (notes: unknown[]) => void): Promise<Refusal | null> {
    const notes: unknown[] = [];
    keep(notes);
    return this.kind.validate({
      id: this.id,
      user,
      after: this.scratch,
      changes,
      note: (n) => notes.push(n),
      prompt: () => notes.push(PROMPT_NOTE),
    });
  }

  /** The accepted state before the update being settled: the durable state plus the pending updates. */
  private copyOfAccepted(): Y.Doc {
    return this.newDoc([integratedState(this.doc), ...this.pending]);
  }

  /**
   * Called by the committer once this document's updates of one commit (the
   * oldest pending ones, in order) are stored as the given log rows. They
   * reach the durable state, then every peer as one frame: a lone update
   * skips the connection that sent it; merged ones go to every peer (Yjs
   * ignores what a client already has), which costs a sender a few bytes
   * and saves a frame per update per peer.
   */
  committed(stored: ReadonlyArray<{ update: Uint8Array; id: number; origin: unknown }>): void {
    let bytes = 0;
    for (const s of stored) {
      bytes += s.update.length;
      this.lastUpdateId = Math.max(this.lastUpdateId, s.id);
    }
    this.pending.splice(0, stored.length);
    for (const notes of this.pendingNotes.splice(0, stored.length)) {
      for (const n of notes) {
        if (n === PROMPT_NOTE) this.promptUpTo = this.lastUpdateId;
        else this.unprojected.push(n);
      }
    }
    this.pendingBytes -= bytes;
    this.logRows += stored.length;
    this.storedBytes += bytes;
    if (this.destroyed || stored.length === 0) return;
    const only = stored.length === 1 ? stored[0]! : null;
    const update = only ? only.update : Y.mergeUpdates(stored.map((s) => s.update));
    this.unapplied.push(update);
    this.storedVersion++;
    const frame = encodeUpdate(update);
    for (const peer of this.peers) if (!only || peer !== only.origin) peer.send(frame);
    this.onStored?.(
      stored.map((s) => s.id),
      update,
    );
  }

  // -- several nodes ---------------------------------------------------------

  /**
   * Applies an update another node stored: to the durable state (and so to
   * every local peer) and to the scratch copy, so that later local updates
   * are validated against it. Yjs makes a repeated update a no-op.
   */
  applyRemote(update: Uint8Array, ids: readonly number[] = []): void {
    if (this.destroyed) return;
    // What the update adds to this copy reaches every local peer (nothing when it was here already).
    let added = null as Uint8Array | null;
    const onUpdate = (u: Uint8Array) => {
      added = u;
    };
    this.doc.on('update', onUpdate);
    try {
      Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
    } finally {
      this.doc.off('update', onUpdate);
    }
    if (added) {
      const frame = encodeUpdate(added);
      for (const peer of this.peers) peer.send(frame);
    }
    for (const id of ids) if (id > this.lastUpdateId) this.remoteIds.add(id);
    this.logRows += Math.max(1, ids.length);
    this.storedBytes += update.length;
    this.remoteVersion++;
    this.storedVersion++;
    // The projection this node wrote last no longer describes the document, and the notes do not say what changed.
    this.projectedKey = null;
    this.markAllUnprojected();
    const store = this.doc.store;
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      // It builds on changes not received yet; `scratch` must not hold a gap, or every local update would look incomplete.
      this.scratchBehind = true;
    } else if (this.scratchBehind) {
      this.scratchBehind = false;
      this.rebuildScratch();
    } else {
      Y.applyUpdate(this.scratch, update, REMOTE_ORIGIN);
    }
  }

  /** True when every one of these log rows is already in this copy. */
  hasRows(ids: readonly number[]): boolean {
    return ids.every((id) => id <= this.lastUpdateId || this.remoteIds.has(id));
  }

  /** Applies what the store holds beyond `lastUpdateId` (read by `readStoredSince`); true when anything was new. */
  catchUp(stored: StoredSince | undefined): boolean {
    if (!stored || this.destroyed) return false;
    let applied = false;
    if (stored.snapshot && stored.snapshot.lastUpdateId > this.lastUpdateId) {
      this.applyRemote(stored.snapshot.state);
      this.lastUpdateId = stored.snapshot.lastUpdateId;
      this.logRows = 0;
      this.storedBytes = stored.snapshot.state.length;
      applied = true;
    }
    for (const row of stored.updates) {
      if (row.id <= this.lastUpdateId) continue;
      // Rows the bus delivered are in already: the log only confirms there is no gap before them.
      if (!this.remoteIds.has(row.id)) {
        this.applyRemote(row.update);
        applied = true;
      }
      this.lastUpdateId = row.id;
    }
    for (const id of this.remoteIds) if (id <= this.lastUpdateId) this.remoteIds.delete(id);
    return applied;
  }

  /**
   * The projection of the stored state, read synchronously once per
   * projection run, and how far it reaches: pass `reach` to `projected` once
   * it is written.
   */
  extractStored(now: Date): { projection: unknown; reach: ProjectionReach } {
    const notes = this.unprojectedAll ? null : this.unprojected;
    const projection = this.kind.extract(this.storedState(), now, notes);
    return { projection, reach: { upTo: this.lastUpdateId, notes: this.unprojected.length, allVersion: this.allVersion } };
  }

  /** Whether a stored update asked for its projection promptly and is not projected yet. */
  get wantsPromptProjection(): boolean {
    return this.promptUpTo > this.projectedId;
  }

  /** The projection of `reach` is written (with these values, at `at`). */
  projected(reach: ProjectionReach, key: string, at: number): void {
    this.unprojected.splice(0, reach.notes);
    if (this.allVersion === reach.allVersion) this.unprojectedAll = false;
    this.projectedId = Math.max(this.projectedId, reach.upTo);
    this.projectedKey = key;
    this.projectedAt = at;
  }

  /** The next projection reads the whole document (the notes do not say everything). */
  markAllUnprojected(): void {
    this.unprojectedAll = true;
    this.allVersion++;
  }

  /** Storing failed: forget what was pending and make writers re-send it (Yjs sync) on reconnect. */
  storageFailed(): void {
    this.pending = [];
    this.pendingNotes = [];
    this.pendingBytes = 0;
    if (this.destroyed) return;
    this.rebuildScratch();
    this.closeAll(DOC_CLOSE.internal, 'Storage failed; reconnect to resend', (p) => p.access === 'write');
  }

  /**
   * After a compaction that covered every row up to `lastUpdateId`. `state` is the snapshot
   * taken at `version` (`storedVersion`): when nothing was stored since, it stands for the
   * durable copy, which is let go (a document most peers only type into seldom needs one).
   */
  compacted(state: Uint8Array, version: number): void {
    this.logRows = 0;
    this.storedBytes = state.length;
    if (version !== this.storedVersion || this.destroyed) return;
    this.durableCopy?.destroy();
    this.durableCopy = null;
    this.unapplied = [state];
  }

  /** A remote update waits for changes this node has not received (the hub reconciles with the log). */
  get behind(): boolean {
    return this.scratchBehind;
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  destroy(): void {
    this.destroyed = true;
    // Its own copy's end ends the awareness (its timer, its states).
    this.awarenessState?.doc.destroy();
    this.scratch.destroy();
    this.durableCopy?.destroy();
  }

  // -- copies ----------------------------------------------------------------

  /** A copy with the kind's roots and, applied in the same transaction, these updates. */
  private newDoc(updates: readonly Uint8Array[] = []): Y.Doc {
    // A guid given spares Yjs drawing a random UUID for every copy (31 calls to the system's
    // random source each: a quarter of an import's time, where documents are loaded by the thousand).
    const doc = new Y.Doc({ gc: true, guid: this.name });
    // One transaction for the roots and the updates: Yjs would open (and clean up) one per array,
    // fragment and update.
    doc.transact(() => {
      for (const [name, type] of Object.entries(this.kind.roots)) defineRoot(doc, name, type);
      for (const u of updates) Y.applyUpdate(doc, u);
    });
    return doc;
  }

  /**
   * A scratch copy: the durable state plus the pending updates, reporting every change it
   * undergoes. At load, built from the stored updates themselves (`stored`), unless they leave
   * parts waiting for missing ones: those the durable copy holds back (`integratedState`).
   */
  private newScratch(stored?: readonly Uint8Array[]): Y.Doc {
    let scratch = stored ? this.newDoc(stored) : this.copyOfAccepted();
    if (stored) {
      if (scratch.store.pendingStructs !== null || scratch.store.pendingDs !== null) {
        scratch.destroy();
        scratch = this.copyOfAccepted();
      }
    }
    for (const name of Object.keys(this.kind.roots)) {
      scratch.share.get(name)!.observeDeep((events) => {
        const capture = this.capture;
        if (capture) for (const ev of events) capture.changes.push(toTypeChange(name, ev));
      });
    }
    scratch.on('update', (update: Uint8Array) => this.capture?.updates.push(update));
    return scratch;
  }

  private rebuildScratch(): void {
    const old = this.scratch;
    this.scratch = this.newScratch();
    old.destroy();
  }
}

/** Applies updates in order, in one transaction (one cleanup and one event round for them all). */
function applyAll(doc: Y.Doc, updates: readonly Uint8Array[]): void {
  if (updates.length === 1) Y.applyUpdate(doc, updates[0]!);
  else if (updates.length > 1) doc.transact(() => {
    for (const u of updates) Y.applyUpdate(doc, u);
  });
}

function defineRoot(doc: Y.Doc, name: string, type: 'map' | 'array' | 'text' | 'xml'): void {
  switch (type) {
    case 'map':
      doc.getMap(name);
      return;
    case 'array':
      doc.getArray(name);
      return;
    case 'text':
      doc.getText(name);
      return;
    case 'xml':
      doc.getXmlFragment(name);
      return;
    default: {
      const never: never = type;
      throw new Error(`unknown root type ${never}`);
    }
  }
}

/** Reads what Yjs reports for one changed type, while the event is live (its details expire after). */
export function toTypeChange(root: string, ev: Y.YEvent<SharedType>): TypeChange {
  const target = ev.target;
  const subs = ev.transaction.changed.get(target) ?? new Set<string | null>();
  const keys = new Map<string, KeyChange>();
  let listChanged = false;
  for (const sub of subs) {
    if (sub === null) listChanged = true;
  }
  if (subs.size > (listChanged ? 1 : 0)) {
    for (const [k, v] of ev.keys) keys.set(k, { action: v.action, oldValue: v.oldValue });
  }
  const addedItems = listChanged ? [...ev.changes.added] : [];
  const removed = listChanged && target instanceof Y.Array ? [...ev.changes.deleted].flatMap(removedValues) : [];
  return typeChange(root, target, keys, listChanged, addedItems, removed);
}

/** A deleted array item's values as they were: a map as an object of its plain values (its own entries are deleted with it). */
function removedValues(item: Y.Item): unknown[] {
  const content = item.content;
  if (content instanceof Y.ContentType && content.type instanceof Y.Map) {
    const plain: Record<string, unknown> = {};
    for (const [key, entry] of content.type._map) {
      const value = entry.content.getContent().at(-1);
      if (!(value instanceof Y.AbstractType)) plain[key] = value;
    }
    return [plain];
  }
  return content instanceof Y.ContentAny ? content.getContent() : [];
}

/** How many shared types enclose `type` (a root: 0); stops counting past MAX_TYPE_DEPTH. */
function depthOf(type: SharedType): number {
  let depth = 0;
  for (let item = type._item; item !== null && depth <= MAX_TYPE_DEPTH; item = (item.parent as SharedType)._item) depth++;
  return depth;
}

/**
 * The document's state without the parts Yjs holds back for missing
 * dependencies (`encodeStateAsUpdate` includes them). With several nodes, a
 * remote update can wait for another one for a moment; local clients never
 * saw such a part, so the scratch copy must not hold it either.
 */
function integratedState(doc: Y.Doc): Uint8Array {
  const store = doc.store;
  const { pendingStructs, pendingDs } = store;
  if (pendingStructs === null && pendingDs === null) return Y.encodeStateAsUpdate(doc);
  store.pendingStructs = null;
  store.pendingDs = null;
  try {
    return Y.encodeStateAsUpdate(doc);
  } finally {
    store.pendingStructs = pendingStructs;
    store.pendingDs = pendingDs;
  }
}

function isPeer(x: unknown): x is DocPeer {
  return typeof x === 'object' && x !== null && 'awarenessIds' in x && 'send' in x;
}

/** Input that is not a well-formed change of this document: its sender is disconnected. */
function malformed(message: string): AppError {
  return new AppError('bad_request', 400, message);
}

function refused(error: AppError): AcceptOutcome {
  return { status: 'refused', error };
}
