/**
 * The bus between nodes that hold the same live documents: one Redis
 * pub/sub channel per document. A node publishes each update it stored
 * (with its log id) and its own clients' awareness changes; every other node
 * holding the document applies them and forwards them to its clients. The
 * log in the database stays the truth: pub/sub delivers at most once, so a
 * node also reconciles with the log (periodically and after Redis returns).
 *
 * Messages are small binary frames (lib0 encoding):
 *   varUint kind, varString node id, then per kind:
 *   update:          varUint count, varUint log id × count, varUint8Array update
 *                    (one commit's updates of the document, merged)
 *   awareness:       varUint8Array awareness update
 *   awareness-query: nothing (holders answer with their clients' states)
 *   recheck:         nothing (holders re-check their connections' access)
 * and on the sessions channel:
 *   revoked:         varUint count, varString session id × count
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Logger } from 'pino';
import { createRedisClient, type RedisClient } from '../redis-client.ts';

export type BusMessage =
  | { kind: 'update'; node: string; ids: number[]; update: Uint8Array }
  | { kind: 'awareness'; node: string; payload: Uint8Array }
  | { kind: 'awareness-query'; node: string }
  | { kind: 'recheck'; node: string }
  | { kind: 'revoked'; node: string; sessionIds: string[] };

const KIND = { update: 0, awareness: 1, 'awareness-query': 2, recheck: 3, revoked: 4 } as const;
/** Largest frame a node accepts from the bus (an update is capped by the hub's message size anyway). */
export const MAX_BUS_FRAME_BYTES = 4 * 1024 * 1024;
/** Session ids per `revoked` frame, and log ids per `update` frame, at most. */
const MAX_REVOKED_PER_FRAME = 10_000;
const MAX_IDS_PER_FRAME = 100_000;

export function encodeBusMessage(msg: BusMessage): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, KIND[msg.kind]);
  encoding.writeVarString(e, msg.node);
  switch (msg.kind) {
    case 'update':
      encoding.writeVarUint(e, msg.ids.length);
      for (const id of msg.ids) encoding.writeVarUint(e, id);
      encoding.writeVarUint8Array(e, msg.update);
      break;
    case 'awareness':
      encoding.writeVarUint8Array(e, msg.payload);
      break;
    case 'awareness-query':
    case 'recheck':
      break;
    case 'revoked':
      encoding.writeVarUint(e, msg.sessionIds.length);
      for (const id of msg.sessionIds) encoding.writeVarString(e, id);
      break;
    default: {
      const never: never = msg;
      throw new Error(`unknown bus message ${JSON.stringify(never)}`);
    }
  }
  return encoding.toUint8Array(e);
}

/** Decodes a frame; null for anything malformed (a bus peer is trusted, but a bad frame must not crash a node). */
export function decodeBusMessage(frame: Uint8Array): BusMessage | null {
  if (frame.length > MAX_BUS_FRAME_BYTES) return null;
  try {
    const d = decoding.createDecoder(frame);
    const kind = decoding.readVarUint(d);
    const node = decoding.readVarString(d);
    let msg: BusMessage;
    switch (kind) {
      case KIND.update: {
        const n = decoding.readVarUint(d);
        if (n === 0 || n > MAX_IDS_PER_FRAME) return null;
        const ids: number[] = [];
        for (let i = 0; i < n; i++) ids.push(decoding.readVarUint(d));
        msg = { kind: 'update', node, ids, update: decoding.readVarUint8Array(d) };
        break;
      }
      case KIND.awareness:
        msg = { kind: 'awareness', node, payload: decoding.readVarUint8Array(d) };
        break;
      case KIND['awareness-query']:
        msg = { kind: 'awareness-query', node };
        break;
      case KIND.recheck:
        msg = { kind: 'recheck', node };
        break;
      case KIND.revoked: {
        const n = decoding.readVarUint(d);
        if (n > MAX_REVOKED_PER_FRAME) return null;
        const sessionIds: string[] = [];
        for (let i = 0; i < n; i++) sessionIds.push(decoding.readVarString(d));
        msg = { kind: 'revoked', node, sessionIds };
        break;
      }
      default:
        return null;
    }
    return decoding.hasContent(d) ? null : msg;
  } catch {
    return null;
  }
}

export type BusHandler = (msg: BusMessage) => void;

/** What the hub needs from the bus; RedisDocBus is the one implementation. */
export interface DocBus {
  /** This node's id; a node ignores its own messages. */
  readonly nodeId: string;
  /** True while the connection to Redis is up. */
  readonly connected: boolean;
  /** Starts delivering a document's messages from other nodes; resolves once subscribed (or Redis is down). */
  subscribe(docName: string, handler: BusHandler): Promise<void>;
  unsubscribe(docName: string): Promise<void>;
  /** Fire and forget: a message Redis cannot take now is dropped (the log reconciliation covers updates). */
  publish(docName: string, msg: BusMessage): void;
  /** Session ends made on this node, for every other node. */
  publishRevoked(sessionIds: string[]): void;
  onRevoked(handler: (sessionIds: string[]) => void): void;
  /** Called after the connection to Redis came back from an outage. */
  onReconnect(handler: () => void): void;
  close(): Promise<void>;
}

type Client = RedisClient;

export class RedisDocBus implements DocBus {
  private readonly pub: Client;
  private readonly sub: Client;
  private readonly handlers = new Map<string, BusHandler>();
  /** Documents whose channel Redis does not know yet (subscribed while it was down). */
  private readonly unsubscribed = new Set<string>();
  private readonly reconnectHandlers: Array<() => void> = [];
  private revokedHandler: ((ids: string[]) => void) | null = null;
  /** Until the first connection, as after a loss: on `ready`, subscribe what waits and reconcile. */
  private wasDown = true;
  private everConnected = false;
  private warnedAtStart = false;
  private sessionsSubscribed = false;
  private closed = false;

  private constructor(
    readonly nodeId: string,
    url: string,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    // While Redis is down, publishing fails at once instead of queueing without bound.
    this.pub = createRedisClient({ url, disableOfflineQueue: true });
    this.sub = createRedisClient({ url });
    for (const [client, role] of [
      [this.pub, 'publisher'],
      [this.sub, 'subscriber'],
    ] as const) {
      client.on('error', (err: unknown) => {
        if (!this.wasDown) log.warn({ err, role }, 'live documents: redis connection lost; serving this node’s clients only');
        else if (!this.everConnected && !this.warnedAtStart) {
          this.warnedAtStart = true;
          log.warn({ err, role }, 'live documents: cannot reach redis; serving this node’s clients only until it can');
        }
        this.wasDown = true;
      });
    }
    // The subscriber re-subscribes by itself; once both are back, nodes reconcile with the log.
    this.sub.on('ready', () => this.readyAgain());
    this.pub.on('ready', () => this.readyAgain());
  }

  /**
   * Starts connecting and returns at once: a node whose Redis is away at
   * start serves its own clients (and reports not ready) until it connects.
   */
  static start(opts: { url: string; prefix: string; nodeId: string; log: Logger }): RedisDocBus {
    const bus = new RedisDocBus(opts.nodeId, opts.url, opts.prefix, opts.log);
    for (const client of [bus.pub, bus.sub]) {
      // Rejects only when the client gives up (closed meanwhile); retries are reported through 'error'.
      client.connect().catch((err: unknown) => {
        if (!bus.closed) opts.log.warn({ err }, 'live documents: connecting to redis failed');
      });
    }
    return bus;
  }

  get connected(): boolean {
    return this.pub.isReady && this.sub.isReady;
  }

  async subscribe(docName: string, handler: BusHandler): Promise<void> {
    this.handlers.set(docName, handler);
    // While Redis is down the channel is subscribed on its return; the log reconciliation covers the gap.
    if (this.sub.isReady) await this.subscribeChannel(docName);
    else this.unsubscribed.add(docName);
  }

  async unsubscribe(docName: string): Promise<void> {
    if (!this.handlers.delete(docName)) return;
    if (this.unsubscribed.delete(docName) || !this.sub.isReady) return;
    try {
      await this.sub.unsubscribe(this.channel(docName));
    } catch (err) {
      this.log.warn({ err, doc: docName }, 'live documents: unsubscribing failed');
    }
  }

  publish(docName: string, msg: BusMessage): void {
    this.send(this.channel(docName), msg);
  }

  publishRevoked(sessionIds: string[]): void {
    for (let i = 0; i < sessionIds.length; i += MAX_REVOKED_PER_FRAME) {
      this.send(this.sessionsChannel, { kind: 'revoked', node: this.nodeId, sessionIds: sessionIds.slice(i, i + MAX_REVOKED_PER_FRAME) });
    }
  }

  onRevoked(handler: (sessionIds: string[]) => void): void {
    this.revokedHandler = handler;
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    // A graceful close waits for queued commands, which never drain while Redis is away.
    for (const c of [this.pub, this.sub]) {
      if (c.isReady) await c.close();
      else if (c.isOpen) c.destroy();
    }
  }

  private get sessionsChannel(): string {
    return `${this.prefix}sessions`;
  }

  private channel(docName: string): string {
    return `${this.prefix}doc:${docName}`;
  }

  private async subscribeChannel(docName: string): Promise<void> {
    try {
      await this.sub.subscribe(this.channel(docName), (frame: Buffer) => this.deliver(docName, frame), true);
    } catch (err) {
      this.unsubscribed.add(docName);
      this.log.warn({ err, doc: docName }, 'live documents: subscribing failed; retried when redis is back');
    }
  }

  private send(channel: string, msg: BusMessage): void {
    if (this.closed || !this.pub.isReady) return;
    this.pub.publish(channel, Buffer.from(encodeBusMessage(msg))).catch((err: unknown) => {
      this.log.debug({ err, channel }, 'live documents: a bus message was dropped');
    });
  }

  private deliver(docName: string, frame: Buffer): void {
    const handler = this.handlers.get(docName);
    const msg = decodeBusMessage(frame);
    if (!handler || !msg || msg.node === this.nodeId) return;
    try {
      handler(msg);
    } catch (err) {
      this.log.error({ err, doc: docName }, 'live documents: applying a bus message failed');
    }
  }

  private deliverRevoked(frame: Buffer): void {
    const msg = decodeBusMessage(frame);
    if (msg?.kind !== 'revoked' || msg.node === this.nodeId) return;
    this.revokedHandler?.(msg.sessionIds);
  }

  private readyAgain(): void {
    if (!this.wasDown || !this.connected || this.closed) return;
    this.wasDown = false;
    if (this.everConnected) this.log.info('live documents: redis is back; reconciling documents with the log');
    else if (this.warnedAtStart) this.log.info('live documents: connected to redis');
    this.everConnected = true;
    if (!this.sessionsSubscribed) {
      this.sessionsSubscribed = true;
      this.sub.subscribe(this.sessionsChannel, (frame: Buffer) => this.deliverRevoked(frame), true).catch((err: unknown) => {
        this.sessionsSubscribed = false;
        this.log.warn({ err }, 'live documents: subscribing to session ends failed; retried when redis is back');
      });
    }
    // The client re-subscribes the channels it had; these are the ones asked for while Redis was down.
    void (async () => {
      const missing = [...this.unsubscribed];
      this.unsubscribed.clear();
      for (const docName of missing) if (this.handlers.has(docName)) await this.subscribeChannel(docName);
      for (const fn of this.reconnectHandlers) fn();
    })();
  }
}
