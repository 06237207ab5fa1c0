/**
 * Asks why a lead is disqualified (the server refuses it without a reason). Fires `confirm`
 * with the reason, or `close` when dismissed.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { LEAD_REASON_MAX } from '../../../schema/wire/lead.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-dialog.ts';

export class TandemLeadDisqualifyDialog extends LitElement {
  static override properties = { open: { type: Boolean }, leadName: { type: String }, error: { state: true } };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      textarea {
        min-height: 90px;
        padding: var(--t-space-2) var(--t-space-3);
      }
    `,
  ];
  declare open: boolean;
  declare leadName: string;
  declare error: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.open = false;
    this.leadName = '';
    this.error = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) this.error = '';
  }

  protected override updated(changed: PropertyValues<this>): void {
    const textarea = this.renderRoot.querySelector('textarea');
    if (changed.has('open') && this.open && textarea) textarea.value = '';
  }

  private submit(e: Event): void {
    e.preventDefault();
    const textarea = this.renderRoot.querySelector('textarea');
    const reason = textarea?.value.trim() ?? '';
    if (!reason) {
      this.error = msg('Say why the lead is disqualified.', { id: 'leads.disqualify.required' });
      textarea?.focus();
      return;
    }
    this.dispatchEvent(new CustomEvent('confirm', { detail: { reason: reason.slice(0, LEAD_REASON_MAX) } }));
  }

  override render() {
    return html`<tandem-dialog
      .open=${this.open}
      heading=${msg('Disqualify lead', { id: 'leads.disqualify.heading' })}
      @close=${() => this.dispatchEvent(new Event('close'))}
    >
      <form @submit=${this.submit} novalidate>
        <p class="muted">${msg(str`Why is ${this.leadName} not a fit?`, { id: 'leads.disqualify.text' })}</p>
        <div class="field">
          <label for="dq-reason">${msg('Reason', { id: 'leads.disqualify.reason' })}<span class="required" aria-hidden="true">*</span></label>
          <textarea
            id="dq-reason"
            maxlength=${LEAD_REASON_MAX}
            required
            autofocus
            aria-invalid=${this.error ? 'true' : 'false'}
            aria-describedby="dq-error"
          ></textarea>
          ${this.error ? html`<span id="dq-error" class="field-error">${this.error}</span>` : nothing}
        </div>
        <div class="actions end">
          <button type="button" @click=${() => this.dispatchEvent(new Event('close'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
          <button class="danger" type="submit">${msg('Disqualify', { id: 'leads.disqualify' })}</button>
        </div>
      </form>
    </tandem-dialog>`;
  }
}

customElements.define('tandem-lead-disqualify-dialog', TandemLeadDisqualifyDialog);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-lead-disqualify-dialog': TandemLeadDisqualifyDialog;
  }
}
