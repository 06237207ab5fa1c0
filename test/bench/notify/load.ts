/**
 * The notification benchmark's load generator (a child process): opens
 * `tabsPerUser` Socket.IO connections per user on loopback and records when
 * each `notification` arrives. Reports on request; exits on `stop`.
 */
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../schema/wire/socket-events.ts';
import type { Arrival, LoadConfig, LoadToParent, ParentToLoad } from './ipc.ts';

const CONNECT_BATCH = 50;
const CONNECT_TIMEOUT_MS = 30_000;

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const sockets: ClientSocket[] = [];
let arrivals: Arrival[] = [];
const now = () => performance.timeOrigin + performance.now();
const send = (m: LoadToParent) => process.send?.(m);

function open(url: string, cookie: string): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: { cookie, origin: url },
    reconnection: false,
    forceNew: true,
    timeout: CONNECT_TIMEOUT_MS,
  });
  socket.on('notification', (n) => {
    arrivals.push({ entityId: n.entity?.id ?? n.id, at: now() });
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
  });
}

async function start(config: LoadConfig): Promise<void> {
  const t0 = now();
  const jobs: Array<() => Promise<ClientSocket>> = [];
  for (const cookie of config.cookies) for (let i = 0; i < config.tabsPerUser; i++) jobs.push(() => open(config.url, cookie));
  for (let i = 0; i < jobs.length; i += CONNECT_BATCH) {
    sockets.push(...(await Promise.all(jobs.slice(i, i + CONNECT_BATCH).map((j) => j()))));
  }
  send({ type: 'ready', sockets: sockets.length, connectMs: now() - t0 });
}

process.on('message', (m: ParentToLoad) => {
  switch (m.type) {
    case 'start':
      start(m.config).catch((err: Error) => send({ type: 'error', message: err.message }));
      break;
    case 'report': {
      const batch = arrivals;
      arrivals = [];
      send({ type: 'arrivals', arrivals: batch, connected: sockets.filter((s) => s.connected).length });
      break;
    }
    case 'stop':
      for (const s of sockets) s.close();
      process.exit(0);
      break;
    default: {
      const never: never = m;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
});
