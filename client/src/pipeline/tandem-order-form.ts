/** Recording the order made from an accepted quote: order (contract) number, signing date, the quote, and an amount (the quote's total unless given). */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { html, LitElement, nothing } from 'lit';
import { isValidAmount } from '../../../schema/wire/board.ts';
import type { CreateOrderInput, QuoteDto } from '../../../schema/wire/opportunity.ts';
import { createOrder } from '../api/opportunities.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { todayIso } from './board-format.ts';
import { SubmissionKey } from '../api/idempotency.ts';

const CONTRACT_NUMBER_MAX = 60;

export class TandemOrderForm extends LitElement {
  /** One Idempotency-Key per submission: a double click or a retry creates one record. */
  private readonly submission = new SubmissionKey();
  static override properties = {
    opportunityId: { type: String },
    quotes: { attribute: false },
    error: { state: true },
    busy: { state: true },
  };
  static override styles = [base, buttons, forms];
  declare opportunityId: string;
  declare quotes: QuoteDto[];
  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.opportunityId = '';
    this.quotes = [];
    this.error = '';
    this.busy = false;
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const contractNumber = String(data.get('contractNumber') ?? '').trim();
    const signedOn = String(data.get('signedOn') ?? '');
    const amountText = String(data.get('amount') ?? '').trim();
    const quoteId = String(data.get('quoteId') ?? '');
    if (!contractNumber || !signedOn) {
      this.error = msg('Enter the contract number and the signing date.', { id: 'opp.order.required' });
      return;
    }
    if (!quoteId) {
      this.error = msg('Choose the accepted quote the order comes from.', { id: 'order.quoteRequired' });
      return;
    }
    const body: CreateOrderInput = { contractNumber, signedOn, quoteId };
    if (amountText) {
      const amount = Number(amountText);
      if (!isValidAmount(amount)) {
        this.error = msg('Enter an amount of 0 or more, with at most two decimals.', { id: 'opp.form.amountInvalid' });
        return;
      }
      body.amount = amount;
    }
    this.busy = true;
    this.error = '';
    try {
      const order = await createOrder(this.opportunityId, body, { idempotencyKey: this.submission.for(body) });
      this.submission.settled();
      this.dispatchEvent(new CustomEvent('saved', { detail: order }));
    } catch (err) {
      this.submission.settled(err);
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<form @submit=${this.submit} novalidate>
      ${this.error ? html`<tandem-alert kind="error">${this.error}</tandem-alert>` : nothing}
      <div class="field">
        <label for="o-number">${msg('Contract number', { id: 'opp.order.number' })}</label>
        <input id="o-number" name="contractNumber" maxlength=${CONTRACT_NUMBER_MAX} required autofocus />
      </div>
      <div class="field">
        <label for="o-signed">${msg('Signed on', { id: 'opp.order.signed' })}</label>
        <input id="o-signed" name="signedOn" type="date" .value=${todayIso()} required />
      </div>
      <div class="field">
        <label for="o-quote">${msg('From quote', { id: 'opp.order.quote' })}</label>
        <select id="o-quote" name="quoteId" required>
          ${this.quotes.map((q, i) => html`<option value=${q.id} ?selected=${i === 0}>${q.title}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="o-amount">${msg('Amount', { id: 'opp.form.amount' })}</label>
        <input id="o-amount" name="amount" type="number" min="0" step="0.01" />
        <span class="hint">${msg('Leave empty to use the total of the quote.', { id: 'order.amountHint' })}</span>
      </div>
      <div class="actions end">
        <button type="button" @click=${() => this.dispatchEvent(new Event('cancel'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
        <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Save order', { id: 'opp.order.save' })}</button>
      </div>
    </form>`;
  }
}

customElements.define('tandem-order-form', TandemOrderForm);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-order-form': TandemOrderForm;
  }
}
