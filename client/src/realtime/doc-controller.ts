/**
 * Connects a Lit element to a live document (`customer:<id>`, `board:<id>`)
 * through the stock y-websocket provider.
 *
 * - `status`: 'connecting' until the first sync, 'synced', 'offline' while the
 *   connection is down (the provider reconnects with exponential backoff, up
 *   to MAX_BACKOFF_MS), 'refused' when the server will not let this user in
 *   (signed out, no access, no such record): no retry then.
 * - `readOnly`: the server lets this user read but not write.
 * - `peers`: who else has the document open (awareness: name and colour).
 * - A refused update (DOC_CLOSE.updateRefused) sets `error` to the server's
 *   reason and resyncs cleanly: the local copy, which holds the refused edit,
 *   is dropped and a fresh one loads from the server (`onDoc` hands it over).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  DOC_CLOSE,
  DOC_PATH_PREFIX,
  type DocAccessDto,
  type DocRefusalReason,
  isFinalDocClose,
  parseRefusalReason,
} from '../../../schema/wire/docs.ts';
import { fetchDocAccess } from '../api/docs.ts';

export type DocStatus = 'connecting' | 'synced' | 'offline' | 'refused';

export interface DocPeerInfo {
  clientId: number;
  userId: string;
  name: string;
  color: string;
}

/** The provider's longest wait between reconnection attempts. */
export const MAX_BACKOFF_MS = 10_000;
/** First wait before a resync after a refusal; doubles while refusals repeat. */
const RESYNC_BASE_MS = 250;
/** The access check is retried with the same backoff while the network is down. */
const ACCESS_RETRY_BASE_MS = 500;
const MESSAGE_AUTH = 2;

const PEER_COLORS = ['#e8590c', '#2b8a3e', '#1971c2', '#ae3ec9', '#c2255c', '#0c8599', '#f08c00', '#5f3dc4'];

/** A stable colour per user. */
export function peerColor(userId: string): string {
  let h = 0;
  for (let i = 0; i < userId.length; i++) h = (h * 31 + userId.charCodeAt(i)) >>> 0;
  return PEER_COLORS[h % PEER_COLORS.length]!;
}

export interface DocControllerOptions {
  docName: string;
  /** The signed-in user, shown to the others. */
  user: { id: string; name: string };
  /** Called with each new Y.Doc (first load and every resync); bind observers here. */
  onDoc?: (doc: Y.Doc) => void;
  /** Base of the WebSocket URL; default: this page's host + `/yjs`. */
  wsBase?: string;
  /** The access check; default: `GET /api/docs/:name`. Errors carry `status` (401/403/404) or mean offline. */
  fetchAccess?: (name: string) => Promise<DocAccessDto>;
  /** WebSocket implementation (Node tests pass `ws` with cookies). */
  WebSocketImpl?: typeof WebSocket;
}

export class DocController implements ReactiveController {
  status: DocStatus = 'connecting';
  readOnly = false;
  peers: DocPeerInfo[] = [];
  /** The last refusal (of an update or of access), shown until `dismissError()`. */
  error: DocRefusalReason | null = null;
  doc: Y.Doc = new Y.Doc();

  private provider: WebsocketProvider | null = null;
  private lastRefusal: DocRefusalReason | null = null;
  private refusalsInRow = 0;
  private accessAttempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private active = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: DocControllerOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.active = true;
    void this.open();
  }

  hostDisconnected(): void {
    this.active = false;
    this.teardown();
  }

  dismissError(): void {
    this.set({ error: null });
  }

  /** Tries again after 'refused' (e.g. after signing in again). */
  retry(): void {
    this.teardown();
    this.active = true;
    this.error = null;
    this.replaceDoc();
    void this.open();
  }

  private async open(): Promise<void> {
    this.set({ status: this.status === 'refused' ? 'connecting' : this.status });
    let access: DocAccessDto;
    try {
      access = await (this.options.fetchAccess ?? fetchDocAccess)(this.options.docName);
    } catch (err) {
      if (!this.active) return;
      const status = (err as { status?: number }).status ?? 0;
      if (status === 401 || status === 403 || status === 404) {
        this.set({
          status: 'refused',
          error: { code: (err as { code?: string }).code ?? 'forbidden', message: (err as Error).message },
        });
        return;
      }
      this.set({ status: 'offline' });
      const wait = Math.min(ACCESS_RETRY_BASE_MS * 2 ** this.accessAttempts++, MAX_BACKOFF_MS);
      this.timer = setTimeout(() => void this.open(), wait);
      return;
    }
    if (!this.active) return;
    this.accessAttempts = 0;
    this.readOnly = access.access === 'read';
    this.connect();
  }

  private connect(): void {
    const base = this.options.wsBase ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${DOC_PATH_PREFIX.slice(0, -1)}`;
    const provider = new WebsocketProvider(base, this.options.docName, this.doc, {
      disableBc: true,
      maxBackoffTime: MAX_BACKOFF_MS,
      shouldReconnect: (ev: CloseEvent) => !isFinalDocClose(ev.code),
      ...(this.options.WebSocketImpl ? { WebSocketPolyfill: this.options.WebSocketImpl } : {}),
    });
    this.provider = provider;
    // The server explains a refusal in a y-protocols permission-denied message before closing.
    provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      decoding.readVarUint(decoder);
      this.lastRefusal = parseRefusalReason(decoding.readVarString(decoder));
    };
    const { user } = this.options;
    provider.awareness.setLocalStateField('user', { id: user.id, name: user.name, color: peerColor(user.id) });
    provider.awareness.on('change', () => this.updatePeers());
    provider.on('status', ({ status }) => {
      if (status === 'disconnected' && this.status !== 'refused') this.set({ status: 'offline' });
    });
    provider.on('sync', (synced: boolean) => {
      if (synced) {
        this.refusalsInRow = 0;
        this.set({ status: 'synced' });
      }
    });
    provider.on('closed', ({ code, reason }) => this.onFinalClose(code, reason));
  }

  private onFinalClose(code: number, reason: string): void {
    const refusal = this.lastRefusal ?? { code: closeCodeName(code), message: reason };
    this.lastRefusal = null;
    switch (code) {
      case DOC_CLOSE.updateRefused:
      case DOC_CLOSE.badMessage:
      case DOC_CLOSE.tooLarge: {
        // Our copy holds an edit the server will never take: start over from the server's state.
        this.teardown();
        this.active = true;
        this.set({ status: 'connecting', error: refusal });
        const wait = Math.min(RESYNC_BASE_MS * 2 ** this.refusalsInRow++, MAX_BACKOFF_MS);
        this.timer = setTimeout(() => {
          this.replaceDoc();
          void this.open();
        }, wait);
        return;
      }
      default:
        // Signed out, access lost, record gone: nothing to retry until something changes.
        this.teardown();
        this.set({ status: 'refused', error: refusal });
    }
  }

  private replaceDoc(): void {
    this.doc.destroy();
    this.doc = new Y.Doc();
    this.options.onDoc?.(this.doc);
  }

  private updatePeers(): void {
    const provider = this.provider;
    if (!provider) return;
    const peers: DocPeerInfo[] = [];
    for (const [clientId, state] of provider.awareness.getStates()) {
      if (clientId === this.doc.clientID) continue;
      const u = (state as { user?: { id?: unknown; name?: unknown; color?: unknown } }).user;
      if (!u || typeof u.name !== 'string') continue;
      const userId = typeof u.id === 'string' ? u.id : '';
      peers.push({ clientId, userId, name: u.name, color: typeof u.color === 'string' ? u.color : peerColor(userId) });
    }
    this.set({ peers });
  }

  private teardown(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.provider?.destroy();
    this.provider = null;
    this.peers = [];
  }

  private set(patch: Partial<Pick<DocController, 'status' | 'error' | 'peers'>>): void {
    Object.assign(this, patch);
    this.host.requestUpdate();
  }
}

function closeCodeName(code: number): string {
  switch (code) {
    case DOC_CLOSE.unauthenticated:
      return 'unauthenticated';
    case DOC_CLOSE.forbidden:
      return 'forbidden';
    case DOC_CLOSE.notFound:
      return 'not_found';
    case DOC_CLOSE.tooLarge:
      return 'payload_too_large';
    default:
      return 'bad_request';
  }
}
