/**
 * A list of service records (the queue, a customer's section): title, status and type, the
 * customer, channel, assignee, due date and satisfaction. "Update" fires `edit-record` with
 * the record; the host opens the dialog.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { ServiceRecordDto } from '../../../schema/wire/service-records.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { badges, base, buttons } from '../ui/styles.ts';
import { channelLabel, isOverdue, statusBadge, statusLabel, typeLabel } from './service-labels.ts';

function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: 'medium' }).format(new Date(iso));
}

export class TandemServiceRecordList extends LitElement {
  static override properties = {
    records: { attribute: false },
    users: { attribute: false },
    showCustomer: { type: Boolean, attribute: 'show-customer' },
    readonly: { type: Boolean },
  };
  static override styles = [
    base,
    buttons,
    badges,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: var(--t-space-3);
        align-items: center;
        padding: var(--t-space-3) 0;
        border-bottom: 1px solid var(--t-border);
      }
      li:last-child {
        border-bottom: none;
      }
      .main {
        display: grid;
        gap: 4px;
        min-width: 0;
      }
      .title {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-1) var(--t-space-3);
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
      }
      .overdue {
        color: var(--t-danger);
        font-weight: 600;
      }
      .resolution {
        font-size: var(--t-font-size-sm);
        overflow-wrap: anywhere;
      }
      @media (max-width: 560px) {
        li {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];
  declare records: readonly ServiceRecordDto[];
  declare users: readonly UserDto[];
  declare showCustomer: boolean;
  declare readonly: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.records = [];
    this.users = [];
    this.showCustomer = false;
    this.readonly = false;
  }

  private userName(id: string | null): string {
    if (!id) return msg('Unassigned', { id: 'service.unassigned' });
    return this.users.find((u) => u.id === id)?.name ?? msg('A teammate', { id: 'tasks.someone' });
  }

  private edit(r: ServiceRecordDto): void {
    this.dispatchEvent(new CustomEvent<ServiceRecordDto>('edit-record', { detail: r, bubbles: true, composed: true }));
  }

  override render() {
    return html`<ul>
      ${this.records.map((r) => {
        const overdue = isOverdue(r);
        return html`<li data-record-id=${r.id}>
          <div class="main">
            <span class="title">${r.title}</span>
            <div class="meta">
              <span class="badge ${statusBadge(r.status)}">${statusLabel(r.status)}</span>
              <span class="badge">${typeLabel(r.type)}</span>
              ${this.showCustomer ? html`<a href="/customers/${r.customerId}">${r.customerName}</a>` : nothing}
              <span>${channelLabel(r.channel)}</span>
              <span>${this.userName(r.assigneeId)}</span>
              ${r.dueAt
                ? html`<span class=${overdue ? 'overdue' : ''}>${overdue
                    ? msg(str`Overdue since ${formatDate(r.dueAt)}`, { id: 'service.overdueSince' })
                    : msg(str`Due ${formatDate(r.dueAt)}`, { id: 'service.dueOn' })}</span>`
                : nothing}
              ${r.satisfaction !== null
                ? html`<span aria-label=${msg(str`Satisfaction ${r.satisfaction} of 5`, { id: 'service.satisfactionOf' })}
                    >${'★'.repeat(r.satisfaction)}${'☆'.repeat(5 - r.satisfaction)}</span
                  >`
                : nothing}
            </div>
            ${r.resolution && (r.status === 'resolved' || r.status === 'closed') ? html`<span class="resolution">${r.resolution}</span>` : nothing}
          </div>
          ${this.readonly
            ? nothing
            : html`<button type="button" @click=${() => this.edit(r)} aria-label=${msg(str`Update ${r.title}`, { id: 'service.updateOne' })}>
                ${msg('Update', { id: 'service.update' })}
              </button>`}
        </li>`;
      })}
    </ul>`;
  }
}

customElements.define('tandem-service-record-list', TandemServiceRecordList);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-service-record-list': TandemServiceRecordList;
  }
}
