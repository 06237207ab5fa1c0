/**
 * One Socket.IO connection per tab, shared by every element that needs it
 * (the notification centre, presence avatars). A `SocketController` takes a
 * reference while its host is connected and registers the host's event
 * handlers; the connection closes when the last reference goes (sign-out
 * removes the signed-in tree, so the next account gets a fresh handshake).
 * Typed with the event maps of `schema/wire/socket-events.ts`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../schema/wire/socket-events.ts';
import { SOCKET_IO_PATH } from '../../../schema/wire/socket-events.ts';

export type TandemSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * - `connecting`: handshake in progress (first time or after a network drop; Socket.IO retries by itself)
 * - `connected`: events flow
 * - `refused`: the server refused the handshake or ended the session; no retry until the page signs in again
 */
export type SocketStatus = 'connecting' | 'connected' | 'refused';

/** Socket.IO's back-off between reconnection attempts. */
const RECONNECT_DELAY_MS = 1_000;
const RECONNECT_DELAY_MAX_MS = 10_000;

type Handlers = { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] };

interface SharedConnection {
  socket: TandemSocket;
  status: SocketStatus;
  users: number;
  /** Called on every status change. */
  watchers: Set<(status: SocketStatus, reconnected: boolean) => void>;
}

let shared: SharedConnection | null = null;

function open(): SharedConnection {
  const socket: TandemSocket = io({
    path: SOCKET_IO_PATH,
    // WebSocket only (live documents need it anyway): any node behind a balancer can serve any
    // connection, with no sticky sessions (long-polling would need every request on one node).
    transports: ['websocket'],
    withCredentials: true,
    reconnectionDelay: RECONNECT_DELAY_MS,
    reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
  });
  const conn: SharedConnection = { socket, status: 'connecting', users: 0, watchers: new Set() };
  let everConnected = false;
  const set = (status: SocketStatus, reconnected = false) => {
    conn.status = status;
    for (const w of conn.watchers) w(status, reconnected);
  };
  socket.on('connect', () => {
    set('connected', everConnected);
    everConnected = true;
  });
  socket.on('connect_error', () => {
    // A refused handshake (middleware error) is not retried by Socket.IO; a transport error is.
    set(socket.active ? 'connecting' : 'refused');
  });
  socket.on('disconnect', () => {
    set(socket.active ? 'connecting' : 'refused');
  });
  socket.on('session:ended', ({ reason }) => {
    switch (reason) {
      case 'account_changed':
        // New team or role: a new handshake joins the right rooms.
        socket.once('disconnect', () => socket.connect());
        return;
      case 'session_ended':
      case 'rate_limited':
        return;
      default:
        return reason satisfies never;
    }
  });
  return conn;
}

function acquire(): SharedConnection {
  shared ??= open();
  shared.users += 1;
  return shared;
}

function release(conn: SharedConnection): void {
  conn.users -= 1;
  if (conn.users > 0) return;
  conn.socket.removeAllListeners();
  conn.socket.disconnect();
  if (shared === conn) shared = null;
}

export interface SocketControllerOptions {
  /** Server events the host listens to while connected. */
  on?: Handlers;
  /** Each time the connection is (re-)established: rejoin rooms, refetch what was missed. */
  onConnect?: (socket: TandemSocket, reconnected: boolean) => void;
  /** After every status change (the host re-renders too). */
  onStatus?: (status: SocketStatus) => void;
}

export class SocketController implements ReactiveController {
  private conn: SharedConnection | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: SocketControllerOptions = {},
  ) {
    host.addController(this);
  }

  get status(): SocketStatus {
    return this.conn?.status ?? 'connecting';
  }

  /** The shared socket while the host is connected. */
  get socket(): TandemSocket | null {
    return this.conn?.socket ?? null;
  }

  hostConnected(): void {
    const conn = acquire();
    this.conn = conn;
    for (const [event, handler] of Object.entries(this.options.on ?? {})) {
      conn.socket.on(event as keyof ServerToClientEvents, handler as never);
    }
    conn.watchers.add(this.watch);
    if (conn.status === 'connected') this.options.onConnect?.(conn.socket, false);
  }

  hostDisconnected(): void {
    const conn = this.conn;
    if (!conn) return;
    this.conn = null;
    conn.watchers.delete(this.watch);
    for (const [event, handler] of Object.entries(this.options.on ?? {})) {
      conn.socket.off(event as keyof ServerToClientEvents, handler as never);
    }
    release(conn);
  }

  private watch = (status: SocketStatus, reconnected: boolean) => {
    const conn = this.conn;
    if (!conn) return;
    if (status === 'connected') this.options.onConnect?.(conn.socket, reconnected);
    this.options.onStatus?.(status);
    this.host.requestUpdate();
  };
}
