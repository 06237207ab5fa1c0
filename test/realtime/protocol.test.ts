import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { CUSTOMER_ROOTS, DOC_CLOSE, customerDocName } from '../../schema/wire/docs.ts';
import { UpdateDecoder } from '../../server/realtime/update-decoder.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { type Client, type HubServer, connect, originOf, rawOpen, seedCustomerDoc, startHubServer, until } from './realtime-helpers.ts';

const MAX_MESSAGE = 64 * 1024;

let s: HubServer;
let rep: User;
let cookie: string;
let customerId: string;
let watcherA: Client;
let watcherB: Client;

beforeAll(async () => {
  s = await startHubServer({ maxMessageBytes: MAX_MESSAGE });
  const team = await seedTeam(s.ctx);
  rep = await seedUser(s.ctx, { role: 'rep', teamId: team.id });
  cookie = await login(s.t.app, rep.email);
  customerId = await seedCustomerDoc(s.ctx, team.id, rep, 'Acme');
  watcherA = connect(s.wsBase, customerDocName(customerId), cookie);
  watcherB = connect(s.wsBase, customerDocName(customerId), cookie);
  await Promise.all([watcherA.synced(), watcherB.synced()]);
});
afterAll(async () => {
  watcherA.destroy();
  watcherB.destroy();
  await s.close();
});

async function openRaw(): Promise<WebSocket> {
  const r = await rawOpen(`${s.wsBase}/${customerDocName(customerId)}`, { cookie, origin: originOf(s.wsBase) });
  if (!('ws' in r)) throw new Error(`refused: ${r.status}`);
  return r.ws;
}

function closeOf(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.on('close', (code) => resolve(code)));
}

/** The other clients still edit and converge. */
async function othersCarryOn(tag: string) {
  watcherA.doc.getMap(CUSTOMER_ROOTS.tags).set(tag, true);
  await until(() => watcherB.doc.getMap(CUSTOMER_ROOTS.tags).get(tag) === true, `edit ${tag} after a bad client`);
  watcherA.doc.getMap(CUSTOMER_ROOTS.tags).delete(tag);
}

function frame(...parts: Array<(e: encoding.Encoder) => void>): Uint8Array {
  const e = encoding.createEncoder();
  for (const p of parts) p(e);
  return encoding.toUint8Array(e);
}

describe('bad messages close only their own connection', () => {
  it('malformed bytes', async () => {
    const ws = await openRaw();
    const closed = closeOf(ws);
    ws.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect(await closed).toBe(DOC_CLOSE.badMessage);
    await othersCarryOn('after-malformed');
  });

  it('an unknown message type', async () => {
    const ws = await openRaw();
    const closed = closeOf(ws);
    ws.send(frame((e) => encoding.writeVarUint(e, 7)));
    expect(await closed).toBe(DOC_CLOSE.badMessage);
    await othersCarryOn('after-unknown');
  });

  it('an update whose payload is not a Yjs update', async () => {
    const ws = await openRaw();
    const closed = closeOf(ws);
    const junk = new Uint8Array(64).fill(0x9c);
    ws.send(frame((e) => encoding.writeVarUint(e, 0), (e) => encoding.writeVarUint(e, 2), (e) => encoding.writeVarUint8Array(e, junk)));
    expect(await closed).toBe(DOC_CLOSE.badMessage);
    await othersCarryOn('after-junk-update');
  });

  it('a state vector that claims more entries than it has bytes', async () => {
    const ws = await openRaw();
    const closed = closeOf(ws);
    const sv = frame((e) => encoding.writeVarUint(e, 1_000_000_000));
    ws.send(frame((e) => encoding.writeVarUint(e, 0), (e) => encoding.writeVarUint(e, 0), (e) => encoding.writeVarUint8Array(e, sv)));
    expect(await closed).toBe(DOC_CLOSE.badMessage);
    await othersCarryOn('after-bad-state-vector');
  });

  it('a text frame', async () => {
    const ws = await openRaw();
    const closed = closeOf(ws);
    ws.send('hello');
    expect(await closed).toBe(DOC_CLOSE.badMessage);
    await othersCarryOn('after-text');
  });

  it('a message over the size cap', async () => {
    const ws = await openRaw();
    const closed = closeOf(ws);
    ws.send(new Uint8Array(MAX_MESSAGE + 1));
    expect(await closed).toBe(DOC_CLOSE.tooLarge);
    await othersCarryOn('after-oversized');
  });

  it('awareness messages are relayed, and removed when their connection ends', async () => {
    const c = connect(s.wsBase, customerDocName(customerId), cookie);
    await c.synced();
    c.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#f00' });
    const id = c.doc.clientID;
    // Shown with the session's user, not the name the client wrote (awareness-guard.ts).
    await until(() => (watcherA.provider.awareness.getStates().get(id) as { user?: { name: string } } | undefined)?.user?.name === rep.name, 'awareness relayed');
    c.provider.ws?.close();
    c.provider.disconnect();
    await until(() => !watcherA.provider.awareness.getStates().has(id), 'awareness removed');
    c.destroy();
  });
});

describe('decoding untrusted updates is bounded', () => {
  it('a decode that never ends, or that exhausts memory, is refused and the worker replaced', async () => {
    const decoder = new UpdateDecoder(300, new URL('./fixtures/misbehaving-decoder.worker.mjs', import.meta.url));
    try {
      const [hang, fine] = await Promise.all([decoder.decode(new Uint8Array([0xee])), decoder.decode(new Uint8Array([1]))]);
      expect(hang).toMatchObject({ ok: false, reason: 'timeout' });
      expect(fine).toMatchObject({ ok: true });
      // In one batch, the update that hangs is refused, not the one decoded before it (whose answer was still held).
      const [before, stuck, after] = await Promise.all([
        decoder.decode(new Uint8Array([3])),
        decoder.decode(new Uint8Array([0xee])),
        decoder.decode(new Uint8Array([4])),
      ]);
      expect([before.ok, stuck, after.ok]).toEqual([true, expect.objectContaining({ ok: false, reason: 'timeout' }), true]);
    } finally {
      await decoder.close();
    }
    // A generous time bound, so that the memory bound is the one that ends the worker.
    const patient = new UpdateDecoder(25_000, new URL('./fixtures/misbehaving-decoder.worker.mjs', import.meta.url));
    try {
      const [first, hog] = await Promise.all([patient.decode(new Uint8Array([1])), patient.decode(new Uint8Array([0xdd]))]);
      expect(first).toMatchObject({ ok: true });
      expect(hog).toMatchObject({ ok: false, reason: 'out-of-memory' });
      expect(await patient.decode(new Uint8Array([2]))).toMatchObject({ ok: true });
    } finally {
      await patient.close();
    }
  });

  it('the real worker refuses garbage and counts a real update', async () => {
    const decoder = new UpdateDecoder(2000);
    try {
      expect(await decoder.decode(new Uint8Array([5, 200, 1, 2]))).toMatchObject({ ok: false, reason: 'malformed' });
      const { encodeStateAsUpdate } = await import('yjs');
      expect(await decoder.decode(encodeStateAsUpdate(watcherA.doc))).toMatchObject({ ok: true });
    } finally {
      await decoder.close();
    }
  });
});
