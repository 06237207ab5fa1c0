/** Writing a quote: title, line items (description, quantity, unit price, discount), tax, validity date, with live totals. */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { isValidAmount } from '../../../schema/wire/board.ts';
import { QUOTE_ITEMS_MAX, QUOTE_TEXT_MAX } from '../../../schema/wire/opportunity.ts';
import { createQuote } from '../api/opportunities.ts';
import { currentLocale } from '../app/localization.ts';
import { errorMessage } from '../ui/error-message.ts';
import { icons } from '../ui/icons.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { formatMoney } from './board-format.ts';
import { lineTotal, type QuoteLine, quoteTotals } from './quote-totals.ts';
import { SubmissionKey } from '../api/idempotency.ts';

const emptyLine = (): QuoteLine => ({ description: '', quantity: 1, unitPrice: 0, discountPercent: 0 });

export class TandemQuoteForm extends LitElement {
  /** One Idempotency-Key per submission: a double click or a retry creates one record. */
  private readonly submission = new SubmissionKey();
  static override properties = {
    opportunityId: { type: String },
    currency: { type: String },
    lines: { state: true },
    taxPercent: { state: true },
    error: { state: true },
    busy: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      :host {
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius-sm);
        padding: var(--t-space-3);
        margin-top: var(--t-space-2);
      }
      .line {
        display: grid;
        grid-template-columns: 1fr 4.5em 6em 4em auto;
        gap: var(--t-space-1);
        align-items: center;
      }
      .line input {
        padding: 0 var(--t-space-1);
      }
      .line button {
        padding: 0 var(--t-space-2);
      }
      .totals {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 2px var(--t-space-3);
        font-variant-numeric: tabular-nums;
      }
      .totals .total {
        font-weight: 650;
      }
      .head {
        font-size: var(--t-font-size-sm);
        color: var(--t-muted);
      }
    `,
  ];
  declare opportunityId: string;
  declare currency: string;
  declare lines: QuoteLine[];
  declare taxPercent: number;
  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.opportunityId = '';
    this.currency = 'CNY';
    this.lines = [emptyLine()];
    this.taxPercent = 0;
    this.error = '';
    this.busy = false;
  }

  private setLine(i: number, patch: Partial<QuoteLine>): void {
    this.lines = this.lines.map((l, j) => (j === i ? { ...l, ...patch } : l));
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const title = (this.renderRoot.querySelector<HTMLInputElement>('#q-title')?.value ?? '').trim();
    const items = this.lines.filter((l) => l.description.trim());
    if (!title) {
      this.error = msg('Give the quote a title.', { id: 'opp.quote.titleRequired' });
      return;
    }
    if (items.some((l) => !(l.quantity > 0) || !isValidAmount(l.unitPrice) || l.discountPercent < 0 || l.discountPercent > 100)) {
      this.error = msg('Each line needs a quantity above 0, a price of 0 or more and a discount from 0 to 100.', { id: 'opp.quote.lineInvalid' });
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const validUntil = this.renderRoot.querySelector<HTMLInputElement>('#q-valid')?.value ?? '';
      const body = {
        title,
        currency: this.currency,
        taxPercent: this.taxPercent,
        validUntil: validUntil || null,
        items: items.map((l) => ({ ...l, description: l.description.trim() })),
      };
      const quote = await createQuote(this.opportunityId, body, { idempotencyKey: this.submission.for(body) });
      this.submission.settled();
      this.dispatchEvent(new CustomEvent('saved', { detail: quote }));
    } catch (err) {
      this.submission.settled(err);
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const locale = currentLocale();
    const totals = quoteTotals(this.lines, this.taxPercent);
    const money = (n: number) => formatMoney(n, this.currency, locale);
    return html`<form @submit=${this.submit} novalidate>
      ${this.error ? html`<tandem-alert kind="error">${this.error}</tandem-alert>` : nothing}
      <div class="field">
        <label for="q-title">${msg('Quote title', { id: 'opp.quote.title' })}</label>
        <input id="q-title" maxlength=${QUOTE_TEXT_MAX} required autofocus />
      </div>
      <div class="line head" aria-hidden="true">
        <span>${msg('Item', { id: 'opp.quote.item' })}</span><span>${msg('Qty', { id: 'opp.quote.qty' })}</span><span
          >${msg('Unit price', { id: 'opp.quote.price' })}</span
        ><span>${msg('Disc. %', { id: 'opp.quote.discount' })}</span><span></span>
      </div>
      ${this.lines.map(
        (l, i) => html`<div class="line">
          <input aria-label=${msg('Item', { id: 'opp.quote.item' })} maxlength=${QUOTE_TEXT_MAX} .value=${l.description} @input=${(e: Event) => this.setLine(i, { description: (e.target as HTMLInputElement).value })} />
          <input aria-label=${msg('Qty', { id: 'opp.quote.qty' })} type="number" min="0" step="any" .value=${String(l.quantity)} @input=${(e: Event) => this.setLine(i, { quantity: Number((e.target as HTMLInputElement).value) })} />
          <input aria-label=${msg('Unit price', { id: 'opp.quote.price' })} type="number" min="0" step="0.01" .value=${String(l.unitPrice)} @input=${(e: Event) => this.setLine(i, { unitPrice: Number((e.target as HTMLInputElement).value) })} />
          <input aria-label=${msg('Disc. %', { id: 'opp.quote.discount' })} type="number" min="0" max="100" .value=${String(l.discountPercent)} @input=${(e: Event) => this.setLine(i, { discountPercent: Number((e.target as HTMLInputElement).value) })} />
          <button type="button" aria-label=${msg('Remove line', { id: 'opp.quote.removeLine' })} ?disabled=${this.lines.length === 1} @click=${() => (this.lines = this.lines.filter((_, j) => j !== i))}>
            ${icons.close}
          </button>
          <span class="visually-hidden">${money(lineTotal(l))}</span>
        </div>`,
      )}
      <div class="actions">
        <button type="button" ?disabled=${this.lines.length >= QUOTE_ITEMS_MAX} @click=${() => (this.lines = [...this.lines, emptyLine()])}>
          ${icons.plus}${msg('Add line', { id: 'opp.quote.addLine' })}
        </button>
        <label for="q-tax">${msg('Tax %', { id: 'opp.quote.tax' })}</label>
        <input id="q-tax" type="number" min="0" max="100" style="width: 5em" .value=${String(this.taxPercent)} @input=${(e: Event) => (this.taxPercent = Number((e.target as HTMLInputElement).value))} />
      </div>
      <div class="field">
        <label for="q-valid">${msg('Valid until', { id: 'quote.validUntil' })}</label>
        <input id="q-valid" type="date" />
      </div>
      <div class="totals" aria-live="polite">
        <span>${msg('Subtotal', { id: 'opp.quote.subtotal' })}</span><span>${money(totals.subtotal)}</span>
        <span>${msg('Tax', { id: 'opp.quote.taxAmount' })}</span><span>${money(totals.tax)}</span>
        <span class="total">${msg('Total', { id: 'opp.quote.total' })}</span><span class="total" data-testid="quote-total">${money(totals.total)}</span>
      </div>
      <div class="actions end">
        <button type="button" @click=${() => this.dispatchEvent(new Event('cancel'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
        <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Save quote', { id: 'opp.quote.save' })}</button>
      </div>
    </form>`;
  }
}

customElements.define('tandem-quote-form', TandemQuoteForm);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-quote-form': TandemQuoteForm;
  }
}
