/**
 * The Socket.IO endpoint at /socket.io on the application's HTTP server:
 * handshake checks, one room per user and per team, presence, rate limits,
 * and the end of sockets whose session ended. It registers itself as the
 * notifier's live transport while it runs.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { SOCKET_IO_PATH } from '../../schema/wire/socket-events.ts';
import { validateSessionToken } from '../auth/session.service.ts';
import type { AppContext } from '../context.ts';
import { securityHeaderValues } from '../http/security-headers.ts';
import { createPresence } from './presence.handlers.ts';
import { connectRedisAdapter, type RedisAdapterHandle } from './redis-adapter.ts';
import { authenticateHandshake, handshakeError, socketOriginCheck } from './socket-auth.ts';
import { TokenBucket } from './socket-rate-limit.ts';
import { ADMINS_ROOM, type AppServer, type AppSocket, teamRoom, userRoom } from './socket-types.ts';

/** Largest Socket.IO message accepted from a client (client events are small JSON). */
export const SOCKET_MAX_MESSAGE_BYTES = 16 * 1024;
/** How often every socket's session is checked again (expiry, ends made by another process). */
export const SESSION_RECHECK_INTERVAL_MS = 60_000;
/** Client events: a burst of this many, then this many per second. */
export const SOCKET_EVENT_BURST = 20;
export const SOCKET_EVENTS_PER_SECOND = 5;
/** After this many events refused by the rate limit, the socket is disconnected. */
export const SOCKET_REFUSALS_BEFORE_DISCONNECT = 100;
/** Open sockets per user in one process (tabs, devices). */
export const MAX_SOCKETS_PER_USER = 50;
/** The client events the server knows; anything else is refused. */
const CLIENT_EVENTS = new Set(['presence:join', 'presence:leave']);

export interface SocketServerOptions {
  /** Overrides config.redisUrl (tests). */
  redisUrl?: string;
  sessionRecheckIntervalMs?: number;
  eventBurst?: number;
  eventsPerSecond?: number;
}

export interface SocketServerHandle {
  io: AppServer;
  /** Checks every socket's session now; disconnects those that ended or whose account changed. */
  recheckSessions(): Promise<void>;
  close(): Promise<void>;
}

/** Attaches the Socket.IO server; with a Redis URL (config or options), through the Redis Streams adapter under REDIS_PREFIX. */
export async function startSocketServer(
  ctx: AppContext,
  httpServer: HttpServer,
  opts: SocketServerOptions = {},
): Promise<SocketServerHandle> {
  const redisUrl = opts.redisUrl ?? ctx.config.redisUrl;
  const redis = redisUrl ? await connectRedisAdapter(redisUrl, ctx.config.redisPrefix, ctx.log) : undefined;
  const handle = attachSocketServer(ctx, httpServer, opts, redis);
  return {
    ...handle,
    async close() {
      await handle.close();
      await redis?.close();
    },
  };
}

export function attachSocketServer(
  ctx: AppContext,
  httpServer: HttpServer,
  opts: SocketServerOptions = {},
  redis?: Omit<RedisAdapterHandle, 'close'>,
): SocketServerHandle {
  const rule = {
    burst: opts.eventBurst ?? SOCKET_EVENT_BURST,
    perSecond: opts.eventsPerSecond ?? SOCKET_EVENTS_PER_SECOND,
  };
  const io: AppServer = new Server(httpServer, {
    path: SOCKET_IO_PATH,
    serveClient: false,
    maxHttpBufferSize: SOCKET_MAX_MESSAGE_BYTES,
    allowRequest: socketOriginCheck(ctx.config.allowedOrigins),
    // Other upgrade paths (/yjs/…) belong to the document hub: never destroy them.
    destroyUpgrade: false,
    cors: { origin: false },
    ...(redis ? { adapter: redis.adapter } : {}),
  });
  // The transport's own HTTP answers (long polling) carry the same headers as the app's.
  const securityHeaders = securityHeaderValues({ https: ctx.config.secureCookies });
  const addSecurityHeaders = (headers: Record<string, string>) => Object.assign(headers, securityHeaders);
  io.engine.on('initial_headers', addSecurityHeaders);
  io.engine.on('headers', addSecurityHeaders);
  const presence = createPresence(ctx, io, redis);
  const socketsPerUser = new Map<string, number>();

  io.use(async (socket, next) => {
    try {
      const result = await authenticateHandshake(ctx, socket.request.headers.cookie);
      if (result.kind === 'refused') return next(handshakeError(result.code, result.message));
      const { user, session } = result.auth;
      if ((socketsPerUser.get(user.id) ?? 0) >= MAX_SOCKETS_PER_USER) {
        return next(handshakeError('rate_limited', `At most ${MAX_SOCKETS_PER_USER} connections per user`));
      }
      socket.data = {
        userId: user.id,
        name: user.name,
        role: user.role,
        teamId: user.teamId,
        sessionId: session.id,
        token: result.token,
        presence: new Map(),
        bucket: new TokenBucket(rule, Date.now()),
        refusals: 0,
      };
      next();
    } catch (err) {
      ctx.log.error({ err }, 'socket handshake failed');
      next(handshakeError('internal', 'Something went wrong on our side'));
    }
  });

  io.on('connection', (socket) => {
    const { userId, teamId } = socket.data;
    socketsPerUser.set(userId, (socketsPerUser.get(userId) ?? 0) + 1);
    const rooms = teamId ? [userRoom(userId), teamRoom(teamId)] : [userRoom(userId)];
    // Admins read every team's records (RecordEvents); a role change ends the socket (recheckSessions).
    if (socket.data.role === 'admin') rooms.push(ADMINS_ROOM);
    void socket.join(rooms);
    socket.use(([event, ...args], next) => {
      const ack = args.at(-1);
      const refuse = (code: 'rate_limited' | 'bad_request', message: string) => {
        const error = { code, message, event: String(event) };
        if (typeof ack === 'function') ack({ ok: false, error });
        else socket.emit('app:error', error);
      };
      if (!CLIENT_EVENTS.has(String(event))) return refuse('bad_request', `Unknown event ${String(event).slice(0, 40)}`);
      if (!socket.data.bucket.take(Date.now())) {
        socket.data.refusals++;
        if (socket.data.refusals >= SOCKET_REFUSALS_BEFORE_DISCONNECT) {
          socket.emit('session:ended', { reason: 'rate_limited' });
          socket.disconnect(true);
          return;
        }
        return refuse('rate_limited', 'Too many events; slow down');
      }
      next();
    });
    presence.register(socket);
    socket.on('disconnect', () => {
      const n = (socketsPerUser.get(userId) ?? 1) - 1;
      if (n <= 0) socketsPerUser.delete(userId);
      else socketsPerUser.set(userId, n);
    });
  });

  const end = (socket: AppSocket, reason: 'session_ended' | 'account_changed') => {
    socket.emit('session:ended', { reason });
    socket.disconnect(true);
  };

  const offRevoked = ctx.sessionEvents.onRevoked((ids) => {
    const ended = new Set(ids);
    for (const socket of io.of('/').sockets.values()) if (ended.has(socket.data.sessionId)) end(socket, 'session_ended');
  });

  let rechecking = false;
  async function recheckSessions(): Promise<void> {
    if (rechecking) return;
    rechecking = true;
    try {
      const byToken = new Map<string, AppSocket[]>();
      for (const socket of io.of('/').sockets.values()) {
        const list = byToken.get(socket.data.token);
        if (list) list.push(socket);
        else byToken.set(socket.data.token, [socket]);
      }
      for (const [token, sockets] of byToken) {
        const auth = await validateSessionToken(ctx.db, token, ctx.now());
        for (const socket of sockets) {
          if (!auth) end(socket, 'session_ended');
          else if (auth.user.teamId !== socket.data.teamId || auth.user.role !== socket.data.role) end(socket, 'account_changed');
        }
      }
    } catch (err) {
      ctx.log.warn({ err }, 'socket session re-check failed');
    } finally {
      rechecking = false;
    }
  }
  const timer = setInterval(() => void recheckSessions(), opts.sessionRecheckIntervalMs ?? SESSION_RECHECK_INTERVAL_MS);
  timer.unref();

  const offTransport = ctx.notifier.setTransport({
    sendNotification: (recipientId, n) => {
      io.to(userRoom(recipientId)).emit('notification', n);
    },
    sendRead: (userId, e) => {
      io.to(userRoom(userId)).emit('notifications:read', e);
    },
    sendTeam: (teamId, event, payload) => {
      (io.to(teamRoom(teamId)).emit as (e: string, p: unknown) => boolean)(event, payload);
    },
    sendRecord: (teamId, event, payload) => {
      // One emit to both rooms: a socket in both (an admin of the team) gets it once.
      io.to([teamRoom(teamId), ADMINS_ROOM]).emit(event, payload);
    },
  });

  return {
    io,
    recheckSessions,
    async close() {
      clearInterval(timer);
      offRevoked();
      offTransport();
      presence.close();
      // `local`: with the Redis adapter, a plain disconnectSockets would reach every node.
      io.local.disconnectSockets(true);
      // Closes the engine and the adapter; the HTTP server itself is closed by startServer.
      io.engine.close();
      await Promise.resolve(io.of('/').adapter.close());
    },
  };
}
