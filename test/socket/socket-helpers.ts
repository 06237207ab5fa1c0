/** Real servers on ephemeral ports and real socket.io-client sockets for the Socket.IO tests. */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../schema/wire/socket-events.ts';
import type { Config } from '../../server/config.ts';
import { type RunningServer, type StartOptions, startServer } from '../../server/server.ts';
import { type TestContext, createTestContext } from '../helpers/context.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long a test waits for an expected event before failing (a safety net, not a measured assertion). */
export const EVENT_WAIT_MS = 10_000;

export interface TestServer extends TestContext {
  running: RunningServer;
  url: string;
}

export async function startTestServer(
  opts: Omit<StartOptions, 'port' | 'host'> = {},
  config: Partial<Config> = {},
): Promise<TestServer> {
  const t = await createTestContext(config);
  const running = await startServer(t.ctx, { port: 0, host: '127.0.0.1', reminders: { enabled: false }, ...opts });
  return {
    ...t,
    running,
    url: running.url,
    async close() {
      await running.close();
      await t.close();
    },
  };
}

/** Opens a socket as a browser tab of `url` would (same Origin, the session cookie). */
export function openSocket(
  url: string,
  cookie: string | undefined,
  opts: { origin?: string | null; transports?: ('websocket' | 'polling')[] } = {},
): ClientSocket {
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (opts.origin !== null) headers.origin = opts.origin ?? url;
  return io(url, {
    path: '/socket.io',
    transports: opts.transports ?? ['websocket'],
    extraHeaders: headers,
    reconnection: false,
    forceNew: true,
  });
}

/** Connects; rejects with the connect_error. */
export function connect(url: string, cookie: string | undefined, opts: Parameters<typeof openSocket>[2] = {}): Promise<ClientSocket> {
  const socket = openSocket(url, cookie, opts);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** The connect_error a refused socket gets. */
export async function refusal(url: string, cookie: string | undefined, opts: Parameters<typeof openSocket>[2] = {}) {
  try {
    const s = await connect(url, cookie, opts);
    s.close();
    return null;
  } catch (err) {
    return err as Error & { data?: { code: string } };
  }
}

/** Records every event of a kind on a socket, in order of arrival. */
export class Recorder<E extends keyof ServerToClientEvents> {
  readonly events: Parameters<ServerToClientEvents[E]>[0][] = [];
  private waiters: Array<{ pred: (e: Parameters<ServerToClientEvents[E]>[0]) => boolean; resolve: (e: Parameters<ServerToClientEvents[E]>[0]) => void }> = [];

  constructor(socket: ClientSocket, event: E) {
    // biome-ignore lint/suspicious/noExplicitAny: the typed `on` cannot be narrowed by a generic event name.
    (socket as any).on(event, (e: Parameters<ServerToClientEvents[E]>[0]) => {
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(e)) return true;
        w.resolve(e);
        return false;
      });
    });
  }

  /** The first event (already received or to come) matching `pred`. */
  waitFor(pred: (e: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true): Promise<Parameters<ServerToClientEvents[E]>[0]> {
    const seen = this.events.find(pred);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`event did not arrive; got ${JSON.stringify(this.events)}`)), EVENT_WAIT_MS);
      this.waiters.push({
        pred,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }
}

/** Resolves when the socket is disconnected, with the reason. */
export function disconnected(socket: ClientSocket): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket stayed connected')), EVENT_WAIT_MS);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** Emits with an acknowledgement and resolves with the server's answer. */
export function emitWithAck<E extends keyof ClientToServerEvents>(
  socket: ClientSocket,
  event: E,
  payload: unknown,
): Promise<Parameters<NonNullable<Parameters<ClientToServerEvents[E]>[1]>>[0]> {
  // biome-ignore lint/suspicious/noExplicitAny: the payload is deliberately unchecked so tests can send bad ones.
  return (socket.timeout(EVENT_WAIT_MS) as any).emitWithAck(event, payload);
}

/** fetch against a running server as a same-origin browser tab. */
export function api(url: string, method: string, path: string, cookie: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    headers: { origin: url, cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
