/**
 * One client's WebSocket on one document: decodes its frames in order and
 * turns them into document operations. A bad frame closes this connection
 * only (4400). Refused parts of an update are explained (a refusal message
 * each) while the rest is kept and the compensation reaches the client like
 * any update: the connection stays open. Writes are held to the connection's
 * and its user's budget; past it, or past a rate of refusals, the connection
 * is closed with 4429.
 */
import * as Y from 'yjs';
import { DOC_CLOSE, type DocCloseCode, type DocRefusalReason } from '../../schema/wire/docs.ts';
import type { Logger } from 'pino';
import type { AppError } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import type { DocPeer, LiveDocument } from './document.ts';
import { type ClientMessage, decodeClientMessage, encodeRefusal } from './protocol.ts';
import { checkUpdate, isEmptyUpdate } from './update-check.ts';
import type { DecodeResult, UpdateDecoder } from './update-decoder.ts';
import type { RefusalRate, WriteBudget } from './write-budget.ts';

/** Bytes a slow client may have queued before it is dropped (it reconnects and resyncs). */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/**
 * An update may arrive before one it builds on (a client that reconnects sends
 * new edits before its sync step 2 carries the older ones). Such updates wait
 * on their connection, merged, up to this many bytes.
 */
export const MAX_HELD_BYTES = 4 * 1024 * 1024;
/** Bytes of received frames waiting for their turn; a client past this floods and is dropped. */
export const MAX_QUEUED_BYTES = 8 * 1024 * 1024;
/** WebSocket close reasons are limited to 123 bytes. */
const CLOSE_REASON_MAX = 100;

/** The transport, as little of it as the hub needs (the `ws` WebSocket fits). */
export interface WebSocketLike {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

const OPEN = 1;
/**
 * Updates up to this size that passed the structural check are decoded on the
 * main thread (the check has read every count and length of them already);
 * larger ones also go through the bounded decoding worker.
 */
export const MAX_INLINE_DECODE_BYTES = 64 * 1024;
/** Refusal messages sent for one update, at most (the first reasons are the useful ones). */
const MAX_REFUSAL_MESSAGES = 5;

/** What a connection's writes are held to. */
export interface ConnectionLimits {
  budget: WriteBudget;
  refusals: RefusalRate;
  /** Longest an update waits for budget before the connection counts as over it. */
  maxWaitMs: number;
}

export class Connection implements DocPeer {
  readonly awarenessIds = new Set<number>();
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  /** Updates waiting for the changes they build on, merged into one. */
  private held: Uint8Array | null = null;
  private queuedBytes = 0;

  constructor(
    private readonly ws: WebSocketLike,
    readonly doc: LiveDocument,
    readonly user: User,
    readonly sessionId: string,
    readonly access: 'write' | 'read',
    private readonly decoder: UpdateDecoder,
    private readonly log: Logger,
    private readonly limits: ConnectionLimits,
    private readonly onEnd: (c: Connection) => void,
  ) {}

  start(): void {
    this.ws.on('message', (data, isBinary) => {
      if (this.closed) return;
      if (!isBinary) {
        this.close(DOC_CLOSE.badMessage, 'Text frames are not part of the protocol');
        return;
      }
      const frame = toBytes(data);
      this.queuedBytes += frame.length;
      if (this.queuedBytes > MAX_QUEUED_BYTES) {
        this.close(DOC_CLOSE.badMessage, 'Too many messages at once');
        return;
      }
      // Parsed and sent to the decoding worker at once, so that a burst of updates shares one round
      // trip to it; handled strictly in order below.
      const { msg, counts } = this.checked(decodeClientMessage(frame));
      // Small updates the structural check has read whole are bounded already; larger ones are decoded in the worker too.
      const decoding =
        msg.type !== 'update' || isEmptyUpdate(msg.update)
          ? null
          : counts && msg.update.length <= MAX_INLINE_DECODE_BYTES
            ? Promise.resolve<DecodeResult>({ ok: true, ...counts })
            : this.decoder.decode(msg.update);
      this.chain = this.chain
        .then(() => this.handle(msg, decoding))
        .catch((err) => {
          this.log.error({ err, doc: this.doc.name }, 'document connection failed');
          this.close(DOC_CLOSE.internal, 'Internal error');
        })
        .finally(() => {
          this.queuedBytes -= frame.length;
        });
    });
    this.ws.on('close', () => this.end());
    this.ws.on('error', () => this.end());
    this.doc.join(this);
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.ws.readyState !== OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(DOC_CLOSE.internal, 'Too far behind; reconnect');
      return;
    }
    this.ws.send(frame);
  }

  close(code: DocCloseCode, reason: string): void {
    if (this.closed) return;
    if (code === DOC_CLOSE.badMessage || code === DOC_CLOSE.internal || code === DOC_CLOSE.tooManyRequests) {
      this.log.warn({ doc: this.doc.name, userId: this.user.id, code, reason }, 'document connection closed');
    }
    try {
      this.ws.close(code, truncate(reason));
    } catch {
      // Already closing.
    }
    this.end();
  }

  private end(): void {
    if (this.closed) return;
    this.closed = true;
    this.doc.leave(this);
    this.onEnd(this);
  }

  /**
   * The structural check of an update (update-check.ts), before any Y.Doc or
   * decoder sees it: a failure turns the message into a malformed one.
   */
  private checked(msg: ClientMessage): { msg: ClientMessage; counts: { structs: number; deletes: number } | null } {
    if (msg.type !== 'update' || isEmptyUpdate(msg.update)) return { msg, counts: null };
    const check = checkUpdate(msg.update);
    if (!check.ok) return { msg: { type: 'malformed', detail: `Malformed update (${check.reason})` }, counts: null };
    for (const root of check.roots) {
      if (!(root in this.doc.kind.roots)) return { msg: { type: 'malformed', detail: `Unknown part ${root.slice(0, 40)}` }, counts: null };
    }
    return { msg, counts: { structs: check.structs, deletes: check.deletes } };
  }

  /** Explains refused parts; a sender refused too often is closed. */
  private refused(errors: readonly AppError[]): void {
    for (const e of errors.slice(0, MAX_REFUSAL_MESSAGES)) this.send(encodeRefusal(reasonOf(e)));
    if (this.limits.refusals.add(errors.length, Date.now())) {
      this.send(encodeRefusal({ code: 'rate_limited', message: 'Too many refused changes' }));
      this.close(DOC_CLOSE.tooManyRequests, 'Too many refused changes');
    }
  }

  /**
   * Charges an update to the write budget, holding it while the budget is in
   * debt; false (and the connection closed) when it would wait too long.
   */
  private async withinBudget(bytes: number): Promise<boolean> {
    const { budget, maxWaitMs } = this.limits;
    const wait = budget.waitMs(Date.now());
    if (wait > maxWaitMs) {
      this.send(encodeRefusal({ code: 'rate_limited', message: 'Too many changes at once; slow down' }));
      this.close(DOC_CLOSE.tooManyRequests, 'Over the write budget');
      return false;
    }
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (this.closed) return false;
    budget.charge(bytes, Date.now());
    return true;
  }

  private async handle(msg: ClientMessage, decoding: Promise<DecodeResult> | null): Promise<void> {
    if (this.closed) return;
    switch (msg.type) {
      case 'malformed':
        this.close(DOC_CLOSE.badMessage, msg.detail);
        return;
      case 'sync-step1':
        this.send(this.doc.diffFor(msg.stateVector));
        return;
      case 'update': {
        // The empty update (no structs, no deletions): a sync step 2 when the client lacks nothing.
        if (!decoding) return;
        const decoded = await decoding;
        if (this.closed) return;
        if (!decoded.ok) {
          this.close(DOC_CLOSE.badMessage, `Undecodable update (${decoded.reason})`);
          return;
        }
        if (decoded.structs === 0 && decoded.deletes === 0) return;
        if (!(await this.withinBudget(msg.update.length))) return;
        const update = this.held ? Y.mergeUpdates([this.held, msg.update]) : msg.update;
        const outcome = await this.doc.accept({ type: 'update', update }, this.user, this.access, this);
        switch (outcome.status) {
          case 'accepted':
            this.held = null;
            // A storage failure closes the document's writers itself (document.storageFailed).
            outcome.durable.catch(() => undefined);
            if (outcome.refusals.length > 0) this.refused(outcome.refusals);
            return;
          case 'unchanged':
            this.held = null;
            return;
          case 'incomplete':
            if (update.length > MAX_HELD_BYTES) {
              this.close(DOC_CLOSE.badMessage, 'Too many updates whose dependencies never arrived');
              return;
            }
            this.held = update;
            return;
          case 'refused': {
            // Nothing was stored: the client's copy is ahead of the server's for good.
            const e = outcome.error;
            this.send(encodeRefusal(reasonOf(e)));
            this.close(e.code === 'payload_too_large' ? DOC_CLOSE.documentFull : DOC_CLOSE.badMessage, e.message);
            return;
          }
          default: {
            const never: never = outcome;
            throw new Error(`unknown outcome ${JSON.stringify(never)}`);
          }
        }
      }
      case 'awareness':
        if (!this.doc.applyAwareness(this, msg.payload, msg.entries)) {
          this.close(DOC_CLOSE.badMessage, 'Awareness state too large');
        }
        return;
      case 'query-awareness': {
        const all = this.doc.allAwareness();
        if (all) this.send(all);
        return;
      }
      default: {
        const never: never = msg;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  }
}

function reasonOf(e: AppError): DocRefusalReason {
  return { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) };
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function truncate(reason: string): string {
  const bytes = Buffer.from(reason);
  return bytes.length <= CLOSE_REASON_MAX ? reason : `${bytes.subarray(0, CLOSE_REASON_MAX - 3).toString()}...`;
}
