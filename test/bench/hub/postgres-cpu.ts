/**
 * CPU time of the PostgreSQL backends serving one database, read from
 * /proc/<pid>/stat. With PostgreSQL, Tandem's database work runs in other
 * processes than the server's; the benchmark adds it so that PGlite (in
 * process) and PostgreSQL are compared on the same footing. Backends are
 * polled every POLL_MS and their CPU accumulated, so a pooled connection that
 * ends between two samples loses at most one poll interval of its time.
 * Shared PostgreSQL processes (WAL writer, checkpointer) are not counted.
 * The backends are given this process' scheduling priority when allowed, so
 * that `nice -n -10 npm run bench` on a busy machine lifts the database work
 * too, as it lifts PGlite's (which runs inside the server process).
 */
import { readFile } from 'node:fs/promises';
import { getPriority, setPriority } from 'node:os';
import pg from 'pg';

const POLL_MS = 500;
/** utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks. */
const CLOCK_TICKS_PER_SECOND = 100;

async function processCpuMicros(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1e6) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function matchPriority(pid: number): void {
  try {
    const own = getPriority();
    if (getPriority(pid) > own) setPriority(pid, own);
  } catch {
    // Not permitted (another user's process): the backend keeps its priority.
  }
}

export interface DatabaseStats {
  commits: number;
  rowsInserted: number;
  rowsUpdated: number;
}

export class PostgresCpuTracker {
  private readonly seen = new Map<number, number>();
  private total = 0;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;

  private constructor(
    private readonly client: pg.Client,
    private readonly database: string,
  ) {}

  /** Null when the backends' /proc entries cannot be read (PostgreSQL on another host or in a container). */
  static async start(adminUrl: string, database: string): Promise<PostgresCpuTracker | null> {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    const tracker = new PostgresCpuTracker(client, database);
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    if ((await processCpuMicros(Number(rows[0]?.pid))) === null) {
      await client.end();
      return null;
    }
    await tracker.poll();
    tracker.timer = setInterval(() => void tracker.poll(), POLL_MS);
    tracker.timer.unref();
    return tracker;
  }

  /** CPU microseconds of the database's backends since tracking began. */
  async cpuMicros(): Promise<number> {
    await this.poll();
    return this.total;
  }

  private poll(): Promise<void> {
    this.polling ??= this.pollNow().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  private async pollNow(): Promise<void> {
    const { rows } = await this.client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [this.database],
    );
    for (const { pid } of rows) {
      const now = await processCpuMicros(Number(pid));
      if (now === null) continue;
      const before = this.seen.get(pid);
      if (before === undefined) matchPriority(Number(pid));
      // A backend first seen mid-run counts from its start: all its time was spent on this database.
      this.total += before === undefined ? now : Math.max(0, now - before);
      this.seen.set(pid, now);
    }
  }

  /** Cumulative transaction and row counters of the database (pg_stat_database; PostgreSQL flushes them about once a second). */
  async stats(): Promise<DatabaseStats> {
    const { rows } = await this.client.query<{ xact_commit: string; tup_inserted: string; tup_updated: string }>(
      'select xact_commit, tup_inserted, tup_updated from pg_stat_database where datname = $1',
      [this.database],
    );
    const r = rows[0];
    return { commits: Number(r?.xact_commit ?? 0), rowsInserted: Number(r?.tup_inserted ?? 0), rowsUpdated: Number(r?.tup_updated ?? 0) };
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.polling;
    await this.client.end();
  }
}
