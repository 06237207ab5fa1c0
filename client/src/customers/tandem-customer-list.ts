/**
 * The virtualised customer list. Given a filter it fetches the first page,
 * then further pages by cursor as the user scrolls near the end; only the rows
 * in view are in the DOM, so it stays smooth at 100,000 customers. Keyboard:
 * arrow keys, Page Up/Down, Home and End move through rows; Enter opens one.
 */
import '@lit-labs/virtualizer';
import type { LitVirtualizer } from '@lit-labs/virtualizer/LitVirtualizer.js';
import type { VisibilityChangedEvent } from '@lit-labs/virtualizer/events.js';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { CategoryDto, CustomerDto } from '../../../schema/wire/customer.ts';
import type { CustomerFilter } from '../../../schema/wire/customer-query.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { listCustomers } from '../api/customers.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons } from '../ui/styles.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { categoryLabel, formatShortDate } from './customer-labels.ts';

/** Rows per request (the most the API gives at once). */
export const PAGE_SIZE = 200;
/** Start fetching the next page when the last visible row is this close to the end. */
const PREFETCH_ROWS = 120;
/** Rows moved by Page Up / Page Down. */
const PAGE_KEY_ROWS = 10;

type ListState = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready' };

export class TandemCustomerList extends LitElement {
  static override properties = {
    filter: { attribute: false },
    categories: { attribute: false },
    users: { attribute: false },
    state: { state: true },
    items: { state: true },
    nextCursor: { state: true },
    moreError: { state: true },
    active: { state: true },
  };
  static override styles = [
    base,
    buttons,
    badges,
    css`
      :host {
        display: grid;
        grid-template-rows: auto 1fr;
        background: var(--t-surface);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius);
        box-shadow: var(--t-shadow);
        overflow: hidden;
        min-height: 320px;
      }
      .head,
      .row {
        display: grid;
        grid-template-columns: minmax(180px, 2.2fr) 100px minmax(90px, 1fr) 120px minmax(120px, 1.3fr) 104px 104px;
        gap: var(--t-space-3);
        align-items: center;
        padding: 0 var(--t-space-4);
      }
      .head {
        min-height: 38px;
        font-size: var(--t-font-size-sm);
        font-weight: 600;
        color: var(--t-muted);
        background: var(--t-surface-2);
        border-bottom: 1px solid var(--t-border);
        text-transform: uppercase;
        letter-spacing: 0.03em;
      }
      lit-virtualizer {
        height: max(320px, calc(100vh - 300px));
        width: 100%;
      }
      .item {
        width: 100%;
        /* Each row lays out on its own: a jump of the scrollbar re-lays out only the rows it brings in. */
        contain: layout paint style;
      }
      .row {
        height: 56px;
        border-bottom: 1px solid var(--t-border);
        color: inherit;
        text-decoration: none;
        outline: none;
      }
      .row:hover {
        background: var(--t-surface-2);
      }
      .row:focus-visible,
      .row.active:focus {
        background: var(--t-primary-soft);
        box-shadow: inset 3px 0 0 var(--t-primary);
      }
      .cell {
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .name {
        font-weight: 600;
      }
      .sub {
        display: flex;
        gap: 4px;
        overflow: hidden;
        font-size: var(--t-font-size-sm);
        color: var(--t-muted);
      }
      .tag {
        padding: 0 6px;
        border-radius: 999px;
        background: var(--t-surface-2);
        border: 1px solid var(--t-border);
        white-space: nowrap;
      }
      .archived {
        color: var(--t-muted);
      }
      .overdue {
        color: var(--t-danger);
        font-weight: 550;
      }
      .foot {
        padding: var(--t-space-3);
        text-align: center;
        color: var(--t-muted);
      }
      .state {
        padding: var(--t-space-5);
      }
      @media (max-width: 1180px) {
        .head,
        .row {
          grid-template-columns: minmax(160px, 2fr) 100px minmax(90px, 1fr) 120px 104px;
        }
        .wider {
          display: none;
        }
      }
      @media (max-width: 760px) {
        .head,
        .row {
          grid-template-columns: minmax(140px, 2fr) 96px minmax(80px, 1fr);
        }
        .wide {
          display: none;
        }
      }
    `,
  ];
  declare filter: CustomerFilter;
  declare categories: readonly CategoryDto[];
  declare users: readonly UserDto[];
  declare state: ListState;
  declare items: CustomerDto[];
  declare nextCursor: string | null;
  declare moreError: unknown;
  declare active: number;
  private abort: AbortController | null = null;
  private loadingMore = false;
  /** Bumped on every new filter, so answers to an older query are dropped. */
  private generation = 0;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.filter = {};
    this.categories = [];
    this.users = [];
    this.state = { kind: 'loading' };
    this.items = [];
    this.nextCursor = null;
    this.moreError = null;
    this.active = 0;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('filter')) void this.reload();
  }

  /** Fetches the first page again (a new filter, or after a create or an import). */
  async reload(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const generation = ++this.generation;
    this.loadingMore = false;
    this.state = { kind: 'loading' };
    this.moreError = null;
    try {
      const page = await listCustomers(this.filter, { limit: PAGE_SIZE }, { signal: abort.signal });
      if (generation !== this.generation) return;
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.active = 0;
      this.state = { kind: 'ready' };
    } catch (error) {
      if ((error as Error).name === 'AbortError' || generation !== this.generation) return;
      this.state = { kind: 'error', error };
    }
  }

  private async loadMore(): Promise<void> {
    if (this.loadingMore || !this.nextCursor || this.state.kind !== 'ready') return;
    this.loadingMore = true;
    this.moreError = null;
    const generation = this.generation;
    try {
      const page = await listCustomers(this.filter, { limit: PAGE_SIZE, cursor: this.nextCursor }, { signal: this.abort?.signal });
      if (generation !== this.generation) return;
      this.items = [...this.items, ...page.items];
      this.nextCursor = page.nextCursor;
    } catch (error) {
      if ((error as Error).name !== 'AbortError' && generation === this.generation) this.moreError = error;
    } finally {
      if (generation === this.generation) this.loadingMore = false;
    }
  }

  private onVisibility = (e: VisibilityChangedEvent) => {
    if (e.last >= this.items.length - PREFETCH_ROWS) void this.loadMore();
  };

  private get virtualizer(): LitVirtualizer | null {
    return this.renderRoot.querySelector('lit-virtualizer');
  }

  private onKeyDown = (e: KeyboardEvent) => {
    const last = this.items.length - 1;
    if (last < 0) return;
    let next = this.active;
    switch (e.key) {
      case 'ArrowDown':
        next = Math.min(last, this.active + 1);
        break;
      case 'ArrowUp':
        next = Math.max(0, this.active - 1);
        break;
      case 'PageDown':
        next = Math.min(last, this.active + PAGE_KEY_ROWS);
        break;
      case 'PageUp':
        next = Math.max(0, this.active - PAGE_KEY_ROWS);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = last;
        break;
      default:
        return;
    }
    e.preventDefault();
    void this.focusRow(next);
  };

  /** Moves the keyboard focus to row `index`, scrolling it into view first. */
  async focusRow(index: number): Promise<void> {
    this.active = index;
    this.virtualizer?.element(index)?.scrollIntoView({ block: 'nearest' });
    for (let attempt = 0; attempt < 5; attempt++) {
      await this.updateComplete;
      await new Promise((r) => requestAnimationFrame(r));
      const row = this.renderRoot.querySelector<HTMLElement>(`a.row[data-index="${index}"]`);
      if (row) {
        row.focus();
        return;
      }
    }
  }

  private ownerName(id: string | null): string {
    if (!id) return '';
    return this.users.find((u) => u.id === id)?.name ?? '';
  }

  private renderRow = (c: CustomerDto, index: number) => {
    const overdue = c.nextFollowupAt !== null && new Date(c.nextFollowupAt).getTime() < Date.now();
    return html`<div class="item" role="listitem" aria-posinset=${index + 1} aria-setsize=${this.nextCursor ? -1 : this.items.length}>
      <a
        class="row ${index === this.active ? 'active' : ''} ${c.archivedAt ? 'archived' : ''}"
        href="/customers/${encodeURIComponent(c.id)}"
        data-index=${index}
        data-customer-id=${c.id}
        tabindex=${index === this.active ? 0 : -1}
        @focus=${() => (this.active = index)}
      >
        <span class="cell">
          <span class="name">${c.name}</span>
          <span class="sub">
            ${c.archivedAt ? html`<span>${msg('Archived', { id: 'customers.archived' })}</span>` : nothing}
            ${c.tags.slice(0, 4).map((t) => html`<span class="tag">${t}</span>`)}
          </span>
        </span>
        <span class="cell"><span class="badge ${c.category === 'vip' ? 'primary' : c.category === 'closed-won' ? 'success' : ''}">${categoryLabel(c.category, this.categories)}</span></span>
        <span class="cell">${this.ownerName(c.ownerId)}</span>
        <span class="cell wide">${c.phone}</span>
        <span class="cell wide wider">${c.email}</span>
        <span class="cell wide ${overdue ? 'overdue' : ''}">${formatShortDate(c.nextFollowupAt)}</span>
        <span class="cell wide wider">${formatShortDate(c.updatedAt)}</span>
      </a>
    </div>`;
  };

  private renderBody() {
    const state = this.state;
    switch (state.kind) {
      case 'loading':
        return html`<tandem-loading class="state" label=${msg('Loading customers…', { id: 'customers.loading' })}></tandem-loading>`;
      case 'error':
        return html`<div class="state">
          <tandem-empty-state icon="alert" heading=${msg('The customers could not be loaded', { id: 'customers.loadFailed' })}>
            ${errorMessage(state.error)}
            <button slot="actions" class="primary" type="button" @click=${() => this.reload()}>${msg('Try again', { id: 'common.retry' })}</button>
          </tandem-empty-state>
        </div>`;
      case 'ready':
        if (this.items.length === 0) return this.renderEmpty();
        return html`<lit-virtualizer
            scroller
            role="list"
            aria-label=${msg('Customers', { id: 'nav.customers' })}
            .items=${this.items}
            .keyFunction=${(c: CustomerDto) => c.id}
            .renderItem=${this.renderRow}
            @visibilityChanged=${this.onVisibility}
            @keydown=${this.onKeyDown}
          ></lit-virtualizer>
          ${this.moreError
            ? html`<div class="foot" role="alert">
                ${errorMessage(this.moreError)} <button type="button" class="link" @click=${() => this.loadMore()}>${msg('Try again', { id: 'common.retry' })}</button>
              </div>`
            : nothing}`;
      default:
        return state satisfies never;
    }
  }

  private renderEmpty() {
    const { q, sort: _sort, ...rest } = this.filter;
    const filtered = Boolean(q) || Object.values(rest).some((v) => v !== undefined && (!Array.isArray(v) || v.length > 0));
    return html`<div class="state">
      ${filtered
        ? html`<tandem-empty-state icon="compass" heading=${msg('No customers match', { id: 'customers.noMatch' })}>
            ${msg('Try another keyword, or clear some filters.', { id: 'customers.noMatchText' })}
          </tandem-empty-state>`
        : html`<tandem-empty-state icon="customers" heading=${msg('No customers yet', { id: 'customers.emptyHeading' })}>
            ${msg('Customers your team adds will be listed here, with their contacts and follow-up status.', { id: 'customers.emptyText' })}
            <slot name="empty-actions" slot="actions"></slot>
          </tandem-empty-state>`}
    </div>`;
  }

  override render() {
    return html`<div class="head" aria-hidden="true">
        <span>${msg('Name', { id: 'customers.field.name' })}</span>
        <span>${msg('Category', { id: 'customers.field.category' })}</span>
        <span>${msg('Owner', { id: 'customers.field.owner' })}</span>
        <span class="wide">${msg('Phone', { id: 'customers.field.phone' })}</span>
        <span class="wide wider">${msg('E-mail', { id: 'customers.field.email' })}</span>
        <span class="wide">${msg('Next follow-up', { id: 'customers.nextFollowup' })}</span>
        <span class="wide wider">${msg('Updated', { id: 'customers.filter.updated' })}</span>
      </div>
      ${this.renderBody()}`;
  }
}

customElements.define('tandem-customer-list', TandemCustomerList);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-list': TandemCustomerList;
  }
}
