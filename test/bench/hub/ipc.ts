/**
 * Messages between the hub benchmark's orchestrator and its child processes
 * (the server under test and the load generator), over Node's IPC channel.
 */

export type ServerKind = 'tandem-postgres' | 'tandem-pglite' | 'hocuspocus' | 'y-websocket-server';
export const SERVER_KINDS: readonly ServerKind[] = ['tandem-postgres', 'tandem-pglite', 'hocuspocus', 'y-websocket-server'];

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

export interface LoadTarget {
  protocol: ClientProtocol;
  wsUrl: string;
  docs: string[];
  headers: Record<string, string>[];
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
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; message: string };
export type ParentToLoad = { type: 'run'; scenario: Scenario; target: LoadTarget } | { type: 'ack'; name: string };
