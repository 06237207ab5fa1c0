/**
 * Messages between the hub benchmark's orchestrator and its child processes
 * (the server under test and the load generator), over Node's IPC channel.
 */

export type ServerKind =
  | 'tandem-postgres'
  | 'tandem-pglite'
  | 'hocuspocus'
  | 'y-websocket-server'
  /** One Tandem node on PostgreSQL with REDIS_URL set: the bus's cost with nobody to share with. */
  | 'tandem-postgres-redis'
  /** Two Tandem nodes on one PostgreSQL database and one Redis, the clients split between them. */
  | 'tandem-postgres-2nodes';
/** The servers a run measures unless `--servers` names others. */
export const SERVER_KINDS: readonly ServerKind[] = ['tandem-postgres', 'tandem-pglite', 'hocuspocus', 'y-websocket-server'];
/** Tandem with the bus between nodes (Redis), run only when `--servers` names them. */
export const SEVERAL_NODE_KINDS: readonly ServerKind[] = ['tandem-postgres-redis', 'tandem-postgres-2nodes'];
/** Every server `--servers` accepts. */
export const ALL_SERVER_KINDS: readonly ServerKind[] = [...SERVER_KINDS, ...SEVERAL_NODE_KINDS];

/** How the load generator's providers reach a server. */
export type ClientProtocol = 'y-websocket' | 'hocuspocus';

export interface ServerSetup {
  /** Customer documents to prepare (Tandem seeds a customers row for each). */
  docs: number;
  /** Accounts to sign in with (Tandem only); clients use them round-robin. */
  users: number;
}

export interface ServerReady {
  type: 'ready';
  protocol: ClientProtocol;
  /** The provider's server URL: `ws://127.0.0.1:<port>/yjs` for Tandem, `ws://127.0.0.1:<port>` for the peers. */
  wsUrl: string;
  /** Document names, `customer:<uuid>`. */
  docs: string[];
  /** Headers each client sends on the upgrade, one set per account (empty objects for the peers). */
  headers: Record<string, string>[];
  /** Tandem on PostgreSQL: the database it seeded, for further nodes to join. */
  databaseUrl?: string;
}

/**
 * Tandem with the bus between nodes: the Redis it publishes on (REDIS_URL,
 * REDIS_PREFIX) and, for a node after the first, the database to join
 * (already migrated and seeded; that node creates, seeds and tracks nothing).
 */
export interface TandemNodeSetup {
  redisUrl: string;
  redisPrefix: string;
  joinDatabaseUrl?: string;
}

export interface ResourceSample {
  type: 'sample';
  /** process.cpuUsage() user + system, microseconds since the process started. */
  cpuMicros: number;
  /** CPU of the PostgreSQL backends serving the server's database (Tandem on PostgreSQL), microseconds; null otherwise. */
  dbCpuMicros: number | null;
  /** pg_stat_database counters of that database (Tandem on PostgreSQL), null otherwise. */
  dbStats: { commits: number; rowsInserted: number; rowsUpdated: number } | null;
  /** Current resident set, bytes. */
  rssBytes: number;
  /** Peak resident set since the process started (getrusage maxrss), bytes: includes start-up and seeding. */
  maxRssBytes: number;
  /** Highest resident set sampled (every RSS_SAMPLE_MS) since the last sample that asked for a reset, bytes. */
  windowPeakRssBytes: number;
  /** Tandem: how long each document waited for its projection after a commit, since the previous sample (ms); null for the peers. */
  projectionLagsMs: number[] | null;
}

export type ServerToParent =
  | ServerReady
  | ResourceSample
  | { type: 'profile'; state: 'started' | 'written' }
  | { type: 'stopped' }
  | { type: 'error'; message: string };
export type ParentToServer =
  | { type: 'sample'; resetPeak: boolean }
  | { type: 'profile-start' }
  /** Stops the CPU profiler and writes the profile to `file`. */
  | { type: 'profile-stop'; file: string }
  | { type: 'stop' };

export interface TrafficScenario {
  kind: 'traffic';
  id: string;
  title: string;
  clients: number;
  docs: number;
  /** Each client edits once per this many milliseconds. */
  editIntervalMs: number;
  durationMs: number;
}

export interface HistoryScenario {
  kind: 'history';
  id: string;
  title: string;
  /** Single-character edits the writer makes, one update message each. */
  edits: number;
  /** New clients that join one after another once the history is in. */
  joins: number;
}

export type Scenario = TrafficScenario | HistoryScenario;

/** One node the load generator's clients connect to. */
export interface NodeTarget {
  wsUrl: string;
  /** As ServerReady's, with this node's own Origin. */
  headers: Record<string, string>[];
}

export interface LoadTarget {
  protocol: ClientProtocol;
  docs: string[];
  /**
   * One node, or several serving the same documents: client i of a traffic
   * scenario goes to node ⌊i / documents⌋ mod nodes, so the clients of one
   * document alternate between the nodes.
   */
  nodes: NodeTarget[];
}

/** Latency percentiles, milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface TrafficResult {
  kind: 'traffic';
  clients: number;
  synced: number;
  allSyncedMs: number | null;
  edits: number;
  expectedDeliveries: number;
  deliveries: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number } | null;
  /** From the last edit sent until every delivery arrived (or the settle timeout). */
  settleMs: number | null;
  /** From the first edit sent to the last one sent. */
  editWindowMs: number;
  /** Edits that reached at least one other client (so the server stored and broadcast them). */
  editsAccepted: number;
  /** From the first edit sent until the last edit reached its first other client. */
  acceptWindowMs: number | null;
  /** From the first edit sent until the last delivery. */
  deliveryWindowMs: number | null;
  /** Per edit: sent → every other client of its document has it (edits that reached them all). */
  allReceivedMs: LatencySummary | null;
  /** Several nodes: deliveries to clients on the sender's node, and on another node. */
  sameNodeMs: LatencySummary | null;
  crossNodeMs: LatencySummary | null;
  /** Clients per node, in node order. */
  clientsPerNode: number[];
  docsConverged: number;
  docsChecked: number;
  /** Connections that closed or failed during the run. */
  disconnects: number;
  /** The same, by close code. */
  closeCodes: Record<string, number>;
  loadCpuCores: number;
  loopLagMs: { p50: number; p99: number; max: number };
}

export interface HistoryResult {
  kind: 'history';
  edits: number;
  /** Wall time from the first edit sent until an observer had all of them. */
  ingestMs: number;
  ingestComplete: boolean;
  /** Milliseconds from creating a new provider until its document held the full state, per join. */
  joinMs: number[];
  joinsComplete: number;
  converged: boolean;
  loadCpuCores: number;
  loopLagMs: { p50: number; p99: number; max: number };
}

export type LoadResult = TrafficResult | HistoryResult;

export type LoadToParent =
  | { type: 'mark'; name: string }
  /** A line for the terminal while a phase runs. */
  | { type: 'progress'; text: string }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; message: string };
export type ParentToLoad = { type: 'run'; scenario: Scenario; target: LoadTarget } | { type: 'ack'; name: string };
