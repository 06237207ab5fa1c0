/**
 * The customer list's filter panel: category, industry, owner, tags (any or
 * all), follow-up status, and created/updated date ranges. It edits a copy of
 * the filter and fires `filter-change` with the whole new filter on each change.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, type PropertyValues } from 'lit';
import type { CategoryDto } from '../../../schema/wire/customer.ts';
import type { CustomerFilter, FollowupStatus } from '../../../schema/wire/customer-query.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { suggestTags } from '../api/customers.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import { categoryLabel, FOLLOWUP_STATUS_VALUES, followupStatusLabel } from './customer-labels.ts';
import '../custom-fields/tandem-custom-field-filters.ts';

/** Wait after the last keystroke in a text filter before asking the server. */
const TEXT_FILTER_DEBOUNCE_MS = 350;

/** "a, b ,c" → ['a','b','c'] */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[,，]/).map((s) => s.trim()).filter(Boolean))];
}

export class TandemCustomerFilters extends LitElement {
  static override properties = {
    filter: { attribute: false },
    categories: { attribute: false },
    users: { attribute: false },
    tagOptions: { state: true },
    industryText: { state: true },
    tagsText: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      :host {
        background: var(--t-surface);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius);
        padding: var(--t-space-4);
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(190px, 1fr));
        gap: var(--t-space-4);
      }
      .range {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto minmax(0, 1fr);
        align-items: center;
        gap: var(--t-space-2);
      }
      .span2 {
        grid-column: span 2;
      }
      input,
      select {
        min-width: 0;
      }
      @media (max-width: 700px) {
        .span2 {
          grid-column: auto;
        }
      }
      .checks {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-1) var(--t-space-3);
      }
      .inline {
        display: flex;
        gap: var(--t-space-2);
      }
      .inline input {
        flex: 1 1 auto;
      }
      /* Its own width, never squeezed by the tags input (任意 cut to 任). */
      .inline select {
        width: auto;
        flex: none;
      }
      footer {
        display: flex;
        justify-content: flex-end;
        margin-top: var(--t-space-3);
      }
    `,
  ];
  declare filter: CustomerFilter;
  declare categories: readonly CategoryDto[];
  declare users: readonly UserDto[];
  declare tagOptions: string[];
  /** What the user typed in the text filters (kept as typed: "a, " stays while they go on typing). */
  declare industryText: string;
  declare tagsText: string;
  /** The last filter this element sent; any other new filter comes from outside (a saved filter). */
  private sent: CustomerFilter | null = null;
  private textTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.filter = {};
    this.categories = [];
    this.users = [];
    this.tagOptions = [];
    this.industryText = '';
    this.tagsText = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('filter') && this.filter !== this.sent) {
      this.industryText = (this.filter.industry ?? []).join(', ');
      this.tagsText = (this.filter.tags ?? []).join(', ');
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.textTimer);
  }

  private change(patch: Partial<CustomerFilter>): void {
    const next: CustomerFilter = { ...this.filter, ...patch };
    for (const key of Object.keys(patch) as (keyof CustomerFilter)[]) {
      const v = next[key];
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) delete next[key];
    }
    this.filter = next;
    this.sent = next;
    this.dispatchEvent(new CustomEvent<CustomerFilter>('filter-change', { detail: next }));
  }

  private changeLater(patch: Partial<CustomerFilter>): void {
    clearTimeout(this.textTimer);
    this.textTimer = setTimeout(() => this.change(patch), TEXT_FILTER_DEBOUNCE_MS);
  }

  private toggleCategory(key: string, on: boolean): void {
    const current = new Set(this.filter.category ?? []);
    if (on) current.add(key);
    else current.delete(key);
    this.change({ category: [...current] });
  }

  private async loadTagOptions(text: string): Promise<void> {
    const last = text.split(/[,，]/).pop()?.trim() ?? '';
    try {
      this.tagOptions = await suggestTags(last);
    } catch {
      this.tagOptions = [];
    }
  }

  override render() {
    const f = this.filter;
    const owner = f.ownerId?.[0] ?? '';
    return html`<div class="grid">
        <fieldset>
          <legend>${msg('Category', { id: 'customers.field.category' })}</legend>
          <div class="checks">
            ${this.categories.map(
              (c) => html`<label class="choice">
                <input
                  type="checkbox"
                  .checked=${(f.category ?? []).includes(c.key)}
                  @change=${(e: Event) => this.toggleCategory(c.key, (e.target as HTMLInputElement).checked)}
                />${categoryLabel(c.key, this.categories)}
              </label>`,
            )}
          </div>
        </fieldset>
        <div class="field">
          <label for="f-industry">${msg('Industry', { id: 'customers.field.industry' })}</label>
          <input
            id="f-industry"
            .value=${this.industryText}
            placeholder=${msg('e.g. Telecom, Retail', { id: 'customers.filter.industryHint' })}
            @input=${(e: Event) => {
              this.industryText = (e.target as HTMLInputElement).value;
              this.changeLater({ industry: splitList(this.industryText) });
            }}
          />
        </div>
        <div class="field">
          <label for="f-owner">${msg('Owner', { id: 'customers.field.owner' })}</label>
          <select id="f-owner" @change=${(e: Event) => this.change({ ownerId: [(e.target as HTMLSelectElement).value].filter(Boolean) })}>
            <option value="" ?selected=${owner === ''}>${msg('Anyone', { id: 'customers.filter.anyOwner' })}</option>
            <option value="me" ?selected=${owner === 'me'}>${msg('Me', { id: 'customers.filter.me' })}</option>
            <option value="none" ?selected=${owner === 'none'}>${msg('No owner', { id: 'customers.filter.noOwner' })}</option>
            ${this.users.map((u) => html`<option value=${u.id} ?selected=${owner === u.id}>${u.name}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="f-tags">${msg('Tags', { id: 'customers.field.tags' })}</label>
          <div class="inline">
            <input
              id="f-tags"
              list="f-tag-options"
              .value=${this.tagsText}
              placeholder=${msg('Comma-separated', { id: 'customers.filter.tagsHint' })}
              @focus=${(e: Event) => this.loadTagOptions((e.target as HTMLInputElement).value)}
              @input=${(e: Event) => {
                this.tagsText = (e.target as HTMLInputElement).value;
                void this.loadTagOptions(this.tagsText);
                this.changeLater({ tags: splitList(this.tagsText) });
              }}
            />
            <select
              aria-label=${msg('Tag match', { id: 'customers.filter.tagMode' })}
              @change=${(e: Event) => this.change({ tagMode: (e.target as HTMLSelectElement).value as 'any' | 'all' })}
            >
              <option value="any" ?selected=${f.tagMode !== 'all'}>${msg('Any', { id: 'customers.filter.tagAny' })}</option>
              <option value="all" ?selected=${f.tagMode === 'all'}>${msg('All', { id: 'customers.filter.tagAll' })}</option>
            </select>
          </div>
          <datalist id="f-tag-options">${this.tagOptions.map((t) => html`<option value=${t}></option>`)}</datalist>
        </div>
        <div class="field">
          <label for="f-followup">${msg('Follow-up', { id: 'customers.filter.followup' })}</label>
          <select
            id="f-followup"
            @change=${(e: Event) => this.change({ followup: ((e.target as HTMLSelectElement).value || undefined) as FollowupStatus | undefined })}
          >
            <option value="" ?selected=${!f.followup}>${msg('Any', { id: 'customers.filter.tagAny' })}</option>
            ${FOLLOWUP_STATUS_VALUES.map((s) => html`<option value=${s} ?selected=${f.followup === s}>${followupStatusLabel(s)}</option>`)}
          </select>
        </div>
        <fieldset class="span2">
          <legend>${msg('Created', { id: 'customers.filter.created' })}</legend>
          <div class="range">
            <input
              type="date"
              aria-label=${msg('Created from', { id: 'customers.filter.createdFrom' })}
              .value=${f.createdFrom ?? ''}
              @change=${(e: Event) => this.change({ createdFrom: (e.target as HTMLInputElement).value || undefined })}
            />
            <span aria-hidden="true">–</span>
            <input
              type="date"
              aria-label=${msg('Created to', { id: 'customers.filter.createdTo' })}
              .value=${f.createdTo ?? ''}
              @change=${(e: Event) => this.change({ createdTo: (e.target as HTMLInputElement).value || undefined })}
            />
          </div>
        </fieldset>
        <fieldset class="span2">
          <legend>${msg('Updated', { id: 'customers.filter.updated' })}</legend>
          <div class="range">
            <input
              type="date"
              aria-label=${msg('Updated from', { id: 'customers.filter.updatedFrom' })}
              .value=${f.updatedFrom ?? ''}
              @change=${(e: Event) => this.change({ updatedFrom: (e.target as HTMLInputElement).value || undefined })}
            />
            <span aria-hidden="true">–</span>
            <input
              type="date"
              aria-label=${msg('Updated to', { id: 'customers.filter.updatedTo' })}
              .value=${f.updatedTo ?? ''}
              @change=${(e: Event) => this.change({ updatedTo: (e.target as HTMLInputElement).value || undefined })}
            />
          </div>
        </fieldset>
        <tandem-custom-field-filters
          .value=${f.custom ?? {}}
          @custom-filter-change=${(e: CustomEvent<CustomerFilter['custom']>) => this.change({ custom: e.detail })}
        ></tandem-custom-field-filters>
        <tandem-custom-field-filters
          entity="contact"
          caption=${msg('contact', { id: 'customers.filter.contactCaption' })}
          .value=${f.contactCustom ?? {}}
          @custom-filter-change=${(e: CustomEvent<CustomerFilter['contactCustom']>) => this.change({ contactCustom: e.detail })}
        ></tandem-custom-field-filters>
        <div class="field">
          <label for="f-archived">${msg('Archived', { id: 'customers.filter.archived' })}</label>
          <select
            id="f-archived"
            @change=${(e: Event) => this.change({ archived: ((e.target as HTMLSelectElement).value || undefined) as CustomerFilter['archived'] })}
          >
            <option value="" ?selected=${!f.archived}>${msg('Hide archived', { id: 'customers.filter.archivedExclude' })}</option>
            <option value="include" ?selected=${f.archived === 'include'}>${msg('Include archived', { id: 'customers.filter.archivedInclude' })}</option>
            <option value="only" ?selected=${f.archived === 'only'}>${msg('Only archived', { id: 'customers.filter.archivedOnly' })}</option>
          </select>
        </div>
      </div>
      <footer>
        <button
          type="button"
          class="link"
          @click=${() => {
            const { q, sort } = this.filter;
            clearTimeout(this.textTimer);
            this.industryText = '';
            this.tagsText = '';
            this.filter = { q, sort };
            this.sent = this.filter;
            this.dispatchEvent(new CustomEvent<CustomerFilter>('filter-change', { detail: this.filter }));
          }}
        >
          ${msg('Clear filters', { id: 'customers.filter.clear' })}
        </button>
      </footer>`;
  }
}

customElements.define('tandem-customer-filters', TandemCustomerFilters);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-filters': TandemCustomerFilters;
  }
}
