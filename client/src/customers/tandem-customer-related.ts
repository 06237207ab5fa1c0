/**
 * The customer's opportunities and open tasks on the 360° page, each with its
 * own empty and error state. `kind` chooses which. Teammates' changes to them
 * (`opportunity:changed`, `task:changed` naming this customer) refetch the list.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { OpportunityDto } from '../../../schema/wire/opportunity.ts';
import type { TaskDto } from '../../../schema/wire/tasks.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { customerOpenTasks, customerOpportunities } from '../api/customers.ts';
import { LiveListController } from '../realtime/live-list-controller.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons, liveRows } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { formatDate, formatDateTime } from './customer-labels.ts';

type Related = { kind: 'opportunities'; items: OpportunityDto[] } | { kind: 'tasks'; items: TaskDto[] };

export class TandemCustomerRelated extends LitElement {
  static override properties = {
    kind: { type: String },
    customerId: { type: String },
    users: { attribute: false },
    data: { state: true },
    error: { state: true },
  };
  static override styles = [
    base,
    buttons,
    badges,
    liveRows,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--t-space-2);
      }
      li {
        display: flex;
        justify-content: space-between;
        gap: var(--t-space-3);
        padding: var(--t-space-2) 0;
        border-bottom: 1px solid var(--t-border);
      }
      .meta {
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
        white-space: nowrap;
      }
    `,
  ];
  declare kind: Related['kind'];
  declare customerId: string;
  declare users: readonly UserDto[];
  declare data: Related | null;
  declare error: unknown;
  private readonly live = new LiveListController(this, {
    events: ['opportunity:changed', 'task:changed'],
    accept: (e, event) => e.customerId === this.customerId && event === (this.kind === 'opportunities' ? 'opportunity:changed' : 'task:changed'),
    refresh: () => this.reload(),
  });

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.kind = 'opportunities';
    this.customerId = '';
    this.users = [];
    this.data = null;
    this.error = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('customerId') || changed.has('kind')) && this.customerId) void this.reload();
  }

  async reload(): Promise<void> {
    this.error = null;
    try {
      this.data =
        this.kind === 'tasks'
          ? { kind: 'tasks', items: await customerOpenTasks(this.customerId) }
          : { kind: 'opportunities', items: await customerOpportunities(this.customerId) };
    } catch (err) {
      this.error = err;
    }
  }

  private userName(id: string | null): string {
    return id ? (this.users.find((u) => u.id === id)?.name ?? '') : '';
  }

  private money(amount: number, currency: string): string {
    try {
      return new Intl.NumberFormat(document.documentElement.lang || undefined, { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
    } catch {
      return `${amount} ${currency}`;
    }
  }

  override render() {
    if (this.error) {
      return html`<tandem-alert>${errorMessage(this.error)}</tandem-alert>
        <button type="button" @click=${() => this.reload()}>${msg('Try again', { id: 'common.retry' })}</button>`;
    }
    const data = this.data;
    if (!data) return html`<p class="muted">${msg('Loading…', { id: 'common.loading' })}</p>`;
    switch (data.kind) {
      case 'opportunities':
        return data.items.length === 0
          ? html`<p class="muted">${msg('No opportunities yet. Create one from the pipeline once talks turn commercial.', { id: 'customer.noOpportunities' })}</p>`
          : html`<ul>
              ${data.items.map(
                (o) => html`<li class=${this.live.isFresh(o.id) ? 'changed' : ''}>
                  <span>${o.name} ${o.status !== 'open' ? html`<span class="badge ${o.status === 'won' ? 'success' : 'danger'}">${o.status === 'won' ? msg('Won', { id: 'customer.opportunityWon' }) : msg('Lost', { id: 'customer.opportunityLost' })}</span>` : nothing}</span>
                  <span class="meta">${this.money(o.amount, o.currency)}${o.expectedCloseDate ? ` · ${formatDate(o.expectedCloseDate)}` : ''}</span>
                </li>`,
              )}
            </ul>`;
      case 'tasks':
        return data.items.length === 0
          ? html`<p class="muted">${msg('No open tasks for this customer.', { id: 'customer.noTasks' })}</p>`
          : html`<ul>
              ${data.items.map(
                (t) => html`<li class=${this.live.isFresh(t.id) ? 'changed' : ''}>
                  <span>${t.title}</span>
                  <span class="meta">${this.userName(t.assigneeId)}${t.dueAt ? ` · ${formatDateTime(t.dueAt)}` : ''}</span>
                </li>`,
              )}
            </ul>`;
      default:
        return data satisfies never;
    }
  }
}

customElements.define('tandem-customer-related', TandemCustomerRelated);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-related': TandemCustomerRelated;
  }
}
