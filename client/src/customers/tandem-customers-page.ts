/**
 * The customer list screen: keyword search (debounced), sort, the filter
 * panel, saved filters, export of the current filter (CSV / Excel), the import
 * wizard and the create form. The filter lives in the address bar.
 * Offline, the list shows this device's copy (tandem-customer-list.ts); a new
 * customer waits in the outbox (the form closes and says so), and what needs
 * the server — import, export, saved filters, bulk edits — is disabled.
 */
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, svg } from 'lit';
import type { CategoryDto, CustomerDto } from '../../../schema/wire/customer.ts';
import type { CustomerFilter, CustomerSort, SavedFilterDto } from '../../../schema/wire/customer-query.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { can } from '../../../schema/policy/access.ts';
import { deleteSavedFilter, exportUrl, listCategories, listSavedFilters, saveFilter } from '../api/customers.ts';
import { ApiError } from '../api/http.ts';
import { listUsers } from '../api/users.ts';
import { sessionContext } from '../app/contexts.ts';
import { navigate } from '../app/router.ts';
import { keepList, keptList } from '../offline/kept-lists.ts';
import { needsNetworkText } from '../offline/offline-messages.ts';
import { OnlineController } from '../offline/online-controller.ts';
import { queuedText } from '../offline/queued.ts';
import { errorMessage } from '../ui/error-message.ts';
import { icons } from '../ui/icons.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../realtime/tandem-presence.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';
import { SORT_VALUES, sortLabel } from './customer-labels.ts';
import { activeFilterCount, filterFromSearch, searchFromFilter } from './customer-filter-url.ts';
import './tandem-customer-create-form.ts';
import type { TandemCustomerCreateForm } from './tandem-customer-create-form.ts';
import './tandem-customer-filters.ts';
import './tandem-customer-import.ts';
import type { TandemCustomerImport } from './tandem-customer-import.ts';
import './tandem-customer-list.ts';
import './tandem-customer-bulk-bar.ts';
import type { SelectionState } from './customer-selection.ts';
import type { TandemCustomerList } from './tandem-customer-list.ts';

/** Wait after the last keystroke in the search box before searching. */
export const SEARCH_DEBOUNCE_MS = 250;
/** Same as SEARCH_MAX in schema/wire/customer.ts. */
const SEARCH_MAX = 100;
const SAVED_FILTER_NAME_MAX = 80;

/** The built-in categories (DEFAULT_CATEGORIES in schema/wire/customer.ts), until the team's list arrives. */
const DEFAULT_CATEGORIES: readonly CategoryDto[] = ['potential', 'intent', 'closed-won', 'vip'].map((key) => ({ key, label: key }));
const searchIcon = svg`<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" aria-hidden="true" focusable="false"><circle cx="11" cy="11" r="7"/><path d="m20 20-3.5-3.5"/></svg>`;

type Dialog = 'none' | 'create' | 'import' | 'save-filter';

/** What the page fetches beside the list, kept with it for offline use (offline/kept-lists.ts). */
interface ReferenceData {
  categories: CategoryDto[];
  users: UserDto[];
  saved: SavedFilterDto[];
}
const REFERENCE_KEY = 'customers:reference';

export class TandemCustomersPage extends LitElement {
  static override properties = {
    filter: { state: true },
    showFilters: { state: true },
    categories: { state: true },
    users: { state: true },
    saved: { state: true },
    selectedSaved: { state: true },
    dialog: { state: true },
    notice: { state: true },
    saveError: { state: true },
    bulk: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      :host {
        display: grid;
        gap: var(--t-space-4);
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-2);
        align-items: center;
      }
      .search {
        flex: 1 1 280px;
        position: relative;
      }
      .search input {
        padding-left: 34px;
      }
      .search svg {
        position: absolute;
        left: 10px;
        top: 50%;
        transform: translateY(-50%);
        color: var(--t-muted);
      }
      .toolbar select {
        width: auto;
      }
      .spacer {
        flex: 1 0 0;
      }
      .saved {
        display: flex;
        gap: var(--t-space-2);
        align-items: center;
        flex-wrap: wrap;
      }
      a.button {
        color: var(--t-text);
      }
      button[aria-pressed='true'] {
        background: var(--t-primary-soft);
        border-color: var(--t-primary);
        color: var(--t-primary);
      }
    `,
  ];
  declare filter: CustomerFilter;
  declare showFilters: boolean;
  declare categories: readonly CategoryDto[];
  declare users: readonly UserDto[];
  declare saved: readonly SavedFilterDto[];
  declare selectedSaved: string;
  declare dialog: Dialog;
  declare notice: { kind: 'error' | 'success' | 'info'; text: string } | null;
  declare saveError: string;
  /** The list's selection and match count, for the bulk bar. */
  declare bulk: SelectionState | null;
  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly network = new OnlineController(this, () => void this.loadReferenceData());

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.filter = filterFromSearch(location.search);
    this.showFilters = activeFilterCount(this.filter) > 0;
    this.categories = DEFAULT_CATEGORIES;
    this.users = [];
    this.saved = [];
    this.selectedSaved = '';
    this.dialog = 'none';
    this.notice = null;
    this.saveError = '';
    this.bulk = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadReferenceData();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  /**
   * Categories, team members and saved filters; the list works without them.
   * Kept on this device with the list, so that its category labels and owners
   * show offline too.
   */
  private async loadReferenceData(): Promise<void> {
    const [categories, users, saved] = await Promise.allSettled([listCategories(), listUsers(), listSavedFilters()]);
    if (categories.status === 'fulfilled' && users.status === 'fulfilled' && saved.status === 'fulfilled') {
      void keepList(REFERENCE_KEY, { categories: categories.value, users: users.value, saved: saved.value } satisfies ReferenceData);
    }
    const kept = [categories, users, saved].some((r) => r.status === 'rejected') ? (await keptList<ReferenceData>(REFERENCE_KEY))?.value : undefined;
    const pick = <T,>(r: PromiseSettledResult<T>, fallback: T | undefined) => (r.status === 'fulfilled' ? r.value : fallback);
    const cats = pick(categories, kept?.categories);
    if (cats && cats.length > 0) this.categories = cats;
    this.users = pick(users, kept?.users) ?? this.users;
    this.saved = pick(saved, kept?.saved) ?? this.saved;
  }

  /** The box is not bound to the filter: re-setting it while the user types would drop a trailing space. */
  protected override firstUpdated(): void {
    const search = this.renderRoot.querySelector<HTMLInputElement>('#search');
    if (search) search.value = this.filter.q ?? '';
    // `/customers?import=leads` (the leads page's "Import" link) opens the wizard for leads.
    if (new URLSearchParams(location.search).get('import') === 'leads') {
      this.openDialog('import');
      const wizard = this.renderRoot.querySelector<TandemCustomerImport>('tandem-customer-import');
      if (wizard) wizard.target = 'leads';
    }
  }

  private get list(): TandemCustomerList | null {
    return this.renderRoot.querySelector('tandem-customer-list');
  }

  private setFilter(next: CustomerFilter): void {
    this.filter = next;
    history.replaceState(history.state, '', `${location.pathname}${searchFromFilter(next)}`);
  }

  private onSearchInput(e: Event): void {
    const q = (e.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.setFilter({ ...this.filter, q: q.trim() || undefined }), SEARCH_DEBOUNCE_MS);
  }

  private onSearchKey(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      void this.list?.focusRow(0);
    } else if (e.key === 'Enter') {
      clearTimeout(this.searchTimer);
      this.setFilter({ ...this.filter, q: (e.target as HTMLInputElement).value.trim() || undefined });
    }
  }

  private applySaved(id: string): void {
    this.selectedSaved = id;
    const saved = this.saved.find((s) => s.id === id);
    if (!saved) return;
    this.setFilter({ ...saved.query });
    this.showFilters = activeFilterCount(saved.query) > 0;
    const search = this.renderRoot.querySelector<HTMLInputElement>('#search');
    if (search) search.value = saved.query.q ?? '';
  }

  private async onSaveFilter(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#saved-name');
    const name = input?.value.trim() ?? '';
    if (!name) {
      this.saveError = msg('Give the filter a name.', { id: 'customers.saved.nameRequired' });
      return;
    }
    try {
      const saved = await saveFilter(name, this.filter);
      this.saved = [...this.saved, saved].sort((a, b) => a.name.localeCompare(b.name));
      this.selectedSaved = saved.id;
      this.dialog = 'none';
      this.notice = { kind: 'success', text: msg(str`Saved the filter “${saved.name}”.`, { id: 'customers.saved.done' }) };
    } catch (err) {
      this.saveError =
        err instanceof ApiError && err.code === 'conflict'
          ? err.field === 'name'
            ? msg('You already have a saved filter with this name.', { id: 'customers.saved.nameTaken' })
            : msg('You have reached the limit of saved filters; delete one first.', { id: 'customers.saved.tooMany' })
          : errorMessage(err);
    }
  }

  private async onDeleteSaved(): Promise<void> {
    const saved = this.saved.find((s) => s.id === this.selectedSaved);
    if (!saved) return;
    try {
      await deleteSavedFilter(saved.id);
      this.saved = this.saved.filter((s) => s.id !== saved.id);
      this.selectedSaved = '';
      this.notice = { kind: 'success', text: msg(str`Deleted the filter “${saved.name}”.`, { id: 'customers.saved.deleted' }) };
    } catch (err) {
      this.notice = { kind: 'error', text: errorMessage(err) };
    }
  }

  private openDialog(dialog: Dialog): void {
    if (dialog === 'create') this.renderRoot.querySelector<TandemCustomerCreateForm>('tandem-customer-create-form')?.reset();
    if (dialog === 'import') this.renderRoot.querySelector<TandemCustomerImport>('tandem-customer-import')?.reset();
    this.saveError = '';
    this.dialog = dialog;
  }

  /** Created offline: the form closes, the customer waits in the outbox (and in the list, "waiting to send"). */
  private onQueued(): void {
    this.dialog = 'none';
    this.notice = { kind: 'info', text: queuedText() };
  }

  private onCreated(e: CustomEvent<CustomerDto>): void {
    this.dialog = 'none';
    navigate(`/customers/${encodeURIComponent(e.detail.id)}`);
  }

  override render() {
    const online = this.network.online;
    const offlineTitle = online ? nothing : needsNetworkText();
    const user = this.session.value?.user;
    // New customers go to the user's team (admins pick one, and may assign in every team).
    const canAssign = !!user && can(user, 'reassign', { type: 'customer', teamId: user.teamId ?? '', ownerId: null, archived: false });
    const filters = activeFilterCount(this.filter);
    return html`<div class="toolbar">
        <div class="search">
          ${searchIcon}
          <input
            id="search"
            type="search"
            maxlength=${SEARCH_MAX}
            placeholder=${msg('Search name, contact, phone or e-mail', { id: 'customers.searchPlaceholder' })}
            aria-label=${msg('Search customers', { id: 'customers.search' })}
            @input=${this.onSearchInput}
            @keydown=${this.onSearchKey}
          />
        </div>
        <select
          aria-label=${msg('Sort', { id: 'customers.sort' })}
          @change=${(e: Event) => this.setFilter({ ...this.filter, sort: (e.target as HTMLSelectElement).value as CustomerSort })}
        >
          ${SORT_VALUES.map((s) => html`<option value=${s} ?selected=${(this.filter.sort ?? '-updated') === s}>${sortLabel(s)}</option>`)}
        </select>
        <button type="button" aria-pressed=${this.showFilters ? 'true' : 'false'} aria-controls="filters" @click=${() => (this.showFilters = !this.showFilters)}>
          ${filters > 0 ? msg(str`Filters (${filters})`, { id: 'customers.filtersCount' }) : msg('Filters', { id: 'customers.filters' })}
        </button>
        <tandem-presence resource="customers"></tandem-presence>
        <button class="primary" type="button" @click=${() => this.openDialog('create')}>${icons.plus}${msg('New customer', { id: 'customers.new' })}</button>
      </div>
      <div class="saved">
        <label for="saved" class="muted">${msg('Saved filters', { id: 'customers.saved' })}</label>
        <select id="saved" style="width:auto" @change=${(e: Event) => this.applySaved((e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${this.selectedSaved === ''}>${this.saved.length ? msg('Choose…', { id: 'customers.saved.choose' }) : msg('None yet', { id: 'customers.saved.none' })}</option>
          ${this.saved.map((s) => html`<option value=${s.id} ?selected=${s.id === this.selectedSaved}>${s.name}</option>`)}
        </select>
        <button type="button" class="link" ?disabled=${!online} title=${offlineTitle} @click=${() => this.openDialog('save-filter')}>
          ${msg('Save current filter', { id: 'customers.saved.save' })}
        </button>
        ${this.selectedSaved
          ? html`<button type="button" class="link danger" ?disabled=${!online} title=${offlineTitle} @click=${this.onDeleteSaved}>${msg('Delete', { id: 'common.delete' })}</button>`
          : nothing}
        <span class="spacer"></span>
        <button type="button" ?disabled=${!online} title=${offlineTitle} @click=${() => this.openDialog('import')}>${msg('Import', { id: 'customers.import' })}</button>
        ${online
          ? html`<a class="button" href=${exportUrl(this.filter, 'csv')} download>${msg('Export CSV', { id: 'customers.exportCsv' })}</a>
              <a class="button" href=${exportUrl(this.filter, 'xlsx')} download>${msg('Export Excel', { id: 'customers.exportXlsx' })}</a>
              <a class="button" href=${exportUrl(this.filter, 'xlsx', 'contacts')} download>${msg('Export contacts', { id: 'customers.exportContacts' })}</a>`
          : html`<button type="button" disabled title=${offlineTitle}>${msg('Export CSV', { id: 'customers.exportCsv' })}</button>
              <button type="button" disabled title=${offlineTitle}>${msg('Export Excel', { id: 'customers.exportXlsx' })}</button>
              <button type="button" disabled title=${offlineTitle}>${msg('Export contacts', { id: 'customers.exportContacts' })}</button>`}
      </div>
      ${this.notice ? html`<tandem-alert kind=${this.notice.kind}>${this.notice.text}</tandem-alert>` : nothing}
      ${this.showFilters
        ? html`<tandem-customer-filters
            id="filters"
            .filter=${this.filter}
            .categories=${this.categories}
            .users=${this.users}
            @filter-change=${(e: CustomEvent<CustomerFilter>) => this.setFilter(e.detail)}
          ></tandem-customer-filters>`
        : nothing}
      ${online
        ? html`<tandem-customer-bulk-bar
            .selection=${this.bulk}
            .users=${this.users}
            .categories=${this.categories}
            ?canManage=${canAssign}
            @select-all=${() => this.list?.selection.selectAllMatching()}
            @clear-selection=${() => this.list?.selection.clear()}
            @bulk-done=${() => this.list?.reload()}
          ></tandem-customer-bulk-bar>`
        : nothing}
      <tandem-customer-list
        .filter=${this.filter}
        .categories=${this.categories}
        .users=${this.users}
        @selection-change=${(e: CustomEvent<SelectionState>) => (this.bulk = e.detail)}
      >
        <button slot="empty-actions" class="primary" type="button" @click=${() => this.openDialog('create')}>
          ${msg('New customer', { id: 'customers.new' })}
        </button>
      </tandem-customer-list>
      <tandem-dialog style="--t-dialog-width: 640px" heading=${msg('New customer', { id: 'customers.new' })} ?open=${this.dialog === 'create'} @close=${() => (this.dialog = 'none')}>
        <tandem-customer-create-form
          .categories=${this.categories}
          .users=${this.users}
          ?canAssign=${canAssign}
          team-id=${user?.teamId ?? ''}
          @customer-created=${this.onCreated}
          @outbox-queued=${this.onQueued}
          @cancel=${() => (this.dialog = 'none')}
        ></tandem-customer-create-form>
      </tandem-dialog>
      <tandem-dialog style="--t-dialog-width: 760px" heading=${msg('Import customers or leads', { id: 'import.title' })} ?open=${this.dialog === 'import'} @close=${() => (this.dialog = 'none')}>
        <tandem-customer-import @imported=${() => this.list?.reload()} @cancel=${() => (this.dialog = 'none')}></tandem-customer-import>
      </tandem-dialog>
      <tandem-dialog heading=${msg('Save current filter', { id: 'customers.saved.save' })} ?open=${this.dialog === 'save-filter'} @close=${() => (this.dialog = 'none')}>
        <form novalidate @submit=${this.onSaveFilter}>
          <div class="field">
            <label for="saved-name">${msg('Name', { id: 'customers.field.name' })}<span class="required" aria-hidden="true">*</span></label>
            <input id="saved-name" maxlength=${SAVED_FILTER_NAME_MAX} required autofocus />
          </div>
          ${this.saveError ? html`<tandem-alert>${this.saveError}</tandem-alert>` : nothing}
          <div class="actions end">
            <button type="button" @click=${() => (this.dialog = 'none')}>${msg('Cancel', { id: 'common.cancel' })}</button>
            <button class="primary" type="submit">${msg('Save', { id: 'common.save' })}</button>
          </div>
        </form>
      </tandem-dialog>`;
  }
}

customElements.define('tandem-customers-page', TandemCustomersPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customers-page': TandemCustomersPage;
  }
}
