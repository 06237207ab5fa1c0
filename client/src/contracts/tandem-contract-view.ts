/**
 * One contract: its number, status, term, value, renewal reminder and files. Whoever may
 * change the opportunity changes the status here (in force → expired or terminated; expired →
 * in force again); the attachments follow the contract's access. Fires `changed` with the
 * updated contract.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { ContractDto, ContractStatus } from '../../../schema/wire/contracts.ts';
import { updateContract } from '../api/contracts.ts';
import { currentLocale } from '../app/localization.ts';
import { formatDate, formatMoney } from '../pipeline/board-format.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons, forms } from '../ui/styles.ts';
import '../attachments/tandem-attachments.ts';
import '../ui/tandem-alert.ts';
import { contractStatusLabel, dealBadge } from './deal-labels.ts';

/** The statuses a contract may move to from `from` (the server's rule, server/contracts/contract.ts). */
function nextStatuses(from: ContractStatus): ContractStatus[] {
  switch (from) {
    case 'active':
      return ['active', 'expired', 'terminated'];
    case 'expired':
      return ['expired', 'active', 'terminated'];
    case 'terminated':
      return ['terminated'];
    default:
      return from satisfies never;
  }
}

export class TandemContractView extends LitElement {
  static override properties = {
    contract: { attribute: false },
    readonly: { type: Boolean },
    error: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    badges,
    css`
      :host {
        display: grid;
        gap: var(--t-space-3);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius-sm);
        padding: var(--t-space-3);
      }
      .top {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: var(--t-space-2);
        flex-wrap: wrap;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 2px var(--t-space-3);
        margin: 0;
        font-size: var(--t-font-size-sm);
      }
      dt {
        color: var(--t-muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      h4 {
        font-size: var(--t-font-size-sm);
        margin: 0;
      }
      select {
        width: auto;
      }
    `,
  ];
  declare contract: ContractDto;
  declare readonly: boolean;
  declare error: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.readonly = false;
    this.error = '';
  }

  private async setStatus(e: Event): Promise<void> {
    const select = e.target as HTMLSelectElement;
    const status = select.value as ContractStatus;
    if (status === this.contract.status) return;
    this.error = '';
    try {
      this.contract = await updateContract(this.contract.id, { status });
      this.dispatchEvent(new CustomEvent('changed', { detail: this.contract }));
    } catch (err) {
      select.value = this.contract.status;
      this.error = errorMessage(err);
    }
  }

  override render() {
    const k = this.contract;
    if (!k) return nothing;
    const locale = currentLocale();
    const remind = k.renewalRemindAt ? formatDate(k.renewalRemindAt.slice(0, 10), locale) : msg('None', { id: 'contract.remind.none' });
    return html`${this.error ? html`<tandem-alert kind="error">${this.error}</tandem-alert>` : nothing}
      <div class="top">
        <strong data-testid="contract-number">${k.number}</strong>
        ${this.readonly || k.status === 'terminated'
          ? html`<span class="badge ${dealBadge(k.status)}">${contractStatusLabel(k.status)}</span>`
          : html`<label class="visually-hidden" for="k-status">${msg('Contract status', { id: 'contract.statusLabel' })}</label>
              <select id="k-status" @change=${this.setStatus}>
                ${nextStatuses(k.status).map((s) => html`<option value=${s} ?selected=${s === k.status}>${contractStatusLabel(s)}</option>`)}
              </select>`}
      </div>
      <dl>
        <dt>${msg('Contract value', { id: 'contract.value' })}</dt>
        <dd data-testid="contract-value">${formatMoney(k.value, k.currency, locale)}</dd>
        <dt>${msg('Signed on', { id: 'opp.order.signed' })}</dt>
        <dd>${formatDate(k.signedAt, locale)}</dd>
        <dt>${msg('Term', { id: 'contract.term' })}</dt>
        <dd>${msg(str`${formatDate(k.startsAt, locale)} to ${formatDate(k.endsAt, locale)}`, { id: 'contract.termRange' })}</dd>
        <dt>${msg('Renewal reminder', { id: 'contract.renewalRemindAt' })}</dt>
        <dd>${remind}</dd>
      </dl>
      <h4>${msg('Contract files', { id: 'contract.files' })}</h4>
      <tandem-attachments parent-type="contract" parent-id=${k.id} team-id=${k.teamId} ?readonly=${this.readonly}></tandem-attachments>`;
  }
}


customElements.define('tandem-contract-view', TandemContractView);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-contract-view': TandemContractView;
  }
}
