/**
 * The server side of the benchmark's IPC: answers resource samples and stops
 * the server on request. Every server process under test runs this, so the
 * three servers are measured the same way.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import type { ParentToServer, ResourceSample, ServerReady, ServerToParent } from './ipc.ts';

/** If the orchestrator disappears, the server process must not outlive it. */
const ORPHAN_CHECK_MS = 1_000;
/** How often the resident set is sampled for the windowed peak (reading it costs ~0.2 ms here, so not too often). */
export const RSS_SAMPLE_MS = 200;

let windowPeak = 0;
function sampleRss(): number {
  const rss = process.memoryUsage.rss();
  if (rss > windowPeak) windowPeak = rss;
  return rss;
}

function send(message: ServerToParent): void {
  process.send?.(message);
}

/** What a server reports about a database that runs in other processes. */
export interface DatabaseProbe {
  cpuMicros(): Promise<number>;
  stats(): Promise<NonNullable<ResourceSample['dbStats']>>;
}

/** What a server reports about its own pipeline beyond CPU and memory (Tandem: the projection's lag). */
export interface PipelineProbe {
  /** Lags since the last call, ms. */
  drainProjectionLags(): number[];
}

export async function resourceSample(resetPeak: boolean, db: DatabaseProbe | null, pipeline: PipelineProbe | null = null): Promise<ResourceSample> {
  const dbCpuMicros = db ? await db.cpuMicros() : null;
  const dbStats = db ? await db.stats() : null;
  const cpu = process.cpuUsage();
  const rssBytes = sampleRss();
  const sample: ResourceSample = {
    type: 'sample',
    cpuMicros: cpu.user + cpu.system,
    dbCpuMicros,
    dbStats,
    rssBytes,
    // getrusage reports maxrss in kilobytes on Linux.
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    windowPeakRssBytes: windowPeak,
    projectionLagsMs: pipeline ? pipeline.drainProjectionLags() : null,
  };
  if (resetPeak) windowPeak = rssBytes;
  return sample;
}

let profiler: Session | null = null;

/** CPU profiling of a measured window only (the whole-process `--cpu-prof` also covers start-up and seeding). */
async function startProfile(): Promise<void> {
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}

async function stopProfile(file: string): Promise<void> {
  if (!profiler) throw new Error('the profiler is not running');
  const { profile } = await profiler.post('Profiler.stop');
  profiler.disconnect();
  profiler = null;
  await writeFile(file, JSON.stringify(profile));
}

/**
 * Reports readiness and serves samples until the orchestrator says stop; then
 * runs `stop` and exits. `db`: a database that runs in other processes.
 */
export function serveProbe(
  ready: ServerReady,
  stop: () => Promise<void>,
  db: DatabaseProbe | null = null,
  pipeline: PipelineProbe | null = null,
): void {
  if (!process.send) throw new Error('the benchmark servers run as child processes with an IPC channel');
  let stopping = false;
  const finish = async (code: number) => {
    if (stopping) return;
    stopping = true;
    try {
      await stop();
    } catch (err) {
      process.stderr.write(`server stop failed: ${String(err)}\n`);
      code = 1;
    }
    send({ type: 'stopped' });
    process.disconnect?.();
    process.exit(code);
  };
  process.on('message', (raw: ParentToServer) => {
    switch (raw.type) {
      case 'sample':
        resourceSample(raw.resetPeak, db, pipeline).then(send, (err: unknown) => send({ type: 'error', message: String(err) }));
        break;
      case 'profile-start':
        startProfile().then(
          () => send({ type: 'profile', state: 'started' }),
          (err: unknown) => send({ type: 'error', message: String(err) }),
        );
        break;
      case 'profile-stop':
        stopProfile(raw.file).then(
          () => send({ type: 'profile', state: 'written' }),
          (err: unknown) => send({ type: 'error', message: String(err) }),
        );
        break;
      case 'stop':
        void finish(0);
        break;
      default: {
        const never: never = raw;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  });
  process.on('disconnect', () => void finish(1));
  const orphan = setInterval(() => {
    if (!process.connected) void finish(1);
  }, ORPHAN_CHECK_MS);
  orphan.unref();
  const rssTimer = setInterval(sampleRss, RSS_SAMPLE_MS);
  rssTimer.unref();
  send(ready);
}

export function failStartup(err: unknown): never {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  send({ type: 'error', message });
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** `customer:<uuid>` names for the peers, which accept any name. */
export function peerDocNames(count: number): string[] {
  return Array.from({ length: count }, () => `customer:${crypto.randomUUID()}`);
}

export function readSetup(): { docs: number; users: number } {
  const raw = process.argv[2];
  if (!raw) throw new Error('missing setup argument');
  const parsed = JSON.parse(raw) as { docs?: unknown; users?: unknown };
  const docs = Number(parsed.docs);
  const users = Number(parsed.users);
  if (!Number.isInteger(docs) || docs < 1 || docs > 10_000) throw new Error('docs must be 1..10000');
  if (!Number.isInteger(users) || users < 1 || users > 100) throw new Error('users must be 1..100');
  return { docs, users };
}
