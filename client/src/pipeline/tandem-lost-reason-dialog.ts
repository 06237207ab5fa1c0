/**
 * Asks why a deal was lost before it moves to a lost stage (the server
 * refuses a lost card without a reason). Fires `confirm` with the reason,
 * or `close` when dismissed.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { LOST_REASON_MAX } from '../../../schema/wire/board.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-dialog.ts';

export class TandemLostReasonDialog extends LitElement {
  static override properties = {
    open: { type: Boolean },
    cardName: { type: String },
    error: { state: true },
  };
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
  declare cardName: string;
  declare error: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.open = false;
    this.cardName = '';
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
      this.error = msg('Say why the deal was lost.', { id: 'board.lost.required' });
      textarea?.focus();
      return;
    }
    this.dispatchEvent(new CustomEvent('confirm', { detail: { reason: reason.slice(0, LOST_REASON_MAX) } }));
  }

  override render() {
    return html`<tandem-dialog
      .open=${this.open}
      heading=${msg('Why was it lost?', { id: 'board.lost.heading' })}
      @close=${() => this.dispatchEvent(new Event('close'))}
    >
      <form @submit=${this.submit} novalidate>
        <p class="muted">${this.cardName ? msg(str`Moving ${this.cardName} to a lost stage.`, { id: 'board.lost.text' }) : ''}</p>
        <div class="field">
          <label for="lost-reason">${msg('Reason', { id: 'board.lost.reason' })}<span class="required" aria-hidden="true">*</span></label>
          <textarea
            id="lost-reason"
            maxlength=${LOST_REASON_MAX}
            required
            autofocus
            aria-invalid=${this.error ? 'true' : 'false'}
            aria-describedby="lost-error"
          ></textarea>
          ${this.error ? html`<span id="lost-error" class="field-error">${this.error}</span>` : nothing}
        </div>
        <div class="actions end">
          <button type="button" @click=${() => this.dispatchEvent(new Event('close'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
          <button class="primary" type="submit">${msg('Mark as lost', { id: 'board.lost.confirm' })}</button>
        </div>
      </form>
    </tandem-dialog>`;
  }
}

customElements.define('tandem-lost-reason-dialog', TandemLostReasonDialog);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-lost-reason-dialog': TandemLostReasonDialog;
  }
}
