/**
 * The custom fields of a record bound to its live document: a customer's on its 360° page
 * (the document's `custom` map), an opportunity's in the board's details panel (`entity`
 * "opportunity", `map` the card and `prefix` "custom.": its `custom.<key>` entries). Like the
 * built-in fields: each value written at once into the live document (others see
 * it), a value the server refused explained under its field until the compensation puts the
 * saved one back. The definitions are fetched, and fetched again on `customFields:changed`,
 * so that a field an admin adds, renames or archives shows at once. Fires `field-focus`
 * (`custom.<key>` or null) and `refusal-dismiss` (`custom.<key>`), as the built-in fields do.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
// Keyed: a field added or moved by an admin while someone types keeps their input where it is.
import { repeat } from 'lit/directives/repeat.js';
import type * as Y from 'yjs';
import type { CustomFieldDto, CustomFieldEntity } from '../../../schema/wire/custom-fields.ts';
import { CUSTOMER_ROOTS } from '../../../schema/wire/docs.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { listCustomFields } from '../api/custom-fields.ts';
import type { Peer } from '../customers/customer-presence.ts';
import { type DocRefusal, findRefusal } from '../realtime/doc-refusals.ts';
import { refusalText } from '../realtime/doc-messages.ts';
import { SocketController } from '../realtime/socket-controller.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, cards, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { choicesOf, inputText, parseInput, toggled } from './custom-field-input.ts';
import { localized } from './custom-field-labels.ts';

type Load = { kind: 'loading' } | { kind: 'failed'; error: unknown } | { kind: 'ready'; fields: CustomFieldDto[] };

export class TandemCustomFieldsSection extends LitElement {
  static override properties = {
    doc: { attribute: false },
    entity: { type: String },
    map: { attribute: false },
    prefix: { type: String },
    teamId: { type: String, attribute: 'team-id' },
    readonly: { type: Boolean },
    refusals: { attribute: false },
    peers: { attribute: false },
    users: { attribute: false },
    fallback: { attribute: false },
    load: { state: true },
    values: { state: true },
    issues: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    cards,
    css`
      h3 {
        font-size: var(--t-font-size);
        font-weight: 650;
        margin-bottom: var(--t-space-3);
      }
      .fields {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        gap: var(--t-space-3) var(--t-space-4);
      }
      .wide {
        grid-column: 1 / -1;
      }
      .top {
        display: flex;
        justify-content: space-between;
        gap: var(--t-space-2);
      }
      label,
      legend {
        font-size: var(--t-font-size-sm);
        color: var(--t-muted);
        font-weight: 550;
      }
      .editor {
        font-size: 11.5px;
        padding: 0 6px;
        border-radius: 999px;
        color: #fff;
      }
      textarea {
        min-height: 72px;
        padding: var(--t-space-2) var(--t-space-3);
        resize: vertical;
      }
      /* As the built-in fields (tandem-customer-field.ts): quiet until hovered or focused. */
      input:not([type='checkbox']),
      textarea,
      select {
        border-color: transparent;
        background: var(--t-surface-2);
      }
      input:not([type='checkbox']):hover,
      textarea:hover,
      select:hover {
        border-color: var(--t-border-strong);
      }
      .options {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-2) var(--t-space-4);
      }
      @media (max-width: 560px) {
        .fields {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];
  declare doc: Y.Doc | null;
  /** Whose fields these are (the definitions fetched, the `customFields:changed` events heard). */
  declare entity: CustomFieldEntity;
  /** The map holding the values, when not the document's `custom` root (an opportunity's card). */
  declare map: Y.Map<unknown> | null;
  /** What a value's key is prefixed with in `map` (`custom.` on a card). */
  declare prefix: string;
  declare teamId: string;
  declare readonly: boolean;
  declare refusals: readonly DocRefusal[];
  declare peers: readonly Peer[];
  declare users: readonly UserDto[];
  /** The record's values from the REST view, shown until the document has synced. */
  declare fallback: Readonly<Record<string, unknown>>;
  declare load: Load;
  declare values: Readonly<Record<string, unknown>>;
  /** key → why what the user entered is not stored. */
  declare issues: Readonly<Record<string, string>>;
  private unbind: (() => void) | null = null;
  private loadSeq = 0;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.doc = null;
    this.entity = 'customer';
    this.map = null;
    this.prefix = '';
    this.teamId = '';
    this.readonly = false;
    this.refusals = [];
    this.peers = [];
    this.users = [];
    this.fallback = {};
    this.load = { kind: 'loading' };
    this.values = {};
    this.issues = {};
    new SocketController(this, {
      on: { 'customFields:changed': (e) => e.entity === this.entity && void this.reload() },
      onConnect: (_s, reconnected) => reconnected && void this.reload(),
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unbind?.();
    this.unbind = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('doc') || changed.has('map') || changed.has('prefix')) this.bind();
    if (changed.has('entity') && changed.get('entity') !== undefined) void this.reload();
  }

  async reload(): Promise<void> {
    const seq = ++this.loadSeq;
    try {
      const fields = await listCustomFields(this.entity);
      if (seq === this.loadSeq) this.load = { kind: 'ready', fields };
    } catch (error) {
      if (seq === this.loadSeq) this.load = { kind: 'failed', error };
    }
  }

  private bind(): void {
    this.unbind?.();
    this.unbind = null;
    const map = this.valueMap();
    if (!map) return;
    const prefix = this.prefix;
    const read = () => {
      const values: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(map.toJSON())) if (k.startsWith(prefix)) values[k.slice(prefix.length)] = v;
      this.values = values;
    };
    map.observe(read);
    this.unbind = () => map.unobserve(read);
    read();
  }

  private valueMap(): Y.Map<unknown> | null {
    return this.map ?? this.doc?.getMap<unknown>(CUSTOMER_ROOTS.custom) ?? null;
  }

  private storedValue(key: string): unknown {
    return Object.keys(this.values).length > 0 || !this.valueMap() ? this.values[key] : this.fallback[key];
  }

  private write(def: CustomFieldDto, value: unknown): void {
    const name = `custom.${def.key}`;
    this.issues = { ...this.issues, [def.key]: '' };
    this.dispatchEvent(new CustomEvent('refusal-dismiss', { detail: name, bubbles: true, composed: true }));
    const map = this.valueMap();
    if (!map) return;
    const key = `${this.prefix}${def.key}`;
    if (value === undefined) map.delete(key);
    else if (JSON.stringify(map.get(key)) !== JSON.stringify(value)) map.set(key, value);
  }

  private commitText(def: CustomFieldDto, raw: string): void {
    const parsed = parseInput(def, raw);
    if ('invalid' in parsed) this.issues = { ...this.issues, [def.key]: parsed.invalid };
    else this.write(def, parsed.value);
  }

  private announceFocus(key: string | null): void {
    this.dispatchEvent(new CustomEvent<string | null>('field-focus', { detail: key && `custom.${key}`, bubbles: true, composed: true }));
  }

  private renderControl(def: CustomFieldDto, id: string, describedBy: string) {
    const value = this.storedValue(def.key);
    const common = {
      onFocus: () => this.announceFocus(def.key),
      onBlur: () => this.announceFocus(null),
    };
    const invalid = this.issues[def.key] || findRefusal(this.refusals, `custom.${def.key}`) ? 'true' : 'false';
    switch (def.type) {
      case 'checkbox':
        return html`<label class="choice"
          ><input
            id=${id}
            type="checkbox"
            .checked=${value === true}
            ?disabled=${this.readonly}
            aria-describedby=${describedBy}
            @change=${(e: Event) => this.write(def, (e.target as HTMLInputElement).checked)}
            @focus=${common.onFocus}
            @blur=${common.onBlur}
          />${localized(def.label)}</label
        >`;
      case 'multiSelect':
        return html`<div class="options" role="group" aria-labelledby="${id}-label" aria-describedby=${describedBy}>
          ${def.options.map(
            (o) => html`<label class="choice"
              ><input
                type="checkbox"
                .checked=${Array.isArray(value) && value.includes(o.value)}
                ?disabled=${this.readonly}
                @change=${(e: Event) => this.write(def, toggled(def, this.storedValue(def.key), o.value, (e.target as HTMLInputElement).checked))}
                @focus=${common.onFocus}
                @blur=${common.onBlur}
              />${localized(o.label)}</label
            >`,
          )}
        </div>`;
      case 'select':
      case 'user': {
        const { options, shown } = choicesOf(def, value, this.users, this.teamId);
        return html`<select
          id=${id}
          .value=${shown}
          ?disabled=${this.readonly}
          aria-invalid=${invalid}
          aria-describedby=${describedBy}
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            this.write(def, v === '' ? undefined : v);
          }}
          @focus=${common.onFocus}
          @blur=${common.onBlur}
        >
          <option value="" ?selected=${shown === ''}>—</option>
          ${options.map((o) => html`<option value=${o.value} ?selected=${o.value === shown}>${o.label}</option>`)}
        </select>`;
      }
      case 'longText':
        return html`<textarea
          id=${id}
          .value=${inputText(value)}
          ?readonly=${this.readonly}
          aria-invalid=${invalid}
          aria-describedby=${describedBy}
          @change=${(e: Event) => this.commitText(def, (e.target as HTMLTextAreaElement).value)}
          @focus=${common.onFocus}
          @blur=${common.onBlur}
        ></textarea>`;
      case 'text':
      case 'number':
      case 'currency':
      case 'date':
      case 'url': {
        const type = def.type === 'currency' || def.type === 'number' ? 'number' : def.type === 'text' ? 'text' : def.type;
        return html`<input
          id=${id}
          type=${type}
          step=${def.type === 'currency' ? '0.01' : 'any'}
          .value=${inputText(value)}
          ?readonly=${this.readonly}
          aria-invalid=${invalid}
          aria-describedby=${describedBy}
          @change=${(e: Event) => this.commitText(def, (e.target as HTMLInputElement).value)}
          @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.commitText(def, (e.target as HTMLInputElement).value)}
          @focus=${common.onFocus}
          @blur=${common.onBlur}
        />`;
      }
      default:
        return def.type satisfies never;
    }
  }

  private renderField(def: CustomFieldDto) {
    const id = `cf-${def.key}`;
    const refusal = findRefusal(this.refusals, `custom.${def.key}`);
    const issue = this.issues[def.key];
    const help = localized(def.help);
    const describedBy = [help ? `${id}-help` : '', issue ? `${id}-issue` : '', refusal ? `${id}-refusal` : ''].filter(Boolean).join(' ');
    const editors = this.peers.filter((p) => p.focus === `custom.${def.key}`);
    const wide = def.type === 'longText' || def.type === 'multiSelect';
    const currency = def.type === 'currency' && def.currency ? ` (${def.currency})` : '';
    return html`<div class="field ${wide ? 'wide' : ''}" data-key=${def.key}>
      <div class="top">
        ${def.type === 'checkbox'
          ? html`<span class="label" id="${id}-label"></span>`
          : html`<label for=${id} id="${id}-label"
              >${localized(def.label)}${currency}${def.required ? html`<span class="required" aria-hidden="true">*</span>` : nothing}</label
            >`}
        <span>
          ${editors.map(
            (p) => html`<span class="editor" style="background:${p.user.color}" title=${msg(str`${p.user.name} is editing`, { id: 'customer.editing' })}
              >${p.user.name}</span
            >`,
          )}
        </span>
      </div>
      ${this.renderControl(def, id, describedBy)} ${help ? html`<p class="hint" id="${id}-help">${help}</p>` : nothing}
      ${issue ? html`<p class="field-error" id="${id}-issue">${issue}</p>` : nothing}
      ${refusal
        ? html`<p class="field-error" id="${id}-refusal" role="alert">
            ${refusalText(refusal)}
            <button
              type="button"
              class="link"
              @click=${() => this.dispatchEvent(new CustomEvent('refusal-dismiss', { detail: `custom.${def.key}`, bubbles: true, composed: true }))}
            >
              ${msg('Dismiss', { id: 'common.dismiss' })}
            </button>
          </p>`
        : nothing}
    </div>`;
  }

  override render() {
    const load = this.load;
    switch (load.kind) {
      case 'loading':
        return nothing;
      case 'failed':
        return html`<section class="card" aria-labelledby="cf-h">
          <h3 id="cf-h">${msg('Custom fields', { id: 'customFields.title' })}</h3>
          <tandem-alert kind="error">${errorMessage(load.error)}</tandem-alert>
          <button type="button" @click=${() => this.reload()}>${msg('Try again', { id: 'common.retry' })}</button>
        </section>`;
      case 'ready': {
        const fields = load.fields.filter((f) => f.teamId === null || f.teamId === this.teamId);
        // No fields defined: nothing to show (admins define them under Custom fields).
        if (fields.length === 0) return nothing;
        return html`<section class="card" aria-labelledby="cf-h">
          <h3 id="cf-h">${msg('More details', { id: 'customFields.section' })}</h3>
          <div class="fields">${repeat(
            fields,
            (f) => f.id,
            (f) => this.renderField(f),
          )}</div>
        </section>`;
      }
      default:
        return load satisfies never;
    }
  }
}

customElements.define('tandem-custom-fields-section', TandemCustomFieldsSection);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-custom-fields-section': TandemCustomFieldsSection;
  }
}
