/**
 * Asks why a deal was lost before it moves to a lost stage (the server
 * refuses a lost card without a reason). Offers the admin-managed list
 * (docs/team-operations.md) and, when the workspace allows it or the list
 * is empty, a reason in free text. Fires `confirm` with the reason, or
 * `close` when dismissed. A picked reason is kept as the label the user
 * read, in their language.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { LostReasonDto } from '../../../schema/wire/admin-lists.ts';
import { LOST_REASON_MAX } from '../../../schema/wire/board.ts';
import { listLostReasons } from '../api/admin-lists.ts';
import { currentLocale } from '../app/localization.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-dialog.ts';

/** The radio value of the free-text choice. */
const OTHER = '';

type Choices = { kind: 'loading' } | { kind: 'ready'; items: LostReasonDto[]; freeText: boolean };

export class TandemLostReasonDialog extends LitElement {
  static override properties = {
    open: { type: Boolean },
    cardName: { type: String },
    error: { state: true },
    choices: { state: true },
    picked: { state: true },
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
  declare choices: Choices;
  /** The picked reason's id, or OTHER for free text. */
  declare picked: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.open = false;
    this.cardName = '';
    this.error = '';
    this.choices = { kind: 'loading' };
    this.picked = OTHER;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) {
      this.error = '';
      this.picked = OTHER;
      void this.loadChoices();
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    const textarea = this.renderRoot.querySelector('textarea');
    if (changed.has('open') && this.open && textarea) textarea.value = '';
  }

  /** The list, fetched each time the dialog opens; without it (offline), free text is always offered. */
  private async loadChoices(): Promise<void> {
    try {
      const list = await listLostReasons();
      this.choices = { kind: 'ready', items: list.items, freeText: list.freeText };
      if (this.picked === OTHER && list.items[0] && !list.freeText) this.picked = list.items[0].id;
    } catch {
      this.choices = { kind: 'ready', items: [], freeText: true };
    }
  }

  private label(r: LostReasonDto): string {
    return currentLocale() === 'zh-CN' ? r.labelZh : r.labelEn;
  }

  private get allowsFreeText(): boolean {
    return this.choices.kind !== 'ready' || this.choices.freeText || this.choices.items.length === 0;
  }

  private submit(e: Event): void {
    e.preventDefault();
    const items = this.choices.kind === 'ready' ? this.choices.items : [];
    const picked = items.find((r) => r.id === this.picked);
    if (picked) {
      this.dispatchEvent(new CustomEvent('confirm', { detail: { reason: this.label(picked).slice(0, LOST_REASON_MAX) } }));
      return;
    }
    const textarea = this.renderRoot.querySelector('textarea');
    const reason = textarea?.value.trim() ?? '';
    if (!reason || !this.allowsFreeText) {
      this.error = msg('Say why the deal was lost.', { id: 'board.lost.required' });
      textarea?.focus();
      return;
    }
    this.dispatchEvent(new CustomEvent('confirm', { detail: { reason: reason.slice(0, LOST_REASON_MAX) } }));
  }

  private renderChoices() {
    if (this.choices.kind !== 'ready' || this.choices.items.length === 0) return nothing;
    return html`<fieldset>
      <legend>${msg('Reason', { id: 'board.lost.reason' })}</legend>
      ${this.choices.items.map(
        (r) => html`<label class="choice">
          <input type="radio" name="lost-choice" .value=${r.id} .checked=${this.picked === r.id} @change=${() => (this.picked = r.id)} />
          ${this.label(r)}
        </label>`,
      )}
      ${this.allowsFreeText
        ? html`<label class="choice">
            <input type="radio" name="lost-choice" .value=${OTHER} .checked=${this.picked === OTHER} @change=${() => (this.picked = OTHER)} />
            ${msg('Another reason', { id: 'board.lost.other' })}
          </label>`
        : nothing}
    </fieldset>`;
  }

  override render() {
    const hasList = this.choices.kind === 'ready' && this.choices.items.length > 0;
    const showText = this.allowsFreeText && (!hasList || this.picked === OTHER);
    return html`<tandem-dialog
      .open=${this.open}
      heading=${msg('Why was it lost?', { id: 'board.lost.heading' })}
      @close=${() => this.dispatchEvent(new Event('close'))}
    >
      <form @submit=${this.submit} novalidate>
        <p class="muted">${this.cardName ? msg(str`Moving ${this.cardName} to a lost stage.`, { id: 'board.lost.text' }) : ''}</p>
        ${this.renderChoices()}
        ${showText
          ? html`<div class="field">
              <label for="lost-reason">
                ${hasList ? msg('Another reason', { id: 'board.lost.other' }) : msg('Reason', { id: 'board.lost.reason' })}<span class="required" aria-hidden="true">*</span>
              </label>
              <textarea
                id="lost-reason"
                maxlength=${LOST_REASON_MAX}
                required
                autofocus
                aria-invalid=${this.error ? 'true' : 'false'}
                aria-describedby="lost-error"
              ></textarea>
              ${this.error ? html`<span id="lost-error" class="field-error">${this.error}</span>` : nothing}
            </div>`
          : nothing}
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
