/**
 * One opportunity on the board: name, customer, amount, owner and expected
 * close date. Focusable and draggable; keyboard moves are driven by the page
 * (docs/pipeline-ui.md). Every value is rendered as text.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { currentLocale } from '../app/localization.ts';
import { base } from '../ui/styles.ts';
import { formatDate, formatMoney } from './board-format.ts';
import type { CardView } from './board-model.ts';

/** The drag payload type: the card id, so drops from elsewhere are ignored. */
export const CARD_DRAG_TYPE = 'application/x-tandem-card';

export class TandemBoardCard extends LitElement {
  static override properties = {
    card: { attribute: false },
    customer: { type: String },
    owner: { type: String },
    flash: { type: Boolean, reflect: true },
    marked: { type: Boolean, reflect: true },
    presented: { type: Boolean, reflect: true },
    lifted: { type: Boolean, reflect: true },
    overdue: { type: Boolean, reflect: true },
  };
  static override styles = [
    base,
    css`
      :host {
        display: block;
        background: var(--t-surface);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius-sm);
        box-shadow: var(--t-shadow);
        padding: var(--t-space-2) var(--t-space-3);
        cursor: grab;
        outline: none;
        position: relative;
        contain: layout style;
      }
      :host(:hover) {
        border-color: var(--t-border-strong);
      }
      :host(:focus-visible) {
        box-shadow: var(--t-focus-ring);
        border-color: var(--t-primary);
      }
      :host([lifted]) {
        transform: rotate(-1.5deg);
        box-shadow: var(--t-shadow-lg);
        border-color: var(--t-primary);
      }
      :host([marked]) {
        border-left: 4px solid #d98e04;
      }
      :host([presented]) {
        border-color: var(--t-primary);
        box-shadow: 0 0 0 3px var(--t-primary), var(--t-shadow-lg);
      }
      :host([flash]) {
        animation: flash 1.4s ease-out;
      }
      @keyframes flash {
        0% {
          background: #fff1b8;
          border-color: #e2b400;
        }
        100% {
          background: var(--t-surface);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        :host([flash]) {
          animation: none;
          background: #fff7d6;
        }
      }
      .name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .customer {
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .row {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: var(--t-space-2);
        margin-top: var(--t-space-1);
        font-size: var(--t-font-size-sm);
      }
      .amount {
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      .owner,
      .date {
        color: var(--t-muted);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      :host([overdue]) .date {
        color: var(--t-danger);
      }
      .reason {
        margin-top: var(--t-space-1);
        font-size: var(--t-font-size-sm);
        color: var(--t-danger);
        overflow-wrap: anywhere;
      }
    `,
  ];
  declare card: CardView;
  declare customer: string;
  declare owner: string;
  declare flash: boolean;
  declare marked: boolean;
  declare presented: boolean;
  declare lifted: boolean;
  declare overdue: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.customer = '';
    this.owner = '';
    this.flash = false;
    this.marked = false;
    this.presented = false;
    this.lifted = false;
    this.overdue = false;
    this.tabIndex = 0;
    this.draggable = true;
    this.addEventListener('dragstart', this.onDragStart);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('role', 'listitem');
    this.setAttribute('aria-roledescription', msg('opportunity card', { id: 'board.card.role' }));
  }

  private onDragStart = (e: DragEvent) => {
    if (!e.dataTransfer) return;
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData(CARD_DRAG_TYPE, this.card.id);
    e.dataTransfer.setData('text/plain', this.card.name);
  };

  protected override willUpdate(): void {
    const c = this.card;
    if (!c) return;
    this.dataset.cardId = c.id;
    const locale = currentLocale();
    const amount = formatMoney(c.amount, c.currency, locale);
    const owner = this.owner || msg('unassigned', { id: 'board.card.unassigned' });
    this.setAttribute('aria-label', msg(str`${c.name}, ${amount}, ${owner}`, { id: 'board.card.label' }));
  }

  override render() {
    const c = this.card;
    if (!c) return nothing;
    const locale = currentLocale();
    return html`<div class="name">${c.name}</div>
      ${this.customer ? html`<div class="customer">${this.customer}</div>` : nothing}
      <div class="row">
        <span class="amount">${formatMoney(c.amount, c.currency, locale)}</span>
        <span class="date">${c.expectedCloseDate ? formatDate(c.expectedCloseDate, locale) : ''}</span>
      </div>
      <div class="row"><span class="owner">${this.owner || msg('Unassigned', { id: 'board.card.noOwner' })}</span></div>
      ${c.lostReason ? html`<div class="reason">${c.lostReason}</div>` : nothing}`;
  }
}

customElements.define('tandem-board-card', TandemBoardCard);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-board-card': TandemBoardCard;
  }
}
