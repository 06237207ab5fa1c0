/**
 * "Orders and contracts" (已成交的订单与合同) on the customer 360° page: the customer's orders
 * and contracts, each with its status, value, dates and a link to its opportunity. A
 * `deal:changed` event about this customer refetches both lists, so a teammate's new order
 * or contract shows without a reload. The page mounts it as one of its cards (`class="card"`);
 * it brings its own heading.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { ContractDto } from '../../../schema/wire/contracts.ts';
import type { OrderDto } from '../../../schema/wire/opportunity.ts';
import { customerContracts, customerOrders } from '../api/contracts.ts';
import { currentLocale } from '../app/localization.ts';
import { contractStatusLabel, dealBadge, orderStatusLabel } from '../contracts/deal-labels.ts';
import { formatDate, formatMoney } from '../pipeline/board-format.ts';
import { SocketController } from '../realtime/socket-controller.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';

type Load = { kind: 'loading' } | { kind: 'failed'; error: unknown } | { kind: 'ready'; orders: OrderDto[]; contracts: ContractDto[] };

export class TandemCustomerDeals extends LitElement {
  static override properties = {
    customerId: { type: String, attribute: 'customer-id' },
    load: { state: true },
  };
  static override styles = [
    base,
    buttons,
    badges,
    css`
      :host {
        display: grid;
        gap: var(--t-space-3);
      }
      h3 {
        margin: 0;
      }
      h4 {
        font-size: var(--t-font-size);
        margin: 0 0 var(--t-space-2);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--t-space-2);
      }
      li {
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius-sm);
        padding: var(--t-space-2) var(--t-space-3);
        display: grid;
        gap: 2px;
      }
      .top {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: var(--t-space-2);
        flex-wrap: wrap;
      }
      .muted {
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
        margin: 0;
      }
      .value {
        font-variant-numeric: tabular-nums;
        font-weight: 600;
      }
    `,
  ];
  declare customerId: string;
  declare load: Load;
  private loadSeq = 0;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.customerId = '';
    this.load = { kind: 'loading' };
    new SocketController(this, {
      on: {
        'deal:changed': (e) => {
          if (e.customerId === this.customerId && e.kind !== 'quote') void this.reload();
        },
      },
      onConnect: (_socket, reconnected) => {
        if (reconnected) void this.reload();
      },
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId') && this.customerId) void this.reload();
  }

  async reload(): Promise<void> {
    const seq = ++this.loadSeq;
    try {
      const [orders, contracts] = await Promise.all([customerOrders(this.customerId), customerContracts(this.customerId)]);
      if (seq === this.loadSeq) this.load = { kind: 'ready', orders, contracts };
    } catch (error) {
      if (seq === this.loadSeq) this.load = { kind: 'failed', error };
    }
  }

  private renderOrders(orders: OrderDto[], locale: string) {
    return html`<section aria-labelledby="deals-orders-h">
      <h4 id="deals-orders-h">${msg('Orders', { id: 'deals.orders' })}</h4>
      ${orders.length === 0
        ? html`<p class="muted">${msg('No orders yet.', { id: 'deals.ordersEmpty' })}</p>`
        : html`<ul data-testid="deal-orders">
            ${orders.map(
              (o) => html`<li>
                <div class="top">
                  <a href="/opportunities/${o.opportunityId}">${o.contractNumber}</a>
                  <span class="badge ${dealBadge(o.status)}">${orderStatusLabel(o.status)}</span>
                </div>
                <div class="top">
                  <span class="value">${formatMoney(o.amount, o.currency, locale)}</span>
                  <span class="muted">${msg(str`signed ${formatDate(o.signedOn, locale)}`, { id: 'deals.signed' })}</span>
                </div>
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  private renderContracts(contracts: ContractDto[], locale: string) {
    return html`<section aria-labelledby="deals-contracts-h">
      <h4 id="deals-contracts-h">${msg('Contracts', { id: 'deals.contracts' })}</h4>
      ${contracts.length === 0
        ? html`<p class="muted">${msg('No contracts yet.', { id: 'deals.contractsEmpty' })}</p>`
        : html`<ul data-testid="deal-contracts">
            ${contracts.map(
              (k) => html`<li>
                <div class="top">
                  <a href="/opportunities/${k.opportunityId}">${k.number}</a>
                  <span class="badge ${dealBadge(k.status)}">${contractStatusLabel(k.status)}</span>
                </div>
                <div class="top">
                  <span class="value">${formatMoney(k.value, k.currency, locale)}</span>
                  <span class="muted">${msg(str`${formatDate(k.startsAt, locale)} to ${formatDate(k.endsAt, locale)}`, { id: 'contract.termRange' })}</span>
                </div>
                ${k.renewalRemindAt
                  ? html`<p class="muted">${msg(str`Renewal reminder ${formatDate(k.renewalRemindAt.slice(0, 10), locale)}`, { id: 'deals.renewal' })}</p>`
                  : nothing}
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  override render() {
    return html`<h3 id="deals-h">${msg('Orders and contracts', { id: 'deals.heading' })}</h3>
      ${this.renderBody()}`;
  }

  private renderBody() {
    const load = this.load;
    const locale = currentLocale();
    switch (load.kind) {
      case 'loading':
        return html`<p class="muted">${msg('Loading…', { id: 'common.loading' })}</p>`;
      case 'failed':
        return html`<tandem-alert kind="error">${errorMessage(load.error)}</tandem-alert>
          <div><button type="button" @click=${() => this.reload()}>${msg('Try again', { id: 'common.retry' })}</button></div>`;
      case 'ready':
        return html`${this.renderOrders(load.orders, locale)} ${this.renderContracts(load.contracts, locale)}`;
      default:
        return load satisfies never;
    }
  }
}

customElements.define('tandem-customer-deals', TandemCustomerDeals);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-deals': TandemCustomerDeals;
  }
}
