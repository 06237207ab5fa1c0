/**
 * One stage column: heading with count and amount, and its cards rendered
 * incrementally (a first batch, more as the list scrolls near its end), so a
 * board of thousands of cards renders quickly. Handles drag-over and drop,
 * and shows where a card picked up with the keyboard would land.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { currentLocale } from '../app/localization.ts';
import { base } from '../ui/styles.ts';
import { formatCompactMoney, todayIso } from './board-format.ts';
import { type ColumnView, stageName } from './board-model.ts';
import { CARD_DRAG_TYPE } from './tandem-board-card.ts';
import './tandem-board-card.ts';

/** Cards rendered at first, and added each time the list nears its end. */
const FIRST_BATCH = 40;
const NEXT_BATCH = 80;

export interface CardDropDetail {
  cardId: string;
  stageId: string;
  /** Position among the column's other cards (the moving card excluded). */
  index: number;
}

export interface ColumnMarks {
  flash: ReadonlySet<string>;
  changed: ReadonlySet<string>;
  presented: string | null;
  lifted: string | null;
}

export class TandemBoardColumn extends LitElement {
  static override properties = {
    column: { attribute: false },
    names: { attribute: false },
    marks: { attribute: false },
    dropIndex: { attribute: false },
    limit: { state: true },
    dragOver: { state: true },
  };
  static override styles = [
    base,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 0;
        background: var(--t-surface-2);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius);
      }
      header {
        padding: var(--t-space-3);
        border-bottom: 1px solid var(--t-border);
      }
      h2 {
        font-size: var(--t-font-size);
        display: flex;
        align-items: center;
        gap: var(--t-space-2);
      }
      .kind {
        width: 8px;
        height: 8px;
        border-radius: 50%;
        background: var(--t-primary);
        flex: none;
      }
      .kind.won {
        background: var(--t-success);
      }
      .kind.lost {
        background: var(--t-danger);
      }
      .stats {
        display: flex;
        justify-content: space-between;
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
        margin-top: 2px;
        font-variant-numeric: tabular-nums;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: var(--t-space-2);
        display: flex;
        flex-direction: column;
        gap: var(--t-space-2);
        overflow-y: auto;
        flex: 1;
        min-height: 80px;
      }
      :host([drag-over]) ol {
        background: var(--t-primary-soft);
      }
      .slot {
        height: 0;
        border-top: 3px solid var(--t-primary);
        border-radius: 2px;
        margin: -2px 0;
      }
      .empty {
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
        text-align: center;
        padding: var(--t-space-3) 0;
      }
      .more {
        height: 1px;
      }
    `,
  ];
  declare column: ColumnView;
  declare names: { customer(id: string): string; user(id: string | null): string };
  declare marks: ColumnMarks;
  declare dropIndex: number | null;
  declare limit: number;
  declare dragOver: boolean;
  private observer: IntersectionObserver | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.dropIndex = null;
    this.limit = FIRST_BATCH;
    this.dragOver = false;
    this.addEventListener('dragover', this.onDragOver);
    this.addEventListener('dragleave', this.onDragLeave);
    this.addEventListener('drop', this.onDrop);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = null;
  }

  /** Makes sure the card at `index` is rendered (keyboard moves and followed focus reach past the first batch). */
  reveal(index: number): void {
    if (index >= this.limit) this.limit = index + NEXT_BATCH;
  }

  cardElement(cardId: string): HTMLElement | null {
    return this.renderRoot.querySelector(`tandem-board-card[data-card-id="${CSS.escape(cardId)}"]`);
  }

  private onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes(CARD_DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    if (!this.dragOver) {
      this.dragOver = true;
      this.toggleAttribute('drag-over', true);
    }
  };

  private onDragLeave = (e: DragEvent) => {
    if (e.relatedTarget instanceof Node && this.contains(e.relatedTarget)) return;
    const rect = this.getBoundingClientRect();
    if (e.clientX > rect.left && e.clientX < rect.right && e.clientY > rect.top && e.clientY < rect.bottom) return;
    this.dragOver = false;
    this.toggleAttribute('drag-over', false);
  };

  private onDrop = (e: DragEvent) => {
    const cardId = e.dataTransfer?.getData(CARD_DRAG_TYPE);
    this.dragOver = false;
    this.toggleAttribute('drag-over', false);
    if (!cardId) return;
    e.preventDefault();
    // The slot: how many of the other rendered cards lie above the pointer.
    let index = 0;
    for (const el of this.renderRoot.querySelectorAll<HTMLElement>('tandem-board-card')) {
      if (el.dataset.cardId === cardId) continue;
      const r = el.getBoundingClientRect();
      if (e.clientY > r.top + r.height / 2) index++;
      else break;
    }
    const detail: CardDropDetail = { cardId, stageId: this.column.stage.id, index };
    this.dispatchEvent(new CustomEvent<CardDropDetail>('card-drop', { detail, bubbles: true, composed: true }));
  };

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('dropIndex') && this.dropIndex !== null) this.reveal(this.dropIndex + 1);
    const sentinel = this.renderRoot.querySelector('.more');
    this.observer?.disconnect();
    if (sentinel) {
      this.observer ??= new IntersectionObserver(
        (entries) => {
          if (entries.some((e) => e.isIntersecting)) this.limit += NEXT_BATCH;
        },
        { root: this.renderRoot.querySelector('ol'), rootMargin: '400px' },
      );
      this.observer.observe(sentinel);
    }
  }

  override render() {
    const { stage, cards, count, amount } = this.column;
    const locale = currentLocale();
    const name = stageName(stage, locale);
    const today = todayIso();
    const shown = cards.slice(0, this.limit);
    const lifted = this.marks.lifted;
    // The keyboard drop slot counts the other cards only; map it onto the rendered list.
    let slotBefore: string | null | undefined;
    if (this.dropIndex !== null) {
      const others = cards.filter((c) => c.id !== lifted);
      slotBefore = others[this.dropIndex]?.id ?? null;
    }
    const slot = html`<li class="slot" aria-hidden="true"></li>`;
    return html`<header>
        <h2 id="heading"><span class="kind ${stage.kind}" aria-hidden="true"></span>${name}</h2>
        <div class="stats">
          <span>${count === 1 ? msg('1 deal', { id: 'board.column.one' }) : msg(str`${count} deals`, { id: 'board.column.count' })}</span>
          <span>${formatCompactMoney(amount, locale)}</span>
        </div>
      </header>
      <ol role="list" aria-labelledby="heading">
        ${count === 0 && this.dropIndex === null ? html`<li class="empty">${msg('No deals', { id: 'board.column.empty' })}</li>` : nothing}
        ${repeat(
          shown,
          (c) => c.id,
          (c) => html`${slotBefore === c.id ? slot : nothing}<tandem-board-card
              .card=${c}
              .customer=${this.names.customer(c.customerId)}
              .owner=${this.names.user(c.ownerId)}
              ?flash=${this.marks.flash.has(c.id)}
              ?marked=${this.marks.changed.has(c.id)}
              ?presented=${this.marks.presented === c.id}
              ?lifted=${lifted === c.id}
              ?overdue=${stage.kind === 'open' && !!c.expectedCloseDate && c.expectedCloseDate < today}
            ></tandem-board-card>`,
        )}
        ${slotBefore === null ? slot : nothing}
        ${shown.length < cards.length ? html`<li class="more" aria-hidden="true"></li>` : nothing}
      </ol>`;
  }
}

customElements.define('tandem-board-column', TandemBoardColumn);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-board-column': TandemBoardColumn;
  }
}
