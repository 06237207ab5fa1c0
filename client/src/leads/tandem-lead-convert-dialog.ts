/**
 * Converts a lead into a customer with a contact and, when asked, an opportunity. Likely
 * duplicate customers are listed, and converting anyway is one more click. Fires `converted`
 * with the new customer, or `close`.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { CustomerDto, DuplicateCandidateDto } from '../../../schema/wire/customer.ts';
import type { ConvertLeadBody, LeadDto } from '../../../schema/wire/lead.ts';
import { ApiError } from '../api/http.ts';
import { SubmissionKey } from '../api/idempotency.ts';
import { convertLead } from '../api/leads.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';

export class TandemLeadConvertDialog extends LitElement {
  static override properties = {
    open: { type: Boolean },
    lead: { attribute: false },
    withOpportunity: { state: true },
    duplicates: { state: true },
    error: { state: true },
    busy: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      form {
        display: grid;
        gap: var(--t-space-3);
      }
      .row {
        display: grid;
        grid-template-columns: 2fr 1fr;
        gap: var(--t-space-3);
      }
      ul {
        margin: 0;
        padding-left: 1.2em;
      }
      @media (max-width: 480px) {
        .row {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];
  declare open: boolean;
  declare lead: LeadDto | null;
  declare withOpportunity: boolean;
  declare duplicates: DuplicateCandidateDto[];
  declare error: string;
  declare busy: boolean;
  private readonly submission = new SubmissionKey();

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.open = false;
    this.lead = null;
    this.withOpportunity = false;
    this.duplicates = [];
    this.error = '';
    this.busy = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) {
      this.withOpportunity = false;
      this.duplicates = [];
      this.error = '';
    }
  }

  private body(confirm: boolean): ConvertLeadBody | null {
    const body: ConvertLeadBody = confirm ? { confirm: true } : {};
    if (!this.withOpportunity) return body;
    const name = this.renderRoot.querySelector<HTMLInputElement>('#cv-name')?.value.trim() ?? '';
    const amount = Number(this.renderRoot.querySelector<HTMLInputElement>('#cv-amount')?.value || 'NaN');
    if (!name || !Number.isFinite(amount) || amount < 0) {
      this.error = msg('Give the opportunity a name and an amount of 0 or more.', { id: 'leads.convert.oppRequired' });
      return null;
    }
    return { ...body, opportunity: { name, amount } };
  }

  private async submit(e: Event, confirm = false): Promise<void> {
    e.preventDefault();
    if (!this.lead || this.busy) return;
    this.error = '';
    const body = this.body(confirm);
    if (!body) return;
    this.busy = true;
    try {
      const result = await convertLead(this.lead.id, body, { idempotencyKey: this.submission.for({ id: this.lead.id, body }) });
      this.submission.settled();
      if (result.kind === 'duplicates') this.duplicates = result.candidates;
      else this.dispatchEvent(new CustomEvent<CustomerDto>('converted', { detail: result.customer }));
    } catch (err) {
      this.submission.settled(err);
      this.error =
        err instanceof ApiError && err.code === 'conflict'
          ? msg('This lead was converted or disqualified meanwhile. Reload the list.', { id: 'leads.convert.conflict' })
          : errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const lead = this.lead;
    const customerName = lead ? lead.company || lead.name : '';
    return html`<tandem-dialog .open=${this.open} heading=${msg('Convert lead', { id: 'leads.convert.heading' })} @close=${() => this.dispatchEvent(new Event('close'))}>
      <form novalidate @submit=${(e: Event) => this.submit(e)}>
        <p>${msg(str`Creates the customer ${customerName} with ${lead?.name ?? ''} as a contact.`, { id: 'leads.convert.text' })}</p>
        <label class="choice">
          <input type="checkbox" .checked=${this.withOpportunity} @change=${(e: Event) => (this.withOpportunity = (e.target as HTMLInputElement).checked)} />
          ${msg('Also open an opportunity', { id: 'leads.convert.withOpportunity' })}
        </label>
        ${this.withOpportunity
          ? html`<div class="row">
              <div class="field">
                <label for="cv-name">${msg('Opportunity name', { id: 'leads.convert.oppName' })}<span class="required" aria-hidden="true">*</span></label>
                <input id="cv-name" maxlength="200" required .value=${customerName} />
              </div>
              <div class="field">
                <label for="cv-amount">${msg('Amount', { id: 'leads.convert.amount' })}<span class="required" aria-hidden="true">*</span></label>
                <input id="cv-amount" type="number" min="0" step="0.01" inputmode="decimal" required />
              </div>
            </div>`
          : nothing}
        ${this.duplicates.length
          ? html`<tandem-alert kind="info">
              <p>${msg('Customers that look the same already exist:', { id: 'leads.convert.duplicates' })}</p>
              <ul>
                ${this.duplicates.map((d) => html`<li><a href="/customers/${d.id}">${d.name}</a>${d.phone ? ` · ${d.phone}` : ''}</li>`)}
              </ul>
            </tandem-alert>`
          : nothing}
        ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
        <div class="actions end">
          <button type="button" @click=${() => this.dispatchEvent(new Event('close'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
          ${this.duplicates.length
            ? html`<button class="primary" type="button" ?disabled=${this.busy} @click=${(e: Event) => this.submit(e, true)}>
                ${msg('Convert anyway', { id: 'leads.convert.anyway' })}
              </button>`
            : html`<button class="primary" type="submit" ?disabled=${this.busy}>${msg('Convert', { id: 'leads.convert' })}</button>`}
        </div>
      </form>
    </tandem-dialog>`;
  }
}

customElements.define('tandem-lead-convert-dialog', TandemLeadConvertDialog);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-lead-convert-dialog': TandemLeadConvertDialog;
  }
}
