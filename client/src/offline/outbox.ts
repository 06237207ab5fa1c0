/**
 * The outbox: creates made without a network (a customer, a contact, a task, a
 * lead) wait in this browser and are sent, in the order they were made, when
 * the network returns (docs/offline.md, "Outbox").
 *
 * Each entry keeps the request exactly as it would have gone out, with its
 * `Idempotency-Key`: a create that did reach the server before the network
 * failed is answered with its first answer on replay, so nothing is made twice.
 * An answer that refuses the entry (bad input, no permission, a likely
 * duplicate) marks it failed with the server's reason; the user then fixes a
 * field and retries, or discards it. The entries live in the signed-in user's
 * IndexedDB (`tandem:<userId>:outbox`) and go with every other local data on
 * sign-out, another user's sign-in or a revoked session; on a shared computer
 * there is no outbox and an offline create fails as it always did.
 */
import { ApiError, type OutboxRequest, request, setOfflineQueue } from '../api/http.ts';
import { newIdempotencyKey } from '../api/idempotency.ts';
import { onLocalWipe } from './local-data.ts';
import { LocalStore } from './local-store.ts';

export type OutboxKind = OutboxRequest['kind'];

export interface OutboxEntry extends OutboxRequest {
  /** Order of creation; the key of the store. */
  seq: number;
  createdAt: string;
  state: 'waiting' | 'failed';
  error?: { code: string; message: string; field?: string; candidates?: string[] };
}

const STORE = 'entries';
/** How often a waiting outbox tries again while the browser believes it is online. */
export const OUTBOX_RETRY_MS = 15_000;
/** Entries kept at most; past it, an offline create fails as without an outbox. */
export const OUTBOX_MAX = 500;

export const outboxEvents = new EventTarget();
/** Fired after every change of the outbox; `detail` is the entries. */
export const OUTBOX_CHANGED = 'outbox-changed';
/** Fired when a waiting entry reached the server; `detail` is `{ entry, answer }`. */
export const OUTBOX_SENT = 'outbox-sent';

const store = new LocalStore('outbox', STORE, { keyPath: 'seq', autoIncrement: true });
const run = store.run.bind(store);

// The wipe closed the database (LocalStore): nothing waits any more.
onLocalWipe(() => announce([]));

/** Every entry, oldest first (empty without an outbox). */
export async function outboxEntries(): Promise<OutboxEntry[]> {
  if (!(await store.exists())) return [];
  return ((await run('readonly', (s) => s.getAll() as IDBRequest<OutboxEntry[]>)) ?? []).sort((a, b) => a.seq - b.seq);
}

async function changed(): Promise<void> {
  announce(await outboxEntries());
}

function announce(entries: OutboxEntry[]): void {
  outboxEvents.dispatchEvent(new CustomEvent<OutboxEntry[]>(OUTBOX_CHANGED, { detail: entries }));
}

/** Keeps a create that could not reach the server; false when there is no outbox (or it is full). */
async function enqueue(req: OutboxRequest): Promise<boolean> {
  try {
    if (!store.open()) return false;
    const entries = await outboxEntries();
    if (entries.length >= OUTBOX_MAX) return false;
    // The same submission again (a second click while offline) is one entry.
    if (entries.some((e) => e.key === req.key)) return true;
    const entry: Omit<OutboxEntry, 'seq'> = { ...req, createdAt: new Date().toISOString(), state: 'waiting' };
    await run('readwrite', (s) => s.add(entry));
  } catch {
    return false;
  }
  await changed();
  scheduleRetry();
  return true;
}

/** A failed entry, corrected: its body replaced, back in line, and sent if the network allows. */
export async function retryEntry(seq: number, body?: Record<string, unknown>): Promise<void> {
  const entry = (await outboxEntries()).find((e) => e.seq === seq);
  if (!entry) return;
  const next: OutboxEntry = { ...entry, body: body ?? entry.body, state: 'waiting', error: undefined };
  // The body changed, so it is another request: a new key, or the server would answer the old one.
  if (body && JSON.stringify(body) !== JSON.stringify(entry.body)) next.key = newIdempotencyKey();
  await run('readwrite', (s) => s.put(next));
  await changed();
  void flushOutbox();
}

export async function discardEntry(seq: number): Promise<void> {
  await run('readwrite', (s) => s.delete(seq));
  await changed();
}

let flushing: Promise<void> | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;

function scheduleRetry(): void {
  if (retryTimer || typeof window === 'undefined') return;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    void flushOutbox();
  }, OUTBOX_RETRY_MS);
}

/**
 * Sends the waiting entries in order. Stops at the first one the network (or a
 * rate limit, or an ended session) keeps from the server, and tries again
 * later; an entry the server refuses is marked failed and the next one goes.
 */
export function flushOutbox(): Promise<void> {
  flushing ??= sendWaiting().finally(() => {
    flushing = null;
  });
  return flushing;
}

async function sendWaiting(): Promise<void> {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return;
  for (const entry of await outboxEntries()) {
    if (entry.state !== 'waiting') continue;
    const outcome = await send(entry);
    if (outcome === 'later') {
      scheduleRetry();
      break;
    }
  }
  await changed();
}

async function send(entry: OutboxEntry): Promise<'sent' | 'failed' | 'later'> {
  let answer: unknown;
  try {
    answer = await request<unknown>(entry.method, entry.path, entry.body, { idempotencyKey: entry.key });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === 'network' || error.code === 'rate_limited' || error.code === 'unauthenticated' || error.status >= 500) return 'later';
    await run('readwrite', (s) => s.put({ ...entry, state: 'failed', error: failure(error) } satisfies OutboxEntry));
    return 'failed';
  }
  await run('readwrite', (s) => s.delete(entry.seq));
  outboxEvents.dispatchEvent(new CustomEvent(OUTBOX_SENT, { detail: { entry, answer } }));
  return 'sent';
}

function failure(error: ApiError): NonNullable<OutboxEntry['error']> {
  const candidates = error.details?.candidates;
  return {
    code: error.code,
    message: error.message,
    ...(error.field ? { field: error.field } : {}),
    ...(Array.isArray(candidates) ? { candidates: candidates.map((c) => String((c as { name?: unknown }).name ?? '')).filter(Boolean) } : {}),
  };
}

/** Turns the outbox on for the app: creates that meet no network are kept, and sent when it returns. */
export function startOutbox(): void {
  setOfflineQueue(enqueue);
  window.addEventListener('online', () => void flushOutbox());
  void flushOutbox();
}
