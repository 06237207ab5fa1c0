/** Real servers and real y-websocket clients for the hub's tests. */
import { randomUUID } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import type { Config } from '../../server/config.ts';
import type { AppContext } from '../../server/context.ts';
import { loadStoredDoc } from '../../server/realtime/doc-store.repository.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import type { User } from '../../server/users/user.ts';
import { ORIGIN, type TestContext, createTestContext } from '../helpers/context.ts';

export interface HubServer {
  t: TestContext;
  ctx: AppContext;
  running: RunningServer;
  /** ws://127.0.0.1:port/yjs */
  wsBase: string;
  close(): Promise<void>;
}

export async function startHubServer(realtime: Partial<Config['realtime']> = {}): Promise<HubServer> {
  const base = (await import('../../server/config.ts')).loadConfig({});
  const t = await createTestContext({ realtime: { ...base.realtime, ...realtime } });
  const running = await startServer(t.ctx, { port: 0, host: '127.0.0.1' });
  return {
    t,
    ctx: t.ctx,
    running,
    wsBase: `ws://127.0.0.1:${running.port}/yjs`,
    async close() {
      await running.close();
      await t.close();
    },
  };
}

/** A customers row of a team; its document starts empty (fill it with `ctx.hub.edit`). */
export async function seedCustomer(ctx: AppContext, teamId: string, name = 'Acme'): Promise<string> {
  const row = await ctx.db.insertInto('customers').values({ team_id: teamId, name }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** A customer with its document's name field set, edited as `user`. */
export async function seedCustomerDoc(ctx: AppContext, teamId: string, user: User, name = 'Acme'): Promise<string> {
  const id = await seedCustomer(ctx, teamId, name);
  await ctx.hub.edit(customerDocName(id), user, (doc) => {
    doc.getMap(CUSTOMER_ROOTS.fields).set('name', name);
  });
  return id;
}

export function wsClass(cookie: string | null, origin: string | null = ORIGIN): typeof WebSocket {
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = origin;
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers, handshakeTimeout: 5000 });
    }
  } as typeof WebSocket;
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close events the provider saw. */
  closes: Array<{ code: number; reason: string }>;
  /** Refusal reasons received (y-protocols permission-denied messages). */
  refusals: string[];
  synced(): Promise<void>;
  destroy(): void;
}

export function connect(wsBase: string, docName: string, cookie: string, opts: { doc?: Y.Doc; origin?: string } = {}): Client {
  const doc = opts.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(wsBase, docName, doc, {
    WebSocketPolyfill: wsClass(cookie, opts.origin ?? originOf(wsBase)) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
  const closes: Client['closes'] = [];
  const refusals: string[] = [];
  provider.on('connection-close', (ev) => {
    if (ev) closes.push({ code: ev.code, reason: ev.reason });
  });
  // biome-ignore lint/suspicious/noExplicitAny: the provider's handler table is untyped
  const handlers = provider.messageHandlers as any[];
  handlers[2] = (_encoder: unknown, decoder: decoding.Decoder) => {
    // y-protocols auth message: [permission denied = 0][reason]
    decoding.readVarUint(decoder);
    refusals.push(decoding.readVarString(decoder));
  };
  return {
    doc,
    provider,
    closes,
    refusals,
    synced: () =>
      provider.synced
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const on = (s: boolean) => {
              if (s) {
                provider.off('sync', on);
                resolve();
              }
            };
            provider.on('sync', on);
          }),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** The server's own origin for a ws:// base URL. */
export const originOf = (wsBase: string) => new URL(wsBase).origin.replace(/^ws/, 'http');

/** Polls until `check` holds (each test's own timeout bounds the wait). */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  intervalMs = 20,
  giveUpMs = 20_000,
): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (await check()) return;
    if (Date.now() - started > giveUpMs) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Raw WebSocket open to the hub; resolves with the socket or the HTTP status of a refusal. */
export function rawOpen(url: string, headers: Record<string, string>): Promise<{ ws: WebSocket } | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.binaryType = 'arraybuffer';
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', reject);
  });
}

export const newFollowup = (authorId: string, text: string, extra: Record<string, unknown> = {}) => {
  const m = new Y.Map<unknown>();
  m.set('id', randomUUID());
  m.set('type', 'call');
  m.set('authorId', authorId);
  m.set('at', '2026-01-05T10:00:00.000Z');
  m.set('text', new Y.Text(text));
  for (const [k, v] of Object.entries(extra)) m.set(k, v);
  return m;
};

/** The ids of a customer document's follow-ups, sorted. */
export const followupIds = (doc: Y.Doc): string[] =>
  doc
    .getArray<Y.Map<unknown>>(CUSTOMER_ROOTS.followups)
    .toArray()
    .map((m) => m.get('id') as string)
    .sort();

/** JSON with object keys sorted: two copies of a document may list a map's keys in different orders. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  );
}

/** A document as stored (snapshot + log), rebuilt from the database after every accepted update is stored. */
export async function storedDoc(ctx: AppContext, name: string): Promise<Y.Doc> {
  await ctx.hub.flush();
  const stored = await loadStoredDoc(ctx.db, name);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc;
}
