/**
 * A quote as a printable page (`/quotes/:id/print`): customer, deal, line items with discount,
 * subtotal, tax, total and validity date, laid out for paper — the print style sheet hides
 * the app around it and the print button.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { QuotePrintDto } from '../../../schema/wire/contracts.ts';
import { quoteForPrint } from '../api/contracts.ts';
import { currentLocale } from '../app/localization.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, tables } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-loading.ts';
import { formatDate, formatMoney } from './board-format.ts';
import { quoteStatusLabel } from './tandem-opportunity-panel.ts';

type Load = { kind: 'loading' } | { kind: 'failed'; error: unknown } | { kind: 'ready'; data: QuotePrintDto };

export class TandemQuotePrint extends LitElement {
  static override properties = {
    quoteId: { type: String, attribute: 'quote-id' },
    load: { state: true },
  };
  static override styles = [
    base,
    buttons,
    tables,
    css`
      :host {
        display: block;
      }
      article {
        background: var(--t-surface);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius);
        padding: var(--t-space-5);
        max-width: 52rem;
        display: grid;
        gap: var(--t-space-4);
      }
      .head {
        display: flex;
        justify-content: space-between;
        gap: var(--t-space-4);
        flex-wrap: wrap;
      }
      .head h2 {
        margin: 0;
        font-size: 1.4rem;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 2px var(--t-space-3);
        margin: 0;
      }
      dt {
        color: var(--t-muted);
      }
      dd {
        margin: 0;
      }
      .table-wrap {
        overflow-x: auto;
      }
      td.num,
      th.num {
        text-align: right;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .totals {
        justify-self: end;
        display: grid;
        grid-template-columns: auto auto;
        gap: 2px var(--t-space-4);
        font-variant-numeric: tabular-nums;
      }
      .totals .total {
        font-weight: 700;
        font-size: 1.1rem;
      }
      .notes {
        white-space: pre-wrap;
      }
      td:first-child {
        min-width: 10em;
      }
      .bar {
        display: flex;
        align-items: center;
        gap: var(--t-space-3);
        margin-bottom: var(--t-space-3);
      }
      @media print {
        .bar {
          display: none;
        }
        article {
          border: none;
          padding: 0;
          max-width: none;
        }
      }
    `,
  ];
  declare quoteId: string;
  declare load: Load;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.quoteId = '';
    this.load = { kind: 'loading' };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('quoteId') && this.quoteId) void this.fetch();
  }

  private async fetch(): Promise<void> {
    const id = this.quoteId;
    this.load = { kind: 'loading' };
    try {
      const data = await quoteForPrint(id);
      if (id === this.quoteId) this.load = { kind: 'ready', data };
    } catch (error) {
      if (id === this.quoteId) this.load = { kind: 'failed', error };
    }
  }

  override render() {
    const load = this.load;
    switch (load.kind) {
      case 'loading':
        return html`<tandem-loading></tandem-loading>`;
      case 'failed':
        return html`<tandem-alert kind="error">${errorMessage(load.error)}</tandem-alert>
          <button type="button" @click=${() => this.fetch()}>${msg('Try again', { id: 'common.retry' })}</button>`;
      case 'ready':
        return this.renderQuote(load.data);
      default:
        return load satisfies never;
    }
  }

  private renderQuote({ quote: q, customerName, opportunityName }: QuotePrintDto) {
    const locale = currentLocale();
    const money = (n: number) => formatMoney(n, q.currency, locale);
    return html`<div class="bar">
        <button class="primary" type="button" @click=${() => window.print()}>${msg('Print', { id: 'quote.print.print' })}</button>
        <a href="/opportunities/${q.opportunityId}">${msg('Back to the deal', { id: 'quote.print.back' })}</a>
      </div>
      <article aria-labelledby="quote-title">
        <div class="head">
          <div>
            <h2 id="quote-title">${q.title}</h2>
            <p>${msg(str`Quote for ${customerName}`, { id: 'quote.print.for' })}</p>
          </div>
          <dl>
            <dt>${msg('Deal', { id: 'quote.print.deal' })}</dt>
            <dd>${opportunityName}</dd>
            <dt>${msg('Date', { id: 'quote.print.date' })}</dt>
            <dd>${formatDate(q.createdAt.slice(0, 10), locale)}</dd>
            <dt>${msg('Valid until', { id: 'quote.validUntil' })}</dt>
            <dd data-testid="quote-valid">${q.validUntil ? formatDate(q.validUntil, locale) : '—'}</dd>
            <dt>${msg('Status', { id: 'quote.print.status' })}</dt>
            <dd>${quoteStatusLabel(q.status)}</dd>
          </dl>
        </div>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">${msg('Item', { id: 'opp.quote.item' })}</th>
                <th scope="col" class="num">${msg('Qty', { id: 'opp.quote.qty' })}</th>
                <th scope="col" class="num">${msg('Unit price', { id: 'opp.quote.price' })}</th>
                <th scope="col" class="num">${msg('Disc. %', { id: 'opp.quote.discount' })}</th>
                <th scope="col" class="num">${msg('Amount', { id: 'opp.form.amount' })}</th>
              </tr>
            </thead>
            <tbody>
              ${q.items.map(
                (i) => html`<tr>
                  <td>${i.description}</td>
                  <td class="num">${i.quantity}</td>
                  <td class="num">${money(i.unitPrice)}</td>
                  <td class="num">${i.discountPercent}</td>
                  <td class="num">${money(i.lineTotal)}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>
        <div class="totals">
          <span>${msg('Subtotal', { id: 'opp.quote.subtotal' })}</span><span>${money(q.subtotal)}</span>
          <span>${msg(str`Tax (${q.taxPercent}%)`, { id: 'quote.print.tax' })}</span><span>${money(q.tax)}</span>
          <span class="total">${msg('Total', { id: 'opp.quote.total' })}</span><span class="total" data-testid="print-total">${money(q.total)}</span>
        </div>
        ${q.notes ? html`<p class="notes">${q.notes}</p>` : nothing}
      </article>`;
  }
}

customElements.define('tandem-quote-print', TandemQuotePrint);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-quote-print': TandemQuotePrint;
  }
}
