/**
 * One lead in the list: who, how to reach them, source, owner, status and the actions that fit
 * its status. Fires `lead-status` (detail: the new working status), `lead-disqualify`,
 * `lead-convert` and `lead-open`; the page does the work.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { LEAD_WORK_STATUSES, type LeadDto } from '../../../schema/wire/lead.ts';
import { formatShortDate } from '../customers/customer-labels.ts';
import { badges, base, buttons, forms } from '../ui/styles.ts';
import { leadSourceLabel, leadStatusBadge, leadStatusLabel } from './lead-labels.ts';

export class TandemLeadRow extends LitElement {
  static override properties = { lead: { attribute: false }, busy: { type: Boolean } };
  static override styles = [
    base,
    buttons,
    forms,
    badges,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(160px, 2fr) minmax(140px, 1.6fr) 110px 110px minmax(260px, auto);
        gap: var(--t-space-3);
        align-items: center;
        padding: var(--t-space-3) var(--t-space-4);
        border-bottom: 1px solid var(--t-border);
      }
      .who button.link {
        font-weight: 600;
        text-align: left;
        padding: 0;
        min-height: auto;
      }
      .sub {
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        gap: var(--t-space-2);
        flex-wrap: wrap;
        justify-content: flex-end;
        align-items: center;
        margin: 0;
      }
      .actions select {
        width: auto;
      }
      .reason {
        font-size: var(--t-font-size-sm);
        color: var(--t-danger);
      }
      @media (max-width: 900px) {
        :host {
          grid-template-columns: 1fr 1fr;
        }
        .actions {
          grid-column: 1 / -1;
          justify-content: flex-start;
        }
      }
      @media (max-width: 520px) {
        :host {
          grid-template-columns: 1fr;
          gap: var(--t-space-2);
        }
      }
    `,
  ];
  declare lead: LeadDto;
  declare busy: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.busy = false;
  }

  private fire(type: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private actions() {
    const l = this.lead;
    switch (l.status) {
      case 'converted':
        return html`<a class="button" href="/customers/${l.customerId}">${msg('Open customer', { id: 'leads.openCustomer' })}</a>`;
      case 'disqualified':
        return html`<button type="button" ?disabled=${this.busy} @click=${() => this.fire('lead-status', 'new')}>${msg('Reopen', { id: 'leads.reopen' })}</button>`;
      default:
        return html`<select
            aria-label=${msg(str`Status of ${l.name}`, { id: 'leads.statusOf' })}
            ?disabled=${this.busy}
            @change=${(e: Event) => this.fire('lead-status', (e.target as HTMLSelectElement).value)}
          >
            ${LEAD_WORK_STATUSES.filter((s) => s !== 'disqualified').map(
              (s) => html`<option value=${s} ?selected=${s === l.status}>${leadStatusLabel(s)}</option>`,
            )}
          </select>
          <button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.fire('lead-disqualify')}>${msg('Disqualify', { id: 'leads.disqualify' })}</button>
          <button type="button" class="primary" ?disabled=${this.busy} @click=${() => this.fire('lead-convert')}>${msg('Convert', { id: 'leads.convert' })}</button>`;
    }
  }

  override render() {
    const l = this.lead;
    const reach = [l.phone, l.email].filter(Boolean).join(' · ');
    return html`<div class="who">
        <button type="button" class="link" @click=${() => this.fire('lead-open')}>${l.name}</button>
        <div class="sub">${l.company}</div>
      </div>
      <div class="sub">${reach || nothing}</div>
      <div>
        <div>${leadSourceLabel(l.source)}</div>
        <div class="sub">${formatShortDate(l.createdAt)}</div>
      </div>
      <div>
        <span class=${leadStatusBadge(l.status)}>${leadStatusLabel(l.status)}</span>
        <div class="sub">${l.ownerName ?? msg('Unassigned', { id: 'leads.unassigned' })}</div>
        ${l.status === 'disqualified' ? html`<div class="reason">${l.disqualifiedReason}</div>` : nothing}
      </div>
      <div class="actions">${this.actions()}</div>`;
  }
}

customElements.define('tandem-lead-row', TandemLeadRow);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-lead-row': TandemLeadRow;
  }
}
