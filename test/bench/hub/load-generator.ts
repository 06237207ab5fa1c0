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
 *
 * Several nodes: the clients of one document alternate between the nodes
 * (see LoadTarget), so an edit reaches some of them through the sender's
 * node alone and the others through the bus between the nodes; both kinds of
 * delivery are summarised apart as well.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { type BenchClient, createBenchClient } from './bench-client.ts';
import type {
  HistoryResult,
  HistoryScenario,
  LatencySummary,
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
/** How often a running phase reports its progress. */
const PROGRESS_MS = 5_000;

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

/** Reports `text()` every PROGRESS_MS until the returned function is called. */
function progressEvery(text: () => string): () => void {
  const timer = setInterval(() => send({ type: 'progress', text: text() }), PROGRESS_MS);
  return () => clearInterval(timer);
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

function makeClient(target: LoadTarget, docName: string, index: number, nodeIndex: number): BenchClient {
  const node = target.nodes[nodeIndex % target.nodes.length];
  if (!node) throw new Error('the target has no node');
  return createBenchClient({
    protocol: target.protocol,
    wsUrl: node.wsUrl,
    docName,
    headers: node.headers[index % node.headers.length] ?? {},
    userName: `Load ${index}`,
  });
}

function summarise(values: ArrayLike<number>): LatencySummary | null {
  const sorted = sortedCopy(values);
  if (sorted.length === 0) return null;
  return {
    count: sorted.length,
    p50: percentile(sorted, 50) as number,
    p95: percentile(sorted, 95) as number,
    p99: percentile(sorted, 99) as number,
    max: sorted[sorted.length - 1] as number,
  };
}

/** One sender's edits, by the clock of the item each created. */
interface SentEdits {
  times: number[];
  /** Deliveries so far, per edit. */
  seen: number[];
  node: number;
  /** The other clients of the sender's document. */
  receivers: number;
}

async function runTraffic(scenario: TrafficScenario, target: LoadTarget): Promise<TrafficResult> {
  const docs = target.docs.slice(0, scenario.docs);
  if (docs.length < scenario.docs) throw new Error(`the server prepared ${docs.length} documents, ${scenario.docs} needed`);
  const editsPerClient = Math.floor(scenario.durationMs / scenario.editIntervalMs);
  const clientsPerDoc = new Array<number>(docs.length).fill(0);
  for (let i = 0; i < scenario.clients; i++) clientsPerDoc[i % docs.length] = (clientsPerDoc[i % docs.length] ?? 0) + 1;
  const expectedDeliveries = clientsPerDoc.reduce((sum, n) => sum + editsPerClient * n * (n - 1), 0);

  const nodes = target.nodes.length;
  const nodeOf = (i: number) => Math.floor(i / docs.length) % nodes;
  const clientsPerNode = new Array<number>(nodes).fill(0);
  for (let i = 0; i < scenario.clients; i++) clientsPerNode[nodeOf(i)] = (clientsPerNode[nodeOf(i)] ?? 0) + 1;

  // Edits by sender client id.
  const sent = new Map<number, SentEdits>();
  const latencies = new Float64Array(expectedDeliveries);
  let deliveries = 0;
  let editsAccepted = 0;
  let lastAcceptAt: number | null = null;
  let lastDeliveryAt: number | null = null;
  const allReceived: number[] = [];
  const sameNode: number[] = [];
  const crossNode: number[] = [];

  const t0 = performance.now();
  const clients: BenchClient[] = [];
  for (let i = 0; i < scenario.clients; i++) {
    const node = nodeOf(i);
    const client = makeClient(target, docs[i % docs.length] as string, i, node);
    client.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.local) return;
      const now = performance.now();
      tr.afterState.forEach((after, sender) => {
        const edits = sent.get(sender);
        if (!edits) return;
        const before = tr.beforeState.get(sender) ?? 0;
        for (let clock = before; clock < after; clock++) {
          const at = edits.times[clock];
          if (at === undefined) continue;
          const ms = now - at;
          if (deliveries < latencies.length) latencies[deliveries] = ms;
          deliveries++;
          lastDeliveryAt = now;
          const seen = (edits.seen[clock] ?? 0) + 1;
          edits.seen[clock] = seen;
          if (seen === 1) {
            editsAccepted++;
            lastAcceptAt = now;
          }
          if (seen === edits.receivers) allReceived.push(ms);
          if (nodes > 1) (edits.node === node ? sameNode : crossNode).push(ms);
        }
      });
    });
    clients.push(client);
  }
  let synced = 0;
  for (const c of clients) void c.whenSynced.then(() => synced++);
  const stopSyncProgress = progressEvery(() => `connecting: ${synced}/${clients.length} synced`);
  const allSynced = await waitUntil(() => synced === clients.length, SYNC_TIMEOUT_MS);
  stopSyncProgress();
  const allSyncedMs = allSynced ? performance.now() - t0 : null;

  const base = {
    kind: 'traffic' as const,
    clients: clients.length,
    synced,
    allSyncedMs,
    expectedDeliveries,
    clientsPerNode,
  };
  const none = {
    editWindowMs: 0,
    editsAccepted: 0,
    acceptWindowMs: null,
    deliveryWindowMs: null,
    allReceivedMs: null,
    sameNodeMs: null,
    crossNodeMs: null,
  };
  if (!allSynced) {
    for (const c of clients) c.destroy();
    return {
      ...base,
      edits: 0,
      deliveries: 0,
      latencyMs: null,
      settleMs: null,
      ...none,
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
  let firstSentAt: number | null = null;
  let lastSentAt: number | null = null;
  const stopEditProgress = progressEvery(() => `edits: ${edits} sent, ${deliveries}/${expectedDeliveries} delivered`);
  const schedules = clients.map((client, index) => {
    const fields = client.doc.getMap<string>('fields');
    const times: number[] = [];
    sent.set(client.doc.clientID, {
      times,
      seen: [],
      node: nodeOf(index),
      receivers: (clientsPerDoc[index % docs.length] ?? 1) - 1,
    });
    const offset = Math.random() * scenario.editIntervalMs;
    return new Promise<void>((resolve) => {
      let seq = 0;
      const tick = () => {
        const clock = Y.getState(client.doc.store, client.doc.clientID);
        const at = performance.now();
        times[clock] = at;
        firstSentAt ??= at;
        lastSentAt = at;
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
  stopEditProgress();
  const editWallMs = performance.now() - start;
  const loadCpuCores = (cpuMicros() - cpu0) / 1000 / editWallMs;
  lag.disable();
  await mark('edits-end');

  const settleStart = performance.now();
  const stopSettleProgress = progressEvery(() => `settling: ${deliveries}/${expectedDeliveries} delivered`);
  await waitUntil(() => deliveries >= expectedDeliveries, SETTLE_TIMEOUT_MS);
  stopSettleProgress();
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
    ...windows(firstSentAt, lastSentAt, lastAcceptAt, lastDeliveryAt),
    editsAccepted,
    allReceivedMs: summarise(allReceived),
    sameNodeMs: nodes > 1 ? summarise(sameNode) : null,
    crossNodeMs: nodes > 1 ? summarise(crossNode) : null,
    docsConverged,
    docsChecked: byDoc.size,
    disconnects,
    closeCodes,
    loadCpuCores,
    loopLagMs: loopLag(lag),
  };
}

/** The traffic run's windows, all from the first edit sent. */
function windows(
  firstSent: number | null,
  lastSent: number | null,
  lastAccept: number | null,
  lastDelivery: number | null,
): Pick<TrafficResult, 'editWindowMs' | 'acceptWindowMs' | 'deliveryWindowMs'> {
  const from = (t: number | null) => (firstSent === null || t === null ? null : t - firstSent);
  return { editWindowMs: from(lastSent) ?? 0, acceptWindowMs: from(lastAccept), deliveryWindowMs: from(lastDelivery) };
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
  // With several nodes the writer and the observer are on different nodes, and the joiners alternate.
  const writer = makeClient(target, docName, 0, 0);
  const observer = makeClient(target, docName, 1, 1);
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
    const joiner = makeClient(target, docName, 2 + j, 2 + j);
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
