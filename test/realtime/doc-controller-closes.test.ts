/**
 * DocController against a scripted y-websocket server, for what the real hub
 * does only under rare conditions: every close code's consequence (reconnect
 * at once, wait at least 5 s, wait long, or stop), refusal messages on an
 * open connection, and the local Y.Doc kept throughout, its edits re-sent by
 * the normal sync after a reconnection.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket as ServerSocket, WebSocketServer } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CUSTOMER_ROOTS, DOC_CLOSE, type DocAccessDto } from '../../schema/wire/docs.ts';
import { DocController } from '../../client/src/realtime/doc-controller.ts';
import { DOC_RETRY } from '../../client/src/realtime/doc-retry.ts';
import { until, wsClass } from './realtime-helpers.ts';

const DOC_NAME = 'customer:00000000-0000-4000-8000-000000000001';
/** Long enough to see that no reconnection follows, short against the waits under test. */
const QUIET_MS = 1500;

/** One socket the scripted server accepted, with the time it opened. */
interface ServerSide {
  ws: ServerSocket;
  openedAt: number;
}

let http: Server;
let wss: WebSocketServer;
let wsBase: string;
/** The server's copy: what it has received through sync. */
let serverDoc: Y.Doc;
/** While false, updates from clients go nowhere (the server "lost" them). */
let keepUpdates = true;
let sockets: ServerSide[] = [];
const opened: DocController[] = [];

function send(ws: ServerSocket, write: (e: encoding.Encoder) => void): void {
  const e = encoding.createEncoder();
  write(e);
  ws.send(encoding.toUint8Array(e));
}

beforeAll(async () => {
  http = createServer();
  wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws) => {
    sockets.push({ ws, openedAt: Date.now() });
    send(ws, (e) => {
      encoding.writeVarUint(e, 0);
      syncProtocol.writeSyncStep1(e, serverDoc);
    });
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== 0) return; // awareness: not scripted
      const reply = encoding.createEncoder();
      encoding.writeVarUint(reply, 0);
      syncProtocol.readSyncMessage(decoder, reply, keepUpdates ? serverDoc : new Y.Doc(), null);
      if (encoding.length(reply) > 1) ws.send(encoding.toUint8Array(reply));
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  wsBase = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/yjs`;
});
afterEach(() => {
  for (const c of opened.splice(0)) c.hostDisconnected();
  for (const s of sockets) s.ws.terminate();
});
afterAll(async () => {
  wss.close();
  await new Promise((r) => http.close(r));
});

function open(fetchAccess: (name: string) => Promise<DocAccessDto> = async (name) => ({ name, access: 'write' })) {
  serverDoc = new Y.Doc();
  keepUpdates = true;
  sockets = [];
  const host = { addController() {}, removeController() {}, requestUpdate() {}, updateComplete: Promise.resolve(true) };
  let accessChecks = 0;
  const controller = new DocController(host, {
    docName: DOC_NAME,
    user: { id: 'u1', name: 'Test User' },
    wsBase,
    WebSocketImpl: wsClass(null, null) as unknown as typeof WebSocket,
    fetchAccess: (name) => {
      accessChecks++;
      return fetchAccess(name);
    },
  });
  controller.hostConnected();
  opened.push(controller);
  return { controller, accessChecks: () => accessChecks };
}

const industryOf = (doc: Y.Doc) => doc.getMap(CUSTOMER_ROOTS.fields).get('industry');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DocController close codes', () => {
  it('4429: waits at least 5 s, reconnects with the same document, and its edits reach the server through the sync', async () => {
    const { controller } = open();
    await until(() => controller.status === 'synced', 'synced');
    const doc = controller.doc;
    keepUpdates = false;
    doc.getMap(CUSTOMER_ROOTS.fields).set('industry', 'Kept locally');
    await pause(50);
    const closedAt = Date.now();
    sockets[0]!.ws.close(DOC_CLOSE.tooManyRequests, 'rate limited: too many refused changes');
    await until(() => controller.error !== null, 'error shown');
    expect(controller.error).toEqual({ code: 'rate_limited', message: 'rate limited: too many refused changes' });
    expect(controller.status).toBe('offline');
    keepUpdates = true;
    await until(() => sockets.length === 2, 'reconnected', 20, DOC_RETRY.rateLimited.baseMs * 3);
    expect(sockets[1]!.openedAt - closedAt).toBeGreaterThanOrEqual(DOC_RETRY.rateLimited.baseMs);
    await until(() => industryOf(serverDoc) === 'Kept locally', 'edit re-sent by the sync');
    await until(() => controller.status === 'synced', 'synced again');
    expect(controller.doc).toBe(doc);
    expect(controller.error).toBeNull();
  }, 30_000);

  it('4422 (an older hub) is handled as 4429', async () => {
    const { controller } = open();
    await until(() => controller.status === 'synced', 'synced');
    sockets[0]!.ws.close(DOC_CLOSE.updateRefused, 'refused');
    await until(() => controller.error !== null, 'error shown');
    expect(controller.error?.code).toBe('rate_limited');
    await pause(QUIET_MS);
    expect(sockets).toHaveLength(1);
  });

  it('refusal messages on an open connection are recorded by field; the document and the connection stay', async () => {
    const { controller } = open();
    await until(() => controller.status === 'synced', 'synced');
    const doc = controller.doc;
    for (const reason of [
      { code: 'forbidden', message: 'Only managers change the owner', field: 'ownerId' },
      { code: 'validation', message: 'Outcome too long', field: 'followups.outcome' },
      { code: 'validation', message: 'Name required', field: 'name' },
      { code: 'forbidden', message: 'Still not yours', field: 'ownerId' },
    ]) {
      send(sockets[0]!.ws, (e) => {
        encoding.writeVarUint(e, 2);
        encoding.writeVarUint(e, 0);
        encoding.writeVarString(e, JSON.stringify(reason));
      });
    }
    await until(() => controller.refusals.length === 3, 'refusals recorded');
    expect(controller.refusalFor('ownerId')?.message).toBe('Still not yours');
    expect(controller.refusalFor('followups')?.field).toBe('followups.outcome');
    expect(controller.refusalFor()?.field).toBe('ownerId');
    controller.dismissRefusal('followups');
    expect(controller.refusals.map((r) => r.field)).toEqual(['name', 'ownerId']);
    controller.dismissRefusal(controller.refusalFor('name')!);
    expect(controller.refusals.map((r) => r.field)).toEqual(['ownerId']);
    expect(controller.status).toBe('synced');
    expect(controller.doc).toBe(doc);
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.ws.readyState).toBe(1);
  });

  it('4400 and 1009: an error, the document kept, no quick reconnection; retry() reconnects at once', async () => {
    for (const code of [DOC_CLOSE.badMessage, DOC_CLOSE.tooLarge]) {
      const { controller } = open();
      await until(() => controller.status === 'synced', 'synced');
      const doc = controller.doc;
      doc.getMap(CUSTOMER_ROOTS.fields).set('industry', 'Mine');
      sockets[0]!.ws.close(code, 'no');
      await until(() => controller.error !== null, 'error shown');
      expect(controller.error?.code).toBe(code === DOC_CLOSE.tooLarge ? 'too_large' : 'bad_message');
      await pause(QUIET_MS);
      expect(sockets).toHaveLength(1);
      expect(controller.status).toBe('offline');
      controller.retry();
      await until(() => controller.status === 'synced', 'synced after retry');
      expect(sockets).toHaveLength(2);
      expect(controller.doc).toBe(doc);
      expect(industryOf(doc)).toBe('Mine');
      controller.hostDisconnected();
    }
  });

  it('4404 and 4401 are final: status refused, no further attempt', async () => {
    for (const [code, error] of [
      [DOC_CLOSE.notFound, 'not_found'],
      [DOC_CLOSE.unauthenticated, 'unauthenticated'],
    ] as const) {
      const { controller, accessChecks } = open();
      await until(() => controller.status === 'synced', 'synced');
      sockets[0]!.ws.close(code, 'gone');
      await until(() => controller.status === 'refused', 'refused');
      expect(controller.error).toEqual({ code: error, message: 'gone' });
      await pause(QUIET_MS / 2);
      expect(sockets).toHaveLength(1);
      expect(accessChecks()).toBe(1);
      controller.hostDisconnected();
    }
  });

  it('1001 and 4500: reconnects soon with the same document', async () => {
    for (const code of [DOC_CLOSE.goingAway, DOC_CLOSE.internal]) {
      const { controller, accessChecks } = open();
      await until(() => controller.status === 'synced', 'synced');
      const doc = controller.doc;
      sockets[0]!.ws.close(code, 'bye');
      await until(() => controller.status === 'offline', 'offline');
      expect(controller.error).toBeNull();
      await until(() => sockets.length === 2 && controller.status === 'synced', 'reconnected', 20, DOC_RETRY.transient.baseMs * 4);
      expect(controller.doc).toBe(doc);
      // Each attempt asks for access again (a role or an archive may have changed it).
      expect(accessChecks()).toBe(2);
      controller.hostDisconnected();
    }
  });

  it('an access check answering 404 stops before any socket; no answer is retried', async () => {
    const { controller } = open(async () => {
      throw Object.assign(new Error('Not found'), { status: 404 });
    });
    await until(() => controller.status === 'refused', 'refused');
    expect(controller.error).toEqual({ code: 'not_found', message: 'Not found' });
    expect(sockets).toHaveLength(0);
    controller.hostDisconnected();

    let failures = 1;
    const flaky = open(async (name) => {
      if (failures-- > 0) throw new Error('fetch failed');
      return { name, access: 'read' };
    });
    await until(() => flaky.controller.status === 'synced', 'synced after a failed access check');
    expect(flaky.accessChecks()).toBe(2);
    expect(flaky.controller.readOnly).toBe(true);
  });
});
