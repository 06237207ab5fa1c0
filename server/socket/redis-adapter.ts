/**
 * Scale-out: with REDIS_URL set, Socket.IO broadcasts go through the Redis
 * Streams adapter, so a notification created on one node reaches the tabs
 * connected to every node, and short Redis outages are ridden out (the
 * stream is read from the last offset on reconnection).
 */
import type { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import { createRedisClient } from '../redis-client.ts';

/** The stream (and the pub/sub channel prefix) shared by every node of one deployment, under REDIS_PREFIX. */
export const socketIoStream = (prefix: string) => `${prefix}socket.io`;
/** Upper bound of the stream's length (Redis trims it approximately). */
export const SOCKET_IO_STREAM_MAX_LEN = 10_000;
/** How long one blocking read of the stream waits; also bounds how long a closed node's reader lingers. */
export const SOCKET_IO_STREAM_BLOCK_MS = 1000;

export interface RedisAdapterHandle {
  adapter: ReturnType<typeof createAdapter>;
  /** Whether the connection to Redis is up now: when it is not, other nodes cannot be reached. */
  isReady(): boolean;
  /** Calls `listener` each time the connection comes back after a loss; returns the unsubscribe. */
  onReconnect(listener: () => void): () => void;
  close(): Promise<void>;
}

export async function connectRedisAdapter(url: string, prefix: string, log: Logger): Promise<RedisAdapterHandle> {
  // Loaded only with REDIS_URL.
  const { createAdapter } = await import('@socket.io/redis-streams-adapter');
  const client = createRedisClient({ url });
  // The client retries every few seconds while Redis is away: one warning per outage, not one per attempt.
  let lost = false;
  let everConnected = false;
  client.on('error', (err: unknown) => {
    if (!lost) {
      log.warn(
        { err },
        everConnected
          ? 'redis connection lost; Socket.IO broadcasts are held until it is back'
          : 'cannot reach redis; Socket.IO events reach this node’s sockets only until it can',
      );
    }
    lost = true;
  });
  const reconnectListeners = new Set<() => void>();
  // 'ready' follows every (re)connection.
  client.on('ready', () => {
    if (lost) log.info(everConnected ? 'redis connection is back' : 'connected to redis');
    const again = everConnected;
    lost = false;
    everConnected = true;
    if (again) for (const listener of reconnectListeners) listener();
  });
  // A node whose Redis is away at start serves its own sockets meanwhile (and reports not ready).
  client.connect().catch((err: unknown) => log.warn({ err }, 'connecting to redis failed'));
  const name = socketIoStream(prefix);
  return {
    adapter: createAdapter(client, {
      streamName: name,
      // Requests between nodes (presence lists) go over pub/sub: keep them apart per deployment too.
      channelPrefix: name,
      sessionKeyPrefix: `${prefix}sio:session:`,
      maxLen: SOCKET_IO_STREAM_MAX_LEN,
      blockTimeInMs: SOCKET_IO_STREAM_BLOCK_MS,
    }),
    isReady: () => client.isReady,
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    async close() {
      reconnectListeners.clear();
      // A graceful close waits for queued commands, which never drain while Redis is away.
      if (client.isReady) await client.close();
      else if (client.isOpen) client.destroy();
    },
  };
}
