/**
 * Refusing an HTTP upgrade (a WebSocket handshake) before any handshake: a
 * plain HTTP response in the API's error shape, written on the raw socket,
 * which is then closed. Node hands an upgrade to the server's 'upgrade'
 * listeners and does nothing else while there is one, so a path nobody
 * serves must be answered here or the socket stays open.
 */
import { type IncomingMessage, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { AppError } from './app-error.ts';

/** Writes the refusal and closes the socket once it is written. */
export function refuseUpgrade(socket: Duplex, err: AppError): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(err.toBody());
  socket.end(
    `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    // HTTP sockets are half-open: without this, a client that never closes its side keeps the socket.
    () => socket.destroy(),
  );
}

/**
 * Answers 404 to every upgrade whose path starts with none of `served` (the
 * prefixes other 'upgrade' listeners of `server` answer, matched as they
 * match them: a plain prefix of the request target). Returns the detach.
 */
export function refuseUnservedUpgrades(server: Server, served: readonly string[]): () => void {
  const onUpgrade = (req: IncomingMessage, socket: Duplex) => {
    const url = req.url ?? '';
    if (served.some((prefix) => url.startsWith(prefix))) return;
    socket.on('error', () => socket.destroy());
    refuseUpgrade(socket, new AppError('not_found', 404, 'No WebSocket endpoint at this path'));
  };
  server.on('upgrade', onUpgrade);
  return () => server.off('upgrade', onUpgrade);
}
