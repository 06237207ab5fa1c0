/**
 * Scale-out: with REDIS_URL set, Socket.IO broadcasts go through the Redis
 * Streams adapter, so a notification created on one node reaches the tabs
 * connected to every node, and short Redis outages are ridden out (the
 * stream is read from the last offset on reconnection).
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';

/** Stream name shared by every node of one deployment. */
export const SOCKET_IO_STREAM = 'tandem:socket.io';
/** Upper bound of the stream's length (Redis trims it approximately). */
export const SOCKET_IO_STREAM_MAX_LEN = 10_000;
/** How long one blocking read of the stream waits; also bounds how long a closed node's reader lingers. */
export const SOCKET_IO_STREAM_BLOCK_MS = 1000;

export interface RedisAdapterHandle {
  adapter: ReturnType<typeof createAdapter>;
  close(): Promise<void>;
}

export async function connectRedisAdapter(url: string, log: Logger): Promise<RedisAdapterHandle> {
  const client = createClient({ url });
  client.on('error', (err: unknown) => log.warn({ err }, 'redis connection error'));
  await client.connect();
  return {
    adapter: createAdapter(client, {
      streamName: SOCKET_IO_STREAM,
      maxLen: SOCKET_IO_STREAM_MAX_LEN,
      blockTimeInMs: SOCKET_IO_STREAM_BLOCK_MS,
    }),
    async close() {
      if (client.isOpen) await client.close();
    },
  };
}
