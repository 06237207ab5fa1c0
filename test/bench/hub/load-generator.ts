/**
 * The load generator: its own process, real providers, one Y.Doc per
 * simulated user. It is told a scenario and a target over IPC, reports phase
 * marks (the orchestrator samples the server's CPU at each) and a result.
 *
 * Latency: every edit sets `fields.needs` (a valid customer field, a short
 * string) stamped with the sender and its send time. A receiver counts an
 * edit as delivered when its document integrates the sender's item, found
 * from the transaction's state vectors (sender client id, clock) — the same
 * moment a `fields` map observer fires, but also for the concurrent writes to
 * `needs` that lose the last-writer-wins race and so never change the map's
 * visible value. Sender and receivers share this process's clock.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { type BenchClient, createBenchClient } from './bench-client.ts';
import type {
  HistoryResult,
  HistoryScenario,
  LoadTarget,
  LoadToParent,
  ParentToLoad,
  TrafficResult,
  TrafficScenario,
} from './ipc.ts';
import { percentile, sortedCopy } from './stats.ts';

/** Every client must be synced by then, or the scenario stops there. */
const SYNC_TIMEOUT_MS = 120_000;
/** After the last edit, deliveries may still arrive for this long; later ones count as lost. */
const SETTLE_TIMEOUT_MS = 60_000;
const SETTLE_POLL_MS = 50;
/** The history scenario's writer sends its edits in bursts of this many per turn of the event loop. */
const HISTORY_BURST = 100;
const INGEST_TIMEOUT_MS = 300_000;
const JOIN_TIMEOUT_MS = 30_000;
/** Pause after the joins so the last client's close is processed inside the measured window. */
const JOIN_TAIL_MS = 200;
const LOOP_RESOLUTION_MS = 10;
/** If the orchestrator disappears, stop. */
const ORPHAN_CHECK_MS = 1_000;

function send(message: LoadToParent): void {
  process.send?.(message);
}

const acks = new Map<string, () => void>();
let finished = false;

/** Tells the orchestrator a phase boundary and waits until it has sampled the server. */
function mark(name: string): Promise<void> {
  return new Promise((resolve) => {
    acks.set(name, resolve);
    send({ type: 'mark', name });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitUntil(predicate: () => boolean, timeoutMs: number, pollMs = SETTLE_POLL_MS): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() >= deadline) return false;
    await sleep(pollMs);
  }
  return true;
}

/** Event-loop delay beyond the sampling timer's own period (the histogram counts the period too). */
function loopLag(h: ReturnType<typeof monitorEventLoopDelay>) {
  const ms = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
}

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

function closeCodesOf(clients: BenchClient[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of clients) for (const [code, n] of c.closeCodes) out[code] = (out[code] ?? 0) + n;
  return out;
}

function makeClient(target: LoadTarget, docName: string, index: number): BenchClient {
  return createBenchClient({
    protocol: target.protocol,
    wsUrl: target.wsUrl,
    docName,
    headers: target.headers[index % target.headers.length] ?? {},
    userName: `Load ${index}`,
  });
}

async function runTraffic(scenario: TrafficScenario, target: LoadTarget): Promise<TrafficResult> {
  const docs = target.docs.slice(0, scenario.docs);
  if (docs.length < scenario.docs) throw new Error(`the server prepared ${docs.length} documents, ${scenario.docs} needed`);
  const editsPerClient = Math.floor(scenario.durationMs / scenario.editIntervalMs);
  const clientsPerDoc = new Array<number>(docs.length).fill(0);
  for (let i = 0; i < scenario.clients; i++) clientsPerDoc[i % docs.length] = (clientsPerDoc[i % docs.length] ?? 0) + 1;
  const expectedDeliveries = clientsPerDoc.reduce((sum, n) => sum + editsPerClient * n * (n - 1), 0);

  // Send times by sender client id, indexed by the clock of the item the edit created.
  const sentAt = new Map<number, number[]>();
  const latencies = new Float64Array(expectedDeliveries);
  let deliveries = 0;

  const t0 = performance.now();
  const clients: BenchClient[] = [];
  for (let i = 0; i < scenario.clients; i++) {
    const client = makeClient(target, docs[i % docs.length] as string, i);
    client.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.local) return;
      const now = performance.now();
      tr.afterState.forEach((after, sender) => {
        const times = sentAt.get(sender);
        if (!times) return;
        const before = tr.beforeState.get(sender) ?? 0;
        for (let clock = before; clock < after; clock++) {
          const at = times[clock];
          if (at === undefined) continue;
          if (deliveries < latencies.length) latencies[deliveries] = now - at;
          deliveries++;
        }
      });
    });
    clients.push(client);
  }
  let synced = 0;
  for (const c of clients) void c.whenSynced.then(() => synced++);
  const allSynced = await waitUntil(() => synced === clients.length, SYNC_TIMEOUT_MS);
  const allSyncedMs = allSynced ? performance.now() - t0 : null;

  const base = {
    kind: 'traffic' as const,
    clients: clients.length,
    synced,
    allSyncedMs,
    expectedDeliveries,
  };
  if (!allSynced) {
    for (const c of clients) c.destroy();
    return {
      ...base,
      edits: 0,
      deliveries: 0,
      latencyMs: null,
      settleMs: null,
      docsConverged: 0,
      docsChecked: 0,
      disconnects: clients.reduce((s, c) => s + c.disconnects, 0),
      closeCodes: closeCodesOf(clients),
      loadCpuCores: 0,
      loopLagMs: { p50: 0, p99: 0, max: 0 },
    };
  }

  const lag = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  await mark('edits-start');
  lag.enable();
  const cpu0 = cpuMicros();
  const start = performance.now();
  let edits = 0;
  const schedules = clients.map((client, index) => {
    const fields = client.doc.getMap<string>('fields');
    const times: number[] = [];
    sentAt.set(client.doc.clientID, times);
    const offset = Math.random() * scenario.editIntervalMs;
    return new Promise<void>((resolve) => {
      let seq = 0;
      const tick = () => {
        const clock = Y.getState(client.doc.store, client.doc.clientID);
        const at = performance.now();
        times[clock] = at;
        fields.set('needs', `bench c${index} s${seq} t${at.toFixed(1)}`);
        edits++;
        seq++;
        if (seq >= editsPerClient) return resolve();
        setTimeout(tick, Math.max(0, start + offset + seq * scenario.editIntervalMs - performance.now()));
      };
      if (editsPerClient === 0) resolve();
      else setTimeout(tick, offset);
    });
  });
  await Promise.all(schedules);
  const editWallMs = performance.now() - start;
  const loadCpuCores = (cpuMicros() - cpu0) / 1000 / editWallMs;
  lag.disable();
  await mark('edits-end');

  const settleStart = performance.now();
  await waitUntil(() => deliveries >= expectedDeliveries, SETTLE_TIMEOUT_MS);
  const settleMs = performance.now() - settleStart;
  const disconnects = clients.reduce((s, c) => s + c.disconnects, 0);
  const closeCodes = closeCodesOf(clients);

  let docsConverged = 0;
  const byDoc = new Map<string, BenchClient[]>();
  for (const c of clients) byDoc.set(c.docName, [...(byDoc.get(c.docName) ?? []), c]);
  for (const group of byDoc.values()) {
    const fingerprints = new Set(
      group.map((c) => `${Buffer.from(Y.encodeStateVector(c.doc)).toString('base64')}|${JSON.stringify(c.doc.getMap('fields').toJSON())}`),
    );
    if (fingerprints.size === 1) docsConverged++;
  }
  await mark('settled');
  for (const c of clients) c.destroy();

  const sorted = sortedCopy(latencies.subarray(0, Math.min(deliveries, latencies.length)));
  return {
    ...base,
    edits,
    deliveries,
    latencyMs:
      sorted.length === 0
        ? null
        : {
            p50: percentile(sorted, 50) as number,
            p95: percentile(sorted, 95) as number,
            p99: percentile(sorted, 99) as number,
            max: sorted[sorted.length - 1] as number,
          },
    settleMs,
    docsConverged,
    docsChecked: byDoc.size,
    disconnects,
    closeCodes,
    loadCpuCores,
    loopLagMs: loopLag(lag),
  };
}

/** The notes' first paragraph, where the history scenario types. */
function paragraphText(doc: Y.Doc): Y.XmlText | null {
  const first = doc.getXmlFragment('notes').get(0);
  if (!(first instanceof Y.XmlElement)) return null;
  const text = first.get(0);
  return text instanceof Y.XmlText ? text : null;
}

async function runHistory(scenario: HistoryScenario, target: LoadTarget): Promise<HistoryResult> {
  const docName = target.docs[0];
  if (!docName) throw new Error('the server prepared no document');
  const writer = makeClient(target, docName, 0);
  const observer = makeClient(target, docName, 1);
  const ready = await waitUntil(() => writer.synced && observer.synced, SYNC_TIMEOUT_MS);
  if (!ready) throw new Error('the writer and observer did not sync');

  // The paragraph the writer types into; created before the measured edits.
  writer.doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText()]);
    writer.doc.getXmlFragment('notes').insert(0, [paragraph]);
  });
  const writerId = writer.doc.clientID;
  const setupClock = Y.getState(writer.doc.store, writerId);
  await waitUntil(() => Y.getState(observer.doc.store, writerId) >= setupClock, SYNC_TIMEOUT_MS);
  const text = paragraphText(writer.doc);
  if (!text) throw new Error('the notes paragraph is missing');
  const finalClock = setupClock + scenario.edits;

  const lag = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  await mark('ingest-start');
  lag.enable();
  const cpu0 = cpuMicros();
  const start = performance.now();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz ';
  for (let i = 0; i < scenario.edits; i++) {
    // One transaction = one update = one message: a single typed character.
    text.insert(text.length, alphabet[i % alphabet.length] as string);
    if ((i + 1) % HISTORY_BURST === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const ingestComplete = await waitUntil(() => Y.getState(observer.doc.store, writerId) >= finalClock, INGEST_TIMEOUT_MS, 5);
  const ingestMs = performance.now() - start;
  await mark('ingest-end');

  const joinMs: number[] = [];
  await mark('joins-start');
  for (let j = 0; j < scenario.joins; j++) {
    const joinStart = performance.now();
    const joiner = makeClient(target, docName, 2 + j);
    const complete = await waitUntil(() => Y.getState(joiner.doc.store, writerId) >= finalClock, JOIN_TIMEOUT_MS, 1);
    if (complete) joinMs.push(performance.now() - joinStart);
    joiner.destroy();
  }
  await sleep(JOIN_TAIL_MS);
  await mark('joins-end');
  const loadCpuCores = (cpuMicros() - cpu0) / 1000 / (performance.now() - start);
  lag.disable();

  const converged =
    Buffer.compare(Buffer.from(Y.encodeStateVector(writer.doc)), Buffer.from(Y.encodeStateVector(observer.doc))) === 0 &&
    paragraphText(observer.doc)?.toString() === text.toString();
  writer.destroy();
  observer.destroy();
  return {
    kind: 'history',
    edits: scenario.edits,
    ingestMs,
    ingestComplete,
    joinMs,
    joinsComplete: joinMs.length,
    converged,
    loadCpuCores,
    loopLagMs: loopLag(lag),
  };
}

// y-websocket's provider adds a process 'exit' listener per instance; thousands are expected here.
process.setMaxListeners(0);

process.on('message', (message: ParentToLoad) => {
  switch (message.type) {
    case 'ack': {
      const resolve = acks.get(message.name);
      acks.delete(message.name);
      resolve?.();
      break;
    }
    case 'run': {
      const { scenario, target } = message;
      const run = scenario.kind === 'traffic' ? runTraffic(scenario, target) : runHistory(scenario, target);
      run.then(
        (result) => {
          finished = true;
          send({ type: 'result', result });
          process.disconnect?.();
          // Providers' timers are gone after destroy; exit anyway in case a socket lingers.
          setTimeout(() => process.exit(0), 500).unref();
        },
        (err: unknown) => {
          finished = true;
          send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
          process.disconnect?.();
          setTimeout(() => process.exit(1), 500).unref();
        },
      );
      break;
    }
    default: {
      const never: never = message;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
});

const orphan = setInterval(() => {
  if (!finished && !process.connected) process.exit(1);
}, ORPHAN_CHECK_MS);
orphan.unref();
