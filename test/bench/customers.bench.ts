/**
 * Customers at scale: seeds 100,000 customers (with contacts, tags and their documents'
 * first snapshots, in bulk through the same row/document builder the import uses), then
 * measures keyword search and filtered-list latency (the service path of GET /api/customers:
 * 50 rows, newest first), checks the search uses the token index (EXPLAIN), measures a
 * 100,000-row CSV import and a full CSV export. Targets: search p95 ≤ 30 ms on PostgreSQL and
 * ≤ 150 ms on PGlite; import ≥ 5,000 rows/s on PostgreSQL.
 *
 *   tsx test/bench/customers.bench.ts [--quick] [--rows=N] [--db=pglite,postgres]
 *
 * PostgreSQL: a fresh database is created (and dropped) on BENCH_DATABASE_URL,
 * TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { NewContactRow } from '../../schema/tables/customer.table.ts';
import type { CustomerListQuery } from '../../schema/wire/customer-query.ts';
import { bootstrap } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import type { AppContext } from '../../server/context.ts';
import { insertInitialCustomers } from '../../server/customers/customer-bulk.repository.ts';
import { exportCsv } from '../../server/customers/customer-export.service.ts';
import { startImport } from '../../server/customers/customer-import.service.ts';
import { findImport } from '../../server/customers/customer-import.repository.ts';
import { type InitialCustomerState, buildInitialCustomer } from '../../server/customers/customer-initial-doc.ts';
import { listCustomers } from '../../server/customers/customer.service.ts';
import { createLogger } from '../../server/logger.ts';
import type { User } from '../../server/users/user.ts';
import { createPostgresDatabase, seedTeam, seedUser } from '../helpers/context.ts';
import { benchPostgresUrl } from './hub/tandem-defaults.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const ROWS = Number(args.find((a) => a.startsWith('--rows='))?.slice(7) ?? (quick ? 10_000 : 100_000));
const IMPORT_ROWS = quick ? 10_000 : 100_000;
const engines = (args.find((a) => a.startsWith('--db='))?.slice(5) ?? 'postgres,pglite')
  .split(',')
  .filter((e): e is 'pglite' | 'postgres' => e === 'pglite' || e === 'postgres');
const SEED_BATCH = 1000;
const RUNS_PER_QUERY = quick ? 10 : 30;
const WARMUP_RUNS = 3;
const TARGETS = { postgres: 30, pglite: 150 } as const;
const IMPORT_TARGET_ROWS_PER_S = 5000;

// ---- deterministic data -----------------------------------------------------------

let seed = 42;
function rand(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');

const CITIES = ['北京', '上海', '深圳', '杭州', '广州', '成都', '南京', '苏州', '武汉', '西安', '厦门', '青岛', '天津', '重庆', '长沙', '宁波'];
const BRAND_CHARS = [...'华信恒通瑞丰博远金桥天成中科新元鼎盛宏达云帆安捷汇智星河长城东方海德嘉禾凯越明阳锦程泰和永盛正大九州联创同心众邦启航'];
const TRADES = ['科技', '信息技术', '电子', '医疗器械', '物流', '食品', '新能源', '建材', '贸易', '教育科技', '化工', '机械', '网络', '软件', '咨询'];
const SUFFIXES = ['有限公司', '股份有限公司', '集团有限公司', '有限责任公司'];
const EN_WORDS = ['North', 'Blue', 'Silver', 'Iron', 'Red', 'Green', 'Lake', 'Summit', 'Harbor', 'Pioneer', 'Ever', 'Bright', 'Stone', 'River', 'Oak', 'Sky'];
const EN_TAILS = ['wind', 'water', 'line', 'bridge', 'wood', 'field', 'gate', 'point', 'ridge', 'stone'];
const EN_TRADES = ['Software', 'Logistics', 'Foods', 'Medical', 'Energy', 'Trading', 'Analytics', 'Robotics', 'Textiles'];
const EN_SUFFIXES = ['Ltd.', 'Inc.', 'GmbH', 'Co., Ltd.', 'LLC', 'Corp.'];
const SURNAMES = [...'王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '晓东', '志强'];
const EN_FIRST = ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Sophia', 'James'];
const EN_LAST = ['Smith', 'Johnson', 'Brown', 'Taylor', 'Miller', 'Wilson', 'Moore', 'Clark'];
const INDUSTRIES = ['Software', 'IT services', 'Electronics', 'Medical devices', 'Logistics', 'Food', 'Energy', 'Construction', 'Trading', 'Education'];
const TAGS = ['重点客户', '续约', '新客户', 'enterprise', 'smb', 'tender', 'cloud', 'hardware', 'price-sensitive', 'vip-lead', '华东', '华南'];
const CATEGORIES = ['potential', 'intent', 'closed-won', 'vip'];

function customerName(i: number): string {
  if (i % 100 === 0) return `华为${pick(TRADES)}${pick(CITIES)}分公司 ${i}`;
  if (rand() < 0.6) return `${pick(CITIES)}${pick(BRAND_CHARS)}${pick(BRAND_CHARS)}${pick(TRADES)}${pick(SUFFIXES)}`;
  return `${pick(EN_WORDS)}${pick(EN_TAILS)} ${pick(EN_TRADES)} ${pick(EN_SUFFIXES)}`;
}
const personName = () => (rand() < 0.7 ? `${pick(SURNAMES)}${pick(GIVEN)}` : `${pick(EN_FIRST)} ${pick(EN_LAST)}`);

// ---- seeding ----------------------------------------------------------------------

function progress(label: string, done: number, total: number, started: number): void {
  const s = (performance.now() - started) / 1000;
  process.stdout.write(`\r  ${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} (${Math.round(done / Math.max(s, 0.001)).toLocaleString('en')}/s)   `);
  if (done === total) process.stdout.write('\n');
}

async function seedCustomers(ctx: AppContext, teamId: string, users: User[], total: number): Promise<void> {
  const started = performance.now();
  const past = Date.now() - 365 * 86_400_000;
  for (let i = 0; i < total; i += SEED_BATCH) {
    const states: InitialCustomerState[] = [];
    const contacts: NewContactRow[] = [];
    for (let k = i; k < Math.min(total, i + SEED_BATCH); k++) {
      const owner = pick(users);
      const created = new Date(past + rand() * 365 * 86_400_000);
      const state = buildInitialCustomer(
        {
          id: randomUUID(),
          teamId,
          createdBy: owner.id,
          importId: null,
          name: customerName(k),
          change: {
            fields: {
              industry: pick(INDUSTRIES),
              phone: `1${3 + Math.floor(rand() * 7)}${digits(9)}`,
              email: `contact${k}@corp${k % 5000}.example`,
              category: pick(CATEGORIES),
              ownerId: owner.id,
              source: 'website',
            },
            tags: [...new Set([pick(TAGS), pick(TAGS)])].slice(0, 1 + Math.floor(rand() * 2)),
          },
        },
        created,
      );
      const updated = new Date(created.getTime() + rand() * 30 * 86_400_000);
      state.row.updated_at = updated;
      state.row.next_followup_at = rand() < 0.5 ? new Date(Date.now() + (rand() - 0.4) * 60 * 86_400_000) : null;
      // Contacts, and the searchable contact text exactly as refreshContactSearch() builds it.
      const parts: string[] = [];
      for (let c = 1 + Math.floor(rand() * 2); c > 0; c--) {
        const contact = { name: personName(), email: `p${c}.${k}@corp${k % 5000}.example`, phone: `1${3 + Math.floor(rand() * 7)}${digits(9)}` };
        contacts.push({ customer_id: state.row.id, team_id: teamId, ...contact, created_at: created, updated_at: created });
        parts.push(`${contact.name.toLowerCase()} ${contact.email.toLowerCase()} ${contact.phone.replace(/\D/g, '')}`);
      }
      (state.row as { contact_search?: string }).contact_search = parts.join(' ');
      states.push(state);
    }
    await ctx.db.transaction().execute(async (trx) => {
      await insertInitialCustomers(trx, states, new Date());
      await trx.insertInto('contacts').values(contacts).execute();
    });
    progress('seeding customers', Math.min(total, i + SEED_BATCH), total, started);
  }
  // What autovacuum does on a live server: flushes the GIN pending lists and refreshes statistics.
  await sql`vacuum analyze customers`.execute(ctx.db);
  await sql`vacuum analyze contacts`.execute(ctx.db);
}

// ---- measuring --------------------------------------------------------------------

/** Kernel clock ticks per second (Linux USER_HZ) for /proc/<pid>/stat. */
const CLOCK_TICKS = 100;

/**
 * CPU time used so far (ms) by this process and, on PostgreSQL, by the server backends of the
 * benchmark's database (read from /proc, the server being local). Wall-clock figures depend on
 * what else the machine runs; CPU time per operation does not, so both are reported.
 */
async function cpuMs(ctx: AppContext): Promise<number> {
  const split = await cpuSplitMs(ctx);
  return split.node + split.db;
}

async function cpuSplitMs(ctx: AppContext): Promise<{ node: number; db: number }> {
  const own = process.cpuUsage();
  const node = (own.user + own.system) / 1000;
  let total = 0;
  if (ctx.engine === 'postgres') {
    const r = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(ctx.db);
    for (const { pid } of r.rows) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        total += ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1000;
      } catch {
        // A backend that ended, or /proc not readable: counted as zero.
      }
    }
  }
  return { node, db: total };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Timing {
  label: string;
  p50: number;
  p95: number;
  hits: number;
  /** CPU time per query (client and database), ms. */
  cpu: number;
}

async function time(ctx: AppContext, user: User, label: string, query: CustomerListQuery): Promise<Timing> {
  let hits = 0;
  for (let i = 0; i < WARMUP_RUNS; i++) hits = (await listCustomers(ctx, user, query)).items.length;
  const samples: number[] = [];
  const cpu0 = await cpuMs(ctx);
  for (let i = 0; i < RUNS_PER_QUERY; i++) {
    const t0 = performance.now();
    await listCustomers(ctx, user, query);
    samples.push(performance.now() - t0);
  }
  const cpu = ((await cpuMs(ctx)) - cpu0) / RUNS_PER_QUERY;
  samples.sort((a, b) => a - b);
  return { label, p50: percentile(samples, 50), p95: percentile(samples, 95), hits, cpu };
}

const SEARCHES: [string, string][] = [
  ['华为 (2 CJK chars)', '华为'],
  ['深圳 (city, ~4%)', '深圳'],
  ['科技 (very common)', '科技'],
  ['恒通 (brand)', '恒通'],
  ['northwind (Latin)', 'northwind'],
  ['wind (Latin substring)', 'wind'],
  ['phone last 4 digits', '5678'],
  ['e-mail fragment', 'corp4321'],
  ['contact name 王伟', '王伟'],
  ['two terms 上海 物流', '上海 物流'],
];

async function explainUsesIndex(ctx: AppContext): Promise<string> {
  const r = await sql<{ 'QUERY PLAN': string }>`
    explain select id from customers
    where search_tokens @> ${sql.val(['华为'])}::text[] and search_text like '%华为%' and archived_at is null
    order by updated_at desc, id desc limit 50`.execute(ctx.db);
  const plan = r.rows.map((x) => x['QUERY PLAN']).join('\n');
  return plan.includes('customers_search_tokens_idx') ? 'yes (customers_search_tokens_idx)' : `no:\n${plan}`;
}

function csvFor(rows: number): Uint8Array {
  const lines = ['name,phone,email,industry,category,tags'];
  for (let i = 0; i < rows; i++) {
    lines.push(`"${customerName(i + 1)} 导入${i}",1${3 + Math.floor(rand() * 7)}${digits(9)},import${i}@imp${i % 997}.example,${pick(INDUSTRIES)},${pick(CATEGORIES)},"${pick(TAGS)}"`);
  }
  return new TextEncoder().encode(lines.join('\n'));
}

async function measureImport(ctx: AppContext, manager: User): Promise<string> {
  const bytes = csvFor(IMPORT_ROWS);
  const cpu0 = await cpuSplitMs(ctx);
  const t0 = performance.now();
  const started = await startImport(ctx, manager, { body: [bytes] }, { dryRun: false, confirm: false, mapping: undefined, modes: undefined, fileName: 'bench.csv' });
  const id = started.import.id!;
  for (;;) {
    const row = await findImport(ctx.db, id);
    if (row?.status !== 'running') {
      const s = (performance.now() - t0) / 1000;
      const cpu1 = await cpuSplitMs(ctx);
      const node = (cpu1.node - cpu0.node) / 1000;
      const db = (cpu1.db - cpu0.db) / 1000;
      const cpu = node + db;
      progress('importing', row?.processed ?? 0, IMPORT_ROWS, t0);
      return `${IMPORT_ROWS.toLocaleString('en')} rows (${(bytes.length / 1024 / 1024).toFixed(1)} MB) in ${s.toFixed(1)} s = ${Math.round(
        IMPORT_ROWS / s,
      ).toLocaleString('en')} rows/s; CPU ${node.toFixed(1)} s Node + ${db.toFixed(1)} s database = ${Math.round(IMPORT_ROWS / cpu).toLocaleString(
        'en',
      )} rows per CPU-second (upper bound with Node and the database fully overlapped on two idle cores: ≈ ${Math.round(IMPORT_ROWS / Math.max(node, db)).toLocaleString('en')} rows/s); imported ${row?.imported}, duplicates ${row?.skipped}, refused ${row?.refused}, status ${row?.status}`;
    }
    progress('importing', row.processed, IMPORT_ROWS, t0);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function measureExport(ctx: AppContext, user: User): Promise<string> {
  const t0 = performance.now();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  let bytes = 0;
  let lines = 0;
  const reader = exportCsv(ctx, user, {}).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    for (const b of value) if (b === 10) lines++;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const s = (performance.now() - t0) / 1000;
  return `${(lines - 1).toLocaleString('en')} rows, ${(bytes / 1024 / 1024).toFixed(1)} MB in ${s.toFixed(1)} s (RSS +${Math.round((peak - rssBefore) / 1024 / 1024)} MB during export)`;
}

async function runEngine(engine: 'pglite' | 'postgres'): Promise<void> {
  let url = 'memory://';
  let drop = async () => {};
  if (engine === 'postgres') {
    try {
      const database = await createPostgresDatabase(benchPostgresUrl(), 'tandem_bench');
      url = database.url;
      drop = database.drop;
    } catch {
      process.stdout.write('PostgreSQL is not reachable (BENCH_DATABASE_URL / TEST_DATABASE_URL): skipped.\n');
      return;
    }
  }
  const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), databaseUrl: url };
  const { ctx, close } = await bootstrap(config, createLogger('silent'));
  try {
    process.stdout.write(`\n-- ${engine}: ${ROWS.toLocaleString('en')} customers\n`);
    const team = await seedTeam(ctx, 'Bench');
    const manager = await seedUser(ctx, { role: 'manager', teamId: team.id });
    const reps = [];
    for (let i = 0; i < 20; i++) reps.push(await seedUser(ctx, { role: 'rep', teamId: team.id }));
    await seedCustomers(ctx, team.id, [manager, ...reps], ROWS);
    const rep = reps[0]!;

    const rows: Timing[] = [];
    for (const [label, q] of SEARCHES) rows.push(await time(ctx, rep, `search: ${label}`, { q, sort: '-updated', limit: 50 }));
    const search = rows.map((r) => r.p95).sort((a, b) => a - b);
    const filtered: [string, CustomerListQuery][] = [
      ['list: newest first (no filter)', { sort: '-updated', limit: 50 }],
      ['list: category vip + tag any', { category: ['vip'], tags: ['cloud', 'tender'], sort: '-updated', limit: 50 }],
      ['list: owner me + follow-up overdue', { ownerId: ['me'], followup: 'overdue', sort: '-updated', limit: 50 }],
      ['list: tags all + created range', { tags: ['cloud', 'enterprise'], tagMode: 'all', createdFrom: new Date(Date.now() - 180 * 86_400_000).toISOString(), sort: 'name', limit: 50 }],
      ['list: search 深圳 + category + sort name', { q: '深圳', category: ['intent'], sort: 'name', limit: 50 }],
    ];
    for (const [label, q] of filtered) rows.push(await time(ctx, rep, label, q));
    process.stdout.write(`\n  ${'query'.padEnd(48)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'cpu ms'.padStart(8)} ${'rows'.padStart(6)}\n`);
    for (const r of rows) {
      process.stdout.write(
        `  ${r.label.padEnd(48)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.cpu.toFixed(1).padStart(8)} ${String(r.hits).padStart(6)}\n`,
      );
    }
    const load = (await import('node:os')).loadavg()[0]!;
    process.stdout.write(`  (machine load average while measuring: ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} CPUs)\n`);
    const worst = search[search.length - 1]!;
    process.stdout.write(
      `  keyword search p95, worst of ${SEARCHES.length} queries: ${worst.toFixed(1)} ms (target ≤ ${TARGETS[engine]} ms: ${worst <= TARGETS[engine] ? 'met' : 'NOT met'})\n`,
    );
    process.stdout.write(`  search uses the token index: ${await explainUsesIndex(ctx)}\n`);
    process.stdout.write(`  export CSV (all customers): ${await measureExport(ctx, rep)}\n`);
    if (engine === 'postgres' || args.includes('--import-pglite')) {
      const line = await measureImport(ctx, manager);
      const rate = Number(line.match(/= ([\d,]+) rows\/s/)?.[1]?.replace(/,/g, '') ?? 0);
      process.stdout.write(`  import CSV: ${line} (target ≥ ${IMPORT_TARGET_ROWS_PER_S}/s: ${rate >= IMPORT_TARGET_ROWS_PER_S ? 'met' : 'NOT met'})\n`);
    }
  } finally {
    await close();
    await drop();
  }
}

for (const engine of engines) await runEngine(engine);
