/**
 * Redis for tests: the machine's server (TEST_REDIS_URL, else 127.0.0.1:6379)
 * under a prefix of the test file's own, or a private `redis-server` that a
 * test may stop and start again.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { createClient } from 'redis';

type RedisClient = ReturnType<typeof createClient>;

/** How long a private redis-server may take to start. */
const REDIS_START_MS = 10_000;

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
  const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
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

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A redis-server of the test's own on a free port, which the test may stop and start again. */
export class PrivateRedis {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const bin = execFileSync('sh', ['-c', 'command -v redis-server || true']).toString().trim();
    if (!bin) throw new Error('redis-server is not installed: install it to run this test');
    const child = spawn(bin, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis-server did not start')), REDIS_START_MS);
      child.stdout?.on('data', (d: Buffer) => {
        if (d.toString().includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
