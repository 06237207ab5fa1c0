/**
 * One simulated user: a Y.Doc behind a real provider — y-websocket's
 * WebsocketProvider (Tandem, @y/websocket-server) or Hocuspocus' own
 * provider — over the `ws` library, as a Node program would use them.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { ClientProtocol } from './ipc.ts';

export interface BenchClient {
  doc: Y.Doc;
  docName: string;
  readonly synced: boolean;
  /** Resolves at the first full sync with the server. */
  whenSynced: Promise<void>;
  /** Connections that closed after having opened, or failed to open. */
  readonly disconnects: number;
  /** Close codes seen, by code ('error' for a connection error, 'local' for a close without a server frame). */
  readonly closeCodes: ReadonlyMap<string, number>;
  destroy(): void;
}

/** `ws` with fixed upgrade headers: how a Node client presents a cookie and an Origin. */
function webSocketWithHeaders(headers: Record<string, string>): typeof WebSocket {
  if (Object.keys(headers).length === 0) return WebSocket;
  class HeaderWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  return HeaderWebSocket as unknown as typeof WebSocket;
}

export interface ClientOptions {
  protocol: ClientProtocol;
  wsUrl: string;
  docName: string;
  headers: Record<string, string>;
  /** Shown to the others through awareness, as the product's editors do. */
  userName: string;
}

export function createBenchClient(opts: ClientOptions): BenchClient {
  const doc = new Y.Doc();
  let resolveSynced: () => void = () => {};
  const whenSynced = new Promise<void>((resolve) => {
    resolveSynced = resolve;
  });
  let synced = false;
  let disconnects = 0;
  const closeCodes = new Map<string, number>();
  const closed = (code: string) => {
    disconnects++;
    closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);
  };
  const markSynced = () => {
    if (synced) return;
    synced = true;
    resolveSynced();
  };
  const user = { name: opts.userName, color: '#3b82f6' };

  switch (opts.protocol) {
    case 'y-websocket': {
      const provider = new WebsocketProvider(opts.wsUrl, opts.docName, doc, {
        WebSocketPolyfill: webSocketWithHeaders(opts.headers) as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      });
      provider.awareness.setLocalStateField('user', user);
      provider.on('sync', (isSynced: boolean) => {
        if (isSynced) markSynced();
      });
      provider.on('connection-close', (event: { code: number } | null) => closed(event ? String(event.code) : 'local'));
      provider.on('connection-error', () => closed('error'));
      return {
        doc,
        docName: opts.docName,
        get synced() {
          return synced;
        },
        whenSynced,
        get disconnects() {
          return disconnects;
        },
        closeCodes,
        destroy() {
          provider.destroy();
          doc.destroy();
        },
      };
    }
    case 'hocuspocus': {
      const socket = new HocuspocusProviderWebsocket({ url: opts.wsUrl, WebSocketPolyfill: webSocketWithHeaders(opts.headers) });
      const provider = new HocuspocusProvider({ websocketProvider: socket, name: opts.docName, document: doc });
      provider.attach();
      provider.setAwarenessField('user', user);
      provider.on('synced', () => markSynced());
      socket.on('disconnect', ({ event }: { event?: { code?: number } }) => closed(event?.code ? String(event.code) : 'local'));
      return {
        doc,
        docName: opts.docName,
        get synced() {
          return synced;
        },
        whenSynced,
        get disconnects() {
          return disconnects;
        },
        closeCodes,
        destroy() {
          provider.destroy();
          socket.destroy();
          doc.destroy();
        },
      };
    }
    default: {
      const never: never = opts.protocol;
      throw new Error(`unknown protocol ${String(never)}`);
    }
  }
}
