/**
 * The custom fields of a filter panel: one choice per select, multi select and checkbox field
 * of `entity` the user sees — the customer list's (`custom.<key>=<value>` in the list's URL),
 * the Reports screen's (customer and opportunity fields). Fires `custom-filter-change` with the
 * whole new `custom` filter (undefined when empty). `caption`, when given, follows each label
 * (which records the field belongs to).
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { CustomFieldDto, CustomFieldEntity } from '../../../schema/wire/custom-fields.ts';
import { listCustomFields } from '../api/custom-fields.ts';
import { SocketController } from '../realtime/socket-controller.ts';
import { base, forms } from '../ui/styles.ts';
import { localized } from './custom-field-labels.ts';

const FILTERABLE = new Set<CustomFieldDto['type']>(['select', 'multiSelect', 'checkbox']);

export class TandemCustomFieldFilters extends LitElement {
  static override properties = {
    value: { attribute: false },
    entity: { type: String },
    caption: { type: String },
    fields: { state: true },
  };
  static override styles = [
    base,
    forms,
    css`
      :host {
        display: contents;
      }
      .caption {
        font-weight: 400;
        color: var(--t-muted);
      }
    `,
  ];
  declare value: Readonly<Record<string, readonly string[]>>;
  declare entity: CustomFieldEntity;
  declare caption: string;
  declare fields: readonly CustomFieldDto[];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.value = {};
    this.entity = 'customer';
    this.caption = '';
    this.fields = [];
    new SocketController(this, { on: { 'customFields:changed': (e) => e.entity === this.entity && void this.reload() } });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  private async reload(): Promise<void> {
    try {
      this.fields = (await listCustomFields(this.entity)).filter((f) => FILTERABLE.has(f.type));
    } catch {
      // The panel works without them; the list shows its own errors.
      this.fields = [];
    }
  }

  private set(key: string, v: string): void {
    const next: Record<string, readonly string[]> = { ...this.value };
    if (v) next[key] = [v];
    else delete next[key];
    this.dispatchEvent(new CustomEvent('custom-filter-change', { detail: Object.keys(next).length > 0 ? next : undefined }));
  }

  override render() {
    if (this.fields.length === 0) return nothing;
    return this.fields.map((f) => {
      const current = this.value[f.key]?.[0] ?? '';
      const options =
        f.type === 'checkbox'
          ? [
              { value: 'true', label: msg('Yes', { id: 'customFields.yes' }) },
              { value: 'false', label: msg('No', { id: 'customFields.no' }) },
            ]
          : f.options.map((o) => ({ value: o.value, label: localized(o.label) }));
      return html`<div class="field">
        <label for="cff-${f.key}">${localized(f.label)}${this.caption ? html` <span class="caption">· ${this.caption}</span>` : nothing}</label>
        <select id="cff-${f.key}" @change=${(e: Event) => this.set(f.key, (e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${current === ''}>${msg('Any', { id: 'customers.filter.tagAny' })}</option>
          ${options.map((o) => html`<option value=${o.value} ?selected=${o.value === current}>${o.label}</option>`)}
        </select>
      </div>`;
    });
  }
}

customElements.define('tandem-custom-field-filters', TandemCustomFieldFilters);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-custom-field-filters': TandemCustomFieldFilters;
  }
}
