/**
 * The Redis client library, loaded on first use: it takes about 13 MB of a process, and only a
 * deployment with REDIS_URL needs it.
 */
import { createRequire } from 'node:module';
import type * as Redis from 'redis';

const require = createRequire(import.meta.url);

export type RedisClient = ReturnType<typeof Redis.createClient>;

export function createRedisClient(options: Parameters<typeof Redis.createClient>[0]): RedisClient {
  return (require('redis') as typeof Redis).createClient(options);
}
