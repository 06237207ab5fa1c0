/**
 * One field of the 360° page, edited in place. It shows the document's value,
 * and while the user types it writes (debounced) into the live document, so
 * others see the change at once; a remote change shows up here unless the
 * user has unsaved typing in this very field. Who else is editing the field
 * is shown beside its label, and a change of ours the server refused is
 * explained under it (the value itself returns to the saved one through the
 * document). Fires `field-focus` (the field name, or null), `field-commit`
 * ({name, value}) and `refusal-dismiss` (the field name).
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { CUSTOMER_FIELD_MAX, type CustomerFieldName } from '../../../schema/wire/docs.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import { type FieldIssue, fieldIssue } from './customer-field-rules.ts';
import type { Peer } from './customer-presence.ts';

/** Typing pause after which the value is written into the document. */
const COMMIT_DEBOUNCE_MS = 300;

export interface FieldOption {
  value: string;
  label: string;
}

export function issueText(issue: FieldIssue): string {
  switch (issue) {
    case 'required':
      return msg('Enter the customer’s name.', { id: 'customers.error.nameRequired' });
    case 'tooLong':
      return msg('This is too long.', { id: 'customers.error.tooLong' });
    case 'phone':
      return msg('Enter a phone number: digits, spaces and + ( ) - . /', { id: 'customers.error.phone' });
    case 'email':
      return msg('Enter an e-mail address such as name@example.com.', { id: 'customers.error.email' });
    case 'website':
      return msg('Enter a web address such as example.com.', { id: 'customers.error.website' });
    default:
      return issue satisfies never;
  }
}

export class TandemCustomerField extends LitElement {
  static override properties = {
    name: { type: String, reflect: true },
    label: { type: String },
    value: { type: String },
    editors: { attribute: false },
    readonly: { type: Boolean },
    multiline: { type: Boolean },
    required: { type: Boolean },
    options: { attribute: false },
    inputType: { type: String },
    refusal: { type: String },
    draft: { state: true },
    issue: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      :host {
        min-width: 0;
      }
      .top {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--t-space-2);
        min-height: 22px;
      }
      label {
        font-size: var(--t-font-size-sm);
        color: var(--t-muted);
        font-weight: 550;
      }
      .editors {
        display: flex;
        gap: 4px;
      }
      .editor {
        font-size: 11.5px;
        padding: 0 6px;
        border-radius: 999px;
        color: #fff;
        white-space: nowrap;
      }
      input,
      textarea,
      select {
        border-color: transparent;
        background: var(--t-surface-2);
      }
      input:hover,
      textarea:hover,
      select:hover {
        border-color: var(--t-border-strong);
      }
      textarea {
        min-height: 72px;
        padding: var(--t-space-2) var(--t-space-3);
        resize: vertical;
      }
      .refusal {
        display: flex;
        align-items: baseline;
        gap: var(--t-space-2);
      }
      :host([editing]) input,
      :host([editing]) textarea,
      :host([editing]) select {
        box-shadow: 0 0 0 2px var(--editor-color, var(--t-primary));
      }
    `,
  ];
  declare name: CustomerFieldName;
  declare label: string;
  declare value: string;
  declare editors: readonly Peer[];
  declare readonly: boolean;
  declare multiline: boolean;
  declare required: boolean;
  declare options: readonly FieldOption[] | null;
  declare inputType: string;
  /** Why the server refused our last change of this field, or ''. */
  declare refusal: string;
  /** What the user typed and has not yet written, or null. */
  declare draft: string | null;
  declare issue: FieldIssue | null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.name = 'name';
    this.label = '';
    this.value = '';
    this.editors = [];
    this.readonly = false;
    this.multiline = false;
    this.required = false;
    this.options = null;
    this.inputType = 'text';
    this.refusal = '';
    this.draft = null;
    this.issue = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.flush(true);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Our own write came back from the document: the field shows the document again.
    if (changed.has('value') && this.draft !== null && this.draft === this.value) this.draft = null;
    if (changed.has('editors')) {
      const first = this.editors[0];
      this.toggleAttribute('editing', Boolean(first));
      if (first) this.style.setProperty('--editor-color', first.user.color);
      else this.style.removeProperty('--editor-color');
    }
  }

  protected override updated(): void {
    // `selected` attributes no longer move a select the user has changed: a value that comes
    // back from the document (a peer's edit, or the server undoing a refused change) is set here.
    const select = this.renderRoot.querySelector('select');
    const shown = this.draft ?? this.value;
    if (select && select.value !== shown) select.value = shown;
  }

  private onInput(e: Event): void {
    this.draft = (e.target as HTMLInputElement).value;
    this.issue = fieldIssue(this.name, this.draft);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), COMMIT_DEBOUNCE_MS);
  }

  /**
   * Writes the draft if it is valid; keeps it (with its issue shown) if not. While the user
   * types, the value goes in as typed (a trailing space stays, or the next word would lose
   * it); when they leave the field (`final`), trimmed.
   */
  private flush(final = false): void {
    clearTimeout(this.timer);
    if (this.draft === null) return;
    const value = final ? this.draft.trim() : this.draft;
    this.issue = fieldIssue(this.name, value);
    if (this.issue) return;
    if (value === this.value) {
      this.draft = null;
      return;
    }
    // The draft stays until the document echoes the value (willUpdate), so the input never flickers back.
    this.draft = value;
    this.dispatchEvent(new CustomEvent('field-commit', { detail: { name: this.name, value }, bubbles: true, composed: true }));
  }

  private onFocus(): void {
    this.dispatchEvent(new CustomEvent<string | null>('field-focus', { detail: this.name, bubbles: true, composed: true }));
  }

  private onBlur(): void {
    this.flush(true);
    if (this.issue && this.draft !== null) {
      // An invalid value is not kept once the user leaves: the document's value comes back.
      this.draft = null;
      this.issue = null;
    }
    this.dispatchEvent(new CustomEvent<string | null>('field-focus', { detail: null, bubbles: true, composed: true }));
  }

  private dismissRefusal(): void {
    this.dispatchEvent(new CustomEvent('refusal-dismiss', { detail: this.name, bubbles: true, composed: true }));
  }

  private onSelect(e: Event): void {
    const value = (e.target as HTMLSelectElement).value;
    if (value !== this.value) this.dispatchEvent(new CustomEvent('field-commit', { detail: { name: this.name, value }, bubbles: true, composed: true }));
  }

  override render() {
    const shown = this.draft ?? this.value;
    const id = `f-${this.name}`;
    const describedBy = this.issue ? `${id}-error` : this.refusal ? `${id}-refusal` : nothing;
    const invalid = this.issue || this.refusal ? 'true' : 'false';
    const control = this.options
      ? html`<select
          id=${id}
          ?disabled=${this.readonly}
          aria-invalid=${invalid}
          aria-describedby=${describedBy}
          @change=${this.onSelect}
          @focus=${this.onFocus}
          @blur=${this.onBlur}
        >
          ${this.options.map((o) => html`<option value=${o.value} ?selected=${o.value === shown}>${o.label}</option>`)}
        </select>`
      : this.multiline
        ? html`<textarea
            id=${id}
            .value=${shown}
            maxlength=${CUSTOMER_FIELD_MAX[this.name]}
            ?readonly=${this.readonly}
            aria-invalid=${invalid}
            aria-describedby=${describedBy}
            @input=${this.onInput}
            @focus=${this.onFocus}
            @blur=${this.onBlur}
          ></textarea>`
        : html`<input
            id=${id}
            type=${this.inputType}
            .value=${shown}
            maxlength=${CUSTOMER_FIELD_MAX[this.name]}
            ?readonly=${this.readonly}
            ?required=${this.required}
            aria-invalid=${invalid}
            aria-describedby=${describedBy}
            @input=${this.onInput}
            @focus=${this.onFocus}
            @blur=${this.onBlur}
            @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.flush(true)}
          />`;
    return html`<div class="field">
      <div class="top">
        <label for=${id}>${this.label}${this.required ? html`<span class="required" aria-hidden="true">*</span>` : nothing}</label>
        <span class="editors">
          ${this.editors.map(
            (p) => html`<span class="editor" style="background:${p.user.color}" title=${msg(str`${p.user.name} is editing`, { id: 'customer.editing' })}
              >${p.user.name}</span
            >`,
          )}
        </span>
      </div>
      ${control} ${this.issue ? html`<p class="field-error" id="${id}-error">${issueText(this.issue)}</p>` : nothing}
      ${this.refusal
        ? html`<p class="field-error refusal" id="${id}-refusal" role="alert">
            <span>${this.refusal}</span>
            <button type="button" class="link" @click=${this.dismissRefusal}>${msg('Dismiss', { id: 'common.dismiss' })}</button>
          </p>`
        : nothing}
    </div>`;
  }
}

customElements.define('tandem-customer-field', TandemCustomerField);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-field': TandemCustomerField;
  }
}
