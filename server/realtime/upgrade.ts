/**
 * The WebSocket endpoint `/yjs/<docName>` on the HTTP server. Before any
 * WebSocket handshake: the Origin must be ours or allowed (cross-site
 * WebSocket hijacking), the session cookie valid (401), the document name
 * known and the record visible to the user (404), the password change done
 * (403). A refusal is a plain HTTP response written on the socket. Upgrades
 * on other paths (Socket.IO) are left to their own listeners. Admitted
 * sockets are pinged every `pingIntervalMs` (keepalive.ts).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { DOC_PATH_PREFIX } from '../../schema/wire/docs.ts';
import { SESSION_COOKIE } from '../auth/session.ts';
import { AppError } from '../http/app-error.ts';
import { originAllowed, ownOriginsOf } from '../http/origin-check.ts';
import { refuseUpgrade } from '../http/upgrade-refusal.ts';
import type { DocHub } from './hub.ts';
import { startKeepalive } from './keepalive.ts';

export interface DocUpgrade {
  /** Detaches from the HTTP server and closes the WebSocket server (the hub closes the connections). */
  close(): Promise<void>;
}

export interface DocUpgradeOptions {
  /** Origins allowed besides the request's own host (the app's ALLOWED_ORIGINS). */
  allowedOrigins: string[];
  log: Logger;
}

export function attachDocUpgrade(server: Server, hub: DocHub, opts: DocUpgradeOptions): DocUpgrade {
  const wss = new WebSocketServer({ noServer: true, maxPayload: hub.maxMessageBytes, perMessageDeflate: false });
  const keepalive = startKeepalive(hub.pingIntervalMs);

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!req.url?.startsWith(DOC_PATH_PREFIX)) return;
    socket.on('error', () => socket.destroy());
    void handle(req, socket, head).catch((err) => {
      if (err instanceof AppError) {
        refuseUpgrade(socket, err);
      } else {
        opts.log.error({ err }, 'document upgrade failed');
        refuseUpgrade(socket, new AppError('internal', 500, 'Something went wrong on our side'));
      }
    });
  };

  async function handle(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const ok = originAllowed(
      { origin: req.headers.origin, secFetchSite: header(req, 'sec-fetch-site') },
      ownOriginsOf(req.headers.host),
      opts.allowedOrigins,
    );
    if (!ok) throw new AppError('bad_origin', 403, 'Cross-origin WebSocket refused');
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    const auth = token ? await hub.authenticate(token) : null;
    if (!auth) throw new AppError('unauthenticated', 401, 'Sign in first');
    if (auth.user.mustChangePassword) throw new AppError('password_change_required', 403, 'Change your password first');
    const name = docNameOf(req.url!);
    if (name === null) throw new AppError('not_found', 404, 'No such document');
    const target = await hub.authorize(name, auth.user);
    const doc = await hub.acquire(target);
    if (socket.destroyed) {
      hub.release(doc);
      return;
    }
    let admitted = false;
    // A handshake that fails (ws answers 400 itself) or a socket that dies first releases the document.
    socket.once('close', () => {
      if (!admitted) hub.release(doc);
    });
    wss.handleUpgrade(req, socket, head, (ws) => {
      admitted = true;
      keepalive.watch(ws);
      hub.connect(ws, doc, auth.user, auth.sessionId, target.access);
    });
  }

  server.on('upgrade', onUpgrade);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.off('upgrade', onUpgrade);
        keepalive.stop();
        wss.close(() => resolve());
      }),
  };
}

/** `/yjs/<name>?…` → the decoded name, or null. */
function docNameOf(url: string): string | null {
  const path = url.slice(DOC_PATH_PREFIX.length).split('?')[0]!;
  try {
    const name = decodeURIComponent(path);
    return name.length > 0 && !name.includes('/') ? name : null;
  } catch {
    return null;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readCookie(cookieHeader: string | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
