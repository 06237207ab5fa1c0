/**
 * Several Tandem nodes for tests: each node is `server/main.ts` in a child
 * process of its own, on its own port, all on one PostgreSQL database and
 * one Redis. Also a small TCP balancer (what nginx or HAProxy does in front
 * of real nodes: a connection goes to the first live node of its list) and
 * a private redis-server that a test may stop and start again.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect as netConnect, createServer, type Server, type Socket } from 'node:net';
import { bootstrap } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import type { AppContext } from '../../server/context.ts';
import { createLogger } from '../../server/logger.ts';
import { createPostgresDatabase, TEST_PASSWORD, type TestDatabase } from './context.ts';
import { sharedRedis } from './redis.ts';

/** Nodes need a shared database: the machine's PostgreSQL unless TEST_DATABASE_URL names another. */
export const CLUSTER_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The machine's Redis unless TEST_REDIS_URL names another. */
export const CLUSTER_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Starting a node (tsx, migrations already applied) on a busy machine. */
const NODE_START_GIVE_UP_MS = 90_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
    srv.on('error', reject);
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, giveUpMs: number): Promise<void> {
  const end = Date.now() + giveUpMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export class ClusterNode {
  child: ChildProcess | null = null;
  readonly url: string;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  get wsBase(): string {
    return `ws://127.0.0.1:${this.port}/yjs`;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the node and waits until /readyz says ready ('ready') or answers at all ('answering'). */
  async start(until: 'ready' | 'answering' = 'ready'): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.child = child;
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`node :${this.port} exited with ${child.exitCode} before it was ready`);
        const status = await this.ready();
        return until === 'ready' ? status === 200 : status !== 0;
      },
      `node :${this.port} ${until}`,
      NODE_START_GIVE_UP_MS,
    );
  }

  /** The status /readyz answers, or 0 when the node does not answer. */
  async ready(): Promise<number> {
    try {
      return (await fetch(`${this.url}/readyz`)).status;
    } catch {
      return 0;
    }
  }

  /** Stops the node with a signal and waits for its exit (SIGKILL: a crash, nothing flushed). */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      c.once('exit', () => resolve());
      c.kill(signal);
    });
  }

  /** Signs in over HTTP; answers the session cookie (valid on every node: sessions live in the database). */
  async signIn(email: string): Promise<string> {
    const res = await fetch(`${this.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.url },
      body: JSON.stringify({ email, password: TEST_PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`sign-in failed on :${this.port}: ${res.status}`);
    return res.headers.get('set-cookie')!.match(/session=[^;]+/)![0];
  }
}

export interface Cluster {
  nodes: ClusterNode[];
  database: TestDatabase;
  /** This cluster's Redis key prefix (tests share the machine's Redis). */
  prefix: string;
  /** A context on the same database, for seeding and reading rows (not a node: no Redis). */
  withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  nodes: number;
  /** 'answering': do not wait for the nodes to report ready (e.g. Redis is away on purpose). */
  until?: 'ready' | 'answering';
  redisUrl?: string;
  /** Extra environment for every node. */
  env?: Record<string, string>;
}

/** A fresh database, migrated once, and `nodes` started nodes on it. */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const database = await createPostgresDatabase(CLUSTER_DATABASE_URL, 'tandem_cluster');
  // On the shared Redis, keys (the Socket.IO stream) go under a prefix of this cluster's, deleted at the end.
  const shared = opts.redisUrl ? null : sharedRedis();
  const prefix = shared?.prefix ?? `test-${randomBytes(6).toString('hex')}:`;
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    REDIS_URL: opts.redisUrl ?? CLUSTER_REDIS_URL,
    REDIS_PREFIX: prefix,
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...opts.env,
  };
  const withContext = async <T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> => {
    const { ctx, close } = await bootstrap(loadConfig({ DATABASE_URL: database.url }), createLogger('silent'));
    try {
      return await fn(ctx);
    } finally {
      await close();
    }
  };
  // Migrate once before the nodes start, so they do not all wait on the migration lock.
  await withContext(async () => undefined);
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < opts.nodes; i++) nodes.push(new ClusterNode(await freePort(), env));
  const cluster: Cluster = {
    nodes,
    database,
    prefix,
    withContext,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
      await database.drop();
      await shared?.cleanup();
    },
  };
  try {
    await Promise.all(nodes.map((n) => n.start(opts.until)));
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

export interface Balancer {
  port: number;
  wsBase: string;
  close(): Promise<void>;
}

/**
 * A TCP balancer on loopback: each connection goes to the first node of the
 * list that accepts it, the way a load balancer fails over once a node's
 * health check fails. Open connections are tied to their node: when it dies,
 * they end, and the clients reconnect through the balancer.
 */
export async function startBalancer(nodes: ClusterNode[]): Promise<Balancer> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.pause();
    const tryNode = (i: number) => {
      if (i >= nodes.length) {
        client.destroy();
        return;
      }
      const upstream = netConnect(nodes[i]!.port, '127.0.0.1');
      let connected = false;
      open.add(upstream);
      upstream.on('close', () => open.delete(upstream));
      upstream.once('error', () => {
        if (!connected) tryNode(i + 1);
        else client.destroy();
      });
      upstream.once('connect', () => {
        connected = true;
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.resume();
      });
    };
    tryNode(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    wsBase: `ws://127.0.0.1:${port}/yjs`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A redis-server of the test's own on a free port, which the test may stop and start again on that port. */
export class PrivateRedis {
  private child: ChildProcess | null = null;
  readonly url: string;

  private constructor(readonly port: number) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.start();
    return r;
  }

  async start(): Promise<void> {
    const bin = execFileSync('sh', ['-c', 'command -v redis-server || true']).toString().trim();
    if (!bin) throw new Error('redis-server is not installed');
    const child = spawn(bin, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis-server did not start')), 20_000);
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    });
  }

  stop(): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  }
}
