/**
 * The y-websocket wire protocol as the hub speaks it: typed messages in,
 * encoded frames out. Decoding is strict and bounded: every length is checked
 * against the bytes that remain, so a hostile frame cannot make it loop or
 * allocate beyond the frame's own size. Update payloads are returned as bytes;
 * the hub decodes them in a worker (update-decoder.ts) before Yjs sees them.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { DocRefusalReason } from '../../schema/wire/docs.ts';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
const AUTH_PERMISSION_DENIED = 0;

/** Awareness entries in one message, at most (a client sends its own, a relay a few). */
export const MAX_AWARENESS_ENTRIES = 256;

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** null: the client left. */
  state: unknown;
}

export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Map<number, number> }
  | { type: 'update'; update: Uint8Array; step2: boolean }
  | { type: 'awareness'; payload: Uint8Array; entries: AwarenessEntry[] }
  | { type: 'query-awareness' }
  | { type: 'malformed'; detail: string };

/** A state vector: count, then (client, clock) pairs; each pair takes at least 2 bytes. */
function readStateVector(bytes: Uint8Array): Map<number, number> {
  const d = decoding.createDecoder(bytes);
  const count = decoding.readVarUint(d);
  if (count * 2 > bytes.length - d.pos) throw new Error('state vector longer than its bytes');
  const sv = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const client = decoding.readVarUint(d);
    const clock = decoding.readVarUint(d);
    sv.set(client, clock);
  }
  if (d.pos !== bytes.length) throw new Error('trailing bytes after the state vector');
  return sv;
}

/** An awareness update: count, then (client, clock, JSON state) triples; each at least 3 bytes. */
function readAwareness(bytes: Uint8Array): AwarenessEntry[] {
  const d = decoding.createDecoder(bytes);
  const count = decoding.readVarUint(d);
  if (count > MAX_AWARENESS_ENTRIES || count * 3 > bytes.length - d.pos) throw new Error('awareness update longer than its bytes');
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(d);
    const clock = decoding.readVarUint(d);
    const state = JSON.parse(decoding.readVarString(d)) as unknown;
    entries.push({ clientId, clock, state });
  }
  if (d.pos !== bytes.length) throw new Error('trailing bytes after the awareness update');
  return entries;
}

export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  try {
    const d = decoding.createDecoder(frame);
    const type = decoding.readVarUint(d);
    switch (type) {
      case MESSAGE_SYNC: {
        const sub = decoding.readVarUint(d);
        const payload = decoding.readVarUint8Array(d);
        if (d.pos !== frame.length) return { type: 'malformed', detail: 'trailing bytes after a sync message' };
        if (sub === SYNC_STEP1) return { type: 'sync-step1', stateVector: readStateVector(payload) };
        if (sub === SYNC_STEP2 || sub === SYNC_UPDATE) return { type: 'update', update: payload, step2: sub === SYNC_STEP2 };
        return { type: 'malformed', detail: `unknown sync message type ${sub}` };
      }
      case MESSAGE_AWARENESS: {
        const payload = decoding.readVarUint8Array(d);
        if (d.pos !== frame.length) return { type: 'malformed', detail: 'trailing bytes after an awareness message' };
        return { type: 'awareness', payload, entries: readAwareness(payload) };
      }
      case MESSAGE_QUERY_AWARENESS:
        return { type: 'query-awareness' };
      default:
        return { type: 'malformed', detail: `unknown message type ${type}` };
    }
  } catch (err) {
    return { type: 'malformed', detail: err instanceof Error ? err.message : String(err) };
  }
}

/** A sync message (`SYNC_STEP1` with a state vector, `SYNC_STEP2` or `SYNC_UPDATE` with an update). */
function encodeSync(type: typeof SYNC_STEP1 | typeof SYNC_STEP2 | typeof SYNC_UPDATE, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

export const encodeSyncStep1 = (stateVector: Uint8Array) => encodeSync(SYNC_STEP1, stateVector);
export const encodeSyncStep2 = (update: Uint8Array) => encodeSync(SYNC_STEP2, update);
export const encodeUpdate = (update: Uint8Array) => encodeSync(SYNC_UPDATE, update);

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** An awareness update (the payload of an awareness message) from entries, as `readAwareness` reads them. */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(e, entry.clientId);
    encoding.writeVarUint(e, entry.clock);
    encoding.writeVarString(e, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(e);
}

/** A y-protocols auth "permission denied" message; the reason is the refusal as JSON. */
export function encodeRefusal(reason: DocRefusalReason): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AUTH);
  encoding.writeVarUint(e, AUTH_PERMISSION_DENIED);
  encoding.writeVarString(e, JSON.stringify(reason));
  return encoding.toUint8Array(e);
}
