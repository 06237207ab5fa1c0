/**
 * The live-document hub benchmark: the same workloads against Tandem's hub
 * (on PostgreSQL and on PGlite) and against two peers in memory, Hocuspocus 4
 * and @y/websocket-server 0.1.1. Each server runs in a child process of its
 * own, started fresh per scenario; the load generator runs in another. The
 * orchestrator samples the server's CPU at the load generator's phase marks
 * and prints one table per scenario, then Tandem's ratios to each peer.
 *
 * Several nodes, on request only: `tandem-postgres-redis` is one Tandem node
 * on PostgreSQL with the bus to other nodes (Redis) switched on;
 * `tandem-postgres-2nodes` is two such nodes on one database and one Redis
 * prefix, the clients of every document split between them. Each node is a
 * server process of its own, sampled like any other; the two are compared
 * side by side in a table of their own.
 *
 *   tsx test/bench/hub.bench.ts [--quick] [--servers=tandem-pglite,hocuspocus] [--scenarios=a,d]
 *                               [--cpu-prof=<dir>] [--json=<file>] [--markdown]
 *   tsx test/bench/hub.bench.ts --servers=tandem-postgres-redis,tandem-postgres-2nodes --scenarios=c
 */
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createClient } from 'redis';
import type {
  HistoryResult,
  LatencySummary,
  LoadResult,
  LoadToParent,
  NodeTarget,
  ParentToLoad,
  ResourceSample,
  Scenario,
  ServerKind,
  ServerReady,
  ServerToParent,
  TandemNodeSetup,
  TrafficResult,
} from './hub/ipc.ts';
import { ALL_SERVER_KINDS, SERVER_KINDS, SEVERAL_NODE_KINDS } from './hub/ipc.ts';
import { docsNeeded, scenarios } from './hub/scenarios.ts';
import { fixed, formatMarkdownTable, formatTable, median, percentile, ratio, sortedCopy } from './hub/stats.ts';
import { benchRedisUrl, DEFAULT_BENCH_DATABASE_URL } from './hub/tandem-defaults.ts';
import { buildServer } from '../../scripts/build-server.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;
/** The whole load run of one scenario against one server, at most. */
const RUN_TIMEOUT_MS = 900_000;
const SAMPLE_TIMEOUT_MS = 60_000;
/**
 * Accounts Tandem signs in; clients use them round-robin (several tabs per
 * person: 20 each in the 2000-client scenarios). With 4 accounts, each
 * carried 500 connections, and at (e)'s rate their writes exceeded the
 * per-person write budget (docs/realtime.md, "Budgets"), which is meant for
 * one person's tabs, not 500: the hub closed them with 4429.
 */
const TANDEM_USERS = 100;
const MB = 1024 * 1024;

const SERVER_LABEL: Record<ServerKind, string> = {
  'tandem-postgres': 'Tandem (PostgreSQL)',
  'tandem-pglite': 'Tandem (PGlite)',
  hocuspocus: 'Hocuspocus 4',
  'y-websocket-server': '@y/websocket-server 0.1.1',
  'tandem-postgres-redis': 'Tandem (PostgreSQL + Redis, 1 node)',
  'tandem-postgres-2nodes': 'Tandem (PostgreSQL + Redis, 2 nodes)',
};
const TANDEM: ServerKind[] = ['tandem-postgres', 'tandem-pglite'];
/** Server processes a kind runs: one, or one per node. */
const NODES: Partial<Record<ServerKind, number>> = { 'tandem-postgres-2nodes': 2 };
const PEERS: ServerKind[] = ['hocuspocus', 'y-websocket-server'];

interface Options {
  quick: boolean;
  servers: ServerKind[];
  scenarioIds: string[] | null;
  cpuProfDir: string | null;
  jsonFile: string | null;
  markdown: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { quick: false, servers: [...SERVER_KINDS], scenarioIds: null, cpuProfDir: null, jsonFile: null, markdown: false };
  for (const arg of argv) {
    const [key, value] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, ''];
    switch (key) {
      case '--quick':
        opts.quick = true;
        break;
      case '--servers': {
        const names = value.split(',').filter(Boolean);
        for (const n of names) if (!(ALL_SERVER_KINDS as readonly string[]).includes(n)) throw new Error(`unknown server ${n}; one of ${ALL_SERVER_KINDS.join(', ')}`);
        opts.servers = names as ServerKind[];
        break;
      }
      case '--scenarios':
        opts.scenarioIds = value.split(',').filter(Boolean);
        break;
      case '--cpu-prof':
        // Profiles each server over the edits (or ingest) window; the profiler's overhead counts in that run's CPU figures.
        opts.cpuProfDir = resolve(value || 'bench-profiles');
        break;
      case '--json':
        opts.jsonFile = resolve(value || 'bench-hub.json');
        break;
      case '--markdown':
        opts.markdown = true;
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  return opts;
}

interface TimedSample extends ResourceSample {
  /** performance.now() in the orchestrator when the sample arrived. */
  at: number;
}

interface NodeSamples {
  marks: Record<string, TimedSample>;
  /** Taken once the server is ready (seeded, listening), before any client connects. */
  start: TimedSample | null;
  final: TimedSample | null;
}

interface RunRecord extends NodeSamples {
  scenario: Scenario;
  server: ServerKind;
  /** Several nodes: each node's samples; the record's own are their sum (see `combine`). Null for one process. */
  nodes: NodeSamples[] | null;
  /** Tandem with the bus: CPU of the whole redis-server at each mark (INFO cpu), microseconds; null otherwise. */
  redisCpuMarks: Record<string, number> | null;
  result: LoadResult | null;
  error: string | null;
}

/** A server child: started, sampled on demand, stopped. */
class ServerProcess {
  private readonly waiters: Array<(m: ServerToParent) => void> = [];
  private exited = false;
  private readonly exit: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    child.on('message', (m: ServerToParent) => {
      const waiter = this.waiters.shift();
      if (waiter) waiter(m);
    });
    this.exit = new Promise((resolveExit) =>
      child.on('exit', () => {
        this.exited = true;
        resolveExit();
      }),
    );
  }

  private next(timeoutMs: number): Promise<ServerToParent> {
    return new Promise((resolveNext, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not answer in time')), timeoutMs);
      const waiter = (m: ServerToParent) => {
        clearTimeout(timer);
        resolveNext(m);
      };
      this.waiters.push(waiter);
      void this.exit.then(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          clearTimeout(timer);
          reject(new Error('the server exited'));
        }
      });
    });
  }

  async ready(): Promise<ServerReady> {
    const m = await this.next(READY_TIMEOUT_MS);
    if (m.type === 'ready') return m;
    throw new Error(m.type === 'error' ? m.message : `unexpected ${m.type}`);
  }

  /** `resetPeak`: start a new window for the sampled RSS peak after this sample. */
  async sample(resetPeak = false): Promise<TimedSample> {
    this.child.send({ type: 'sample', resetPeak });
    const m = await this.next(SAMPLE_TIMEOUT_MS);
    if (m.type !== 'sample') throw new Error(`expected a sample, got ${m.type}`);
    return { ...m, at: performance.now() };
  }

  async profile(command: { type: 'profile-start' } | { type: 'profile-stop'; file: string }): Promise<void> {
    this.child.send(command);
    const m = await this.next(SAMPLE_TIMEOUT_MS);
    if (m.type !== 'profile') throw new Error(m.type === 'error' ? m.message : `expected a profile answer, got ${m.type}`);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    if (this.child.connected) this.child.send({ type: 'stop' });
    const timer = setTimeout(() => {
      if (!this.exited && this.child.pid) process.kill(this.child.pid, 'SIGKILL');
    }, STOP_TIMEOUT_MS);
    await this.exit;
    clearTimeout(timer);
  }
}

/** Marks that open and close the window a CPU profile covers. */
const PROFILE_FROM = new Set(['edits-start', 'ingest-start']);
const PROFILE_TO = new Set(['edits-end', 'ingest-end']);

/**
 * Every server runs compiled, as `npm start` runs Tandem (scripts/build-server.mjs): one bundle per
 * server file, built once per run. Run through a TypeScript loader, a process holds each module's
 * source and source map besides its code (about 70 MB for Tandem, some for each peer).
 */
const COMPILED_DIR = resolve(HERE, '../../dist/bench/hub');
const SERVER_FILES = ['server-tandem.ts', 'server-hocuspocus.ts', 'server-y-websocket.ts'] as const;

async function compileServers(): Promise<void> {
  for (const file of SERVER_FILES) await buildServer(`test/bench/hub/${file}`, compiledPath(file));
}

function compiledPath(file: string): string {
  return join(COMPILED_DIR, file.replace(/\.ts$/, '.mjs'));
}

function startServer(kind: ServerKind, docs: number, node: TandemNodeSetup | null = null): ServerProcess {
  const setup = JSON.stringify({ docs, users: kind.startsWith('tandem-') ? TANDEM_USERS : 1 });
  const [file, args] = ((): [string, string[]] => {
    switch (kind) {
      case 'tandem-postgres':
        return ['server-tandem.ts', [setup, 'postgres']];
      case 'tandem-postgres-redis':
      case 'tandem-postgres-2nodes':
        if (!node) throw new Error(`${kind} needs a node setup`);
        return ['server-tandem.ts', [setup, 'postgres', JSON.stringify(node)]];
      case 'tandem-pglite':
        return ['server-tandem.ts', [setup, 'pglite']];
      case 'hocuspocus':
        return ['server-hocuspocus.ts', [setup]];
      case 'y-websocket-server':
        return ['server-y-websocket.ts', [setup]];
      default: {
        const never: never = kind;
        throw new Error(`unknown server ${String(never)}`);
      }
    }
  })();
  // No execArgv of this process (it runs under tsx): the server starts on plain Node.
  return new ServerProcess(fork(compiledPath(file), args, { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
}

/** Several nodes: one sample of them all. CPU and memory add up; the database's share comes from the first node, which follows every backend of the shared database. */
function combine(samples: TimedSample[]): TimedSample {
  const first = samples[0];
  if (!first) throw new Error('no sample');
  if (samples.length === 1) return first;
  const sum = (f: (x: TimedSample) => number) => samples.reduce((n, x) => n + f(x), 0);
  return {
    type: 'sample',
    cpuMicros: sum((x) => x.cpuMicros),
    dbCpuMicros: first.dbCpuMicros,
    dbStats: first.dbStats,
    rssBytes: sum((x) => x.rssBytes),
    maxRssBytes: sum((x) => x.maxRssBytes),
    windowPeakRssBytes: sum((x) => x.windowPeakRssBytes),
    projectionLagsMs: samples.some((x) => x.projectionLagsMs) ? samples.flatMap((x) => x.projectionLagsMs ?? []) : null,
    at: Math.max(...samples.map((x) => x.at)),
  };
}

/** The machine's Redis as the nodes see it: its CPU for the figures, and the run's keys to remove afterwards. */
async function watchRedis(url: string) {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  return {
    /** used_cpu_sys + used_cpu_user of the whole redis-server (other users of it included), microseconds. */
    async cpuMicros(): Promise<number> {
      const info = await client.info('cpu');
      const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
      return (field('used_cpu_sys') + field('used_cpu_user')) * 1e6;
    },
    /** Deletes the keys under `prefix` (the Socket.IO stream and anything else the nodes left). */
    async removeKeys(prefix: string): Promise<void> {
      for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
        if (keys.length > 0) await client.del(keys);
      }
    },
    async close(): Promise<void> {
      if (client.isOpen) await client.close();
    },
  };
}
type RedisWatch = Awaited<ReturnType<typeof watchRedis>>;

/** The first node's account headers with another node's own Origin (the upgrade checks it against the Host). */
function headersFor(first: ServerReady, ready: ServerReady): Record<string, string>[] {
  const origin = `http://${new URL(ready.wsUrl).host}`;
  return first.headers.map((h) => ('origin' in h ? { ...h, origin } : { ...h }));
}

function progress(startedAt: number, text: string): void {
  process.stderr.write(`    ${((performance.now() - startedAt) / 1000).toFixed(1).padStart(6)} s  ${text}\n`);
}

async function runOne(scenario: Scenario, kind: ServerKind, opts: Options): Promise<RunRecord> {
  const nodeCount = NODES[kind] ?? 1;
  const record: RunRecord = {
    scenario,
    server: kind,
    marks: {},
    start: null,
    final: null,
    nodes: nodeCount > 1 ? Array.from({ length: nodeCount }, () => ({ marks: {}, start: null, final: null })) : null,
    redisCpuMarks: null,
    result: null,
    error: null,
  };
  const startedAt = performance.now();
  const profileDir = opts.cpuProfDir;
  const bus: TandemNodeSetup | null = SEVERAL_NODE_KINDS.includes(kind)
    ? { redisUrl: benchRedisUrl(), redisPrefix: `bench-${randomBytes(6).toString('hex')}:` }
    : null;
  const servers: ServerProcess[] = [];
  let redis: RedisWatch | null = null;
  let load: ChildProcess | null = null;
  /** Samples every node; records each node's own sample when there are several. */
  const sampleAll = async (resetPeak: boolean, keep: (node: NodeSamples, sample: TimedSample) => void): Promise<TimedSample> => {
    const samples = await Promise.all(servers.map((server) => server.sample(resetPeak)));
    for (const [i, node] of (record.nodes ?? []).entries()) keep(node, samples[i] as TimedSample);
    return combine(samples);
  };
  try {
    if (bus) {
      redis = await watchRedis(bus.redisUrl);
      record.redisCpuMarks = {};
    }
    servers.push(startServer(kind, docsNeeded(scenario), bus));
    const first = await servers[0]!.ready();
    const readies: ServerReady[] = [first];
    for (let i = 1; i < nodeCount; i++) {
      if (!bus || !first.databaseUrl) throw new Error('the first node reported no database to join');
      progress(startedAt, `node 1 ready; starting node ${i + 1}`);
      const server = startServer(kind, docsNeeded(scenario), { ...bus, joinDatabaseUrl: first.databaseUrl });
      servers.push(server);
      readies.push(await server.ready());
    }
    const nodes: NodeTarget[] = readies.map((ready, i) => ({ wsUrl: ready.wsUrl, headers: i === 0 ? ready.headers : headersFor(first, ready) }));
    progress(startedAt, nodeCount > 1 ? `${nodeCount} nodes ready: ${nodes.map((n) => n.wsUrl).join(', ')}` : 'server ready');
    record.start = await sampleAll(true, (n, x) => {
      n.start = x;
    });
    const loadChild = fork(resolve(HERE, 'hub', 'load-generator.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    load = loadChild;
    const loadExit = new Promise<void>((r) => loadChild.on('exit', () => r()));
    const result = await new Promise<LoadResult>((resolveRun, reject) => {
      const timer = setTimeout(() => reject(new Error('the load run took too long')), RUN_TIMEOUT_MS);
      loadChild.on('message', (m: LoadToParent) => {
        switch (m.type) {
          case 'mark':
            (async () => {
              progress(startedAt, m.name);
              if (profileDir && PROFILE_TO.has(m.name)) {
                await Promise.all(
                  servers.map((server, i) =>
                    server.profile({ type: 'profile-stop', file: resolve(profileDir, `${scenario.id}-${kind}${servers.length > 1 ? `-node${i + 1}` : ''}.cpuprofile`) }),
                  ),
                );
              }
              record.marks[m.name] = await sampleAll(false, (n, x) => {
                n.marks[m.name] = x;
              });
              if (redis && record.redisCpuMarks) record.redisCpuMarks[m.name] = await redis.cpuMicros();
              if (profileDir && PROFILE_FROM.has(m.name)) await Promise.all(servers.map((server) => server.profile({ type: 'profile-start' })));
              loadChild.send({ type: 'ack', name: m.name } satisfies ParentToLoad);
            })().catch(reject);
            break;
          case 'progress':
            progress(startedAt, m.text);
            break;
          case 'result':
            clearTimeout(timer);
            resolveRun(m.result);
            break;
          case 'error':
            clearTimeout(timer);
            reject(new Error(m.message));
            break;
          default: {
            const never: never = m;
            reject(new Error(`unknown message ${JSON.stringify(never)}`));
          }
        }
      });
      loadChild.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the load generator exited with ${code}`));
      });
      loadChild.send({ type: 'run', scenario, target: { protocol: first.protocol, docs: first.docs, nodes } } satisfies ParentToLoad);
    });
    record.result = result;
    await loadExit;
    record.final = await sampleAll(false, (n, x) => {
      n.final = x;
    });
  } catch (err) {
    record.error = err instanceof Error ? err.message : String(err);
  } finally {
    if (load && load.exitCode === null && load.pid) {
      await new Promise<void>((r) => {
        const timer = setTimeout(() => {
          if (load?.exitCode === null && load.pid) process.kill(load.pid, 'SIGKILL');
          r();
        }, STOP_TIMEOUT_MS);
        load?.on('exit', () => {
          clearTimeout(timer);
          r();
        });
      });
    }
    // The first node drops the database: it stops last.
    for (const server of [...servers].reverse()) await server.stop();
    if (redis && bus) {
      await redis.removeKeys(bus.redisPrefix).catch(() => {});
      await redis.close();
    }
  }
  return record;
}

// ---------------------------------------------------------------------------
// Figures

interface TrafficFigures {
  allSyncedMs: number | null;
  cpuCores: number | null;
  dbCores: number | null;
  /** Server CPU from the first edit until every delivery arrived, per edit: robust when the server falls behind. */
  cpuMsPerEdit: number | null;
  /** Of which the database's backends (Tandem on PostgreSQL). */
  dbMsPerEdit: number | null;
  /** How long documents waited for their projection after a commit, from the first edit until settled (Tandem). */
  projectionLagP99: number | null;
  peakRssMb: number | null;
  readyRssMb: number | null;
  lifetimeMaxRssMb: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  lost: number;
  expected: number;
  settleMs: number | null;
  converged: string;
  loadCpu: number;
  loadLagP99: number;
  disconnects: string;
}

interface HistoryFigures {
  ingestCpuMsPerUpdate: number | null;
  ingestDbMsPerUpdate: number | null;
  ingestS: number;
  joinP50: number | null;
  joinMax: number | null;
  cpuMsPerJoin: number | null;
  peakRssMb: number | null;
  readyRssMb: number | null;
  lifetimeMaxRssMb: number | null;
  complete: string;
  converged: boolean;
  loadCpu: number;
  loadLagP99: number;
}

/**
 * CPU between two samples: the server process plus, for Tandem on
 * PostgreSQL, the backends serving its database (`dbMs`, null otherwise).
 */
function cpuBetween(
  a: TimedSample | undefined,
  b: TimedSample | undefined,
): { cpuMs: number; dbMs: number | null; wallMs: number } | null {
  if (!a || !b) return null;
  const dbMs = a.dbCpuMicros === null || b.dbCpuMicros === null ? null : (b.dbCpuMicros - a.dbCpuMicros) / 1000;
  return { cpuMs: (b.cpuMicros - a.cpuMicros) / 1000 + (dbMs ?? 0), dbMs, wallMs: b.at - a.at };
}

/** RSS when ready (before any client), the sampled peak from then to the end, and the process' lifetime maximum. */
function rssFigures(r: RunRecord): { peakRssMb: number | null; readyRssMb: number | null; lifetimeMaxRssMb: number | null } {
  return {
    peakRssMb: r.final ? r.final.windowPeakRssBytes / MB : null,
    readyRssMb: r.start ? r.start.rssBytes / MB : null,
    lifetimeMaxRssMb: r.final ? r.final.maxRssBytes / MB : null,
  };
}

function trafficFigures(r: RunRecord, res: TrafficResult): TrafficFigures {
  const edits = cpuBetween(r.marks['edits-start'], r.marks['edits-end']);
  return {
    allSyncedMs: res.allSyncedMs,
    cpuCores: edits ? edits.cpuMs / edits.wallMs : null,
    dbCores: edits?.dbMs != null ? edits.dbMs / edits.wallMs : null,
    cpuMsPerEdit: (() => {
      const all = cpuBetween(r.marks['edits-start'], r.marks.settled);
      return all && res.edits > 0 ? all.cpuMs / res.edits : null;
    })(),
    dbMsPerEdit: (() => {
      const all = cpuBetween(r.marks['edits-start'], r.marks.settled);
      return all?.dbMs != null && res.edits > 0 ? all.dbMs / res.edits : null;
    })(),
    projectionLagP99: (() => {
      const from = r.marks['edits-start'];
      const to = r.marks.settled;
      if (!from || !to) return null;
      const lags = Object.values(r.marks)
        .filter((m): m is TimedSample => m !== undefined && m.at > from.at && m.at <= to.at)
        .flatMap((m) => m.projectionLagsMs ?? []);
      return lags.length > 0 ? percentile(sortedCopy(lags), 99) : null;
    })(),
    ...rssFigures(r),
    p50: res.latencyMs?.p50 ?? null,
    p95: res.latencyMs?.p95 ?? null,
    p99: res.latencyMs?.p99 ?? null,
    lost: res.expectedDeliveries - Math.min(res.deliveries, res.expectedDeliveries),
    expected: res.expectedDeliveries,
    settleMs: res.settleMs,
    converged: `${res.docsConverged}/${res.docsChecked}`,
    loadCpu: res.loadCpuCores,
    loadLagP99: res.loopLagMs.p99,
    disconnects:
      res.disconnects === 0
        ? '0'
        : `${res.disconnects} (${Object.entries(res.closeCodes)
            .map(([code, n]) => `${code}×${n}`)
            .join(' ')})`,
  };
}

function historyFigures(r: RunRecord, res: HistoryResult): HistoryFigures {
  const ingest = cpuBetween(r.marks['ingest-start'], r.marks['ingest-end']);
  const joins = cpuBetween(r.marks['joins-start'], r.marks['joins-end']);
  const sorted = sortedCopy(res.joinMs);
  return {
    ingestCpuMsPerUpdate: ingest ? ingest.cpuMs / res.edits : null,
    ingestDbMsPerUpdate: ingest?.dbMs != null ? ingest.dbMs / res.edits : null,
    ingestS: res.ingestMs / 1000,
    joinP50: median(res.joinMs),
    joinMax: percentile(sorted, 100),
    cpuMsPerJoin: joins && res.joinMs.length > 0 ? joins.cpuMs / res.joinMs.length : null,
    ...rssFigures(r),
    complete: `${res.ingestComplete ? 'yes' : 'NO'}, ${res.joinsComplete} joins`,
    converged: res.converged,
    loadCpu: res.loadCpuCores,
    loadLagP99: res.loopLagMs.p99,
  };
}

const TRAFFIC_HEADER = [
  'server',
  'all synced ms',
  'server CPU cores',
  'of which DB',
  'CPU ms/edit to settled',
  'of which DB ms/edit',
  'RSS ready MB',
  'peak RSS MB',
  'max RSS MB',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'lost / expected',
  'settled after ms',
  'converged docs',
  'disconnects',
  'projection lag p99 ms',
  'load CPU cores',
  'load lag p99 ms',
];
const HISTORY_HEADER = [
  'server',
  'ingest CPU ms/update',
  'of which DB',
  'ingest wall s',
  'full state on join p50 ms',
  'max ms',
  'server CPU ms/join',
  'RSS ready MB',
  'peak RSS MB',
  'max RSS MB',
  'complete',
  'converged',
  'load CPU cores',
  'load lag p99 ms',
];

function scenarioTable(records: RunRecord[]): { header: string[]; rows: string[][] } {
  const scenario = records[0]?.scenario;
  if (!scenario) return { header: [], rows: [] };
  const rows: string[][] = [];
  for (const r of records) {
    const label = SERVER_LABEL[r.server];
    if (!r.result) {
      rows.push([label, `failed: ${r.error ?? 'no result'}`]);
      continue;
    }
    if (r.result.kind === 'traffic') {
      const f = trafficFigures(r, r.result);
      const synced = f.allSyncedMs === null ? `${r.result.synced}/${r.result.clients} synced` : fixed(f.allSyncedMs, 0);
      rows.push([
        label,
        synced,
        fixed(f.cpuCores, 3),
        fixed(f.dbCores, 3),
        fixed(f.cpuMsPerEdit, 3),
        fixed(f.dbMsPerEdit, 3),
        fixed(f.readyRssMb, 0),
        fixed(f.peakRssMb, 0),
        fixed(f.lifetimeMaxRssMb, 0),
        fixed(f.p50, 2),
        fixed(f.p95, 2),
        fixed(f.p99, 2),
        `${f.lost} / ${f.expected}`,
        fixed(f.settleMs, 0),
        f.converged,
        f.disconnects,
        fixed(f.projectionLagP99, 1),
        fixed(f.loadCpu, 2),
        fixed(f.loadLagP99, 1),
      ]);
    } else {
      const f = historyFigures(r, r.result);
      rows.push([
        label,
        fixed(f.ingestCpuMsPerUpdate, 3),
        fixed(f.ingestDbMsPerUpdate, 3),
        fixed(f.ingestS, 2),
        fixed(f.joinP50, 1),
        fixed(f.joinMax, 1),
        fixed(f.cpuMsPerJoin, 2),
        fixed(f.readyRssMb, 0),
        fixed(f.peakRssMb, 0),
        fixed(f.lifetimeMaxRssMb, 0),
        f.complete,
        f.converged ? 'yes' : 'NO',
        fixed(f.loadCpu, 2),
        fixed(f.loadLagP99, 1),
      ]);
    }
  }
  return { header: scenario.kind === 'traffic' ? TRAFFIC_HEADER : HISTORY_HEADER, rows };
}

/** What the run added to the resident set: sampled peak minus the RSS when ready. */
function growth(f: { peakRssMb: number | null; readyRssMb: number | null }): number | null {
  return f.peakRssMb === null || f.readyRssMb === null ? null : f.peakRssMb - f.readyRssMb;
}

function ratioTable(all: RunRecord[]): { header: string[]; rows: string[][] } {
  const header = ['scenario', 'Tandem / peer', 'server CPU (d: per join)', 'p95', 'peak RSS', 'RSS growth', 'all synced / join', 'ingest per update'];
  const rows: string[][] = [];
  const byScenario = new Map<string, RunRecord[]>();
  for (const r of all) byScenario.set(r.scenario.id, [...(byScenario.get(r.scenario.id) ?? []), r]);
  for (const [id, records] of byScenario) {
    for (const t of TANDEM) {
      const ours = records.find((r) => r.server === t && r.result);
      if (!ours?.result) continue;
      for (const p of PEERS) {
        const theirs = records.find((r) => r.server === p && r.result);
        if (!theirs?.result) continue;
        const name = `${SERVER_LABEL[t]} / ${SERVER_LABEL[p]}`;
        if (ours.result.kind === 'traffic' && theirs.result.kind === 'traffic') {
          const a = trafficFigures(ours, ours.result);
          const b = trafficFigures(theirs, theirs.result);
          rows.push([id, name, ratio(a.cpuCores, b.cpuCores), ratio(a.p95, b.p95), ratio(a.peakRssMb, b.peakRssMb), ratio(growth(a), growth(b)), ratio(a.allSyncedMs, b.allSyncedMs), '']);
        } else if (ours.result.kind === 'history' && theirs.result.kind === 'history') {
          const a = historyFigures(ours, ours.result);
          const b = historyFigures(theirs, theirs.result);
          rows.push([id, name, ratio(a.cpuMsPerJoin, b.cpuMsPerJoin), '', ratio(a.peakRssMb, b.peakRssMb), ratio(growth(a), growth(b)), ratio(a.joinP50, b.joinP50), ratio(a.ingestCpuMsPerUpdate, b.ingestCpuMsPerUpdate)]);
        }
      }
    }
  }
  return { header, rows };
}

/** For Tandem on PostgreSQL: the group commit's pace during the measured window, from pg_stat_database. */
function databaseNotes(records: RunRecord[]): string[] {
  const out: string[] = [];
  for (const r of records) {
    const [from, to] = r.marks['edits-start'] ? ['edits-start', 'edits-end'] : ['ingest-start', 'ingest-end'];
    const a = r.marks[from as string]?.dbStats;
    const b = r.marks[to as string]?.dbStats;
    const wall = (r.marks[to as string]?.at ?? 0) - (r.marks[from as string]?.at ?? 0);
    if (!a || !b || wall <= 0) continue;
    const commits = b.commits - a.commits;
    const per = (n: number) => (commits > 0 ? (n / commits).toFixed(1) : '–');
    out.push(
      `  ${SERVER_LABEL[r.server]}, ${from}..${to}: ${commits} commits (${((commits * 1000) / wall).toFixed(1)}/s), ` +
        `${per(b.rowsInserted - a.rowsInserted)} rows inserted and ${per(b.rowsUpdated - a.rowsUpdated)} updated per commit`,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------
// Several nodes side by side

/** Per second over a window in milliseconds; null when the window is empty. */
function perSecond(count: number, windowMs: number | null): number | null {
  return windowMs === null || windowMs <= 0 ? null : (count * 1000) / windowMs;
}

interface NodeRunFigures {
  clientsPerNode: number[];
  allSyncedMs: number | null;
  sentPerS: number | null;
  acceptedPerS: number | null;
  deliveredPerS: number | null;
  latency: { p50: number; p95: number; p99: number; max: number } | null;
  sameNode: LatencySummary | { p50: number; p99: number } | null;
  crossNode: LatencySummary | null;
  allReceived: LatencySummary | null;
  traffic: TrafficFigures;
  /** The nodes' own CPU over the edit window (database backends and Redis apart), cores: all, then each node. */
  nodeCores: number | null;
  perNodeCores: Array<number | null>;
  dbCores: number | null;
  redisCores: number | null;
  /** Nodes + database backends + Redis, first edit until every delivery arrived, per edit. */
  cpuMsPerEditWithRedis: number | null;
  commitsPerS: number | null;
  perNodePeakRssMb: Array<number | null>;
}

/** A node's (or the sum's) own CPU between two marks, cores: its database share taken out. */
function ownCores(a: TimedSample | undefined, b: TimedSample | undefined): number | null {
  const c = cpuBetween(a, b);
  return c && c.wallMs > 0 ? (c.cpuMs - (c.dbMs ?? 0)) / c.wallMs : null;
}

function redisMs(r: RunRecord, from: string, to: string): number | null {
  const a = r.redisCpuMarks?.[from];
  const b = r.redisCpuMarks?.[to];
  return a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) ? null : (b - a) / 1000;
}

function nodeRunFigures(r: RunRecord, res: TrafficResult): NodeRunFigures {
  const traffic = trafficFigures(r, res);
  const nodes = r.nodes ?? [r];
  const edits = cpuBetween(r.marks['edits-start'], r.marks['edits-end']);
  const toSettled = cpuBetween(r.marks['edits-start'], r.marks.settled);
  const redisEdits = redisMs(r, 'edits-start', 'edits-end');
  const redisToSettled = redisMs(r, 'edits-start', 'settled');
  const a = r.marks['edits-start'];
  const b = r.marks['edits-end'];
  return {
    clientsPerNode: res.clientsPerNode,
    allSyncedMs: res.allSyncedMs,
    sentPerS: perSecond(res.edits, res.editWindowMs),
    acceptedPerS: perSecond(res.editsAccepted, res.acceptWindowMs),
    deliveredPerS: perSecond(res.deliveries, res.deliveryWindowMs),
    latency: res.latencyMs,
    // With one node every delivery is a same-node one.
    sameNode: res.sameNodeMs ?? (res.clientsPerNode.length === 1 ? res.latencyMs : null),
    crossNode: res.crossNodeMs,
    allReceived: res.allReceivedMs,
    traffic,
    nodeCores: ownCores(a, b),
    perNodeCores: nodes.map((n) => ownCores(n.marks['edits-start'], n.marks['edits-end'])),
    dbCores: traffic.dbCores,
    redisCores: redisEdits !== null && edits ? redisEdits / edits.wallMs : null,
    cpuMsPerEditWithRedis: toSettled && redisToSettled !== null && res.edits > 0 ? (toSettled.cpuMs + redisToSettled) / res.edits : null,
    commitsPerS: a?.dbStats && b?.dbStats && b.at > a.at ? ((b.dbStats.commits - a.dbStats.commits) * 1000) / (b.at - a.at) : null,
    perNodePeakRssMb: nodes.map((n) => (n.final ? n.final.windowPeakRssBytes / MB : null)),
  };
}

/** "0.41 + 0.43" for several values, the value alone for one. */
function each(values: Array<number | null>, digits: number): string {
  return values.map((v) => fixed(v, digits)).join(' + ');
}

/**
 * One node with the bus against two nodes, for one traffic scenario: a
 * row per figure, a column per server, then two nodes ÷ one node. Null when
 * neither ran (or the scenario is not a traffic one).
 */
function severalNodesTable(records: RunRecord[]): { header: string[]; rows: string[][] } | null {
  const runs = SEVERAL_NODE_KINDS.map((kind) => records.find((r) => r.server === kind)).filter((r): r is RunRecord => r !== undefined);
  if (runs.length === 0 || runs[0]?.scenario.kind !== 'traffic') return null;
  const figures = runs.map((r) => (r.result?.kind === 'traffic' ? nodeRunFigures(r, r.result) : null));
  const both = figures.length === 2 && figures.every((f) => f !== null);
  const header = ['figure', ...runs.map((r) => SERVER_LABEL[r.server]), ...(both ? ['2 nodes / 1 node'] : [])];
  const rows: string[][] = [];
  const row = (label: string, cell: (f: NodeRunFigures) => string, value?: (f: NodeRunFigures) => number | null) => {
    const cells = figures.map((f, i) => (f ? cell(f) : `failed: ${runs[i]?.error ?? 'no result'}`));
    const [one, two] = figures;
    rows.push([label, ...cells, ...(both ? [value && one && two ? ratio(value(two), value(one)) : ''] : [])]);
  };
  const num = (label: string, value: (f: NodeRunFigures) => number | null, digits: number) => row(label, (f) => fixed(value(f), digits), value);
  row('clients per node', (f) => f.clientsPerNode.join(' + '));
  num('all synced ms', (f) => f.allSyncedMs, 0);
  num('edits sent /s', (f) => f.sentPerS, 1);
  num('edits accepted /s', (f) => f.acceptedPerS, 1);
  num('updates delivered /s', (f) => f.deliveredPerS, 1);
  num('delivery p50 ms', (f) => f.latency?.p50 ?? null, 2);
  num('delivery p95 ms', (f) => f.latency?.p95 ?? null, 2);
  num('delivery p99 ms', (f) => f.latency?.p99 ?? null, 2);
  num('delivery max ms', (f) => f.latency?.max ?? null, 2);
  num('same node p50 ms', (f) => f.sameNode?.p50 ?? null, 2);
  num('same node p99 ms', (f) => f.sameNode?.p99 ?? null, 2);
  num('other node p50 ms', (f) => f.crossNode?.p50 ?? null, 2);
  num('other node p99 ms', (f) => f.crossNode?.p99 ?? null, 2);
  num('edit → all others p50 ms', (f) => f.allReceived?.p50 ?? null, 2);
  num('edit → all others p99 ms', (f) => f.allReceived?.p99 ?? null, 2);
  row('lost / expected', (f) => `${f.traffic.lost} / ${f.traffic.expected}`);
  row('converged docs', (f) => f.traffic.converged);
  num('settled after ms', (f) => f.traffic.settleMs, 0);
  row('disconnects', (f) => f.traffic.disconnects);
  num('nodes CPU cores', (f) => f.nodeCores, 3);
  row('  per node', (f) => each(f.perNodeCores, 3));
  num('DB backends CPU cores', (f) => f.dbCores, 3);
  num('Redis CPU cores (whole server)', (f) => f.redisCores, 3);
  num('CPU ms/edit to settled, nodes + DB', (f) => f.traffic.cpuMsPerEdit, 3);
  num('  + Redis', (f) => f.cpuMsPerEditWithRedis, 3);
  num('commits /s (all nodes)', (f) => f.commitsPerS, 1);
  row('peak RSS MB per node', (f) => each(f.perNodePeakRssMb, 0));
  num('load CPU cores', (f) => f.traffic.loadCpu, 2);
  num('load lag p99 ms', (f) => f.traffic.loadLagP99, 1);
  return { header, rows };
}

/** The Tandem code measured: the commit, and whether the server's files had local changes. */
function sourceState(): string {
  const git = (args: string[]) => {
    const r = spawnSync('git', args, { cwd: HERE, encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : null;
  };
  const head = git(['rev-parse', '--short', 'HEAD']);
  if (!head) return 'Tandem: not a git checkout';
  const dirty = git(['status', '--porcelain', '--', '../../server', '../../schema']);
  return `Tandem at commit ${head}${dirty ? ' with local changes in server/ or schema/' : ''}`;
}

async function postgresReachable(): Promise<boolean> {
  const c = new pg.Client({
    connectionString: process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL,
    connectionTimeoutMillis: 3000,
  });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function redisReachable(): Promise<boolean> {
  const client = createClient({ url: benchRedisUrl(), socket: { connectTimeout: 3000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.close();
    return true;
  } catch {
    return false;
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let servers = opts.servers;
  const onPostgres: ServerKind[] = ['tandem-postgres', ...SEVERAL_NODE_KINDS];
  if (servers.some((s) => onPostgres.includes(s)) && !(await postgresReachable())) {
    process.stdout.write('PostgreSQL is not reachable (BENCH_DATABASE_URL / TEST_DATABASE_URL): Tandem on PostgreSQL is skipped.\n');
    servers = servers.filter((s) => !onPostgres.includes(s));
  }
  if (servers.some((s) => SEVERAL_NODE_KINDS.includes(s)) && !(await redisReachable())) {
    process.stdout.write(`Redis is not reachable (BENCH_REDIS_URL, else ${benchRedisUrl()}): Tandem with the bus between nodes is skipped.\n`);
    servers = servers.filter((s) => !SEVERAL_NODE_KINDS.includes(s));
  }
  if (opts.cpuProfDir) await mkdir(opts.cpuProfDir, { recursive: true });
  await compileServers();
  const list = scenarios(opts.quick, opts.scenarioIds);
  const machine = () =>
    `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}`;
  process.stdout.write(`Hub benchmark on ${machine()}\n${sourceState()}\n`);
  const all: RunRecord[] = [];
  const markdown: string[] = [];
  for (const scenario of list) {
    const records: RunRecord[] = [];
    for (const kind of servers) {
      process.stderr.write(`  hub bench: ${scenario.title} — ${SERVER_LABEL[kind]}\n`);
      const record = await runOne(scenario, kind, opts);
      if (record.error) process.stderr.write(`    failed: ${record.error}\n`);
      records.push(record);
      all.push(record);
    }
    const { header, rows } = scenarioTable(records);
    process.stdout.write(`\nHub: ${scenario.title}\n${formatTable(header, rows)}\n`);
    for (const line of databaseNotes(records)) process.stdout.write(`${line}\n`);
    markdown.push(`#### ${scenario.title}\n\n${formatMarkdownTable(header, rows)}\n`);
    const nodes = severalNodesTable(records);
    if (nodes) {
      process.stdout.write(`\nHub, several nodes: ${scenario.title}; ${machine()}\n${formatTable(nodes.header, nodes.rows)}\n`);
      markdown.push(`#### Several nodes: ${scenario.title}\n\n${formatMarkdownTable(nodes.header, nodes.rows)}\n`);
    }
  }
  process.stdout.write(`\nHub benchmark finished; ${machine()}\n`);
  const ratios = ratioTable(all);
  if (ratios.rows.length > 0) {
    process.stdout.write(`\nHub: Tandem's ratio to each peer (below 1 = Tandem uses less / is faster)\n${formatTable(ratios.header, ratios.rows)}\n`);
    markdown.push(`#### Tandem's ratio to each peer\n\n${formatMarkdownTable(ratios.header, ratios.rows)}\n`);
  }
  if (opts.markdown) process.stdout.write(`\n${markdown.join('\n')}\n`);
  if (opts.jsonFile) await writeFile(opts.jsonFile, JSON.stringify(all, null, 2));
  if (all.some((r) => r.error)) process.exitCode = 1;
}

await main();
