/**
 * Merging another customer into this one (/customers/:id/merge, managers and admins): find the
 * other record, pick each field's value side by side, see what moves over (contacts,
 * opportunities, follow-ups, open tasks), then merge after an in-app confirmation. This record
 * is kept; the other is archived and its tags are added to this one.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { CUSTOMER_FIELDS, type CategoryDto, type CustomerDto, type CustomerField, type MergePreviewDto } from '../../../schema/wire/customer.ts';
import { type CustomFieldDto, isEmptyCustomValue } from '../../../schema/wire/custom-fields.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { getCustomer, listCategories, listCustomers } from '../api/customers.ts';
import { mergeCustomers, mergePreview } from '../api/customer-merge.ts';
import { listUsers } from '../api/users.ts';
import { navigate } from '../app/router.ts';
import { CustomFieldsController } from '../custom-fields/custom-fields-controller.ts';
import { localized } from '../custom-fields/custom-field-labels.ts';
import { customValueDisplay } from '../custom-fields/tandem-custom-field-inputs.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons, cards, forms, tables } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { categoryLabel, fieldLabel, kindLabel } from './customer-labels.ts';

/** Candidates shown for a search. */
const SEARCH_LIMIT = 10;
const SEARCH_DEBOUNCE_MS = 250;

type Side = 'target' | 'source';
type Load = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; target: CustomerDto };
type Search = { kind: 'idle' } | { kind: 'searching' } | { kind: 'failed'; message: string } | { kind: 'done'; items: CustomerDto[] };
type Pair = { kind: 'none' } | { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; source: CustomerDto; preview: MergePreviewDto };

export class TandemCustomerMergePage extends LitElement {
  static override properties = {
    customerId: { type: String, attribute: 'customer-id' },
    load: { state: true },
    search: { state: true },
    pair: { state: true },
    picks: { state: true },
    customPicks: { state: true },
    confirming: { state: true },
    busy: { state: true },
    error: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    cards,
    tables,
    badges,
    css`
      :host {
        display: grid;
        gap: var(--t-space-5);
        max-width: 1000px;
      }
      .card {
        display: grid;
        gap: var(--t-space-3);
      }
      .card > header {
        margin-bottom: 0;
      }
      ul.candidates {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--t-space-2);
      }
      ul.candidates button {
        width: 100%;
        justify-content: space-between;
        text-align: left;
      }
      td label {
        display: flex;
        gap: var(--t-space-2);
        align-items: flex-start;
        font-weight: 400;
        overflow-wrap: anywhere;
      }
      td input[type='radio'] {
        width: auto;
        min-height: auto;
        margin-top: 3px;
      }
      .empty-value {
        color: var(--t-muted);
        font-style: italic;
      }
      ul.moves {
        margin: 0;
        padding-left: var(--t-space-5);
      }
      @media (max-width: 600px) {
        table,
        thead,
        tbody,
        tr,
        th,
        td {
          display: block;
        }
        thead {
          display: none;
        }
        tr {
          padding: var(--t-space-2) 0;
          border-bottom: 1px solid var(--t-border);
        }
        th[scope='row'] {
          font-weight: 600;
        }
      }
    `,
  ];
  declare customerId: string;
  declare load: Load;
  declare search: Search;
  declare pair: Pair;
  /** Which record's value each field keeps; absent: this one's. */
  declare picks: Partial<Record<CustomerField, Side>>;
  /** The same for custom values, by key; absent: this one's unless it has none. */
  declare customPicks: Record<string, Side>;
  declare confirming: boolean;
  declare busy: boolean;
  declare error: string;
  private readonly customFields = new CustomFieldsController(this, 'customer');
  private users: UserDto[] = [];
  private categories: CategoryDto[] = [];
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private searchSeq = 0;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.customerId = '';
    this.load = { kind: 'loading' };
    this.search = { kind: 'idle' };
    this.pair = { kind: 'none' };
    this.picks = {};
    this.customPicks = {};
    this.confirming = false;
    this.busy = false;
    this.error = '';
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('customerId') && this.customerId) void this.loadTarget();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  private async loadTarget(): Promise<void> {
    this.load = { kind: 'loading' };
    try {
      const [target, users, categories] = await Promise.all([
        getCustomer(this.customerId),
        listUsers().catch(() => []),
        listCategories().catch(() => []),
      ]);
      this.users = users;
      this.categories = categories;
      this.load = { kind: 'ready', target };
    } catch (err) {
      this.load = { kind: 'failed', message: errorMessage(err) };
    }
  }

  private onSearch(q: string): void {
    clearTimeout(this.searchTimer);
    if (!q.trim()) {
      this.search = { kind: 'idle' };
      return;
    }
    this.searchTimer = setTimeout(() => void this.runSearch(q.trim()), SEARCH_DEBOUNCE_MS);
  }

  private async runSearch(q: string): Promise<void> {
    const seq = ++this.searchSeq;
    this.search = { kind: 'searching' };
    try {
      const list = await listCustomers({ q }, { limit: SEARCH_LIMIT + 1 });
      if (seq !== this.searchSeq) return;
      this.search = { kind: 'done', items: list.items.filter((c) => c.id !== this.customerId && !c.archivedAt).slice(0, SEARCH_LIMIT) };
    } catch (err) {
      if (seq === this.searchSeq) this.search = { kind: 'failed', message: errorMessage(err) };
    }
  }

  private async pick(source: CustomerDto, target: CustomerDto): Promise<void> {
    this.pair = { kind: 'loading' };
    this.error = '';
    try {
      const preview = await mergePreview(target.id, source.id);
      // Default: this record's value, unless it has none and the other has one.
      const picks: Partial<Record<CustomerField, Side>> = {};
      for (const f of CUSTOMER_FIELDS) if (!this.raw(target, f) && this.raw(source, f)) picks[f] = 'source';
      this.picks = picks;
      this.customPicks = {};
      this.pair = { kind: 'ready', source, preview };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#merge-fields-h')?.focus();
    } catch (err) {
      this.pair = { kind: 'failed', message: errorMessage(err) };
    }
  }

  /** Which record's custom value the merge keeps: the pick, else this one's unless it has none (as the server does). */
  private customSide(target: CustomerDto, source: CustomerDto, key: string): Side {
    return this.customPicks[key] ?? (isEmptyCustomValue(target.custom[key]) && !isEmptyCustomValue(source.custom[key]) ? 'source' : 'target');
  }

  /** The team's custom fields whose values differ between the two records. */
  private differingCustom(target: CustomerDto, source: CustomerDto): CustomFieldDto[] {
    return this.customFields
      .ofTeam(target.teamId)
      .filter((d) => JSON.stringify(target.custom[d.key] ?? null) !== JSON.stringify(source.custom[d.key] ?? null));
  }

  private raw(c: CustomerDto, f: CustomerField): string {
    return String((c as unknown as Record<string, unknown>)[f] ?? '');
  }

  private shown(c: CustomerDto, f: CustomerField): string {
    const v = this.raw(c, f);
    if (!v) return '';
    switch (f) {
      case 'ownerId':
        return this.users.find((u) => u.id === v)?.name ?? v;
      case 'category':
        return categoryLabel(v, this.categories);
      case 'kind':
        return kindLabel(v);
      default:
        return v;
    }
  }

  private async merge(target: CustomerDto, source: CustomerDto): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      const custom = Object.fromEntries(this.differingCustom(target, source).map((d) => [d.key, this.customSide(target, source, d.key)]));
      await mergeCustomers(target.id, { sourceId: source.id, fields: this.picks, custom });
      this.confirming = false;
      navigate(`/customers/${target.id}`);
    } catch (err) {
      this.confirming = false;
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  private renderValue(shown: string) {
    return shown ? html`<span>${shown}</span>` : html`<span class="empty-value">${msg('(empty)', { id: 'merge.empty' })}</span>`;
  }

  /** One row of the side-by-side choice: `id` names the radio group (a field, or `custom.<key>`). */
  private renderPick(id: string, label: string, side: Side, set: (s: Side) => void, kept: string, taken: string) {
    const rowId = `f-${id.replace('.', '-')}`;
    return html`<tr data-field=${id}>
      <th scope="row" id=${rowId}>${label}</th>
      <td>
        <label><input type="radio" name=${`pick-${id}`} value="target" .checked=${side === 'target'} @change=${() => set('target')} aria-describedby=${rowId} />
          ${this.renderValue(kept)}</label>
      </td>
      <td>
        <label><input type="radio" name=${`pick-${id}`} value="source" .checked=${side === 'source'} @change=${() => set('source')} aria-describedby=${rowId} />
          ${this.renderValue(taken)}</label>
      </td>
    </tr>`;
  }

  private renderFields(target: CustomerDto, source: CustomerDto) {
    const differing = CUSTOMER_FIELDS.filter((f) => this.raw(target, f) !== this.raw(source, f));
    const custom = this.differingCustom(target, source);
    return html`<section class="card" aria-labelledby="merge-fields-h">
      <header>
        <div>
          <h2 id="merge-fields-h" tabindex="-1">${msg('Choose the values to keep', { id: 'merge.fieldsTitle' })}</h2>
          <p class="muted">${msg('Only the fields where the two records differ are listed. Tags of both are kept.', { id: 'merge.fieldsIntro' })}</p>
        </div>
      </header>
      ${differing.length === 0 && custom.length === 0
        ? html`<p>${msg('Both records hold the same values.', { id: 'merge.same' })}</p>`
        : html`<div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">${msg('Field', { id: 'merge.field' })}</th>
                  <th scope="col">${msg(str`Keep from ${target.name}`, { id: 'merge.fromTarget' })}</th>
                  <th scope="col">${msg(str`Take from ${source.name}`, { id: 'merge.fromSource' })}</th>
                </tr>
              </thead>
              <tbody>
                ${differing.map((f) =>
                  this.renderPick(f, fieldLabel(f), this.picks[f] ?? 'target', (side) => (this.picks = { ...this.picks, [f]: side }), this.shown(target, f), this.shown(source, f)),
                )}
                ${custom.map((d) =>
                  this.renderPick(
                    `custom.${d.key}`,
                    localized(d.label),
                    this.customSide(target, source, d.key),
                    (side) => (this.customPicks = { ...this.customPicks, [d.key]: side }),
                    customValueDisplay(d, target.custom[d.key], this.users),
                    customValueDisplay(d, source.custom[d.key], this.users),
                  ),
                )}
              </tbody>
            </table>
          </div>`}
    </section>`;
  }

  private renderPreview(target: CustomerDto, source: CustomerDto, p: MergePreviewDto) {
    return html`<section class="card" aria-labelledby="merge-moves-h">
      <header><h2 id="merge-moves-h">${msg('What moves over', { id: 'merge.movesTitle' })}</h2></header>
      <ul class="moves" data-preview>
        <li>${msg(str`${p.contacts} contacts`, { id: 'merge.contacts' })}</li>
        <li>${msg(str`${p.opportunities} opportunities`, { id: 'merge.opportunities' })}</li>
        <li>${msg(str`${p.followups} follow-ups`, { id: 'merge.followups' })}</li>
        <li>${msg(str`${p.tasks} open tasks`, { id: 'merge.tasks' })}</li>
      </ul>
      <p class="muted">${msg(str`${source.name} is then archived; its history moves to ${target.name}.`, { id: 'merge.archivedAfter' })}</p>
      <div class="actions">
        <button class="primary" type="button" @click=${() => (this.confirming = true)}>${msg('Merge…', { id: 'merge.start' })}</button>
        <button type="button" @click=${() => (this.pair = { kind: 'none' })}>${msg('Choose another record', { id: 'merge.another' })}</button>
      </div>
      <tandem-dialog .open=${this.confirming} heading=${msg('Merge these customers?', { id: 'merge.confirmHeading' })} @close=${() => (this.confirming = false)}>
        <form
          @submit=${(e: Event) => {
            e.preventDefault();
            void this.merge(target, source);
          }}
        >
          <p>${msg(str`${source.name} will be merged into ${target.name} and archived. This cannot be undone from here.`, { id: 'merge.confirmText' })}</p>
          <div class="actions end">
            <button type="button" data-autofocus @click=${() => (this.confirming = false)}>${msg('Cancel', { id: 'common.cancel' })}</button>
            <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Merge', { id: 'lists.tags.merge' })}</button>
          </div>
        </form>
      </tandem-dialog>
    </section>`;
  }

  private renderSearch(target: CustomerDto) {
    const s = this.search;
    return html`<section class="card" aria-labelledby="merge-find-h">
      <header>
        <div>
          <h2 id="merge-find-h">${msg('Find the duplicate', { id: 'merge.findTitle' })}</h2>
          <p class="muted">${msg(str`The record you pick is merged into ${target.name}.`, { id: 'merge.findIntro' })}</p>
        </div>
      </header>
      <div class="field">
        <label for="merge-q">${msg('Name, phone or contact', { id: 'merge.search' })}</label>
        <input id="merge-q" type="search" autocomplete="off" @input=${(e: Event) => this.onSearch((e.target as HTMLInputElement).value)} />
      </div>
      ${s.kind === 'searching'
        ? html`<tandem-loading></tandem-loading>`
        : s.kind === 'failed'
          ? html`<tandem-alert>${s.message}</tandem-alert>`
          : s.kind === 'done'
            ? s.items.length === 0
              ? html`<p class="muted" role="status">${msg('No other customer matches.', { id: 'merge.noMatch' })}</p>`
              : html`<ul class="candidates" aria-label=${msg('Matching customers', { id: 'merge.matches' })}>
                  ${s.items.map(
                    (c) => html`<li>
                      <button type="button" @click=${() => this.pick(c, target)}>
                        <span>${c.name}</span><span class="muted">${c.phone || c.email}</span>
                      </button>
                    </li>`,
                  )}
                </ul>`
            : nothing}
    </section>`;
  }

  override render() {
    const load = this.load;
    switch (load.kind) {
      case 'loading':
        return html`<tandem-loading></tandem-loading>`;
      case 'failed':
        return html`<tandem-empty-state icon="alert" heading=${msg('This customer could not be loaded', { id: 'merge.loadFailed' })}>
          ${load.message}
          <button slot="actions" class="primary" type="button" @click=${() => this.loadTarget()}>${msg('Try again', { id: 'common.retry' })}</button>
        </tandem-empty-state>`;
      case 'ready': {
        const target = load.target;
        const pair = this.pair;
        return html`<p><a href=${`/customers/${target.id}`}>${msg(str`Back to ${target.name}`, { id: 'merge.back' })}</a></p>
          ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
          ${pair.kind === 'none'
            ? this.renderSearch(target)
            : pair.kind === 'loading'
              ? html`<tandem-loading></tandem-loading>`
              : pair.kind === 'failed'
                ? html`<tandem-alert>${pair.message}</tandem-alert>
                    <button type="button" @click=${() => (this.pair = { kind: 'none' })}>${msg('Choose another record', { id: 'merge.another' })}</button>`
                : html`${this.renderFields(target, pair.source)} ${this.renderPreview(target, pair.source, pair.preview)}`}`;
      }
      default:
        return load satisfies never;
    }
  }
}

customElements.define('tandem-customer-merge-page', TandemCustomerMergePage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-merge-page': TandemCustomerMergePage;
  }
}
