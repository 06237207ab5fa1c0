/**
 * Import jobs on two nodes sharing one PostgreSQL (docs/customers.md, "Jobs on several
 * nodes"): two app contexts on the same database, as two processes behind a balancer would
 * be. Exactly one node runs each job; a node that dies leaves its lease to run out and the
 * other continues after the last committed line; a node starting up never drops an upload
 * another node is still receiving; an Idempotency-Key holds across nodes. PostgreSQL always
 * (PGlite is one process's database): TEST_DATABASE_URL, or the machine's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportDto } from '../../schema/wire/customer-import.ts';
import { IDEMPOTENT_REPLAYED_HEADER } from '../../schema/wire/idempotency.ts';
import { createApp } from '../../server/app.ts';
import { bootstrap } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import type { AppContext } from '../../server/context.ts';
import { insertImport, readyImport } from '../../server/customers/customer-import.repository.ts';
import { resumeImports, runImportJob } from '../../server/customers/import-job.ts';
import { storeImportFile } from '../../server/customers/import-source.ts';
import { createLogger } from '../../server/logger.ts';
import type { User } from '../../server/users/user.ts';
import { CLUSTER_DATABASE_URL } from '../helpers/cluster.ts';
import { ORIGIN, type TestDatabase, createPostgresDatabase, login, seedTeam, seedUser } from '../helpers/context.ts';
import { json } from '../helpers/customers.ts';
import { until } from '../realtime/realtime-helpers.ts';

const SETUP_TIMEOUT_MS = 180_000;

interface Node {
  ctx: AppContext;
  app: ReturnType<typeof createApp>;
  close(): Promise<void>;
}

let database: TestDatabase;
let a: Node;
let b: Node;
let teamId: string;
let manager: User;
let cookie: string;

async function startNode(url: string): Promise<Node> {
  const config = { ...loadConfig({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }), databaseUrl: url };
  const { ctx, close } = await bootstrap(config, createLogger(config.logLevel));
  return { ctx, app: createApp(ctx), close };
}

beforeAll(async () => {
  database = await createPostgresDatabase(CLUSTER_DATABASE_URL);
  a = await startNode(database.url);
  b = await startNode(database.url);
  teamId = (await seedTeam(a.ctx, 'Two nodes')).id;
  manager = await seedUser(a.ctx, { role: 'manager', teamId });
  cookie = await login(a.app, manager.email);
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await a?.close();
  await b?.close();
  await database?.drop();
});

async function readyJob(prefix: string, rows: number): Promise<string> {
  const lines = ['name,phone'];
  for (let i = 0; i < rows; i++) lines.push(`${prefix} ${i},1380000${String(i).padStart(4, '0')}`);
  const job = await insertImport(a.ctx.db, {
    teamId,
    createdBy: manager.id,
    fileName: `${prefix}.csv`,
    target: 'customers',
    options: { target: 'customers', encoding: 'utf-8', confirm: true },
  });
  await storeImportFile(a.ctx.db, job.id, [new TextEncoder().encode(lines.join('\n'))]);
  await readyImport(a.ctx.db, job.id, { fileKind: 'csv', total: rows });
  return job.id;
}

const jobRow = (id: string) => a.ctx.db.selectFrom('customer_imports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
async function createdBy(importId: string): Promise<{ total: number; distinct: number }> {
  const r = await a.ctx.db
    .selectFrom('customers')
    .select((eb) => [eb.fn.countAll<string>().as('total'), eb.fn.count<string>('name').distinct().as('distinct')])
    .where('import_id', '=', importId)
    .executeTakeFirstOrThrow();
  return { total: Number(r.total), distinct: Number(r.distinct) };
}

describe('import jobs on two nodes', () => {
  it('two nodes asked to run one job at once: exactly one runs it, and each row is created once', async () => {
    const id = await readyJob('Both nodes', 2300);
    const outcomes = await Promise.all([runImportJob(a.ctx, id), runImportJob(b.ctx, id)]);
    expect(outcomes.sort()).toEqual(['done', 'skipped']);
    expect(await jobRow(id)).toMatchObject({ status: 'done', processed: 2300, imported: 2300, claimed_by: null });
    expect(await createdBy(id)).toEqual({ total: 2300, distinct: 2300 });
  });

  it('a node that dies mid-job keeps it until its lease runs out; then the other node continues after the last saved row', async () => {
    const id = await readyJob('Dead node', 2300);
    expect(await runImportJob(a.ctx, id, { maxBatches: 1, keepClaim: true, leaseMs: 4000 })).toBe('stopped');
    const held = await jobRow(id);
    expect(held).toMatchObject({ status: 'running', processed: 1000, last_line: 1001 });
    // Node b's sweep finds the job held by a live lease and leaves it.
    await resumeImports(b.ctx);
    expect(await jobRow(id)).toMatchObject({ status: 'running', processed: 1000, claimed_by: held.claimed_by });

    await until(async () => (await jobRow(id)).claimed_until!.getTime() < Date.now() - 200, 'the dead node lease runs out', 50, 15_000);
    await resumeImports(b.ctx);
    expect(await jobRow(id)).toMatchObject({ status: 'done', processed: 2300, imported: 2300, skipped: 0 });
    expect(await createdBy(id)).toEqual({ total: 2300, distinct: 2300 });
    expect(await b.ctx.db.selectFrom('customer_import_chunks').select('seq').where('import_id', '=', id).execute()).toEqual([]);
  });

  it('a node starting up does not drop an upload another node is still receiving', async () => {
    let resume!: () => void;
    const paused = new Promise<void>((r) => {
      resume = r;
    });
    let halfSent!: () => void;
    const half = new Promise<void>((r) => {
      halfSent = r;
    });
    const enc = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(enc.encode('name\nSlow Upload One\n'));
        halfSent();
        await paused;
        controller.enqueue(enc.encode('Slow Upload Two\n'));
        controller.close();
      },
    });
    const answer = b.app.request('/api/customers/import?fileName=slow.csv', {
      method: 'POST',
      headers: { cookie, origin: ORIGIN, 'content-type': 'text/csv' },
      body,
      duplex: 'half',
    } as RequestInit);
    await half;
    await until(async () => (await a.ctx.db.selectFrom('customer_imports').select('id').where('file_name', '=', 'slow.csv').execute()).length === 1, 'the upload began');
    // Node a (re)starts meanwhile: its start-up sweep sees an unfinished upload — held by node b.
    await resumeImports(a.ctx);
    resume();
    const { import: imp } = await json<{ import: ImportDto }>(await answer, 201);
    expect(imp).toMatchObject({ status: 'done', imported: 2 });
  });

  it('an Idempotency-Key holds across nodes: the repeat on the other node replays the first answer', async () => {
    const send = (node: Node) =>
      node.app.request('/api/customers/import?fileName=keyed.csv', {
        method: 'POST',
        headers: { cookie, origin: ORIGIN, 'content-type': 'text/csv', 'idempotency-key': 'nodes-1' },
        body: 'name\nKeyed Node Co\n',
      });
    const first = await json<{ import: ImportDto }>(await send(a), 201);
    const again = await send(b);
    expect(again.headers.get(IDEMPOTENT_REPLAYED_HEADER)).toBe('true');
    expect((await json<{ import: ImportDto }>(again, 201)).import.id).toBe(first.import.id);
    expect(await a.ctx.db.selectFrom('customer_imports').select('id').where('file_name', '=', 'keyed.csv').execute()).toHaveLength(1);
  });
});
