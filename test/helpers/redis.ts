/**
 * The machine's Redis for tests (TEST_REDIS_URL, else 127.0.0.1:6379) under
 * a REDIS_PREFIX of the test file's own, deleted afterwards. A private
 * redis-server that a test may stop is `PrivateRedis` in ./cluster.ts.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { CLUSTER_REDIS_URL } from './cluster.ts';

type RedisClient = ReturnType<typeof createClient>;

export interface SharedRedis {
  url: string;
  /** A REDIS_PREFIX nobody else uses. */
  prefix: string;
  /** The keys under the prefix (streams, counters). */
  keys(): Promise<string[]>;
  /** Deletes every key under the prefix. */
  cleanup(): Promise<void>;
}

export function sharedRedis(): SharedRedis {
  const url = CLUSTER_REDIS_URL;
  const prefix = `test-${randomUUID()}:`;
  /** Runs `fn` with a connection of its own, closed afterwards. */
  const withClient = async <T>(fn: (c: RedisClient) => Promise<T>): Promise<T> => {
    const c: RedisClient = createClient({ url });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.close();
    }
  };
  const keys = () =>
    withClient(async (c) => {
      const found: string[] = [];
      for await (const batch of c.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) found.push(...batch);
      return found;
    });
  return {
    url,
    prefix,
    keys,
    async cleanup() {
      const found = await keys();
      if (found.length > 0) await withClient((c) => c.del(found));
    },
  };
}
