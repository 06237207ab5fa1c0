/**
 * `npm run bench -- customers` (this is `customers-import`): on PostgreSQL,
 *
 * 1. an import of ROWS rows into a team that already has ROWS/2 customers: half the rows
 *    update existing customers (matched by e-mail, through their documents), half are new
 *    (with the duplicate check) — rows/s;
 * 2. an import of BIG rows streamed from a generator (never held whole) — rows/s and the
 *    process's peak RSS;
 * 3. the list filtered on a custom field over the team's customers: p50/p95 of the service
 *    path, and whether the plan uses the GIN index on `custom_fields`.
 *
 * Flags: --rows=N (100,000), --big=N (1,000,000), --quick (10,000 and 50,000).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { bootstrap } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import type { AppContext } from '../../server/context.ts';
import { createCustomField } from '../../server/custom-fields/custom-field.service.ts';
import { listCustomers } from '../../server/customers/customer.service.ts';
import { findImport } from '../../server/customers/customer-import.repository.ts';
import { startImport } from '../../server/customers/customer-import.service.ts';
import { limitHeapGrowth } from '../../server/heap.ts';
import { createLogger } from '../../server/logger.ts';
import type { User } from '../../server/users/user.ts';
import { createPostgresDatabase, seedTeam, seedUser } from '../helpers/context.ts';
import { PostgresCpuTracker } from './hub/postgres-cpu.ts';
import { benchPostgresUrl } from './hub/tandem-defaults.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const ROWS = Number(args.find((a) => a.startsWith('--rows='))?.slice(7) ?? (quick ? 10_000 : 100_000));
const BIG = Number(args.find((a) => a.startsWith('--big='))?.slice(6) ?? (quick ? 50_000 : 1_000_000));
const FILTER_RUNS = 30;
/** How often a running import's progress is printed. */
const PROGRESS_EVERY_MS = 10_000;
const REGIONS = ['north', 'south', 'east', 'west'];

/** Rows `from`…`to`; a later `edition` gives each row another industry, so re-importing it changes the customer. */
async function* csv(from: number, to: number, region = true, edition = 0): AsyncGenerator<Uint8Array> {
  const enc = new TextEncoder();
  yield enc.encode(`name,email,phone,industry${region ? ',region' : ''}\n`);
  let chunk = '';
  for (let i = from; i < to; i++) {
    chunk += `Bench customer ${i},c${i}@bench.example,1${String(3_000_000_000 + i)},Industry ${(i + edition) % 17}${region ? `,${REGIONS[i % 4]}` : ''}\n`;
    if (chunk.length > 256 * 1024) {
      yield enc.encode(chunk);
      chunk = '';
    }
  }
  yield enc.encode(chunk);
}

async function runImport(ctx: AppContext, user: User, body: AsyncIterable<Uint8Array>, opts: Record<string, unknown>, pgCpu: PostgresCpuTracker | null) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const pg0 = (await pgCpu?.cpuMicros()) ?? 0;
  const started = await startImport(ctx, user, { body }, { dryRun: false, confirm: false, fileName: 'bench.csv', ...opts } as never);
  let row = await findImport(ctx.db, started.import.id!, { withReport: false });
  let shown = performance.now();
  while (row?.status === 'running') {
    await new Promise((r) => setTimeout(r, 500));
    row = await findImport(ctx.db, started.import.id!, { withReport: false });
    if (row && performance.now() - shown >= PROGRESS_EVERY_MS) {
      shown = performance.now();
      const seconds = (shown - t0) / 1000;
      process.stdout.write(`  import: ${row.processed.toLocaleString('en')} rows in ${seconds.toFixed(0)} s (${Math.round(row.processed / seconds).toLocaleString('en')} rows/s), RSS ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MB\n`);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const pgSeconds = pgCpu ? ((await pgCpu.cpuMicros()) - pg0) / 1e6 : null;
  return { seconds: (performance.now() - t0) / 1000, cpu: `server CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s${pgSeconds === null ? '' : `, PostgreSQL CPU ${pgSeconds.toFixed(1)} s`}`, row: row! };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function main(): Promise<void> {
  let database: { url: string; name: string; drop(): Promise<void> };
  try {
    database = await createPostgresDatabase(benchPostgresUrl(), 'tandem_bench');
  } catch {
    process.stdout.write('PostgreSQL is not reachable (BENCH_DATABASE_URL / TEST_DATABASE_URL): skipped.\n');
    return;
  }
  const config = { ...loadConfig({ LOG_LEVEL: 'silent', HEAP_GROWTH_PERCENT: process.env.HEAP_GROWTH_PERCENT }), databaseUrl: database.url };
  const { ctx, close } = await bootstrap(config, createLogger('silent'));
  // The heap grows as the server lets it (startServer does the same).
  limitHeapGrowth(config.heapGrowthPercent);
  // The database's own CPU (its backends' /proc entries), when PostgreSQL runs on this machine.
  const pgCpu = await PostgresCpuTracker.start(benchPostgresUrl(), database.name);
  const table: [string, string][] = [];
  try {
    const team = await seedTeam(ctx, 'Bench');
    const manager = await seedUser(ctx, { role: 'manager', teamId: team.id });
    const admin = await seedUser(ctx, { role: 'admin', teamId: null });
    await createCustomField(ctx, admin, {
      entity: 'customer',
      key: 'region',
      type: 'select',
      label: { en: 'Region', zh: '区域' },
      options: REGIONS.map((r) => ({ value: r, label: { en: r, zh: r } })),
    });
    // The existing half.
    const seed = await runImport(ctx, manager, csv(0, ROWS / 2), {}, pgCpu);
    table.push(['seed (create only)', `${seed.row.imported.toLocaleString('en')} rows in ${seed.seconds.toFixed(1)} s (${seed.cpu})`]);
    await sql`vacuum analyze customers`.execute(ctx.db);
    // Half updates (the seeded rows again, matched by e-mail, each with another industry), half new.
    const mixed = await runImport(ctx, manager, csv(0, ROWS, true, 1), { matchBy: 'email' }, pgCpu);
    table.push([
      `${ROWS.toLocaleString('en')} rows, half updates (match by e-mail, documents), half new (duplicate check)`,
      `${mixed.seconds.toFixed(1)} s = ${Math.round(ROWS / mixed.seconds).toLocaleString('en')} rows/s (${mixed.cpu}); created ${mixed.row.imported}, updated ${mixed.row.updated}, skipped ${mixed.row.skipped}, refused ${mixed.row.refused}, ${mixed.row.status}`,
    ]);
    await sql`vacuum analyze customers`.execute(ctx.db);

    // Custom-field filter over the team.
    const times: number[] = [];
    for (let i = 0; i < FILTER_RUNS + 3; i++) {
      const t0 = performance.now();
      await listCustomers(ctx, manager, { custom: { region: [REGIONS[i % 4]!] }, limit: 50 } as never);
      if (i >= 3) times.push(performance.now() - t0);
    }
    const plan = (await sql<{ 'QUERY PLAN': string }>`explain select id from customers where team_id = ${team.id} and custom_fields @> '{"region":"north"}'::jsonb and archived_at is null order by updated_at desc limit 51`.execute(ctx.db)).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    const count = await ctx.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    table.push([
      `list filtered on custom.region over ${Number(count.n).toLocaleString('en')} customers`,
      `p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms; GIN index used: ${/customers_custom_fields/.test(plan) ? 'yes' : 'no (the planner prefers another path at this size)'}`,
    ]);

    // The big streamed import: memory stays flat.
    const rss0 = process.memoryUsage().rss;
    const big = await runImport(ctx, manager, csv(10_000_000, 10_000_000 + BIG, false), { confirm: true }, pgCpu);
    table.push([
      `${BIG.toLocaleString('en')} rows streamed (create only)`,
      `${big.seconds.toFixed(1)} s = ${Math.round(BIG / big.seconds).toLocaleString('en')} rows/s; ${big.row.status}; RSS before ${(rss0 / 2 ** 20).toFixed(0)} MB, peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    ]);
  } finally {
    await pgCpu?.stop();
    await close();
    await database.drop();
  }
  const width = Math.max(...table.map(([k]) => k.length));
  process.stdout.write(`\n| ${'measure'.padEnd(width)} | result |\n| ${'-'.repeat(width)} | --- |\n`);
  for (const [k, v] of table) process.stdout.write(`| ${k.padEnd(width)} | ${v} |\n`);
}

await main();
