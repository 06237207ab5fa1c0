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
 */
import * as decoding from 'lib0/decoding';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DOC_PATH_PREFIX, type DocAccessDto, type DocRefusalReason, parseRefusalReason } from '../../../schema/wire/docs.ts';
import { peerColor } from '../../../schema/wire/presence.ts';
import type { Role } from '../../../schema/wire/user.ts';
import { fetchDocAccess } from '../api/docs.ts';
import { type DocPeer, readPeers } from './doc-peers.ts';
import { addRefusal, type DocRefusal, findRefusal, withoutRefusal } from './doc-refusals.ts';
import { accessAction, closeAction, DOC_RETRY, type DocErrorCode, type EndAction, type RetryKind, retryDelay, STABLE_CONNECTION_MS } from './doc-retry.ts';

export type { DocPeer } from './doc-peers.ts';
export type { DocRefusal } from './doc-refusals.ts';
export type { DocErrorCode } from './doc-retry.ts';

export type DocStatus = 'connecting' | 'synced' | 'offline' | 'refused';

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
    host.addController(this);
  }

  hostConnected(): void {
    this.active = true;
    if (this.docName) this.start();
  }

  hostDisconnected(): void {
    this.active = false;
    this.teardown();
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
    this.replaceDoc();
    this.error = null;
    this.refusals = [];
    if (this.active && this.docName) this.start();
  }

  private start(): void {
    const awareness = new Awareness(this.doc);
    this.awareness = awareness;
    awareness.on('change', () => {
      if (awareness === this.awareness) this.set({ peers: readPeers(awareness.getStates(), this.doc.clientID) });
    });
    this.applyLocalState();
    this.status = this.everSynced ? 'offline' : 'connecting';
    this.host.requestUpdate();
    void this.attempt();
  }

  /** One attempt: the access check, then the socket (a new provider, or the same one again). */
  private async attempt(): Promise<void> {
    const run = this.run;
    const name = this.docName!;
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
      ...(this.options.WebSocketImpl ? { WebSocketPolyfill: this.options.WebSocketImpl } : {}),
    });
    provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      if (decoding.readVarUint(decoder) !== PERMISSION_DENIED) return;
      const text = decoding.readVarString(decoder);
      if (provider === this.provider) this.onRefusal(parseRefusalReason(text) ?? { code: 'validation', message: text });
    };
    provider.on('sync', (synced: boolean) => {
      if (!synced || provider !== this.provider) return;
      const first = !this.everSynced;
      this.everSynced = true;
      this.syncedAt = Date.now();
      this.attempts.transient = 0;
      this.set({ status: 'synced', error: this.error?.code === 'rate_limited' ? null : this.error });
      this.options.onSync?.(first);
    });
    provider.on('connection-close', (event: CloseEvent | null) => {
      if (provider !== this.provider) return;
      // The provider schedules its own reconnection after a close it caused (its 30 s silence
      // watchdog); with `shouldConnect` off that becomes a no-op and ours runs instead.
      provider.shouldConnect = false;
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
    return provider;
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
    // Before the first sync there is nothing to show or edit offline: still connecting.
    this.set({ status: this.everSynced ? 'offline' : 'connecting', error, peers: [] });
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
    this.doc.destroy();
    this.doc = new Y.Doc();
    this.everSynced = false;
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
