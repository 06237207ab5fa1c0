/**
 * The tags of a customer: chips with a remove button, and an input that adds
 * a tag on Enter or comma, suggesting the team's existing tags, and why the
 * server refused our last change of them. Fires `tag-change` ({tag, on}),
 * `field-focus` ('tags' or null) and `refusal-dismiss` ('tags').
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { TAG_MAX_CHARS, TAGS_MAX } from '../../../schema/wire/docs.ts';
import { suggestTags } from '../api/customers.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import type { Peer } from './customer-presence.ts';

/** Wait after the last keystroke before asking for suggestions. */
const SUGGEST_DEBOUNCE_MS = 200;

export class TandemCustomerTags extends LitElement {
  static override properties = {
    tags: { attribute: false },
    editors: { attribute: false },
    readonly: { type: Boolean },
    refusal: { type: String },
    suggestions: { state: true },
    error: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-2);
        margin-bottom: var(--t-space-2);
      }
      .chip {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        padding: 2px 4px 2px 10px;
        border-radius: 999px;
        background: var(--t-primary-soft);
        color: var(--t-primary);
        font-weight: 550;
      }
      .chip button {
        min-height: 20px;
        width: 20px;
        padding: 0;
        border: none;
        border-radius: 50%;
        background: transparent;
        color: inherit;
      }
      .editors {
        font-size: var(--t-font-size-sm);
        color: var(--t-muted);
      }
    `,
  ];
  declare tags: readonly string[];
  declare editors: readonly Peer[];
  declare readonly: boolean;
  /** Why the server refused our last change of the tags, or ''. */
  declare refusal: string;
  declare suggestions: string[];
  declare error: string;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.tags = [];
    this.editors = [];
    this.readonly = false;
    this.refusal = '';
    this.suggestions = [];
    this.error = '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  private emit(tag: string, on: boolean): void {
    this.dispatchEvent(new CustomEvent('tag-change', { detail: { tag, on }, bubbles: true, composed: true }));
  }

  private add(input: HTMLInputElement): void {
    const tag = input.value.replace(/[,，\n\r\t]/g, ' ').trim();
    if (!tag) return;
    if ([...tag].length > TAG_MAX_CHARS) {
      this.error = msg(str`A tag is at most ${TAG_MAX_CHARS} characters.`, { id: 'customer.tags.tooLong' });
      return;
    }
    if (!this.tags.includes(tag) && this.tags.length >= TAGS_MAX) {
      this.error = msg(str`A customer has at most ${TAGS_MAX} tags.`, { id: 'customer.tags.tooMany' });
      return;
    }
    this.error = '';
    input.value = '';
    if (!this.tags.includes(tag)) this.emit(tag, true);
  }

  private onKeyDown(e: KeyboardEvent): void {
    const input = e.target as HTMLInputElement;
    if (e.key === 'Enter' || e.key === ',' || e.key === '，') {
      e.preventDefault();
      this.add(input);
    } else if (e.key === 'Backspace' && input.value === '' && this.tags.length > 0) {
      this.emit(this.tags[this.tags.length - 1]!, false);
    }
  }

  private onInput(e: Event): void {
    const q = (e.target as HTMLInputElement).value.trim();
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      try {
        this.suggestions = (await suggestTags(q)).filter((t) => !this.tags.includes(t));
      } catch {
        this.suggestions = [];
      }
    }, SUGGEST_DEBOUNCE_MS);
  }

  private focusChanged(focus: string | null): void {
    this.dispatchEvent(new CustomEvent<string | null>('field-focus', { detail: focus, bubbles: true, composed: true }));
  }

  override render() {
    return html`<div class="chips" role="list" aria-label=${msg('Tags', { id: 'customers.field.tags' })}>
        ${this.tags.length === 0 ? html`<span class="muted">${msg('No tags yet.', { id: 'customer.tags.none' })}</span>` : nothing}
        ${this.tags.map(
          (t) => html`<span class="chip" role="listitem"
            >${t}${this.readonly
              ? nothing
              : html`<button type="button" aria-label=${msg(str`Remove tag ${t}`, { id: 'customer.tags.remove' })} @click=${() => this.emit(t, false)}>×</button>`}</span
          >`,
        )}
      </div>
      ${this.readonly
        ? nothing
        : html`<input
              id="tag-input"
              list="tag-suggestions"
              maxlength=${TAG_MAX_CHARS + 10}
              placeholder=${msg('Add a tag and press Enter', { id: 'customer.tags.add' })}
              aria-label=${msg('Add a tag', { id: 'customer.tags.addLabel' })}
              aria-invalid=${this.error ? 'true' : 'false'}
              @keydown=${this.onKeyDown}
              @input=${this.onInput}
              @change=${(e: Event) => {
                const input = e.target as HTMLInputElement;
                if (this.suggestions.includes(input.value)) this.add(input);
              }}
              @focus=${(e: Event) => {
                this.focusChanged('tags');
                this.onInput(e);
              }}
              @blur=${() => this.focusChanged(null)}
            />
            <datalist id="tag-suggestions">${this.suggestions.map((t) => html`<option value=${t}></option>`)}</datalist>`}
      ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
      ${this.refusal
        ? html`<p class="field-error" role="alert">
            ${this.refusal}
            <button
              type="button"
              class="link"
              @click=${() => this.dispatchEvent(new CustomEvent('refusal-dismiss', { detail: 'tags', bubbles: true, composed: true }))}
            >
              ${msg('Dismiss', { id: 'common.dismiss' })}
            </button>
          </p>`
        : nothing}
      ${this.editors.length
        ? html`<p class="editors">${msg(str`${this.editors.map((p) => p.user.name).join(', ')} editing tags`, { id: 'customer.tags.editing' })}</p>`
        : nothing}`;
  }
}

customElements.define('tandem-customer-tags', TandemCustomerTags);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-tags': TandemCustomerTags;
  }
}
