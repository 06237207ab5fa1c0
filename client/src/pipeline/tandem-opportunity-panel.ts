/**
 * The details panel of one opportunity beside the board: its fields (edited
 * through the board document, so every open board sees them at once), its
 * stage history, its quotes (each with a printable page), the order made from
 * an accepted quote, and — in the contract stage or once won — its contract
 * with the contract's files. The owner can
 * be changed by managers and admins only; reps see it as text. A change the
 * server refused is explained under its field (`refusals`; the value itself
 * returns through the document); dismissing it fires `refusal-dismiss`.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type * as Y from 'yjs';
import { BOARD_CARD_CUSTOM_PREFIX, isValidAmount, OPPORTUNITY_NAME_MAX } from '../../../schema/wire/board.ts';
import type { ContractDto } from '../../../schema/wire/contracts.ts';
import { canChangeOrderStatus, ORDER_STATUSES, type OrderDto, type OrderStatus, type QuoteDto, type StageHistoryDto } from '../../../schema/wire/opportunity.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { findOpportunityContract, updateOrder } from '../api/contracts.ts';
import { findOrder, getOpportunity, listQuotes, updateQuote } from '../api/opportunities.ts';
import { currentLocale } from '../app/localization.ts';
import type { DocRefusal } from '../realtime/doc-controller.ts';
import { refusalText } from '../realtime/doc-messages.ts';
import { errorMessage } from '../ui/error-message.ts';
import { icons } from '../ui/icons.ts';
import { badges, base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-loading.ts';
import { formatDate, formatMoney } from './board-format.ts';
import { type CardView, type StageView, stageName } from './board-model.ts';
import { CURRENCIES } from './tandem-opportunity-dialog.ts';
import './tandem-order-form.ts';
import './tandem-quote-form.ts';
import '../attachments/tandem-attachments.ts';
import '../contracts/tandem-contract-form.ts';
import '../contracts/tandem-contract-view.ts';
import { dealBadge, orderStatusLabel } from '../contracts/deal-labels.ts';
import '../custom-fields/tandem-custom-fields-section.ts';

/** The card fields this panel shows, so that their refusals are explained here. */
export const PANEL_FIELDS: ReadonlySet<string> = new Set(['name', 'amount', 'currency', 'stageId', 'expectedCloseDate', 'ownerId', 'lostReason']);

/** Whether the panel explains a refusal of `field`: its built-in fields and the custom ones (`custom.<key>`). */
export const isPanelField = (field: string): boolean => PANEL_FIELDS.has(field) || field.startsWith(BOARD_CARD_CUSTOM_PREFIX);

type Extras =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; quotes: QuoteDto[]; order: OrderDto | null; contract: ContractDto | null; history: StageHistoryDto[] };

/**
 * Where a contract is recorded: a won stage, or the contract-signing stage (合同签订) — by its
 * name in the default pipeline, else the last open stage of a configured one.
 */
export function isContractStage(stage: StageView | undefined, stages: readonly StageView[]): boolean {
  if (!stage || stage.kind === 'lost') return false;
  if (stage.kind === 'won' || stage.nameZh === '合同签订') return true;
  const open = stages.filter((s) => s.kind === 'open');
  return open.length > 0 && open.reduce((a, b) => (b.position > a.position ? b : a)).id === stage.id;
}

export class TandemOpportunityPanel extends LitElement {
  static override properties = {
    opportunityId: { type: String },
    card: { attribute: false },
    cardMap: { attribute: false },
    stages: { attribute: false },
    users: { attribute: false },
    customerName: { type: String },
    canAssign: { type: Boolean },
    readonly: { type: Boolean },
    refusals: { attribute: false },
    extras: { state: true },
    fieldError: { state: true },
    quoting: { state: true },
    ordering: { state: true },
    contracting: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    badges,
    css`
      :host {
        display: flex;
        flex-direction: column;
        background: var(--t-surface);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius);
        box-shadow: var(--t-shadow);
        overflow: hidden;
      }
      header {
        display: flex;
        justify-content: space-between;
        align-items: start;
        gap: var(--t-space-2);
        padding: var(--t-space-3) var(--t-space-4);
        border-bottom: 1px solid var(--t-border);
      }
      header h2 {
        overflow-wrap: anywhere;
      }
      button.close {
        border: none;
        padding: 0;
        width: var(--t-control-height);
        color: var(--t-muted);
      }
      .body {
        overflow-y: auto;
        padding: var(--t-space-4);
        display: grid;
        gap: var(--t-space-5);
        align-content: start;
      }
      .grid {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--t-space-3);
      }
      h3 {
        font-size: var(--t-font-size);
        margin-bottom: var(--t-space-2);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--t-space-2);
      }
      .quote {
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius-sm);
        padding: var(--t-space-2) var(--t-space-3);
        display: grid;
        gap: 2px;
      }
      .quote .top {
        display: flex;
        justify-content: space-between;
        gap: var(--t-space-2);
      }
      .muted {
        font-size: var(--t-font-size-sm);
      }
      .history li {
        font-size: var(--t-font-size-sm);
      }
      .value {
        padding: var(--t-space-2) 0;
      }
    `,
  ];
  declare opportunityId: string;
  declare card: CardView;
  /** The card in the board document: its custom values (`custom.<key>`) are edited there directly. */
  declare cardMap: Y.Map<unknown> | null;
  declare stages: StageView[];
  declare users: UserDto[];
  declare customerName: string;
  declare canAssign: boolean;
  declare readonly: boolean;
  /** The opportunity's team, from its details (for the attachments' archive rule). */
  private teamId = '';
  declare refusals: readonly DocRefusal[];
  declare extras: Extras;
  declare fieldError: string;
  declare quoting: boolean;
  declare ordering: boolean;
  declare contracting: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.opportunityId = '';
    this.cardMap = null;
    this.stages = [];
    this.users = [];
    this.customerName = '';
    this.canAssign = false;
    this.readonly = false;
    this.refusals = [];
    this.extras = { kind: 'loading' };
    this.fieldError = '';
    this.quoting = false;
    this.ordering = false;
    this.contracting = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('opportunityId')) {
      this.quoting = false;
      this.ordering = false;
      this.contracting = false;
      this.fieldError = '';
      void this.loadExtras();
    } else if (changed.has('card')) {
      const before = changed.get('card') as CardView | undefined;
      if (before && before.stageId !== this.card.stageId) void this.loadExtras();
    }
  }

  protected override updated(): void {
    // `selected` attributes no longer move a select the user has changed: a value that comes
    // back through the document (a peer's edit, or the server undoing a refused change) is set here.
    const c = this.card;
    if (!c) return;
    const want: Record<string, string> = { currency: c.currency ?? 'CNY', stageId: c.stageId, ownerId: c.ownerId ?? '' };
    for (const select of this.renderRoot.querySelectorAll('select')) {
      const value = want[select.name];
      if (value !== undefined && select.value !== value) select.value = value;
    }
  }

  /** Why the server refused our last change of `field`, under it. */
  private refusal(field: string) {
    const r = [...this.refusals].reverse().find((x) => x.field === field);
    if (!r) return nothing;
    return html`<p class="field-error" role="alert" id="p-${field}-refusal">
      ${refusalText(r)}
      <button type="button" class="link" @click=${() => this.dispatchEvent(new CustomEvent('refusal-dismiss', { detail: field }))}>
        ${msg('Dismiss', { id: 'common.dismiss' })}
      </button>
    </p>`;
  }

  private async loadExtras(): Promise<void> {
    const id = this.opportunityId;
    this.extras = { kind: 'loading' };
    try {
      const [detail, quotes, order, contract] = await Promise.all([getOpportunity(id), listQuotes(id), findOrder(id), findOpportunityContract(id)]);
      // The attachments section asks the policy with the opportunity's team (set before the render below).
      if (id === this.opportunityId) this.teamId = detail.opportunity.teamId;
      if (id === this.opportunityId) this.extras = { kind: 'ready', quotes, order, contract, history: detail.stageHistory };
    } catch (e) {
      if (id === this.opportunityId) this.extras = { kind: 'failed', message: errorMessage(e) };
    }
  }

  private edit(patch: Record<string, unknown>): void {
    this.dispatchEvent(new CustomEvent('card-edit', { detail: { id: this.opportunityId, patch } }));
  }

  private onChange(e: Event): void {
    const input = e.target as HTMLInputElement | HTMLSelectElement;
    const v = input.value.trim();
    this.fieldError = '';
    switch (input.name) {
      case 'name':
        if (!v || v.length > OPPORTUNITY_NAME_MAX) {
          this.fieldError = msg('Enter a name for the deal.', { id: 'opp.form.nameRequired' });
          return;
        }
        this.edit({ name: v });
        return;
      case 'amount': {
        const n = Number(v);
        if (v === '' || !isValidAmount(n)) {
          this.fieldError = msg('Enter an amount of 0 or more, with at most two decimals.', { id: 'opp.form.amountInvalid' });
          return;
        }
        this.edit({ amount: n });
        return;
      }
      case 'currency':
        this.edit({ currency: v });
        return;
      case 'expectedCloseDate':
        this.edit({ expectedCloseDate: v || null });
        return;
      case 'ownerId':
        this.edit({ ownerId: v || null });
        return;
      case 'stageId':
        this.dispatchEvent(new CustomEvent('card-move', { detail: { id: this.opportunityId, stageId: v } }));
        return;
      default:
        return;
    }
  }

  private async setQuoteStatus(q: QuoteDto, status: QuoteDto['status']): Promise<void> {
    try {
      const updated = await updateQuote(this.opportunityId, q.id, { status });
      if (this.extras.kind === 'ready') {
        this.extras = { ...this.extras, quotes: this.extras.quotes.map((x) => (x.id === updated.id ? updated : x)) };
      }
    } catch (e) {
      this.fieldError = errorMessage(e);
    }
  }

  private async setOrderStatus(e: Event): Promise<void> {
    const select = e.target as HTMLSelectElement;
    if (this.extras.kind !== 'ready' || !this.extras.order || select.value === this.extras.order.status) return;
    try {
      const order = await updateOrder(this.opportunityId, { status: select.value as OrderStatus });
      if (this.extras.kind === 'ready') this.extras = { ...this.extras, order };
    } catch (err) {
      select.value = this.extras.kind === 'ready' ? (this.extras.order?.status ?? '') : '';
      this.fieldError = errorMessage(err);
    }
  }

  private stageLabel(id: string | null): string {
    if (!id) return '—';
    const s = this.stages.find((x) => x.id === id);
    return s ? stageName(s, currentLocale()) : msg('(removed stage)', { id: 'opp.panel.removedStage' });
  }

  override render() {
    const c = this.card;
    if (!c) return nothing;
    const locale = currentLocale();
    const stage = this.stages.find((s) => s.id === c.stageId);
    const ro = this.readonly;
    const owner = this.users.find((u) => u.id === c.ownerId);
    return html`<header>
        <div>
          <h2>${c.name}</h2>
          <div class="muted">${this.customerName}</div>
        </div>
        <button class="close" type="button" aria-label=${msg('Close details', { id: 'opp.panel.close' })} @click=${() => this.dispatchEvent(new Event('close'))}>
          ${icons.close}
        </button>
      </header>
      <div class="body" role="region" aria-label=${msg('Opportunity details', { id: 'opp.panel.label' })}>
        ${this.fieldError ? html`<tandem-alert kind="error">${this.fieldError}</tandem-alert>` : nothing}
        <form @change=${this.onChange} @submit=${(e: Event) => e.preventDefault()}>
          <div class="field">
            <label for="p-name">${msg('Deal name', { id: 'opp.form.name' })}</label>
            <input id="p-name" name="name" .value=${c.name} maxlength=${OPPORTUNITY_NAME_MAX} ?disabled=${ro} />
            ${this.refusal('name')}
          </div>
          <div class="grid">
            <div class="field">
              <label for="p-amount">${msg('Amount', { id: 'opp.form.amount' })}</label>
              <input id="p-amount" name="amount" type="number" min="0" step="0.01" .value=${String(c.amount)} ?disabled=${ro} />
              ${this.refusal('amount')}
            </div>
            <div class="field">
              <label for="p-currency">${msg('Currency', { id: 'opp.form.currency' })}</label>
              <select id="p-currency" name="currency" ?disabled=${ro}>
                ${[...new Set([c.currency ?? 'CNY', ...CURRENCIES])].map(
                  (x) => html`<option value=${x} ?selected=${x === (c.currency ?? 'CNY')}>${x}</option>`,
                )}
              </select>
              ${this.refusal('currency')}
            </div>
          </div>
          <div class="grid">
            <div class="field">
              <label for="p-stage">${msg('Stage', { id: 'opp.form.stage' })}</label>
              <select id="p-stage" name="stageId" ?disabled=${ro}>
                ${this.stages.map((s) => html`<option value=${s.id} ?selected=${s.id === c.stageId}>${stageName(s, locale)}</option>`)}
              </select>
              ${this.refusal('stageId')}
            </div>
            <div class="field">
              <label for="p-close">${msg('Expected close', { id: 'opp.form.close' })}</label>
              <input id="p-close" name="expectedCloseDate" type="date" .value=${c.expectedCloseDate ?? ''} ?disabled=${ro} />
              ${this.refusal('expectedCloseDate')}
            </div>
          </div>
          ${this.canAssign
            ? html`<div class="field">
                <label for="p-owner">${msg('Owner', { id: 'board.filter.owner' })}</label>
                <select id="p-owner" name="ownerId" ?disabled=${ro}>
                  <option value="" ?selected=${c.ownerId === null}>${msg('Unassigned', { id: 'board.card.noOwner' })}</option>
                  ${this.users
                    .filter((u) => u.active || u.id === c.ownerId)
                    .map((u) => html`<option value=${u.id} ?selected=${u.id === c.ownerId}>${u.name}</option>`)}
                </select>
                ${this.refusal('ownerId')}
              </div>`
            : html`<div class="field">
                <span class="label">${msg('Owner', { id: 'board.filter.owner' })}</span>
                <span class="value" data-testid="owner-text">${owner?.name ?? msg('Unassigned', { id: 'board.card.noOwner' })}</span>
                ${this.refusal('ownerId')}
              </div>`}
          ${stage?.kind === 'lost' && c.lostReason
            ? html`<div class="field">
                <span class="label">${msg('Reason', { id: 'board.lost.reason' })}</span>
                <span class="value">${c.lostReason}</span>
              </div>`
            : nothing}
          ${this.refusal('lostReason')}
        </form>
        <tandem-custom-fields-section
          entity="opportunity"
          prefix=${BOARD_CARD_CUSTOM_PREFIX}
          .map=${this.cardMap}
          .teamId=${this.teamId}
          .users=${this.users}
          .refusals=${this.refusals}
          ?readonly=${ro}
        ></tandem-custom-fields-section>
        ${this.renderExtras(stage)}
        ${this.renderAttachments(ro)}
      </div>`;
  }

  private renderAttachments(readonly: boolean) {
    return html`<section aria-labelledby="attachments-h">
      <h3 id="attachments-h">${msg('Attachments', { id: 'attachments.heading' })}</h3>
      <tandem-attachments parent-type="opportunity" parent-id=${this.opportunityId} team-id=${this.teamId} ?readonly=${readonly}></tandem-attachments>
    </section>`;
  }

  private renderExtras(stage: StageView | undefined) {
    const x = this.extras;
    switch (x.kind) {
      case 'loading':
        return html`<tandem-loading></tandem-loading>`;
      case 'failed':
        return html`<tandem-alert kind="error">${x.message}</tandem-alert>`;
      case 'ready':
        return html`${this.renderQuotes(x.quotes)} ${this.renderOrder(x.order, x.quotes)} ${this.renderContract(x.contract, stage)}
        ${this.renderHistory(x.history)}`;
      default:
        return x satisfies never;
    }
  }

  private renderQuotes(quotes: QuoteDto[]) {
    const locale = currentLocale();
    return html`<section aria-labelledby="quotes-h">
      <h3 id="quotes-h">${msg('Quotes', { id: 'opp.quotes' })}</h3>
      ${quotes.length === 0 ? html`<p class="muted">${msg('No quotes yet.', { id: 'opp.quotes.none' })}</p>` : nothing}
      <ul>
        ${quotes.map(
          (q) => html`<li class="quote">
            <div class="top"><strong>${q.title}</strong><span class="badge ${q.status === 'accepted' ? 'success' : q.status === 'rejected' ? 'danger' : ''}">${quoteStatusLabel(q.status)}</span></div>
            <div class="muted">
              ${msg(str`${q.items.length} items · total ${formatMoney(q.total, q.currency, locale)}`, { id: 'opp.quotes.summary' })}
              ${q.validUntil ? html` · ${msg(str`valid until ${formatDate(q.validUntil, locale)}`, { id: 'quote.validUntilShort' })}` : nothing}
            </div>
            <div class="actions">
              <a href="/quotes/${q.id}/print" target="_blank" rel="noopener">${msg('Printable quote', { id: 'quote.print.open' })}</a>
            </div>
            ${!this.readonly && (q.status === 'draft' || q.status === 'sent')
              ? html`<div class="actions">
                  ${q.status === 'draft'
                    ? html`<button class="link" type="button" @click=${() => this.setQuoteStatus(q, 'sent')}>${msg('Mark sent', { id: 'opp.quotes.markSent' })}</button>`
                    : nothing}
                  <button class="link" type="button" @click=${() => this.setQuoteStatus(q, 'accepted')}>${msg('Accepted', { id: 'opp.quotes.accepted' })}</button>
                  <button class="link" type="button" @click=${() => this.setQuoteStatus(q, 'rejected')}>${msg('Rejected', { id: 'opp.quotes.rejected' })}</button>
                </div>`
              : nothing}
          </li>`,
        )}
      </ul>
      ${this.readonly
        ? nothing
        : this.quoting
          ? html`<tandem-quote-form
              .opportunityId=${this.opportunityId}
              .currency=${this.card.currency ?? 'CNY'}
              @saved=${(e: CustomEvent<QuoteDto>) => {
                this.quoting = false;
                if (this.extras.kind === 'ready') this.extras = { ...this.extras, quotes: [e.detail, ...this.extras.quotes] };
              }}
              @cancel=${() => (this.quoting = false)}
            ></tandem-quote-form>`
          : html`<button type="button" @click=${() => (this.quoting = true)}>${icons.plus}${msg('New quote', { id: 'opp.quotes.new' })}</button>`}
    </section>`;
  }

  private renderOrder(order: OrderDto | null, quotes: QuoteDto[]) {
    const locale = currentLocale();
    const accepted = quotes.filter((q) => q.status === 'accepted');
    if (order) {
      const next = ORDER_STATUSES.filter((st) => canChangeOrderStatus(order.status, st));
      return html`<section aria-labelledby="order-h">
        <h3 id="order-h">${msg('Order', { id: 'order.heading' })}</h3>
        <div class="quote">
          <div class="top">
            <strong>${order.contractNumber}</strong>
            ${this.readonly || next.length <= 1
              ? html`<span class="badge ${dealBadge(order.status)}">${orderStatusLabel(order.status)}</span>`
              : html`<label class="visually-hidden" for="p-order-status">${msg('Order status', { id: 'order.statusLabel' })}</label>
                  <select id="p-order-status" style="width: auto" @change=${this.setOrderStatus}>
                    ${next.map((st) => html`<option value=${st} ?selected=${st === order.status}>${orderStatusLabel(st)}</option>`)}
                  </select>`}
          </div>
          <div class="muted">
            ${msg(str`${formatMoney(order.amount, order.currency, locale)}, signed ${formatDate(order.signedOn, locale)}`, { id: 'opp.order.summary' })}
          </div>
        </div>
      </section>`;
    }
    if (accepted.length === 0) return nothing;
    return html`<section aria-labelledby="order-h">
      <h3 id="order-h">${msg('Order', { id: 'order.heading' })}</h3>
      ${this.readonly
        ? html`<p class="muted">${msg('No order recorded yet.', { id: 'opp.order.none' })}</p>`
        : this.ordering
          ? html`<tandem-order-form
              .opportunityId=${this.opportunityId}
              .quotes=${accepted}
              @saved=${(e: CustomEvent<OrderDto>) => {
                this.ordering = false;
                if (this.extras.kind === 'ready') this.extras = { ...this.extras, order: e.detail };
              }}
              @cancel=${() => (this.ordering = false)}
            ></tandem-order-form>`
          : html`<button type="button" @click=${() => (this.ordering = true)}>${icons.plus}${msg('Record the order', { id: 'opp.order.new' })}</button>`}
    </section>`;
  }

  private renderContract(contract: ContractDto | null, stage: StageView | undefined) {
    if (!contract && !isContractStage(stage, this.stages)) return nothing;
    const body = contract
      ? html`<tandem-contract-view
          .contract=${contract}
          ?readonly=${this.readonly}
          @changed=${(e: CustomEvent<ContractDto>) => {
            if (this.extras.kind === 'ready') this.extras = { ...this.extras, contract: e.detail };
          }}
        ></tandem-contract-view>`
      : this.readonly
        ? html`<p class="muted">${msg('No contract recorded yet.', { id: 'contract.none' })}</p>`
        : this.contracting
          ? html`<tandem-contract-form
              .opportunityId=${this.opportunityId}
              .currency=${this.card.currency ?? 'CNY'}
              .value=${this.extras.kind === 'ready' && this.extras.order ? this.extras.order.amount : this.card.amount}
              @saved=${(e: CustomEvent<ContractDto>) => {
                this.contracting = false;
                if (this.extras.kind === 'ready') this.extras = { ...this.extras, contract: e.detail };
              }}
              @cancel=${() => (this.contracting = false)}
            ></tandem-contract-form>`
          : html`<button type="button" @click=${() => (this.contracting = true)}>${icons.plus}${msg('Create contract', { id: 'contract.create' })}</button>`;
    return html`<section aria-labelledby="contract-h">
      <h3 id="contract-h">${msg('Contract', { id: 'contract.heading' })}</h3>
      ${body}
    </section>`;
  }

  private renderHistory(history: StageHistoryDto[]) {
    if (history.length === 0) return nothing;
    const locale = currentLocale();
    const who = (id: string | null) => this.users.find((u) => u.id === id)?.name ?? '';
    return html`<section aria-labelledby="history-h" class="history">
      <h3 id="history-h">${msg('Stage history', { id: 'opp.history' })}</h3>
      <ul>
        ${history.map(
          (h) => html`<li>
            ${formatDate(h.enteredAt.slice(0, 10), locale)} · ${this.stageLabel(h.fromStageId)} → ${this.stageLabel(h.toStageId)}
            ${who(h.movedBy) ? html`<span class="muted">(${who(h.movedBy)})</span>` : nothing}
          </li>`,
        )}
      </ul>
    </section>`;
  }
}

export function quoteStatusLabel(s: QuoteDto['status']): string {
  switch (s) {
    case 'draft':
      return msg('Draft', { id: 'opp.quote.draft' });
    case 'sent':
      return msg('Sent', { id: 'opp.quote.sent' });
    case 'accepted':
      return msg('Accepted', { id: 'opp.quotes.accepted' });
    case 'rejected':
      return msg('Rejected', { id: 'opp.quotes.rejected' });
    default:
      return s satisfies never;
  }
}

customElements.define('tandem-opportunity-panel', TandemOpportunityPanel);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-opportunity-panel': TandemOpportunityPanel;
  }
}
