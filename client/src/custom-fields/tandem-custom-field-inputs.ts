/**
 * Custom field controls inside an ordinary form (records without a live document, such as
 * contacts): one control per definition, holding what the user entered until the form is
 * saved. `changes()` answers the values to send — only the keys the user changed, `null` for a
 * cleared one — or the hints of the keys that cannot be stored (the rules are the server's,
 * through custom-field-input.ts). `errors` shows a server refusal (`custom.<key>`) under its field.
 */
import { msg } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { CustomFieldDto } from '../../../schema/wire/custom-fields.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { base, forms } from '../ui/styles.ts';
import { choicesOf, hint, inputText, parseInput, toggled } from './custom-field-input.ts';
import { localized } from './custom-field-labels.ts';

export type CustomChanges = { ok: true; values: Record<string, unknown> } | { ok: false; issues: Record<string, string> };

/** A stored value as a reader sees it: option labels, yes/no, a user's name. */
export function customValueDisplay(def: CustomFieldDto, value: unknown, users: readonly UserDto[]): string {
  if (value === undefined || value === null || value === '') return '';
  const option = (v: unknown) => {
    const o = def.options.find((x) => x.value === v);
    return o ? localized(o.label) : String(v);
  };
  switch (def.type) {
    case 'checkbox':
      return value === true ? msg('Yes', { id: 'customFields.yes' }) : msg('No', { id: 'customFields.no' });
    case 'select':
      return option(value);
    case 'multiSelect':
      return Array.isArray(value) ? value.map(option).join(', ') : String(value);
    case 'user':
      return users.find((u) => u.id === value)?.name ?? String(value);
    case 'currency':
      return `${String(value)}${def.currency ? ` ${def.currency}` : ''}`;
    case 'text':
    case 'longText':
    case 'number':
    case 'date':
    case 'url':
      return String(value);
    default:
      return def.type satisfies never;
  }
}

export class TandemCustomFieldInputs extends LitElement {
  static override properties = {
    fields: { attribute: false },
    values: { attribute: false },
    users: { attribute: false },
    teamId: { type: String, attribute: 'team-id' },
    creating: { type: Boolean },
    errors: { attribute: false },
    idPrefix: { type: String, attribute: 'id-prefix' },
    draft: { state: true },
    issues: { state: true },
  };
  static override styles = [
    base,
    forms,
    css`
      :host {
        display: contents;
      }
      .options {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-2) var(--t-space-4);
      }
      .wide {
        grid-column: 1 / -1;
      }
      textarea {
        min-height: 72px;
        padding: var(--t-space-2) var(--t-space-3);
        resize: vertical;
      }
    `,
  ];
  /** The definitions to show (already those that apply to the record's team), in order. */
  declare fields: readonly CustomFieldDto[];
  /** The record's stored values. */
  declare values: Readonly<Record<string, unknown>>;
  declare users: readonly UserDto[];
  /** The record's team: a user field offers its active members. */
  declare teamId: string;
  /** A new record: required fields must be filled. */
  declare creating: boolean;
  /** Server refusals by field name (`custom.<key>` → message). */
  declare errors: Readonly<Record<string, string>>;
  declare idPrefix: string;
  /** What the user entered, by key: raw text for text controls, values for the others. */
  declare draft: Readonly<Record<string, { raw: string } | { value: unknown }>>;
  declare issues: Readonly<Record<string, string>>;

  constructor() {
    super();
    this.fields = [];
    this.values = {};
    this.users = [];
    this.teamId = '';
    this.creating = false;
    this.errors = {};
    this.idPrefix = 'cfi';
    this.draft = {};
    this.issues = {};
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('values')) {
      this.draft = {};
      this.issues = {};
    }
  }

  /** The values to send, or the hints of those that cannot be stored (shown under their fields). */
  changes(): CustomChanges {
    const values: Record<string, unknown> = {};
    const issues: Record<string, string> = {};
    for (const def of this.fields) {
      const entry = this.draft[def.key];
      let value: unknown = this.values[def.key];
      if (entry && 'raw' in entry) {
        const parsed = parseInput(def, entry.raw);
        if ('invalid' in parsed) {
          issues[def.key] = parsed.invalid;
          continue;
        }
        value = parsed.value;
      } else if (entry) value = entry.value;
      const empty = value === undefined || value === null || (Array.isArray(value) && value.length === 0);
      if (def.required && empty && (this.creating || entry)) {
        issues[def.key] = hint(def, true);
        continue;
      }
      if (!entry) continue;
      if (JSON.stringify(value ?? null) !== JSON.stringify(this.values[def.key] ?? null)) values[def.key] = empty ? null : value;
    }
    this.issues = issues;
    return Object.keys(issues).length > 0 ? { ok: false, issues } : { ok: true, values };
  }

  private set(key: string, entry: { raw: string } | { value: unknown }): void {
    this.draft = { ...this.draft, [key]: entry };
    if (this.issues[key]) this.issues = { ...this.issues, [key]: '' };
  }

  private current(key: string): unknown {
    const entry = this.draft[key];
    if (!entry) return this.values[key];
    return 'value' in entry ? entry.value : undefined;
  }

  private renderControl(def: CustomFieldDto, id: string, describedBy: string, invalid: boolean) {
    const value = this.current(def.key);
    const aria = invalid ? 'true' : 'false';
    switch (def.type) {
      case 'checkbox':
        return html`<label class="choice"
          ><input
            id=${id}
            type="checkbox"
            data-custom=${def.key}
            .checked=${value === true}
            aria-describedby=${describedBy}
            @change=${(e: Event) => this.set(def.key, { value: (e.target as HTMLInputElement).checked })}
          />${localized(def.label)}</label
        >`;
      case 'multiSelect':
        return html`<div class="options" role="group" aria-labelledby="${id}-label" aria-describedby=${describedBy} data-custom=${def.key}>
          ${def.options.map(
            (o) => html`<label class="choice"
              ><input
                type="checkbox"
                .checked=${Array.isArray(value) && value.includes(o.value)}
                @change=${(e: Event) => this.set(def.key, { value: toggled(def, this.current(def.key), o.value, (e.target as HTMLInputElement).checked) })}
              />${localized(o.label)}</label
            >`,
          )}
        </div>`;
      case 'select':
      case 'user': {
        const { options, shown } = choicesOf(def, value, this.users, this.teamId);
        return html`<select
          id=${id}
          data-custom=${def.key}
          .value=${shown}
          aria-invalid=${aria}
          aria-describedby=${describedBy}
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            this.set(def.key, { value: v === '' ? undefined : v });
          }}
        >
          <option value="" ?selected=${shown === ''}>—</option>
          ${options.map((o) => html`<option value=${o.value} ?selected=${o.value === shown}>${o.label}</option>`)}
        </select>`;
      }
      case 'longText':
        return html`<textarea
          id=${id}
          data-custom=${def.key}
          .value=${inputText(this.values[def.key])}
          aria-invalid=${aria}
          aria-describedby=${describedBy}
          @input=${(e: Event) => this.set(def.key, { raw: (e.target as HTMLTextAreaElement).value })}
        ></textarea>`;
      case 'text':
      case 'number':
      case 'currency':
      case 'date':
      case 'url': {
        const type = def.type === 'currency' || def.type === 'number' ? 'number' : def.type;
        return html`<input
          id=${id}
          data-custom=${def.key}
          type=${type}
          step=${def.type === 'currency' ? '0.01' : 'any'}
          .value=${inputText(this.values[def.key])}
          aria-invalid=${aria}
          aria-describedby=${describedBy}
          @input=${(e: Event) => this.set(def.key, { raw: (e.target as HTMLInputElement).value })}
        />`;
      }
      default:
        return def.type satisfies never;
    }
  }

  private renderField(def: CustomFieldDto) {
    const id = `${this.idPrefix}-${def.key}`;
    const problem = this.issues[def.key] || this.errors[`custom.${def.key}`] || '';
    const help = localized(def.help);
    const describedBy = [help ? `${id}-help` : '', problem ? `${id}-issue` : ''].filter(Boolean).join(' ');
    const wide = def.type === 'longText' || def.type === 'multiSelect';
    const currency = def.type === 'currency' && def.currency ? ` (${def.currency})` : '';
    return html`<div class="field ${wide ? 'wide' : ''}" data-key=${def.key}>
      ${def.type === 'checkbox'
        ? nothing
        : html`<label for=${id} id="${id}-label"
            >${localized(def.label)}${currency}${def.required ? html`<span class="required" aria-hidden="true">*</span>` : nothing}</label
          >`}
      ${this.renderControl(def, id, describedBy, problem !== '')} ${help ? html`<p class="hint" id="${id}-help">${help}</p>` : nothing}
      ${problem ? html`<p class="field-error" id="${id}-issue" role="alert">${problem}</p>` : nothing}
    </div>`;
  }

  override render() {
    return repeat(
      this.fields,
      (f) => f.id,
      (f) => this.renderField(f),
    );
  }
}

customElements.define('tandem-custom-field-inputs', TandemCustomFieldInputs);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-custom-field-inputs': TandemCustomFieldInputs;
  }
}
