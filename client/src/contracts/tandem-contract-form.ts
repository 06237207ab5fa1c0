/**
 * Recording the contract of an opportunity: number, signing date, term, value and currency,
 * and the date its owner is reminded to renew it. Fires `saved` with the contract.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { isValidAmount } from '../../../schema/wire/board.ts';
import { CONTRACT_NUMBER_MAX, type CreateContractInput } from '../../../schema/wire/contracts.ts';
import { createContract } from '../api/contracts.ts';
import { SubmissionKey } from '../api/idempotency.ts';
import { todayIso } from '../pipeline/board-format.ts';
import { CURRENCIES } from '../pipeline/tandem-opportunity-dialog.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';

export class TandemContractForm extends LitElement {
  /** One Idempotency-Key per submission: a double click or a retry creates one contract. */
  private readonly submission = new SubmissionKey();
  static override properties = {
    opportunityId: { type: String },
    currency: { type: String },
    value: { type: Number },
    error: { state: true },
    busy: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      :host {
        display: block;
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius-sm);
        padding: var(--t-space-3);
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
        gap: var(--t-space-2) var(--t-space-3);
      }
    `,
  ];
  declare opportunityId: string;
  declare currency: string;
  declare value: number;
  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.opportunityId = '';
    this.currency = 'CNY';
    this.value = 0;
    this.error = '';
    this.busy = false;
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const text = (k: string) => String(data.get(k) ?? '').trim();
    const [number, signedAt, startsAt, endsAt, valueText, remind] = ['number', 'signedAt', 'startsAt', 'endsAt', 'value', 'renewalRemindAt'].map(text);
    if (!number || !signedAt || !startsAt || !endsAt) {
      this.error = msg('Enter the contract number, the signing date and the term.', { id: 'contract.form.required' });
      return;
    }
    if (startsAt > endsAt) {
      this.error = msg('The term ends before it starts.', { id: 'contract.form.termOrder' });
      return;
    }
    const value = Number(valueText);
    if (valueText === '' || !isValidAmount(value)) {
      this.error = msg('Enter an amount of 0 or more, with at most two decimals.', { id: 'opp.form.amountInvalid' });
      return;
    }
    const body: CreateContractInput = {
      opportunityId: this.opportunityId,
      number,
      signedAt,
      startsAt,
      endsAt,
      value,
      currency: text('currency') || this.currency,
      // A date picked in the browser: the reminder fires at 09:00 local time that day.
      renewalRemindAt: remind ? new Date(`${remind}T09:00:00`).toISOString() : null,
    };
    this.busy = true;
    this.error = '';
    try {
      const contract = await createContract(body, { idempotencyKey: this.submission.for(body) });
      this.submission.settled();
      this.dispatchEvent(new CustomEvent('saved', { detail: contract }));
    } catch (err) {
      this.submission.settled(err);
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const today = todayIso();
    return html`<form @submit=${this.submit} novalidate>
      ${this.error ? html`<tandem-alert kind="error">${this.error}</tandem-alert>` : nothing}
      <div class="grid">
        <div class="field">
          <label for="k-number">${msg('Contract number', { id: 'opp.order.number' })}</label>
          <input id="k-number" name="number" maxlength=${CONTRACT_NUMBER_MAX} required autofocus />
        </div>
        <div class="field">
          <label for="k-signed">${msg('Signed on', { id: 'opp.order.signed' })}</label>
          <input id="k-signed" name="signedAt" type="date" .value=${today} required />
        </div>
        <div class="field">
          <label for="k-start">${msg('Term starts', { id: 'contract.startsAt' })}</label>
          <input id="k-start" name="startsAt" type="date" .value=${today} required />
        </div>
        <div class="field">
          <label for="k-end">${msg('Term ends', { id: 'contract.endsAt' })}</label>
          <input id="k-end" name="endsAt" type="date" required />
        </div>
        <div class="field">
          <label for="k-value">${msg('Contract value', { id: 'contract.value' })}</label>
          <input id="k-value" name="value" type="number" min="0" step="0.01" .value=${String(this.value)} required />
        </div>
        <div class="field">
          <label for="k-currency">${msg('Currency', { id: 'opp.form.currency' })}</label>
          <select id="k-currency" name="currency">
            ${[...new Set([this.currency, ...CURRENCIES])].map((c) => html`<option value=${c} ?selected=${c === this.currency}>${c}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="k-remind">${msg('Renewal reminder', { id: 'contract.renewalRemindAt' })}</label>
          <input id="k-remind" name="renewalRemindAt" type="date" aria-describedby="k-remind-hint" />
          <span class="hint" id="k-remind-hint">${msg('The deal owner is notified that morning.', { id: 'contract.form.remindHint' })}</span>
        </div>
      </div>
      <div class="actions end">
        <button type="button" @click=${() => this.dispatchEvent(new Event('cancel'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
        <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Save contract', { id: 'contract.form.save' })}</button>
      </div>
    </form>`;
  }
}

customElements.define('tandem-contract-form', TandemContractForm);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-contract-form': TandemContractForm;
  }
}
