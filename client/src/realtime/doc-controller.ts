/**
 * The one client controller for live documents (`customer:<id>`,
 * `board:<id>`): a ReactiveController that keeps a Y.Doc in sync with the hub
 * through the stock y-websocket provider, with one policy for access checks,
 * backoff, close codes, refusals and awareness (docs/client.md, "Live
 * documents"). Pages and domain layers (customer-live-doc.ts, board-live-doc.ts) read
 * and write `doc` and show `status`, `readOnly`, `peers`, `error` and
 * `refusals`.
 *
 * Contract with the hub (schema/wire/docs.ts):
 * - A refused part of an update does not end the connection: the hub keeps
 *   the rest, sends us a refusal message per refused part, and a compensating
 *   update that restores those parts. So `doc` is never dropped or replaced on
 *   a refusal (it may hold valid edits the server has not seen yet); the
 *   refusal is recorded for the page to show beside its field.
 * - Close codes map to actions in doc-retry.ts: reconnect (keeping `doc`,
 *   whose edits go out again through the normal sync), wait longer, or stop.
 * - Every attempt first asks `GET /api/docs/:name`, so a refused upgrade
 *   (which browsers cannot read) shows as `refused`, and `readOnly` follows
 *   role and archive changes.
 *
 * `doc` is replaced only when another document is opened (`open`) or the user
 * asks to drop unsent changes (`reset`); `onDoc` hands the new one over.
 *
 * Offline (docs/offline.md): while a user's local scope is set
 * (offline/local-data.ts), `doc` is also kept in IndexedDB, so it opens and
 * stays editable without a network and its edits survive a reload; they go
 * out through the normal sync once connected. The browser's offline event ends
 * the socket at once, and a socket that hears nothing for
 * `SILENT_SOCKET_MS` (the provider asks the server for its state every
 * `RESYNC_INTERVAL_MS`) is ended too, so `liveStatus` is never "live" on a
 * dead connection.
 */
import * as decoding from 'lib0/decoding';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Awareness } from 'y-protocols/awareness';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DOC_PATH_PREFIX, type DocAccessDto, type DocRefusalReason, parseRefusalReason } from '../../../schema/wire/docs.ts';
import { peerColor } from '../../../schema/wire/presence.ts';
import type { Role } from '../../../schema/wire/user.ts';
import { fetchDocAccess } from '../api/docs.ts';
import { localDocName, localScope, onLocalWipe, rememberLocalDb } from '../offline/local-data.ts';
import { type DocPeer, readPeers } from './doc-peers.ts';
import { addRefusal, type DocRefusal, findRefusal, withoutRefusal } from './doc-refusals.ts';
import { accessAction, closeAction, DOC_RETRY, type DocErrorCode, type EndAction, type RetryKind, retryDelay, STABLE_CONNECTION_MS } from './doc-retry.ts';
import { type DocStatus, type LiveStatus, liveStatus } from './doc-status.ts';

export type { DocPeer } from './doc-peers.ts';
export type { DocRefusal } from './doc-refusals.ts';
export type { DocErrorCode } from './doc-retry.ts';
export type { DocStatus, LiveStatus } from './doc-status.ts';

/** While connected, the provider asks the server for its state this often: the answer proves the socket alive. */
export const RESYNC_INTERVAL_MS = 5_000;
/** A connected socket that received nothing for this long is taken for dead and replaced. */
export const SILENT_SOCKET_MS = 15_000;
const SILENCE_CHECK_MS = 1_000;
/** Key of the unconfirmed-changes count in the document's local store. */
const PENDING_KEY = 'pending';

/** Why the document is not (fully) live; `message` is the server's wording, for logs and detail. */
export interface DocError {
  code: DocErrorCode;
  message: string;
}

/** Who we are to the others; absent: watch without appearing in awareness. */
export interface DocUser {
  id: string;
  name: string;
  role?: Role;
}

export interface DocControllerOptions {
  /** The document to open when the host connects; or call `open()` later. */
  docName?: string;
  user?: DocUser | null;
  /** `doc` was replaced by another Y.Doc (another document opened, or `reset()`): bind to it. */
  onDoc?: (doc: Y.Doc) => void;
  /** A connection synced; `first` for the first time this Y.Doc synced. */
  onSync?: (first: boolean) => void;
  /** The hub refused a part of one of our updates (its compensation follows). */
  onRefusal?: (refusal: DocRefusal) => void;
  /** Base of the WebSocket URL; default: this page's origin + `/yjs`. */
  wsBase?: string;
  /** The access check; default `GET /api/docs/:name`. A failure carries `status` (401/403/404), or none when offline. */
  fetchAccess?: (name: string) => Promise<DocAccessDto>;
  /** WebSocket implementation (Node tests pass `ws` with cookies). */
  WebSocketImpl?: typeof WebSocket;
}

/** The y-protocols auth message and its one sub-type, "permission denied". */
const MESSAGE_AUTH = 2;
const PERMISSION_DENIED = 0;
/** Refusal codes that are about the connection, not a field: the close that follows says it. */
const CONNECTION_REFUSAL_CODES: ReadonlySet<string> = new Set(['rate_limited']);

/** `navigator.onLine` where there is one (false: certainly offline); Node has none. */
const browserOnline = () => typeof navigator === 'undefined' || (navigator as { onLine?: boolean }).onLine !== false;

export class DocController implements ReactiveController {
  status: DocStatus = 'connecting';
  readOnly = false;
  peers: readonly DocPeer[] = [];
  error: DocError | null = null;
  /** Refused changes not yet dismissed, oldest first (the latest per field). */
  refusals: readonly DocRefusal[] = [];
  doc: Y.Doc = new Y.Doc();
  /** This tab's awareness while the host is connected (y-prosemirror's cursors use it). */
  awareness: Awareness | null = null;
  docName: string | null;
  /** Local changes (transactions) the server has not confirmed by a sync yet; kept locally across reloads. */
  pending = 0;
  /** The WebSocket is open (synced or still syncing). */
  socketOpen = false;
  /** The browser's online state (its online/offline events). */
  online = browserOnline();
  /** `doc` was filled from this browser's IndexedDB (so it can be shown and edited before any sync). */
  localLoaded = false;

  private local: IndexeddbPersistence | null = null;
  private silenceTimer: ReturnType<typeof setInterval> | null = null;
  private stopWipeListener: (() => void) | null = null;

  private provider: WebsocketProvider | null = null;
  private user: DocUser | null;
  /** Awareness fields set by the page, applied again to every new Awareness. */
  private readonly localFields = new Map<string, unknown>();
  private readonly attempts: Record<RetryKind, number> = { transient: 0, rateLimited: 0, rejected: 0 };
  private timer: ReturnType<typeof setTimeout> | null = null;
  private active = false;
  /** Bumped by every teardown: answers of older access checks are ignored. */
  private run = 0;
  private syncedAt = 0;
  private everSynced = false;
  private refusalSeq = 0;
  /** The reason of a connection-level refusal message, for the close that follows. */
  private closeReason = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: DocControllerOptions = {},
  ) {
    this.docName = options.docName ?? null;
    this.user = options.user ?? null;
    this.watchDoc(this.doc);
    host.addController(this);
  }

  /** What the page shows: live, syncing, offline with N changes waiting, refused (doc-status.ts). */
  get liveStatus(): LiveStatus {
    return liveStatus({ status: this.status, socketOpen: this.socketOpen, online: this.online, pending: this.pending, error: this.error?.code ?? null });
  }

  hostConnected(): void {
    this.active = true;
    this.online = browserOnline();
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.onOnline);
      window.addEventListener('offline', this.onOffline);
    }
    this.stopWipeListener = onLocalWipe(() => this.closeLocal());
    if (this.docName) this.start();
  }

  hostDisconnected(): void {
    this.active = false;
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.onOnline);
      window.removeEventListener('offline', this.onOffline);
    }
    this.stopWipeListener?.();
    this.stopWipeListener = null;
    this.teardown();
    this.closeLocal();
  }

  /** A value kept beside the document in this browser (e.g. the record's REST view for offline use); nothing without a local scope. */
  async keepLocally(key: string, value: unknown): Promise<void> {
    const local = this.local;
    if (local) await local.whenSynced.then(() => local.set(key, JSON.stringify(value))).catch(() => undefined);
  }

  /** A value kept by `keepLocally`, once the local copy has loaded; undefined without one. */
  async readLocal<T>(key: string): Promise<T | undefined> {
    const local = this.local;
    if (!local) return undefined;
    try {
      await local.whenSynced;
      const text = await local.get(key);
      return typeof text === 'string' ? (JSON.parse(text) as T) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Opens another document (a no-op for the open one); the new Y.Doc goes to `onDoc`. */
  open(docName: string): void {
    if (docName === this.docName) return;
    const fresh = this.docName === null;
    this.teardown();
    this.docName = docName;
    if (!fresh) this.replaceDoc();
    if (this.active) this.start();
  }

  /** Who we are to the others (e.g. once the session has loaded). */
  setUser(user: DocUser | null): void {
    if (sameJson(user, this.user)) return;
    this.user = user;
    this.applyLocalState();
  }

  /**
   * Shares a field of this tab's awareness state (focus, meeting mode); kept across
   * reconnections. Setting the value it already has sends nothing.
   */
  setLocalField(key: string, value: unknown): void {
    if (this.localFields.has(key) && sameJson(this.localFields.get(key), value)) return;
    this.localFields.set(key, value);
    if (this.awareness?.getLocalState()) this.awareness.setLocalStateField(key, value);
  }

  /** The latest refusal naming `field` (or a sub-field, `followups` → `followups.outcome`); without a field, the latest. */
  refusalFor(field?: string): DocRefusal | null {
    return findRefusal(this.refusals, field);
  }

  /** Forgets one refusal, or those naming a field (see `refusalFor`), or all of them. */
  dismissRefusal(which?: DocRefusal | string): void {
    const kept = withoutRefusal(this.refusals, which);
    if (kept !== this.refusals) this.set({ refusals: kept });
  }

  dismissError(): void {
    this.error = null;
    this.host.requestUpdate();
  }

  /** Tries again now, after `refused` or while waiting (e.g. after signing in again). */
  retry(): void {
    this.teardown();
    this.resetAttempts();
    this.error = null;
    if (this.active && this.docName) this.start();
  }

  /** Drops this tab's unsent changes and loads the saved document: only on the user's request. */
  reset(): void {
    this.teardown();
    // The local copy holds the same unsent changes: they must not come back at the next reload.
    void this.local?.clearData();
    this.local = null;
    this.replaceDoc();
    this.error = null;
    this.refusals = [];
    if (this.active && this.docName) this.start();
  }

  private start(): void {
    this.openLocal();
    const awareness = new Awareness(this.doc);
    this.awareness = awareness;
    awareness.on('change', () => {
      if (awareness === this.awareness) this.set({ peers: readPeers(awareness.getStates(), this.doc.clientID) });
    });
    this.applyLocalState();
    this.status = this.hasCopy() ? 'offline' : 'connecting';
    this.host.requestUpdate();
    void this.attempt();
  }

  /** Something to show and edit: a sync happened, or the local copy loaded. */
  private hasCopy(): boolean {
    return this.everSynced || this.localLoaded;
  }

  /** Keeps `doc` in IndexedDB for the signed-in user (offline/local-data.ts), loading what is there first. */
  private openLocal(): void {
    const userId = localScope();
    if (this.local || !userId || !this.docName || typeof indexedDB === 'undefined') return;
    const name = localDocName(userId, this.docName);
    rememberLocalDb(name);
    const local = new IndexeddbPersistence(name, this.doc);
    this.local = local;
    void local.whenSynced.then(async () => {
      if (local !== this.local) return;
      const pending = Number(await local.get(PENDING_KEY).catch(() => 0)) || 0;
      if (local !== this.local) return;
      // Keep what was counted meanwhile (edits made before the store answered).
      this.pending = Math.max(this.pending, pending);
      // An empty store (first visit) is no copy: wait for the server as before.
      this.localLoaded = this.doc.store.clients.size > 0;
      if (this.localLoaded && this.status === 'connecting') this.status = 'offline';
      this.host.requestUpdate();
    });
  }

  /** Stops keeping `doc` locally (what is stored stays, unless wiped). */
  private closeLocal(): void {
    const local = this.local;
    this.local = null;
    void local?.destroy();
  }

  /** Counts local edits until a sync confirms them (a sync sends what the server lacks). */
  private watchDoc(doc: Y.Doc): void {
    doc.on('afterTransaction', (tx: Y.Transaction) => {
      if (doc !== this.doc || !tx.local || tx.changed.size === 0) return;
      if (this.status === 'synced' && this.socketOpen) return;
      this.setPending(this.pending + 1);
    });
  }

  private setPending(pending: number): void {
    if (pending === this.pending) return;
    this.pending = pending;
    const local = this.local;
    if (local) void local.whenSynced.then(() => local.set(PENDING_KEY, pending)).catch(() => undefined);
    this.host.requestUpdate();
  }

  private onOffline = () => {
    this.online = false;
    if (!this.active || !this.docName || this.status === 'refused') return this.host.requestUpdate();
    // Chromium keeps a socket open across its offline emulation, and a real outage shows on the socket only
    // after the silence check: end it now, edits stay in `doc` (and IndexedDB) until the network returns.
    // The provider and the awareness stay (the notes' cursors are bound to it); the retry that the close
    // would schedule is cancelled by bumping `run` after it was queued.
    this.provider?.disconnect();
    this.run++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.socketOpen = false;
    this.set({ status: this.hasCopy() ? 'offline' : 'connecting', peers: [] });
  };

  private onOnline = () => {
    this.online = true;
    if (!this.active || !this.docName || this.status === 'refused' || this.socketOpen) return this.host.requestUpdate();
    this.run++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.resetAttempts();
    void this.attempt();
  };

  /** One attempt: the access check, then the socket (a new provider, or the same one again). */
  private async attempt(): Promise<void> {
    const run = this.run;
    const name = this.docName!;
    // Without a network an attempt can only fail: the online event starts the next one.
    if (!browserOnline()) return;
    let access: DocAccessDto;
    try {
      access = await (this.options.fetchAccess ?? fetchDocAccess)(name);
    } catch (err) {
      if (run !== this.run) return;
      const e = err as { status?: number; message?: string };
      this.end(accessAction(e.status ?? 0), e.message ?? '');
      return;
    }
    if (run !== this.run) return;
    this.readOnly = access.access === 'read';
    this.host.requestUpdate();
    if (this.provider) this.provider.connect();
    else this.provider = this.createProvider(name);
  }

  private createProvider(name: string): WebsocketProvider {
    const base = this.options.wsBase ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${DOC_PATH_PREFIX.slice(0, -1)}`;
    const provider = new WebsocketProvider(base, name, this.doc, {
      awareness: this.awareness!,
      disableBc: true,
      // Every reconnection is ours (one policy, with jitter): the provider never reconnects by itself.
      shouldReconnect: () => false,
      // Asks for the server's state now and then: its answer is how a silent dead socket shows (watchSilence).
      resyncInterval: RESYNC_INTERVAL_MS,
      ...(this.options.WebSocketImpl ? { WebSocketPolyfill: this.options.WebSocketImpl } : {}),
    });
    provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      if (decoding.readVarUint(decoder) !== PERMISSION_DENIED) return;
      const text = decoding.readVarString(decoder);
      if (provider === this.provider) this.onRefusal(parseRefusalReason(text) ?? { code: 'validation', message: text });
    };
    provider.on('status', ({ status }: { status: string }) => {
      if (provider !== this.provider) return;
      this.socketOpen = status === 'connected';
      this.host.requestUpdate();
    });
    provider.on('sync', (synced: boolean) => {
      if (!synced || provider !== this.provider) return;
      const first = !this.everSynced;
      this.everSynced = true;
      this.syncedAt = Date.now();
      this.attempts.transient = 0;
      // Our step 2 (what the server lacked) went out before its answer: every local change has been sent.
      this.setPending(0);
      this.set({ status: 'synced', error: this.error?.code === 'rate_limited' ? null : this.error });
      this.options.onSync?.(first);
    });
    provider.on('connection-close', (event: CloseEvent | null) => {
      if (provider !== this.provider) return;
      // The provider schedules its own reconnection after a close it caused (its 30 s silence
      // watchdog); with `shouldConnect` off that becomes a no-op and ours runs instead.
      provider.shouldConnect = false;
      this.socketOpen = false;
      if (this.syncedAt && Date.now() - this.syncedAt >= STABLE_CONNECTION_MS) this.resetAttempts();
      this.syncedAt = 0;
      const action = closeAction(event?.code ?? null);
      const reason = event?.reason || this.closeReason;
      this.closeReason = '';
      // After the provider has finished its own bookkeeping of the close (a final close destroys it).
      const run = this.run;
      queueMicrotask(() => {
        if (run === this.run) this.end(action, reason);
      });
    });
    this.watchSilence(provider);
    return provider;
  }

  /** Replaces a socket that stays open but hears nothing (a network gone without a close). */
  private watchSilence(provider: WebsocketProvider): void {
    if (this.silenceTimer) clearInterval(this.silenceTimer);
    this.silenceTimer = setInterval(() => {
      if (provider !== this.provider) return;
      if (!provider.wsconnected || Date.now() - provider.wsLastMessageReceived < SILENT_SOCKET_MS) return;
      // Ends the socket as a network close would: `connection-close` schedules the reconnection.
      provider.disconnect();
    }, SILENCE_CHECK_MS);
  }

  private onRefusal(reason: DocRefusalReason): void {
    if (CONNECTION_REFUSAL_CODES.has(reason.code)) {
      this.closeReason = reason.message;
      return;
    }
    const refusal: DocRefusal = { ...reason, seq: ++this.refusalSeq };
    this.set({ refusals: addRefusal(this.refusals, refusal) });
    this.options.onRefusal?.(refusal);
  }

  /** After a failed access check or a closed connection: wait and try again, or stop. */
  private end(action: EndAction, message: string): void {
    const error = action.error ? { code: action.error, message } : this.error;
    if (action.kind === 'final') {
      this.teardown();
      this.set({ status: 'refused', error });
      return;
    }
    const policy = DOC_RETRY[action.policy];
    const attempt = this.attempts[action.policy]++;
    if (attempt >= policy.maxAttempts) {
      this.teardown();
      this.set({ status: 'refused', error });
      return;
    }
    // Before the first sync (or a local copy) there is nothing to show or edit offline: still connecting.
    this.set({ status: this.hasCopy() ? 'offline' : 'connecting', error, peers: [] });
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.attempt();
    }, retryDelay(policy, attempt, Math.random()));
  }

  /** The awareness state: the user (or nothing, for a watcher) and the page's fields. */
  private applyLocalState(): void {
    const awareness = this.awareness;
    if (!awareness) return;
    const user = this.user;
    if (!user) {
      awareness.setLocalState(null);
      return;
    }
    const state: Record<string, unknown> = { ...(awareness.getLocalState() ?? {}), ...Object.fromEntries(this.localFields) };
    state.user = { id: user.id, name: user.name, color: peerColor(user.id), ...(user.role ? { role: user.role } : {}) };
    awareness.setLocalState(state);
  }

  private replaceDoc(): void {
    this.closeLocal();
    this.doc.destroy();
    this.doc = new Y.Doc();
    this.watchDoc(this.doc);
    this.everSynced = false;
    this.localLoaded = false;
    this.pending = 0;
    this.status = 'connecting';
    this.readOnly = false;
    this.error = null;
    this.refusals = [];
    this.resetAttempts();
    this.options.onDoc?.(this.doc);
  }

  /** Closes the socket and the awareness (announcing that we left); `doc` stays. */
  private teardown(): void {
    this.run++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.silenceTimer) clearInterval(this.silenceTimer);
    this.silenceTimer = null;
    this.socketOpen = false;
    const provider = this.provider;
    const awareness = this.awareness;
    this.provider = null;
    this.awareness = null;
    provider?.destroy();
    awareness?.destroy();
    this.syncedAt = 0;
    this.peers = [];
    this.host.requestUpdate();
  }

  private resetAttempts(): void {
    this.attempts.transient = 0;
    this.attempts.rateLimited = 0;
    this.attempts.rejected = 0;
  }

  private set(patch: Partial<Pick<DocController, 'status' | 'error' | 'peers' | 'refusals'>>): void {
    Object.assign(this, patch);
    this.host.requestUpdate();
  }
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
