/**
 * A ReactiveController holding one `board:<pipelineId>` document: the Y.Doc,
 * its y-websocket provider and awareness, the connection status, and the
 * cards as plain values kept up to date incrementally (a card's value object
 * is replaced only when that card changes, so elements of other cards do not
 * re-render).
 *
 * A refused update (close 4422) leaves the local document ahead of the
 * server's; the controller then drops it and opens a fresh copy, so the board
 * shows the state everyone else sees, and reports why.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { BoardStage } from '../../../schema/wire/board.ts';
import { boardDocName, DOC_CLOSE, type DocRefusalReason } from '../../../schema/wire/docs.ts';
import type { CardView } from './board-model.ts';
import { type BoardPresence, type Peer, parsePresence } from './board-presence.ts';

export type BoardStatus = 'connecting' | 'synced' | 'offline' | 'refused';

/** The y-protocols message type that carries a refusal (auth, "permission denied"). */
const MESSAGE_AUTH = 2;
const PERMISSION_DENIED = 0;
/** Transactions made by this board's own edits. */
export const LOCAL_EDIT = Symbol('board-local-edit');
/** The performance mark set when a board has synced. */
export const SYNCED_MARK = 'tandem:board-synced';
/** The longest gap between reconnection attempts. */
const MAX_BACKOFF_MS = 5000;

export interface BoardConnectionEvents {
  /** Cards changed by someone else (after the first sync), for a brief highlight. */
  remoteChange(cardIds: string[]): void;
  /** An update of ours was refused; the board was reloaded from the server. */
  refused(reason: DocRefusalReason): void;
}

function readCard(id: string, m: Y.Map<unknown>): CardView {
  const j = m.toJSON() as Omit<CardView, 'id'>;
  return {
    id,
    name: String(j.name ?? ''),
    amount: typeof j.amount === 'number' ? j.amount : 0,
    customerId: String(j.customerId ?? ''),
    ownerId: typeof j.ownerId === 'string' ? j.ownerId : null,
    stageId: String(j.stageId ?? ''),
    rank: String(j.rank ?? ''),
    currency: j.currency,
    expectedCloseDate: j.expectedCloseDate ?? null,
    lostReason: j.lostReason ?? null,
  };
}

function decodeRefusal(text: string): DocRefusalReason {
  try {
    const v = JSON.parse(text) as Partial<DocRefusalReason>;
    if (typeof v.message === 'string') return { code: String(v.code ?? 'validation'), message: v.message, field: v.field };
  } catch {
    // A plain-text reason.
  }
  return { code: 'validation', message: text };
}

export class BoardConnection implements ReactiveController {
  status: BoardStatus = 'connecting';
  /** Why the board cannot be opened (final close), when status is `refused`. */
  closeCode = 0;
  cards = new Map<string, CardView>();
  stages = new Map<string, BoardStage>();
  peers: Peer[] = [];
  /** Increases on every change of cards or stages. */
  version = 0;
  doc: Y.Doc | null = null;
  private provider: WebsocketProvider | null = null;
  private pipelineId: string | null = null;
  private presence: BoardPresence | null = null;
  private lastRefusal: DocRefusalReason | null = null;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly events: BoardConnectionEvents,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    if (this.pipelineId) this.open(this.pipelineId);
  }

  hostDisconnected(): void {
    this.connected = false;
    this.teardown();
  }

  /** Opens the board of a pipeline (closing any other). */
  open(pipelineId: string): void {
    if (this.pipelineId === pipelineId && this.provider) return;
    this.teardown();
    this.pipelineId = pipelineId;
    if (!this.connected) return;
    this.setup();
  }

  /** Shares who we are and what we present; kept across reconnections. */
  setPresence(presence: BoardPresence): void {
    this.presence = presence;
    this.provider?.awareness.setLocalState(presence);
  }

  /** Runs an edit of the cards map as one transaction. */
  edit(fn: (cards: Y.Map<Y.Map<unknown>>) => void): void {
    const doc = this.doc;
    if (!doc) return;
    doc.transact(() => fn(doc.getMap<Y.Map<unknown>>('cards')), LOCAL_EDIT);
  }

  cardMap(id: string): Y.Map<unknown> | null {
    const m = this.doc?.getMap<Y.Map<unknown>>('cards').get(id);
    return m instanceof Y.Map ? m : null;
  }

  get clientId(): number {
    return this.doc?.clientID ?? -1;
  }

  private setup(): void {
    const pipelineId = this.pipelineId!;
    const doc = new Y.Doc();
    this.doc = doc;
    this.cards = new Map();
    this.stages = new Map();
    this.peers = [];
    this.status = 'connecting';
    this.version++;
    const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
    const provider = new WebsocketProvider(wsBase, boardDocName(pipelineId), doc, { maxBackoffTime: MAX_BACKOFF_MS });
    this.provider = provider;
    provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      // y-protocols auth message: 0 = permission denied, then the reason (our hub sends JSON).
      if (decoding.readVarUint(decoder) !== PERMISSION_DENIED) return;
      this.lastRefusal = decodeRefusal(decoding.readVarString(decoder));
    };
    if (this.presence) provider.awareness.setLocalState(this.presence);

    const cards = doc.getMap<Y.Map<unknown>>('cards');
    const stages = doc.getMap<Y.Map<unknown>>('stages');
    cards.observeDeep((events, tx) => {
      const touched = new Set<string>();
      for (const e of events) {
        if (e.target === cards) for (const key of e.changes.keys.keys()) touched.add(key);
        else if (e.target.parent === cards) {
          const id = (e.target as unknown as { _item: { parentSub: string | null } | null })._item?.parentSub;
          if (id) touched.add(id);
        }
      }
      for (const id of touched) {
        const m = cards.get(id);
        if (m instanceof Y.Map) this.cards.set(id, readCard(id, m));
        else this.cards.delete(id);
      }
      this.version++;
      if (!tx.local && this.status === 'synced' && touched.size > 0) this.events.remoteChange([...touched]);
      this.host.requestUpdate();
    });
    stages.observeDeep(() => {
      this.readStages();
      this.version++;
      this.host.requestUpdate();
    });
    provider.on('sync', (synced: boolean) => {
      if (!synced || provider !== this.provider) return;
      // A user-timing mark for the board benchmark and for profiling in the browser.
      performance.mark(SYNCED_MARK);
      this.status = 'synced';
      this.readStages();
      this.host.requestUpdate();
    });
    provider.on('status', ({ status }: { status: string }) => {
      if (provider !== this.provider) return;
      if (status === 'disconnected' && this.status !== 'refused') this.status = 'offline';
      if (status === 'connecting' && this.status === 'offline') this.status = 'connecting';
      this.host.requestUpdate();
    });
    provider.on('closed', ({ code }: { code: number }) => {
      if (provider !== this.provider) return;
      if (code === DOC_CLOSE.updateRefused) {
        const reason = this.lastRefusal ?? { code: 'validation', message: '' };
        this.lastRefusal = null;
        this.teardown();
        this.setup();
        this.events.refused(reason);
        return;
      }
      this.status = 'refused';
      this.closeCode = code;
      this.host.requestUpdate();
    });
    provider.awareness.on('change', () => {
      if (provider !== this.provider) return;
      const peers: Peer[] = [];
      provider.awareness.getStates().forEach((state, clientId) => {
        if (clientId === doc.clientID) return;
        const p = parsePresence(state);
        if (p) peers.push({ ...p, clientId });
      });
      this.peers = peers;
      this.host.requestUpdate();
    });
  }

  private readStages(): void {
    const out = new Map<string, BoardStage>();
    this.doc?.getMap<Y.Map<unknown>>('stages').forEach((m, id) => {
      if (m instanceof Y.Map) out.set(id, m.toJSON() as BoardStage);
    });
    this.stages = out;
  }

  private teardown(): void {
    this.provider?.awareness.setLocalState(null);
    this.provider?.destroy();
    this.doc?.destroy();
    this.provider = null;
    this.doc = null;
  }
}
