/**
 * The live pipeline board (`/pipeline`, `/pipeline/:pipelineId`): one column
 * per stage over the `board:<pipelineId>` document, moves by drag and drop
 * and by keyboard, filters, highlights of others' changes, presence, meeting
 * mode (present / follow through awareness), and the create dialog and
 * details panel. docs/pipeline-ui.md describes it, keyboard map included.
 */
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { PipelineDto } from '../../../schema/wire/pipeline.ts';
import { WORKSPACE, can } from '../../../schema/policy/access.ts';
import { peerColor } from '../../../schema/wire/presence.ts';
import { ApiError } from '../api/http.ts';
import { opportunityExportUrl } from '../api/opportunities.ts';
import { boardChanges, listPipelines } from '../api/pipelines.ts';
import { sessionContext } from '../app/contexts.ts';
import { currentLocale } from '../app/localization.ts';
import { navigate } from '../app/router.ts';
import { liveStatusLabel, needsNetworkText } from '../offline/offline-messages.ts';
import { OnlineController } from '../offline/online-controller.ts';
import type { DocRefusal } from '../realtime/doc-controller.ts';
import { discardUnsentConfirm, discardUnsentLabel, docErrorText, isRejection, refusalText } from '../realtime/doc-messages.ts';
import { errorMessage } from '../ui/error-message.ts';
import { icons } from '../ui/icons.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import { BoardDirectory } from './board-directory.ts';
import { BoardLiveDoc } from './board-live-doc.ts';
import { boardPageStyles } from './board-page.styles.ts';
import { formatDate, formatMonth } from './board-format.ts';
import {
  type BoardFilters,
  buildColumns,
  type ColumnView,
  closeMonths,
  locate,
  mergeStages,
  NO_FILTERS,
  type StageView,
  stageName,
} from './board-model.ts';
import { rankAtIndex } from './board-order.ts';
import { type BoardPresence, distinctPeople, initials, type Peer } from './board-presence.ts';
import { keyAction, type Lifted } from './board-keyboard.ts';
import { BoardMeeting } from './board-meeting.ts';
import { lastMeetingAt } from './last-meeting.ts';
import type { CardDropDetail, ColumnMarks, TandemBoardColumn } from './tandem-board-column.ts';
import { TandemBoardCard } from './tandem-board-card.ts';
import { isPanelField } from './tandem-opportunity-panel.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import './tandem-board-column.ts';
import './tandem-lost-reason-dialog.ts';
import './tandem-opportunity-dialog.ts';
import './tandem-opportunity-panel.ts';

/** How long a card changed by someone else stays highlighted. */
const FLASH_MS = 1500;
/** Avatars shown before "+n". */
const AVATARS_MAX = 6;
/** The pipeline last opened on this device, for `/pipeline`. */
const LAST_PIPELINE_KEY = 'tandem.board.lastPipeline';
/** Key of the pipelines' REST view kept beside the board's document (DocController.keepLocally). */
const LOCAL_PIPELINES_KEY = 'pipelines';

type Load = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; pipelines: PipelineDto[] };


interface PendingLost {
  cardId: string;
  stageId: string;
  rank: string;
}

interface ChangesView {
  since: string;
  ids: Set<string>;
  count: number;
}


export class TandemPipelinePage extends LitElement {
  static override properties = {
    pipelineId: { type: String, attribute: 'pipeline-id' },
    load: { state: true },
    filters: { state: true },
    selectedId: { state: true },
    creating: { state: true },
    lifted: { state: true },
    pendingLost: { state: true },
    flash: { state: true },
    changes: { state: true },
    changesError: { state: true },
    announcement: { state: true },
  };
  static override styles = [base, buttons, forms, boardPageStyles];

  declare pipelineId: string;
  declare load: Load;
  declare filters: BoardFilters;
  declare selectedId: string | null;
  declare creating: boolean;
  declare lifted: Lifted | null;
  declare pendingLost: PendingLost | null;
  declare flash: ReadonlySet<string>;
  declare changes: ChangesView | null;
  declare changesError: string;
  declare announcement: string;

  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  private readonly board = new BoardLiveDoc(this, {
    remoteChange: (ids) => this.flashCards(ids),
    refused: (refusal) => this.onRefused(refusal),
  });
  private readonly directory = new BoardDirectory(() => this.requestUpdate());
  private readonly network = new OnlineController(this);
  private readonly meeting = new BoardMeeting(
    this,
    () => this.board.peers,
    () => this.pipeline?.id ?? null,
  );
  private flashTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private columns: ColumnView[] = [];
  private columnsKey = '';
  private focusedCardId: string | null = null;
  private directoryAbort: AbortController | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.pipelineId = '';
    this.load = { kind: 'loading' };
    this.filters = NO_FILTERS;
    this.selectedId = null;
    this.creating = false;
    this.lifted = null;
    this.pendingLost = null;
    this.flash = new Set();
    this.changes = null;
    this.changesError = '';
    this.announcement = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A board named in the URL starts syncing at once, alongside the pipeline list (the server checks access).
    if (this.pipelineId) this.board.open(this.pipelineId);
    void this.loadPipelines();
    this.directoryAbort = new AbortController();
    void this.directory.loadUsers().catch(() => undefined);
    void this.directory.loadCustomers(this.directoryAbort.signal).catch(() => undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.directoryAbort?.abort();
    for (const t of this.flashTimers.values()) clearTimeout(t);
    this.flashTimers.clear();
  }

  private async loadPipelines(): Promise<void> {
    this.load = { kind: 'loading' };
    try {
      const pipelines = await listPipelines();
      this.load = { kind: 'ready', pipelines };
      await this.updateComplete;
      // Beside the board's local copy, so that a reload without a network can draw it (docs/offline.md).
      void this.board.live.keepLocally(LOCAL_PIPELINES_KEY, pipelines);
    } catch (e) {
      const kept = e instanceof ApiError && e.code === 'network' ? await this.keptPipelines() : undefined;
      this.load = kept ? { kind: 'ready', pipelines: kept } : { kind: 'failed', message: errorMessage(e) };
      // Back online: the server's pipelines replace the kept ones.
      if (kept) window.addEventListener('online', () => void this.loadPipelines(), { once: true });
    }
  }

  /** Offline: the pipelines as this device last saw them beside this board, if it kept them. */
  private async keptPipelines(): Promise<PipelineDto[] | undefined> {
    let id = this.pipelineId;
    try {
      id ||= localStorage.getItem(LAST_PIPELINE_KEY) ?? '';
    } catch {
      // Nothing remembered.
    }
    if (!id) return undefined;
    this.board.open(id);
    const kept = await this.board.live.readLocal<PipelineDto[]>(LOCAL_PIPELINES_KEY);
    return kept?.some((p) => p.id === id) ? kept : undefined;
  }

  private get pipeline(): PipelineDto | null {
    if (this.load.kind !== 'ready') return null;
    const { pipelines } = this.load;
    if (this.pipelineId) return pipelines.find((p) => p.id === this.pipelineId) ?? null;
    let remembered: string | null = null;
    try {
      remembered = localStorage.getItem(LAST_PIPELINE_KEY);
    } catch {
      remembered = null;
    }
    return pipelines.find((p) => p.id === remembered) ?? pipelines.find((p) => p.isDefault) ?? pipelines[0] ?? null;
  }

  private get user() {
    return this.session.value?.user ?? null;
  }

  /** Giving cards to others: the policy's reassign rule for the user's own team's opportunities. */
  private get canAssign(): boolean {
    const user = this.user;
    return !!user && can(user, 'reassign', { type: 'opportunity', teamId: user.teamId ?? '', ownerId: null });
  }

  private get canPresent(): boolean {
    const user = this.user;
    const pipeline = this.pipeline;
    return !!user && !!pipeline && can(user, 'present', { type: 'pipeline', teamIds: pipeline.teamIds });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const pipeline = this.pipeline;
    if (pipeline) {
      this.board.open(pipeline.id);
      try {
        localStorage.setItem(LAST_PIPELINE_KEY, pipeline.id);
      } catch {
        // Not remembered.
      }
    }
    if (changed.has('pipelineId')) {
      this.changes = null;
      // `?card=<id>` (a notification's link) opens that opportunity's details.
      this.selectedId = new URLSearchParams(location.search).get('card');
    }
    // A refusal names a field, not a card: it belongs to the card that was open when it came.
    if (changed.has('selectedId') && changed.get('selectedId') !== undefined) this.board.live.dismissRefusal();
    // The card opened is the card being discussed, until focus moves to another (meeting mode).
    if (changed.has('selectedId') && this.selectedId) this.focusedCardId = this.selectedId;
    if (this.meeting.checkFollowed()) this.announce(msg('The presentation ended.', { id: 'board.meeting.ended' }));
    this.publishPresence();
  }

  // ---- the board's values -------------------------------------------------

  private stages(): StageView[] {
    return mergeStages(this.board.stages, this.pipeline?.stages ?? []);
  }

  private get followed(): Peer | null {
    return this.meeting.followed;
  }

  private effectiveFilters(): BoardFilters {
    return this.followed?.filters ?? this.filters;
  }

  private computeColumns(): ColumnView[] {
    const f = this.effectiveFilters();
    const key = `${this.board.version}|${f.ownerId}|${f.closeMonth}|${this.pipeline?.id}`;
    if (key !== this.columnsKey) {
      this.columns = buildColumns(this.stages(), this.board.cards.values(), f);
      this.columnsKey = key;
    }
    return this.columns;
  }

  private customerName = (id: string) => this.directory.customerName(id);

  private names = { customer: this.customerName, user: (id: string | null) => this.directory.userName(id) };

  // ---- presence and meeting mode ------------------------------------------

  private publishPresence(): void {
    const user = this.user;
    if (!user) return;
    const presence: BoardPresence = {
      user: { id: user.id, name: user.name, role: user.role },
      presenting: this.meeting.presenting,
      // The card last focused (keyboard or pointer) or opened: followers see what the presenter points at.
      focusedCardId: this.meeting.presenting ? (this.focusedCardId ?? this.selectedId) : null,
      filters: this.meeting.presenting ? this.filters : NO_FILTERS,
    };
    this.board.setPresence(presence);
  }

  private startPresenting(): void {
    this.meeting.present();
    this.announce(msg('You are presenting this board.', { id: 'board.meeting.youPresent' }));
  }

  private follow(peer: Peer): void {
    this.meeting.follow(peer);
    this.lifted = null;
    this.announce(msg(str`Following ${peer.user.name}.`, { id: 'board.meeting.followingNow' }));
  }

  // ---- highlights -----------------------------------------------------------

  private flashCards(ids: string[]): void {
    const next = new Set(this.flash);
    for (const id of ids) {
      next.add(id);
      clearTimeout(this.flashTimers.get(id));
      this.flashTimers.set(
        id,
        setTimeout(() => {
          this.flashTimers.delete(id);
          const rest = new Set(this.flash);
          rest.delete(id);
          this.flash = rest;
        }, FLASH_MS),
      );
    }
    this.flash = next;
  }

  private async toggleChanges(): Promise<void> {
    const pipeline = this.pipeline;
    if (!pipeline) return;
    if (this.changes) {
      this.changes = null;
      return;
    }
    this.changesError = '';
    const since = lastMeetingAt(pipeline.id, new Date());
    try {
      const res = await boardChanges(pipeline.id, since);
      this.changes = { since: res.since, ids: new Set(res.opportunityIds), count: res.items.length };
    } catch (e) {
      this.changesError = errorMessage(e);
    }
  }

  /** The refusal is shown beside its field in the details panel, or above the board; the card moves back by itself. */
  private onRefused(refusal: DocRefusal): void {
    this.lifted = null;
    this.announce(refusalText(refusal));
  }

  private announce(text: string): void {
    // Re-setting the same text would not be announced again; clear it first.
    this.announcement = '';
    requestAnimationFrame(() => {
      this.announcement = text;
    });
  }

  // ---- moves ---------------------------------------------------------------

  /** Moves a card to position `index` (among the other cards) of a column; lost stages ask for a reason first. */
  private moveCard(cardId: string, column: ColumnView, index: number): void {
    const card = this.board.cards.get(cardId);
    if (!card) return;
    const others = column.cards.filter((c) => c.id !== cardId);
    if (card.stageId === column.stage.id) {
      const current = column.cards.findIndex((c) => c.id === cardId);
      if (current === index) return;
    }
    const rank = rankAtIndex(others, index);
    if (column.stage.kind === 'lost' && card.stageId !== column.stage.id) {
      this.pendingLost = { cardId, stageId: column.stage.id, rank };
      return;
    }
    this.writeMove(cardId, column.stage, rank, null);
  }

  private writeMove(cardId: string, stage: StageView, rank: string, lostReason: string | null): void {
    const card = this.board.cards.get(cardId);
    for (const field of ['stageId', 'rank', 'lostReason']) this.board.live.dismissRefusal(field);
    this.board.edit((cards) => {
      const m = cards.get(cardId);
      if (!m) return;
      if (m.get('stageId') !== stage.id) m.set('stageId', stage.id);
      m.set('rank', rank);
      if (stage.kind === 'lost') m.set('lostReason', lostReason);
      else if (m.get('lostReason')) m.set('lostReason', null);
    });
    if (card) {
      this.announce(
        msg(str`${card.name} moved to ${stageName(stage, currentLocale())}.`, { id: 'board.moved' }),
      );
    }
    void this.refocus(cardId);
  }

  private confirmLost(reason: string): void {
    const pending = this.pendingLost;
    if (!pending) return;
    const stage = this.stages().find((st) => st.id === pending.stageId);
    this.pendingLost = null;
    if (stage) this.writeMove(pending.cardId, stage, pending.rank, reason);
  }

  private cancelLost(): void {
    const pending = this.pendingLost;
    this.pendingLost = null;
    if (pending) void this.refocus(pending.cardId);
  }

  private async refocus(cardId: string): Promise<void> {
    await this.updateComplete;
    const where = locate(this.computeColumns(), cardId);
    if (!where) return;
    const col = this.columnElements()[where.column];
    if (!col) return;
    col.reveal(where.index);
    await col.updateComplete;
    const el = col.cardElement(cardId);
    el?.focus();
    el?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    // A keyboard move is what a presenter points at, even where no focus event reaches the board.
    if (el && this.focusedCardId !== cardId) {
      this.focusedCardId = cardId;
      if (this.meeting.presenting) this.publishPresence();
    }
  }

  private columnElements(): TandemBoardColumn[] {
    return [...this.renderRoot.querySelectorAll<TandemBoardColumn>('tandem-board-column')];
  }

  private onDrop = (e: CustomEvent<CardDropDetail>) => {
    if (this.followed) return;
    const column = this.computeColumns().find((c) => c.stage.id === e.detail.stageId);
    if (column) this.moveCard(e.detail.cardId, column, e.detail.index);
  };

  private cardFromEvent(e: Event): TandemBoardCard | null {
    return (e.composedPath().find((n) => n instanceof TandemBoardCard) as TandemBoardCard | undefined) ?? null;
  }

  private onKeyDown = (e: KeyboardEvent) => {
    const el = this.cardFromEvent(e);
    if (!el?.card) return;
    const card = el.card;
    const columns = this.computeColumns();
    const action = keyAction(e.key, card.id, this.lifted, columns);
    if (!action) return;
    // Tab still moves focus after cancelling a move; every other handled key is ours alone.
    if (e.key !== 'Tab') e.preventDefault();
    switch (action.type) {
      case 'lift':
        if (this.followed) return;
        this.lifted = { cardId: card.id, origin: action.at, target: action.at };
        this.announce(
          msg(str`Picked up ${card.name}. Arrow keys move it, Space drops it, Escape cancels.`, { id: 'board.key.picked' }),
        );
        return;
      case 'retarget': {
        this.lifted = { ...this.lifted!, target: action.target };
        const column = columns[action.target.column]!;
        const total = column.cards.filter((c) => c.id !== card.id).length + 1;
        this.announce(
          msg(str`${stageName(column.stage, currentLocale())}, position ${action.target.index + 1} of ${total}.`, {
            id: 'board.key.position',
          }),
        );
        return;
      }
      case 'drop':
        this.lifted = null;
        this.moveCard(card.id, columns[action.target.column]!, action.target.index);
        return;
      case 'cancel':
        this.lifted = null;
        this.announce(msg(str`Move of ${card.name} cancelled.`, { id: 'board.key.cancelled' }));
        return;
      case 'open':
        this.selectedId = card.id;
        return;
      case 'focus':
        void this.refocus(action.cardId);
        return;
      default:
        return action satisfies never;
    }
  };

  private onFocusIn = (e: FocusEvent) => {
    const el = this.cardFromEvent(e);
    if (!el?.card) return;
    if (this.lifted && this.lifted.cardId !== el.card.id) this.lifted = null;
    this.focusedCardId = el.card.id;
    if (this.meeting.presenting) this.publishPresence();
  };

  private onClick = (e: MouseEvent) => {
    const el = this.cardFromEvent(e);
    if (el?.card && !this.followed) this.selectedId = el.card.id;
  };

  // ---- card edits from the panel ------------------------------------------

  private onCardEdit = (e: CustomEvent<{ id: string; patch: Record<string, unknown> }>) => {
    const { id, patch } = e.detail;
    // A new value answers an earlier refusal of that field.
    for (const key of Object.keys(patch)) this.board.live.dismissRefusal(key);
    this.board.edit((cards) => {
      const m = cards.get(id);
      if (!m) return;
      for (const [k, v] of Object.entries(patch)) if (m.get(k) !== v) m.set(k, v);
    });
  };

  private onCardMove = (e: CustomEvent<{ id: string; stageId: string }>) => {
    const column = this.computeColumns().find((c) => c.stage.id === e.detail.stageId);
    if (column) this.moveCard(e.detail.id, column, column.cards.filter((c) => c.id !== e.detail.id).length);
  };

  // ---- rendering -----------------------------------------------------------

  override render() {
    switch (this.load.kind) {
      case 'loading':
        return html`<tandem-loading></tandem-loading>`;
      case 'failed':
        return html`<tandem-empty-state icon="alert" heading=${msg('The board could not be loaded', { id: 'board.loadFailed' })}>
          ${this.load.message}
          <button slot="actions" type="button" @click=${() => this.loadPipelines()}>${msg('Try again', { id: 'board.retry' })}</button>
        </tandem-empty-state>`;
      case 'ready':
        return this.renderReady(this.load.pipelines);
      default:
        return this.load satisfies never;
    }
  }

  private renderReady(pipelines: PipelineDto[]) {
    const pipeline = this.pipeline;
    if (!pipeline) {
      return html`<tandem-empty-state icon="pipeline" heading=${msg('No pipeline', { id: 'board.noPipeline' })}>
        ${
          this.pipelineId
            ? msg('This pipeline does not exist, or your team does not use it.', { id: 'board.noSuchPipeline' })
            : msg('Your team does not use a pipeline yet. An administrator can assign one.', { id: 'board.noPipelineText' })
        }
      </tandem-empty-state>`;
    }
    const columns = this.computeColumns();
    const stages = columns.map((c) => c.stage);
    const followed = this.followed;
    const presenter = this.meeting.offer(this.user?.id ?? '');
    const selectedId = followed ? followed.focusedCardId : this.selectedId;
    const selected = selectedId ? (this.board.cards.get(selectedId) ?? null) : null;
    const marks: ColumnMarks = {
      flash: this.flash,
      changed: this.changes?.ids ?? new Set(),
      presented: followed?.focusedCardId ?? null,
      lifted: this.lifted?.cardId ?? null,
    };
    const live = this.board.live;
    const empty = live.status === 'synced' && this.board.cards.size === 0;
    // Refusals of fields the open details panel shows are explained there; the others here.
    const elsewhere = live.refusals.filter((r) => !(selected && r.field && isPanelField(r.field)));
    return html`${this.renderToolbar(pipelines, pipeline)}
      ${this.renderBanners(presenter, followed)} ${this.renderDocProblem()}
      ${elsewhere.length
        ? html`<tandem-alert kind="error"
            >${refusalText(elsewhere.at(-1)!)}
            <button type="button" class="link" @click=${() => {
                for (const r of elsewhere) live.dismissRefusal(r);
              }}
            >
              ${msg('Dismiss', { id: 'common.dismiss' })}
            </button></tandem-alert
          >`
        : nothing}
      ${live.status === 'connecting' && this.board.cards.size === 0
        ? html`<tandem-loading label=${msg('Opening the board…', { id: 'board.opening' })}></tandem-loading>`
        : html`<div class="workspace">
            ${empty
              ? html`<tandem-empty-state icon="pipeline" heading=${msg('No opportunities yet', { id: 'pipeline.emptyHeading' })}>
                  ${msg('Opportunities appear on the board in their sales stage once your team creates them under a customer.', {
                    id: 'pipeline.emptyText',
                  })}
                  <button slot="actions" class="primary" type="button" @click=${() => (this.creating = true)}>
                    ${icons.plus}${msg('New opportunity', { id: 'board.new' })}
                  </button>
                </tandem-empty-state>`
              : html`<div
                  class="board"
                  role="list"
                  aria-label=${msg('Pipeline stages', { id: 'board.stagesLabel' })}
                  @keydown=${this.onKeyDown}
                  @focusin=${this.onFocusIn}
                  @click=${this.onClick}
                  @card-drop=${this.onDrop}
                >
                  ${repeat(
                    columns,
                    (c) => c.stage.id,
                    (c, i) => html`<tandem-board-column
                      role="listitem"
                      data-stage-id=${c.stage.id}
                      .column=${c}
                      .names=${this.names}
                      .marks=${marks}
                      .dropIndex=${this.lifted && this.lifted.target.column === i ? this.lifted.target.index : null}
                    ></tandem-board-column>`,
                  )}
                </div>`}
            ${selected && selectedId
              ? html`<tandem-opportunity-panel
                  .opportunityId=${selectedId}
                  .card=${selected}
                  .cardMap=${this.board.cardMap(selectedId)}
                  .stages=${stages}
                  .users=${[...this.directory.users.values()]}
                  .customerName=${this.customerName(selected.customerId)}
                  .canAssign=${this.canAssign}
                  .readonly=${!!followed}
                  .refusals=${live.refusals}
                  @refusal-dismiss=${(e: CustomEvent<string>) => live.dismissRefusal(e.detail)}
                  @card-edit=${this.onCardEdit}
                  @card-move=${this.onCardMove}
                  @close=${() => {
                    this.selectedId = null;
                  }}
                ></tandem-opportunity-panel>`
              : nothing}
          </div>`}
      <tandem-opportunity-dialog
        .open=${this.creating}
        .stages=${stages}
        .users=${[...this.directory.users.values()]}
        .canAssign=${this.canAssign}
        .selfId=${this.user?.id ?? ''}
        @created=${(e: CustomEvent<{ id: string }>) => {
          this.creating = false;
          this.selectedId = e.detail.id;
          this.announce(msg('Opportunity created.', { id: 'board.created' }));
        }}
        @close=${() => {
          this.creating = false;
        }}
      ></tandem-opportunity-dialog>
      <tandem-lost-reason-dialog
        .open=${!!this.pendingLost}
        .cardName=${this.pendingLost ? (this.board.cards.get(this.pendingLost.cardId)?.name ?? '') : ''}
        @confirm=${(e: CustomEvent<{ reason: string }>) => this.confirmLost(e.detail.reason)}
        @close=${() => this.cancelLost()}
      ></tandem-lost-reason-dialog>
      <div class="visually-hidden" aria-live="assertive" role="status" data-testid="board-live">${this.announcement}</div>`;
  }

  /** The opportunities the board shows (its pipeline, owner and month filters) as a download; it needs the server. */
  private renderExport(pipeline: PipelineDto, f: BoardFilters) {
    if (!this.network.online) {
      const title = needsNetworkText();
      return html`<button type="button" disabled title=${title}>${msg('Export CSV', { id: 'board.exportCsv' })}</button>
        <button type="button" disabled title=${title}>${msg('Export Excel', { id: 'board.exportXlsx' })}</button>`;
    }
    const filter = { pipelineId: pipeline.id, ownerId: f.ownerId, closeMonth: f.closeMonth };
    return html`<a class="button" href=${opportunityExportUrl(filter, 'csv')} download>${msg('Export CSV', { id: 'board.exportCsv' })}</a>
      <a class="button" href=${opportunityExportUrl(filter, 'xlsx')} download>${msg('Export Excel', { id: 'board.exportXlsx' })}</a>`;
  }

  private renderToolbar(pipelines: PipelineDto[], pipeline: PipelineDto) {
    const locale = currentLocale();
    const f = this.effectiveFilters();
    const followed = !!this.followed;
    const users = [...this.directory.users.values()].sort((a, b) => a.name.localeCompare(b.name, locale));
    const months = closeMonths(this.board.cards.values());
    if (f.closeMonth && !months.includes(f.closeMonth)) months.push(f.closeMonth);
    const people = distinctPeople(this.board.peers);
    const status = this.board.live.status;
    return html`<div class="toolbar">
      ${pipelines.length > 1
        ? html`<div class="field">
            <label for="pipeline">${msg('Pipeline', { id: 'nav.pipeline' })}</label>
            <select id="pipeline" @change=${(e: Event) => navigate(`/pipeline/${(e.target as HTMLSelectElement).value}`)}>
              ${pipelines.map(
                (p) => html`<option value=${p.id} ?selected=${p.id === pipeline.id}>${locale === 'zh-CN' && p.nameZh ? p.nameZh : p.name}</option>`,
              )}
            </select>
          </div>`
        : nothing}
      <div class="field">
        <label for="owner">${msg('Owner', { id: 'board.filter.owner' })}</label>
        <select
          id="owner"
          ?disabled=${followed}
          .value=${f.ownerId ?? ''}
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            this.filters = { ...this.filters, ownerId: v || null };
          }}
        >
          <option value="" ?selected=${f.ownerId === null}>${msg('Everyone', { id: 'board.filter.everyone' })}</option>
          <option value="none" ?selected=${f.ownerId === 'none'}>${msg('Unassigned', { id: 'board.card.noOwner' })}</option>
          ${users.map((u) => html`<option value=${u.id} ?selected=${f.ownerId === u.id}>${u.name}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="month">${msg('Close month', { id: 'board.filter.month' })}</label>
        <select
          id="month"
          ?disabled=${followed}
          .value=${f.closeMonth ?? ''}
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            this.filters = { ...this.filters, closeMonth: v || null };
          }}
        >
          <option value="" ?selected=${f.closeMonth === null}>${msg('Any month', { id: 'board.filter.anyMonth' })}</option>
          ${months.map((m) => html`<option value=${m} ?selected=${f.closeMonth === m}>${formatMonth(m, locale)}</option>`)}
        </select>
      </div>
      <button type="button" aria-pressed=${this.changes ? 'true' : 'false'} @click=${() => this.toggleChanges()}>
        ${msg('Changes since last meeting', { id: 'board.changes.toggle' })}
      </button>
      ${this.renderExport(pipeline, f)}
      <span class="spacer"></span>
      <span class="status" data-status=${status} data-live=${this.board.live.liveStatus.kind} role="status">
        <span class="dot ${status}" aria-hidden="true"></span>${liveStatusLabel(this.board.live.liveStatus)}
      </span>
      <div class="people" aria-label=${msg('On this board', { id: 'board.people' })} role="group">
        ${people.slice(0, AVATARS_MAX).map(
          (p) => html`<span
            class="avatar ${p.presenting ? 'presenting' : ''}"
            style="background: ${peerColor(p.user.id)}"
            title=${p.presenting ? msg(str`${p.user.name} (presenting)`, { id: 'board.presentingName' }) : p.user.name}
            role="img"
            aria-label=${p.user.name}
            >${initials(p.user.name)}</span
          >`,
        )}
        ${people.length > AVATARS_MAX ? html`<span class="avatar" style="background: var(--t-muted)">+${people.length - AVATARS_MAX}</span>` : nothing}
      </div>
      ${this.canPresent
        ? this.meeting.presenting
          ? html`<button type="button" aria-pressed="true" @click=${() => this.meeting.stopPresenting()}>
              ${msg('Stop presenting', { id: 'board.meeting.stop' })}
            </button>`
          : html`<button type="button" @click=${() => this.startPresenting()}>${msg('Present', { id: 'board.meeting.present' })}</button>`
        : nothing}
      ${this.user && can(this.user, 'administer', WORKSPACE)
        ? html`<a class="button" href=${`/pipeline/${pipeline.id}/stages`}>${msg('Stages', { id: 'board.stagesLink' })}</a>`
        : nothing}
      <button class="primary" type="button" @click=${() => (this.creating = true)}>
        ${icons.plus}${msg('New opportunity', { id: 'board.new' })}
      </button>
    </div>`;
  }

  /** Why the board is not (fully) live: no access, the session ended, or the server asks us to wait. */
  private renderDocProblem() {
    const live = this.board.live;
    const noAccess = msg('You cannot open this board.', { id: 'board.noAccess' });
    if (live.error) {
      const text = docErrorText(live.error, noAccess);
      return html`<tandem-alert kind=${live.error.code === 'rate_limited' ? 'info' : 'error'}
        >${text}
        ${isRejection(live.error)
          ? html`<button type="button" class="link" @click=${() => live.retry()}>${msg('Try again', { id: 'board.retry' })}</button>
              <button type="button" class="link" @click=${() => confirm(discardUnsentConfirm()) && live.reset()}>${discardUnsentLabel()}</button>`
          : nothing}</tandem-alert
      >`;
    }
    return live.status === 'refused' ? html`<tandem-alert kind="error">${noAccess}</tandem-alert>` : nothing;
  }

  private renderBanners(presenter: Peer | null, followed: Peer | null) {
    const locale = currentLocale();
    return html`${followed
        ? html`<div class="banner" role="status">
            <span>${msg(str`You are following ${followed.user.name}.`, { id: 'board.meeting.following' })}</span>
            <button type="button" @click=${() => this.meeting.stopFollowing()}>${msg('Stop following', { id: 'board.meeting.unfollow' })}</button>
          </div>`
        : presenter
          ? html`<div class="banner" role="status">
              <span>${msg(str`${presenter.user.name} is presenting.`, { id: 'board.meeting.offer' })}</span>
              <button class="primary" type="button" @click=${() => this.follow(presenter)}>${msg('Follow', { id: 'board.meeting.follow' })}</button>
              <button class="link" type="button" @click=${() => this.meeting.dismiss(presenter)}>
                ${msg('Not now', { id: 'board.meeting.dismiss' })}
              </button>
            </div>`
          : nothing}
      ${this.meeting.presenting
        ? html`<div class="banner" role="status">
            <span>${msg('You are presenting: others can follow your focused card and filters.', { id: 'board.meeting.presentingNote' })}</span>
          </div>`
        : nothing}
      ${this.changes
        ? html`<div class="banner changes" role="status">
            <span
              >${msg(str`${this.changes.count} changes on ${this.changes.ids.size} deals since ${formatDate(this.changes.since.slice(0, 10), locale)}.`, {
                id: 'board.changes.summary',
              })}</span
            >
          </div>`
        : nothing}
      ${this.changesError ? html`<tandem-alert kind="error">${this.changesError}</tandem-alert>` : nothing}`;
  }

  protected override updated(): void {
    // Followers keep the presenter's focused card in view.
    const followed = this.followed;
    if (followed?.focusedCardId && followed.focusedCardId !== this.lastShownFocus) {
      this.lastShownFocus = followed.focusedCardId;
      void this.revealCard(followed.focusedCardId);
    }
  }

  private lastShownFocus: string | null = null;

  private async revealCard(cardId: string): Promise<void> {
    const where = locate(this.computeColumns(), cardId);
    if (!where) return;
    const col = this.columnElements()[where.column];
    if (!col) return;
    col.reveal(where.index);
    await col.updateComplete;
    col.cardElement(cardId)?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }
}

customElements.define('tandem-pipeline-page', TandemPipelinePage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-pipeline-page': TandemPipelinePage;
  }
}
