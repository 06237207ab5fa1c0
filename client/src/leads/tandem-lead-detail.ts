/** A lead's details and its history (kept after conversion), shown in a dialog from the list or from `/leads/:id`. */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { HistoryEntryDto } from '../../../schema/wire/customer.ts';
import type { LeadDto } from '../../../schema/wire/lead.ts';
import { leadHistory } from '../api/leads.ts';
import { formatShortDate } from '../customers/customer-labels.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base } from '../ui/styles.ts';
import { leadSourceLabel, leadStatusBadge, leadStatusLabel } from './lead-labels.ts';

function actionLabel(action: string): string {
  switch (action) {
    case 'create':
      return msg('Captured', { id: 'leads.history.create' });
    case 'convert':
      return msg('Converted into a customer', { id: 'leads.history.convert' });
    default:
      return msg('Changed', { id: 'leads.history.update' });
  }
}

export class TandemLeadDetail extends LitElement {
  static override properties = { lead: { attribute: false }, history: { state: true }, error: { state: true } };
  static override styles = [
    base,
    badges,
    css`
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: var(--t-space-2) var(--t-space-4);
        margin: 0 0 var(--t-space-4);
      }
      dt {
        color: var(--t-muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
        white-space: pre-wrap;
      }
      ol {
        margin: 0;
        padding-left: 1.2em;
        display: grid;
        gap: var(--t-space-1);
        font-size: var(--t-font-size-sm);
      }
    `,
  ];
  declare lead: LeadDto | null;
  declare history: HistoryEntryDto[];
  declare error: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.lead = null;
    this.history = [];
    this.error = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('lead')) {
      this.history = [];
      this.error = '';
      if (this.lead) void this.loadHistory(this.lead.id);
    }
  }

  private async loadHistory(id: string): Promise<void> {
    try {
      const items = await leadHistory(id);
      if (this.lead?.id === id) this.history = items;
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  override render() {
    const l = this.lead;
    if (!l) return nothing;
    const row = (label: string, value: unknown) => (value ? html`<dt>${label}</dt><dd>${value}</dd>` : nothing);
    return html`<dl>
        ${row(msg('Status', { id: 'leads.field.status' }), html`<span class=${leadStatusBadge(l.status)}>${leadStatusLabel(l.status)}</span>`)}
        ${row(msg('Company', { id: 'leads.field.company' }), l.company)} ${row(msg('Phone', { id: 'leads.field.phone' }), l.phone)}
        ${row(msg('E-mail', { id: 'leads.field.email' }), l.email)} ${row(msg('Source', { id: 'leads.field.source' }), l.source && leadSourceLabel(l.source))}
        ${row(msg('Owner', { id: 'leads.field.owner' }), l.ownerName)} ${row(msg('Note', { id: 'leads.field.note' }), l.note)}
        ${row(msg('Reason', { id: 'leads.disqualify.reason' }), l.disqualifiedReason)}
        ${l.customerId
          ? row(msg('Customer', { id: 'leads.field.customer' }), html`<a href="/customers/${l.customerId}">${msg('Open customer', { id: 'leads.openCustomer' })}</a>`)
          : nothing}
      </dl>
      <h2>${msg('History', { id: 'leads.history' })}</h2>
      ${this.error ? html`<p class="muted">${this.error}</p>` : nothing}
      <ol>
        ${this.history.map((h) => html`<li>${formatShortDate(h.at)} · ${h.actorName ?? ''} · ${actionLabel(h.action)}</li>`)}
      </ol>`;
  }
}

customElements.define('tandem-lead-detail', TandemLeadDetail);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-lead-detail': TandemLeadDetail;
  }
}
