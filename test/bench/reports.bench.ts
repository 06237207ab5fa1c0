/**
 * Reports at scale: 100,000 customers, 50,000 opportunities (with stage
 * history) and 500,000 activities, seeded in bulk with SQL; then each report
 * is requested through the HTTP app (`app.request`, as a manager of the team)
 * and its p50/p95 printed. Target: p95 ≤ 200 ms on PostgreSQL.
 *
 *   tsx test/bench/reports.bench.ts [--quick] [--db=postgres,pglite]
 *
 * PostgreSQL: a fresh database on BENCH_DATABASE_URL, TEST_DATABASE_URL or
 * postgres://postgres@127.0.0.1:5432/postgres, dropped afterwards.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createApp } from '../../server/app.ts';
import { bootstrap } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { visiblePipelines } from '../../server/pipelines/pipeline.service.ts';
import { createPostgresDatabase, login, seedTeam, seedUser } from '../helpers/context.ts';
import { benchPostgresUrl } from './hub/tandem-defaults.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const SCALE = quick ? 0.1 : 1;
const CUSTOMERS = 100_000 * SCALE;
const OPPORTUNITIES = 50_000 * SCALE;
const ACTIVITIES = 500_000 * SCALE;
const REPS = 20;
const RUNS = quick ? 10 : 30;
const TARGET_P95_MS = 200;
const engines = (args.find((a) => a.startsWith('--db='))?.slice(5) ?? 'postgres')
  .split(',')
  .filter((e): e is 'pglite' | 'postgres' => e === 'pglite' || e === 'postgres');

const REPORTS = [
  'funnel',
  'conversion?from=2026-01-01&to=2026-12-31',
  'win-rate?from=2026-01-01&to=2026-12-31',
  'forecast?from=2026-01-01&to=2026-12-31',
  'leaderboard?from=2026-01-01&to=2026-12-31',
  'activity?from=2026-10-01&to=2026-12-31',
  'new-customers?from=2026-01-01&to=2026-12-31',
];

const log = (m: string) => process.stdout.write(`  ${m}\n`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function runOn(engine: 'pglite' | 'postgres') {
  const database =
    engine === 'postgres'
      ? await createPostgresDatabase(benchPostgresUrl(), 'tandem_bench')
      : { url: 'memory://', drop: async () => {} };
  const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), databaseUrl: database.url };
  const { ctx, close } = await bootstrap(config, createLogger('silent'));
  try {
    const team = await seedTeam(ctx, 'Bench team');
    const manager = await seedUser(ctx, { role: 'manager', teamId: team.id });
    for (let i = 0; i < REPS; i++) await seedUser(ctx, { role: 'rep', teamId: team.id, name: `Rep ${i}` });
    const pipeline = (await visiblePipelines(ctx, manager))[0]!;
    const stageIds = pipeline.stages.map((s) => s.id);
    const db = ctx.db;
    const t0 = performance.now();

    log(`${engine}: seeding ${CUSTOMERS} customers…`);
    await sql`
      insert into customers (team_id, name, source, category, owner_id, created_at)
      select ${team.id}::uuid, 'Customer ' || g || ' 客户' || g,
             (array['web','referral','event','cold call'])[1 + g % 4],
             (array['potential','intent','closed-won','vip'])[1 + g % 4],
             (select id from users where team_id = ${team.id}::uuid and role = 'rep' order by id offset (g % ${REPS}) limit 1),
             timestamptz '2026-01-01' + (g % 365) * interval '1 day'
      from generate_series(1, ${CUSTOMERS}) g`.execute(db);

    log(`${engine}: seeding ${OPPORTUNITIES} opportunities with stage history…`);
    await sql`
      insert into opportunities (id, team_id, pipeline_id, customer_id, name, amount, currency, expected_close_date,
                                 stage_id, owner_id, rank, status, closed_at, created_at)
      select gen_random_uuid(), ${team.id}::uuid, ${pipeline.id}::uuid, c.id, 'Deal ' || c.rn, 1000 + (c.rn * 7919) % 500000, 'CNY',
             to_char(date '2026-01-01' + (c.rn % 365)::int, 'YYYY-MM-DD'),
             (${sql.val(stageIds)}::uuid[])[1 + c.rn % ${stageIds.length}],
             c.owner_id, 'a' || c.rn,
             case (c.rn % ${stageIds.length}) when ${stageIds.length - 2} then 'won' when ${stageIds.length - 1} then 'lost' else 'open' end,
             case when c.rn % ${stageIds.length} >= ${stageIds.length - 2} then timestamptz '2026-01-01' + (c.rn % 365) * interval '1 day' end,
             timestamptz '2026-01-01' + (c.rn % 300) * interval '1 day'
      from (select id, owner_id, row_number() over (order by id) rn from customers limit ${OPPORTUNITIES}) c`.execute(db);
    // One stay per stage passed, up to the current one (lost deals leave from the first stage).
    await sql`
      insert into opportunity_stage_history (opportunity_id, pipeline_id, from_stage_id, to_stage_id, entered_at, left_at, moved_by)
      select o.id, o.pipeline_id, null, s.id, o.created_at + s.position * interval '3 days',
             case when s.id = o.stage_id then null else o.created_at + (s.position + 1) * interval '3 days' end, o.owner_id
      from opportunities o
      join pipeline_stages cur on cur.id = o.stage_id
      join pipeline_stages s on s.pipeline_id = o.pipeline_id and s.deleted_at is null
        and (s.id = o.stage_id or (cur.kind <> 'lost' and s.kind = 'open' and s.position < cur.position)
             or (cur.kind = 'lost' and s.position = 0))`.execute(db);

    log(`${engine}: seeding ${ACTIVITIES} activities…`);
    await sql`
      insert into activities (team_id, customer_id, source_id, author_id, type, at)
      select ${team.id}::uuid, c.id, 'f' || g, c.owner_id, (array['call','email','meeting','visit','note'])[1 + g % 5],
             timestamptz '2026-01-01' + (g % 8760) * interval '1 hour'
      from generate_series(1, ${ACTIVITIES}) g
      join (select id, owner_id, row_number() over (order by id) rn from customers) c on c.rn = 1 + g % ${CUSTOMERS}`.execute(db);
    await sql`analyze`.execute(db);
    log(`${engine}: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const app = createApp(ctx);
    const cookie = await login(app, manager.email);
    const rows: string[][] = [];
    for (const report of REPORTS) {
      const path = `/api/reports/${report}`;
      const times: number[] = [];
      for (let i = 0; i < RUNS + 2; i++) {
        const start = performance.now();
        const res = await app.request(path, { headers: { cookie } });
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
        if (i >= 2) times.push(performance.now() - start); // two warm-up runs
      }
      const p95 = pct(times, 95);
      rows.push([engine, report.split('?')[0]!, pct(times, 50).toFixed(1), p95.toFixed(1), p95 <= TARGET_P95_MS ? 'yes' : 'NO']);
    }
    return rows;
  } finally {
    await close();
    await database.drop();
  }
}

const table: string[][] = [];
for (const engine of engines) table.push(...(await runOn(engine)));
const header = ['database', 'report', 'p50 ms', 'p95 ms', `p95 ≤ ${TARGET_P95_MS} ms`];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
process.stdout.write(
  `\nReports: ${CUSTOMERS} customers, ${OPPORTUNITIES} opportunities, ${ACTIVITIES} activities, ${RUNS} runs each\n` +
    [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...table.map(line)].join('\n') +
    '\n',
);
