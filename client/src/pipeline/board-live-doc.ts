/**
 * The board page's view of its `board:<pipelineId>` document, a thin layer
 * over the one DocController (which owns the connection, status, refusals and
 * awareness): the cards and stages as plain values, kept up to date
 * incrementally (a card's value object is replaced only when that card
 * changes, so elements of other cards do not re-render), card edits, and the
 * people on the board with their meeting-mode state.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import * as Y from 'yjs';
import type { BoardStage } from '../../../schema/wire/board.ts';
import { BOARD_ROOTS, boardDocName } from '../../../schema/wire/docs.ts';
import { DocController, type DocPeer, type DocRefusal } from '../realtime/doc-controller.ts';
import type { CardView } from './board-model.ts';
import { type BoardPresence, type Peer, parsePresence } from './board-presence.ts';

/** The performance mark set when a board has synced (the board benchmark reads it). */
export const SYNCED_MARK = 'tandem:board-synced';
/** The root mirroring the pipeline's stages (names, order), so an open board shows a rename at once. */
const STAGES_ROOT = 'stages';

export interface BoardDocEvents {
  /** Cards changed by someone else, or back by the server (after the first sync), for a brief highlight. */
  remoteChange(cardIds: string[]): void;
  /** The server refused a change of ours (`live.refusals` keeps it; its compensation follows). */
  refused(refusal: DocRefusal): void;
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

export class BoardLiveDoc implements ReactiveController {
  readonly live: DocController;
  cards = new Map<string, CardView>();
  stages = new Map<string, BoardStage>();
  peers: readonly Peer[] = [];
  /** Increases on every change of cards or stages. */
  version = 0;
  private seenPeers: readonly DocPeer[] = [];
  private unbind: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly events: BoardDocEvents,
  ) {
    host.addController(this);
    this.live = new DocController(host, {
      onDoc: (doc) => this.bind(doc),
      onRefusal: (refusal) => this.events.refused(refusal),
      onSync: () => {
        // A user-timing mark for the board benchmark and for profiling in the browser.
        performance.mark(SYNCED_MARK);
        this.readStages();
        this.version++;
      },
    });
    this.bind(this.live.doc);
  }

  /** Opens the board of a pipeline (closing any other). */
  open(pipelineId: string): void {
    this.live.open(boardDocName(pipelineId));
  }

  /** Who we are and what we present; kept across reconnections. */
  setPresence(presence: BoardPresence): void {
    this.live.setUser(presence.user);
    this.live.setLocalField('presenting', presence.presenting);
    this.live.setLocalField('focusedCardId', presence.focusedCardId);
    this.live.setLocalField('filters', presence.filters);
  }

  hostUpdate(): void {
    if (this.live.peers === this.seenPeers) return;
    this.seenPeers = this.live.peers;
    const peers: Peer[] = [];
    for (const p of this.live.peers) {
      const presence = parsePresence(p.state);
      if (presence) peers.push({ ...presence, clientId: p.clientId });
    }
    this.peers = peers;
  }

  /** Runs an edit of the cards map as one transaction. */
  edit(fn: (cards: Y.Map<Y.Map<unknown>>) => void): void {
    const doc = this.live.doc;
    doc.transact(() => fn(doc.getMap<Y.Map<unknown>>(BOARD_ROOTS.cards)));
  }

  /** One card of the document, to bind a form to its entries (the details panel's custom fields). */
  cardMap(id: string): Y.Map<unknown> | null {
    return this.live.doc.getMap<Y.Map<unknown>>(BOARD_ROOTS.cards).get(id) ?? null;
  }

  private bind(doc: Y.Doc): void {
    this.unbind?.();
    this.cards = new Map();
    this.stages = new Map();
    this.version++;
    const cards = doc.getMap<Y.Map<unknown>>(BOARD_ROOTS.cards);
    const stages = doc.getMap<Y.Map<unknown>>(STAGES_ROOT);
    const onCards = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, tx: Y.Transaction) => {
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
      if (!tx.local && this.live.status === 'synced' && touched.size > 0) this.events.remoteChange([...touched]);
      this.host.requestUpdate();
    };
    const onStages = () => {
      this.readStages();
      this.version++;
      this.host.requestUpdate();
    };
    cards.observeDeep(onCards);
    stages.observeDeep(onStages);
    this.unbind = () => {
      cards.unobserveDeep(onCards);
      stages.unobserveDeep(onStages);
    };
  }

  private readStages(): void {
    const out = new Map<string, BoardStage>();
    this.live.doc.getMap<Y.Map<unknown>>(STAGES_ROOT).forEach((m, id) => {
      if (m instanceof Y.Map) out.set(id, m.toJSON() as BoardStage);
    });
    this.stages = out;
  }
}
