/**
 * Keepalive for the document WebSockets. Every `intervalMs` each watched
 * socket is pinged; one that has not answered the previous ping with a pong
 * by then is terminated. A client that vanished without closing (a laptop
 * lid shut, a dropped mobile link, a NAT that forgot the mapping) would
 * otherwise hold its document, its awareness entries and its send buffer
 * until TCP gives up, which can take hours. Termination emits 'close' like
 * any other end, so the hub ends the connection and releases the document.
 * Browsers and `ws` clients answer pings by themselves.
 */
import type { WebSocket } from 'ws';

export interface Keepalive {
  /** Pings `ws` from the next round on, until it closes. */
  watch(ws: WebSocket): void;
  /** Stops pinging (the sockets themselves are closed by their owner). */
  stop(): void;
}

export function startKeepalive(intervalMs: number): Keepalive {
  /** Each watched socket → whether it answered since the last ping. */
  const answered = new Map<WebSocket, boolean>();
  const timer = setInterval(() => {
    for (const [ws, alive] of answered) {
      if (!alive) {
        answered.delete(ws);
        ws.terminate();
        continue;
      }
      answered.set(ws, false);
      ws.ping();
    }
  }, intervalMs);
  timer.unref();
  return {
    watch(ws) {
      answered.set(ws, true);
      ws.on('pong', () => {
        if (answered.has(ws)) answered.set(ws, true);
      });
      ws.once('close', () => answered.delete(ws));
    },
    stop() {
      clearInterval(timer);
      answered.clear();
    },
  };
}
