
import { performance } from 'node:perf_hooks';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { boardDocName } from '../../schema/wire/docs.ts';
import { bootstrap } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import type { AppContext } from '../../server/context.ts';
import { createLogger } from '../../server/logger.ts';
import { startServer } from '../../server/server.ts';
import { createApp } from '../../server/app.ts';
import { createPostgresDatabase, login, seedTeam, seedUser } from '../helpers/context.ts';
import { wsClass } from '../realtime/realtime-helpers.ts';
import { fixed, formatTable, percentile, sortedCopy } from './hub/stats.ts';
import { seedBenchBoard } from './board-seed.ts';
import { benchPostgresUrl } from './hub/tandem-defaults.ts';

const CARDS = 2000;
const VIEWERS = 50;
const CUSTOMERS = 200;
const SEED_BATCH = 250;
const TARGET_SYNC_MS = 150;
const TARGET_MOVE_P99_MS = 100;
const MOVE_GAP_MS = 20;
const MOVE_TIMEOUT_MS = 10_000;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const dbArg = args.find((a) => a.startsWith('--db='))?.slice(5) ?? 'pglite,postgres';
const engines = dbArg.split(',').filter((e): e is 'pglite' | 'postgres' => e === 'pglite' || e === 'postgres');
const SYNCS = quick ? 5 : 20;
const MOVES = quick ? 30 : 200;
const REST_MOVES = quick ? 20 : 100;

async function openDatabase(engine: 'pglite' | 'postgres'): Promise<{ url: string; drop(): Promise<void> }> {
  if (engine === 'pglite') return { url: 'memory://', drop: async () => {} };
  return createPostgresDatabase(benchPostgresUrl(), 'tandem_bench_board');
}

function provider(wsBase: string, docName: string, cookie: string, origin: string) {
  const doc = new Y.Doc();
  const p = new WebsocketProvider(wsBase, docName, doc, {
    WebSocketPolyfill: wsClass(cookie, origin) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => {
    const on = (s: boolean) => {
      if (s) {
        p.off('sync', on);
        resolve();
      }
    };
    p.on('sync', on);
  });
  return { doc, p, synced };
}

function seedBoard(ctx: AppContext, teamId: string, manager: Awaited<ReturnType<typeof seedUser>>, reps: string[]) {
  return seedBenchBoard(ctx, teamId, manager, reps, { cards: CARDS, customers: CUSTOMERS, batch: SEED_BATCH });
}

async function runEngine(engine: 'pglite' | 'postgres'): Promise<string[][]> {
  const database = await openDatabase(engine);
  const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), databaseUrl: database.url };
  const { ctx, close } = await bootstrap(config, createLogger('silent'));
  const running = await startServer(ctx, { port: 0, host: '127.0.0.1' });
  const app = createApp(ctx);
  const wsBase = `ws://127.0.0.1:${running.port}/yjs`;
  const origin = `http://127.0.0.1:${running.port}`;
  const rows: string[][] = [];
  const all: Array<ReturnType<typeof provider>> = [];
  try {
    const team = await seedTeam(ctx);
    const manager = await seedUser(ctx, { role: 'manager', teamId: team.id });
    const reps = [await seedUser(ctx, { role: 'rep', teamId: team.id }), await seedUser(ctx, { role: 'rep', teamId: team.id })];
    const cookie = await login(app, manager.email);
    const seedStart = performance.now();
    const pipeline = await seedBoard(ctx, team.id, manager, reps.map((r) => r.id));
    const seedMs = performance.now() - seedStart;
    const docName = boardDocName(pipeline.id);

    // Sync: a fresh client until its provider reports synced, with the document loaded on the server.
    const syncs: number[] = [];
    let bytes = 0;
    for (let i = 0; i < SYNCS; i++) {
      const t0 = performance.now();
      const c = provider(wsBase, docName, cookie, origin);
      await c.synced;
      syncs.push(performance.now() - t0);
      if (c.doc.getMap('cards').size !== CARDS) throw new Error(`synced ${c.doc.getMap('cards').size} cards`);
      bytes = Y.encodeStateAsUpdate(c.doc).length;
      c.p.destroy();
      c.doc.destroy();
    }
    const s = sortedCopy(syncs);
    rows.push([`${engine}: new client sync (${CARDS} cards, ${(bytes / 1024).toFixed(0)} KiB)`, fixed(percentile(s, 50), 1), fixed(percentile(s, 99), 1), `≤ ${TARGET_SYNC_MS}`]);

    // Moves: one mover, 50 viewers; time from the mover's local change to each viewer's observe.
    for (let i = 0; i < VIEWERS + 1; i++) all.push(provider(wsBase, docName, cookie, origin));
    await Promise.all(all.map((c) => c.synced));
    const [mover, ...viewers] = all;
    const ids = [...mover!.doc.getMap('cards').keys()];
    const open = pipeline.stages.filter((st) => st.kind === 'open');
    const latencies: number[] = [];
    let pending: { id: string; stageId: string; t0: number; left: number; done: () => void } | null = null;
    for (const v of viewers) {
      v.doc.getMap<Y.Map<unknown>>('cards').observeDeep(() => {
        const p = pending;
        if (!p) return;
        if (v.doc.getMap<Y.Map<unknown>>('cards').get(p.id)?.get('stageId') !== p.stageId) return;
        latencies.push(performance.now() - p.t0);
        p.left--;
        if (p.left === 0) p.done();
      });
    }
    for (let m = 0; m < MOVES; m++) {
      const id = ids[m % ids.length]!;
      const card = mover!.doc.getMap<Y.Map<unknown>>('cards').get(id)!;
      const stageId = open[(open.findIndex((st) => st.id === card.get('stageId')) + 1) % open.length]!.id;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('move did not reach every viewer')), MOVE_TIMEOUT_MS);
        pending = {
          id,
          stageId,
          t0: performance.now(),
          left: viewers.length,
          done: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        mover!.doc.transact(() => {
          card.set('stageId', stageId);
          card.set('rank', `a${m % 10}V`);
        });
      });
      pending = null;
      await new Promise((r) => setTimeout(r, MOVE_GAP_MS));
    }
    const l = sortedCopy(latencies);
    rows.push([`${engine}: move → ${VIEWERS} viewers (${MOVES} moves)`, fixed(percentile(l, 50), 1), fixed(percentile(l, 99), 1), `p99 ≤ ${TARGET_MOVE_P99_MS}`]);

    // REST moves: PATCH round trip, through the hub, with the projection and history written.
    const rest: number[] = [];
    for (let m = 0; m < REST_MOVES; m++) {
      const id = ids[(m * 13) % ids.length]!;
      const t0 = performance.now();
      const res = await app.request(`/api/opportunities/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', origin: 'http://localhost', cookie },
        body: JSON.stringify({ stageId: open[m % open.length]!.id }),
      });
      if (res.status !== 200) throw new Error(`PATCH ${res.status} ${await res.text()}`);
      rest.push(performance.now() - t0);
    }
    const r = sortedCopy(rest);
    rows.push([`${engine}: REST move round trip (${REST_MOVES})`, fixed(percentile(r, 50), 1), fixed(percentile(r, 99), 1), '']);
    rows.push([`${engine}: seeding ${CARDS} cards through the hub`, fixed(seedMs, 0), '', '']);
  } finally {
    for (const c of all) {
      c.p.destroy();
      c.doc.destroy();
    }
    await running.close();
    await ctx.hub.close();
    await close();
    await database.drop();
  }
  return rows;
}

const header = ['board benchmark', 'p50 ms', 'p99 ms', 'target'];
const rows: string[][] = [];
for (const engine of engines) rows.push(...(await runEngine(engine)));
process.stdout.write(`\n${formatTable(header, rows)}\n`);
