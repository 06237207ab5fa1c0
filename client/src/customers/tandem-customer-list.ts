/**
 * The virtualised customer list. Given a filter it fetches the first page,
 * then further pages by cursor as the user scrolls near the end. Rows have a
 * fixed height (by display density), so the position of any row is a product
 * and each scroll step renders only the rows in view, whatever the number of
 * rows. Only the pages near the view are kept: a page far from it is dropped
 * and fetched again (by the cursor it started at) when the user scrolls back,
 * so memory does not grow with the rows paged through. Keyboard: arrow keys,
 * Page Up/Down, Home and End move through rows; Enter opens one. Others'
 * changes (`customer:changed`) refetch the pages in place, without losing the
 * scroll position, and the changed rows flash briefly.
 *
 * Offline (docs/offline.md, "Lists"): the first page of each filter's last
 * answer is kept on this device (offline/kept-lists.ts); when the server cannot
 * be reached the list draws it under "Offline — showing the list as of …",
 * marks the rows whose record was never opened here (they cannot open
 * offline), and fetches again when the network returns. Customers created
 * offline and waiting in the outbox are listed above, "waiting to send".
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { CategoryDto, CustomerDto } from '../../../schema/wire/customer.ts';
import type { CustomerFilter } from '../../../schema/wire/customer-query.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { customerDocName } from '../../../schema/wire/docs.ts';
import { listCustomers } from '../api/customers.ts';
import { ApiError } from '../api/http.ts';
import { keepList, keptList } from '../offline/kept-lists.ts';
import { keptDocNames } from '../offline/local-data.ts';
import { keptFirstText, keptListText, notKeptText, notSentText, waitingToSendText } from '../offline/offline-messages.ts';
import { OnlineController } from '../offline/online-controller.ts';
import { OutboxController } from '../offline/outbox-controller.ts';
import type { OutboxEntry } from '../offline/outbox.ts';
import { LiveListController } from '../realtime/live-list-controller.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons, liveRows } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { activeFilterCount, searchFromFilter } from './customer-filter-url.ts';
import { categoryLabel, formatDateTime, formatShortDate } from './customer-labels.ts';
import { CustomerSelection } from './customer-selection.ts';

/** Rows per request (the most the API gives at once). */
export const PAGE_SIZE = 200;
/** Start fetching the next page when the last visible row is this close to the end. */
const PREFETCH_ROWS = 120;
/** Rows moved by Page Up / Page Down. */
const PAGE_KEY_ROWS = 10;
/** Row height in CSS pixels, by display density (the `data-density` of the document). */
export const ROW_HEIGHT = { comfortable: 56, compact: 44 } as const;
/** Rows rendered above and below the visible ones. */
const OVERSCAN_ROWS = 6;
/** Pages kept on either side of the pages in view; farther ones are dropped. */
const KEEP_PAGES = 2;
/** After a jump into pages that are not loaded, wait this long for the scrolling to settle before fetching. */
const SETTLE_MS = 90;

type ListState = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready' };

/** The first page of a filter's answer, as kept on this device. */
interface KeptPage {
  items: CustomerDto[];
  nextCursor: string | null;
}

function currentRowHeight(): number {
  return document.documentElement.dataset.density === 'compact' ? ROW_HEIGHT.compact : ROW_HEIGHT.comfortable;
}

export class TandemCustomerList extends LitElement {
  static override properties = {
    filter: { attribute: false },
    categories: { attribute: false },
    users: { attribute: false },
    state: { state: true },
    rowCount: { state: true },
    moreError: { state: true },
    active: { state: true },
    first: { state: true },
    last: { state: true },
    rowHeight: { state: true },
    keptAt: { state: true },
  };
  static override styles = [
    base,
    buttons,
    badges,
    liveRows,
    css`
      :host {
        display: flex;
        flex-direction: column;
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
      .viewport {
        display: block;
        height: max(320px, calc(100vh - 300px));
        width: 100%;
        overflow: auto;
        overflow-anchor: none;
        contain: strict;
      }
      .spacer {
        position: relative;
        width: 100%;
      }
      .rows {
        position: absolute;
        top: 0;
        left: 0;
        right: 0;
        will-change: transform;
      }
      .item {
        width: 100%;
        height: var(--row-height);
        overflow: hidden;
        /* Each row lays out on its own: a jump of the scrollbar re-lays out only the rows it brings in. */
        contain: layout paint style;
      }
      .row {
        height: 100%;
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
      .placeholder {
        display: flex;
        align-items: center;
        height: 100%;
        padding: 0 var(--t-space-4);
        border-bottom: 1px solid var(--t-border);
      }
      .placeholder span {
        display: block;
        width: min(320px, 40%);
        height: 12px;
        border-radius: 6px;
        background: var(--t-surface-2);
      }
      .foot {
        padding: var(--t-space-3);
        text-align: center;
        color: var(--t-muted);
      }
      .state {
        flex: 1;
        padding: var(--t-space-5);
      }
      .kept {
        margin: var(--t-space-3) var(--t-space-3) 0;
      }
      .unkept .name {
        color: var(--t-muted);
      }
      ul.waiting {
        list-style: none;
        margin: 0;
        padding: 0;
        border-bottom: 1px solid var(--t-border);
      }
      ul.waiting li {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-2) var(--t-space-3);
        align-items: center;
        min-height: 44px;
        padding: var(--t-space-2) var(--t-space-4) var(--t-space-2) calc(18px + var(--t-space-3) + var(--t-space-4));
        border-bottom: 1px dashed var(--t-border);
        background: var(--t-surface-2);
      }
      ul.waiting li:last-child {
        border-bottom: none;
      }
      ul.waiting .name {
        overflow-wrap: anywhere;
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
    // The bulk-edit checkbox before each row; the header keeps its columns aligned with the rows.
    css`
      .item {
        display: flex;
        align-items: center;
      }
      .item > .row,
      .item > .placeholder {
        flex: 1;
        min-width: 0;
      }
      .pick {
        flex: none;
        width: 18px;
        height: 18px;
        margin: 0 0 0 var(--t-space-3);
      }
      .head {
        padding-left: calc(18px + var(--t-space-3) + var(--t-space-4));
      }
    `,
  ];
  declare filter: CustomerFilter;
  declare categories: readonly CategoryDto[];
  declare users: readonly UserDto[];
  declare state: ListState;
  /** Rows known so far: the rows of every page reached (loaded or dropped since). */
  declare rowCount: number;
  declare moreError: unknown;
  declare active: number;
  /** First and last row rendered (overscan included). */
  declare first: number;
  declare last: number;
  declare rowHeight: number;
  /** When the rows shown were fetched, if they come from this device's copy (offline); null for the server's answer. */
  declare keptAt: string | null;
  /** The kept answer had more pages than the one kept. */
  private keptMore = false;
  /** When the first page shown was fetched from the server. */
  private fetchedAt: string | null = null;
  /** While offline, the documents kept on this device (rows not among them are marked); null online. */
  private keptDocs: ReadonlySet<string> | null = null;
  /** The cursor each reached page starts at (`null` for the first); the entry after the last page is the next page's, `null` at the end. */
  private cursors: (string | null)[] = [null];
  /** Loaded pages by page number; only those near the view are kept. */
  private readonly pages = new Map<number, CustomerDto[]>();
  /** Page requests in flight, by page number. */
  private readonly pending = new Map<number, { abort: AbortController; done: Promise<void> }>();
  private abort: AbortController | null = null;
  /** Bumped on every new filter, so answers to an older query are dropped. */
  private generation = 0;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private resizeObserver: ResizeObserver | null = null;
  private observedViewport: HTMLElement | null = null;
  private readonly densityObserver = new MutationObserver(() => this.onDensityChange());
  private readonly live = new LiveListController(this, { events: ['customer:changed'], refresh: () => this.refreshInPlace() });
  /** Rows ticked for a bulk edit, and the number of matches (customer-selection.ts). */
  readonly selection = new CustomerSelection(this);
  /** Back online: the server's rows replace the kept ones (or an error). */
  private readonly network = new OnlineController(this, () => {
    if (this.keptAt || this.state.kind === 'error') void this.reload();
  });
  /** Customers created offline; once one is sent, the list shows the real row. */
  private readonly outbox = new OutboxController(this, 'customer', () => void this.refreshInPlace());

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.filter = {};
    this.categories = [];
    this.users = [];
    this.state = { kind: 'loading' };
    this.rowCount = 0;
    this.moreError = null;
    this.active = 0;
    this.first = 0;
    this.last = -1;
    this.rowHeight = currentRowHeight();
    this.keptAt = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.rowHeight = currentRowHeight();
    this.densityObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-density'] });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
    this.abortPending();
    clearTimeout(this.settleTimer);
    this.densityObserver.disconnect();
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    this.observedViewport = null;
  }

  /** The cursor of the page after the last one reached; `null` once the end is reached. */
  get nextCursor(): string | null {
    return this.cursors[this.cursors.length - 1] ?? null;
  }

  /** Pages held in memory (for tests and the benchmark: it stays small however far the user scrolls). */
  get loadedPages(): number {
    return this.pages.size;
  }

  /** The customer at row `index`, if its page is loaded. */
  customerAt(index: number): CustomerDto | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('filter')) void this.reload();
  }

  protected override updated(): void {
    const viewport = this.viewport;
    if (viewport !== this.observedViewport) {
      this.resizeObserver?.disconnect();
      this.observedViewport = viewport;
      if (viewport) {
        this.resizeObserver ??= new ResizeObserver(() => this.updateRange());
        this.resizeObserver.observe(viewport);
      }
    }
    // A new list, a grown one (more rows may fit at the end) or an arrived page (the next may be due).
    if (viewport) this.updateRange();
  }

  /** Fetches the first page again (a new filter, or after a create or an import). */
  async reload(): Promise<void> {
    this.abort?.abort();
    this.abortPending();
    clearTimeout(this.settleTimer);
    const abort = new AbortController();
    this.abort = abort;
    const generation = ++this.generation;
    this.state = { kind: 'loading' };
    this.moreError = null;
    this.pages.clear();
    this.cursors = [null];
    this.rowCount = 0;
    void this.selection.filterChanged(this.filter);
    try {
      const page = await listCustomers(this.filter, { limit: PAGE_SIZE }, { signal: abort.signal });
      if (generation !== this.generation) return;
      this.keep(page);
      this.show(page.items, page.nextCursor, null);
    } catch (error) {
      if ((error as Error).name === 'AbortError' || generation !== this.generation) return;
      // No network: this filter's rows as this device last saw them, if it kept them.
      const kept = error instanceof ApiError && error.code === 'network' ? await keptList<KeptPage>(this.listKey()) : undefined;
      if (generation !== this.generation) return;
      if (kept) this.show(kept.value.items, kept.value.nextCursor, kept.savedAt);
      else this.state = { kind: 'error', error };
    }
  }

  /** The key of this filter's kept answer. */
  private listKey(): string {
    return `customers${searchFromFilter(this.filter)}`;
  }

  /** Keeps the server's first page on this device, for a visit without a network. */
  private keep(page: KeptPage): void {
    this.fetchedAt = new Date().toISOString();
    void keepList(this.listKey(), { items: page.items, nextCursor: page.nextCursor } satisfies KeptPage, this.fetchedAt);
  }

  /** Shows a first page: the server's (`keptAt` null) or the kept one, which cannot page further. */
  private show(items: CustomerDto[], nextCursor: string | null, keptAt: string | null): void {
    this.pages.set(0, items);
    this.cursors = [null, keptAt ? null : nextCursor];
    this.keptAt = keptAt;
    this.keptMore = keptAt !== null && nextCursor !== null;
    this.rowCount = items.length;
    this.active = 0;
    this.first = 0;
    this.last = -1;
    this.state = { kind: 'ready' };
  }

  /**
   * Fetches the pages reached so far again, from the first, keeping the rows
   * in view and the active row: a changed record shows its new values, moves,
   * or leaves the list when it no longer matches the filter.
   */
  async refreshInPlace(): Promise<void> {
    if (this.state.kind !== 'ready' || this.keptAt) return this.reload();
    const generation = this.generation;
    const kept = new Set(this.pages.keys());
    const lastPage = Math.max(0, ...kept);
    const pages = new Map<number, CustomerDto[]>();
    const cursors: (string | null)[] = [null];
    let rowCount = 0;
    try {
      for (let n = 0; n <= lastPage; n++) {
        const page = await listCustomers(this.filter, { limit: PAGE_SIZE, cursor: cursors[n] ?? undefined });
        if (generation !== this.generation) return;
        if (n === 0) this.keep(page);
        if (kept.has(n)) pages.set(n, page.items);
        cursors.push(page.nextCursor);
        rowCount += page.items.length;
        if (!page.nextCursor) break;
      }
    } catch {
      // The rows shown stay; the next change or a reload tries again.
      return;
    }
    this.abortPending();
    this.pages.clear();
    for (const [n, items] of pages) this.pages.set(n, items);
    this.cursors = cursors;
    this.rowCount = rowCount;
    this.active = Math.min(this.active, Math.max(0, rowCount - 1));
    this.requestUpdate();
    void this.selection.refreshCount();
  }

  private abortPending(): void {
    for (const request of this.pending.values()) request.abort.abort();
    this.pending.clear();
  }

  /**
   * Fetches page `n` from the cursor it starts at. The page after the last one
   * reached extends the list; an earlier one replaces a dropped page.
   */
  private fetchPage(n: number): Promise<void> {
    const inFlight = this.pending.get(n);
    if (inFlight) return inFlight.done;
    if (this.pages.has(n) || this.state.kind !== 'ready' || n >= this.cursors.length) return Promise.resolve();
    const cursor = this.cursors[n];
    if (n > 0 && !cursor) return Promise.resolve();
    const abort = new AbortController();
    const overall = this.abort?.signal;
    const onOverallAbort = () => abort.abort();
    overall?.addEventListener('abort', onOverallAbort, { once: true });
    const generation = this.generation;
    const done = (async () => {
      try {
        const page = await listCustomers(this.filter, { limit: PAGE_SIZE, cursor }, { signal: abort.signal });
        if (generation !== this.generation) return;
        this.pages.set(n, page.items);
        if (n === this.cursors.length - 1) {
          // The frontier: the list grows by this page.
          this.cursors.push(page.nextCursor);
          this.rowCount = n * PAGE_SIZE + page.items.length;
        }
        this.dropFarPages();
        this.requestUpdate();
      } catch (error) {
        if ((error as Error).name !== 'AbortError' && generation === this.generation) this.moreError = error;
      } finally {
        overall?.removeEventListener('abort', onOverallAbort);
        if (this.pending.get(n)?.abort === abort) this.pending.delete(n);
      }
    })();
    this.pending.set(n, { abort, done });
    return done;
  }

  /** The pages worth holding for the current view: those in view, and their neighbours. */
  private keptRange(): [number, number] {
    return [Math.max(0, Math.floor(this.first / PAGE_SIZE) - KEEP_PAGES), Math.floor(Math.max(this.first, this.last) / PAGE_SIZE) + KEEP_PAGES];
  }

  private dropFarPages(): void {
    const [low, high] = this.keptRange();
    for (const n of this.pages.keys()) if (n < low || n > high) this.pages.delete(n);
    for (const [n, request] of this.pending) {
      if (n < low || n > high) {
        request.abort.abort();
        this.pending.delete(n);
      }
    }
  }

  /**
   * Loads what the view needs: the next page when the last row in view is near
   * the end, a dropped page that comes into view, and the neighbour pages the
   * view is approaching. After a long jump (rows in view not loaded) it waits
   * for the scrolling to settle, so a fling over the scrollbar asks only for
   * where it stops.
   */
  private syncPages(settled: boolean): void {
    if (this.state.kind !== 'ready' || this.moreError || this.last < this.first) return;
    const rowsInView = this.visibleRows();
    const missingInView = [];
    for (let n = Math.floor(rowsInView[0] / PAGE_SIZE); n <= Math.floor(rowsInView[1] / PAGE_SIZE); n++) {
      if (n * PAGE_SIZE < this.rowCount && !this.pages.has(n)) missingInView.push(n);
    }
    if (missingInView.length > 0 && !settled) {
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => this.syncPages(true), SETTLE_MS);
      return;
    }
    for (const n of missingInView) void this.fetchPage(n);
    const wantFrom = Math.max(0, Math.floor((this.first - PREFETCH_ROWS) / PAGE_SIZE));
    const wantTo = Math.floor((this.last + PREFETCH_ROWS) / PAGE_SIZE);
    for (let n = wantFrom; n <= wantTo; n++) {
      if (n < this.cursors.length - 1 && !this.pages.has(n)) void this.fetchPage(n);
    }
    if (this.nextCursor && this.last >= this.rowCount - PREFETCH_ROWS) void this.fetchPage(this.cursors.length - 1);
  }

  private get viewport(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.viewport');
  }

  /** Rows at least partly in view, overscan left out. */
  private visibleRows(): [number, number] {
    const viewport = this.viewport;
    if (!viewport) return [this.first, this.last];
    const top = Math.floor(viewport.scrollTop / this.rowHeight);
    const bottom = Math.ceil((viewport.scrollTop + viewport.clientHeight) / this.rowHeight) - 1;
    return [Math.max(0, Math.min(top, this.rowCount - 1)), Math.max(0, Math.min(bottom, this.rowCount - 1))];
  }

  /** Recomputes the rendered rows from the scroll position; called on scroll and resize. */
  private updateRange = () => {
    if (this.rowCount === 0) return;
    const [top, bottom] = this.visibleRows();
    const first = Math.max(0, top - OVERSCAN_ROWS);
    const last = Math.min(this.rowCount - 1, bottom + OVERSCAN_ROWS);
    if (first !== this.first || last !== this.last) {
      this.first = first;
      this.last = last;
      this.dropFarPages();
    }
    this.syncPages(false);
  };

  private onDensityChange(): void {
    const height = currentRowHeight();
    if (height === this.rowHeight) return;
    const viewport = this.viewport;
    const top = viewport ? viewport.scrollTop / this.rowHeight : 0;
    this.rowHeight = height;
    void this.updateComplete.then(() => {
      // Keep the same row at the top.
      if (viewport) viewport.scrollTop = top * height;
      this.updateRange();
    });
  }

  private onKeyDown = (e: KeyboardEvent) => {
    const last = this.rowCount - 1;
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
      case ' ': {
        // Space ticks the active row for a bulk edit (customer-selection.ts).
        e.preventDefault();
        const c = this.customerAt(this.active);
        if (c) this.toggleSelected(c.id);
        return;
      }
      default:
        return;
    }
    e.preventDefault();
    void this.focusRow(next);
  };

  /** Moves the keyboard focus to row `index`, scrolling it into view (and loading its page) first. */
  async focusRow(index: number): Promise<void> {
    this.active = index;
    const viewport = this.viewport;
    if (viewport) {
      const top = index * this.rowHeight;
      if (top < viewport.scrollTop) viewport.scrollTop = top;
      else if (top + this.rowHeight > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + this.rowHeight - viewport.clientHeight;
      this.updateRange();
    }
    const n = Math.floor(index / PAGE_SIZE);
    if (this.state.kind === 'ready' && !this.pages.has(n)) {
      clearTimeout(this.settleTimer);
      await this.fetchPage(n);
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      await this.updateComplete;
      await new Promise((r) => requestAnimationFrame(r));
      if (this.active !== index) return;
      const row = this.renderRoot.querySelector<HTMLElement>(`a.row[data-index="${index}"]`);
      if (row) {
        row.focus();
        return;
      }
    }
  }

  private toggleSelected(id: string): void {
    this.selection.toggle(id, () => [...this.pages.values()].flat().map((c) => c.id));
  }

  private ownerName(id: string | null): string {
    if (!id) return '';
    return this.users.find((u) => u.id === id)?.name ?? '';
  }

  private renderRow(index: number) {
    const c = this.customerAt(index);
    const setSize = this.nextCursor ? -1 : this.rowCount;
    if (!c) {
      // A page on its way (or a row gone from a page fetched again).
      const loading = this.pending.has(Math.floor(index / PAGE_SIZE)) || !this.pages.has(Math.floor(index / PAGE_SIZE));
      return html`<div class="item" role="listitem" aria-posinset=${index + 1} aria-setsize=${setSize} aria-busy=${loading ? 'true' : 'false'}>
        <div class="placeholder">${loading ? html`<span aria-hidden="true"></span><span class="visually-hidden">${msg('Loading…', { id: 'common.loading' })}</span>` : nothing}</div>
      </div>`;
    }
    const overdue = c.nextFollowupAt !== null && new Date(c.nextFollowupAt).getTime() < Date.now();
    // Offline, a record never opened here cannot open: say so before the user tries.
    const unkept = this.keptDocs !== null && !this.keptDocs.has(customerDocName(c.id));
    return html`<div class="item" role="listitem" aria-posinset=${index + 1} aria-setsize=${setSize}>
      <input
        type="checkbox"
        class="pick"
        tabindex="-1"
        aria-label=${msg(str`Select ${c.name}`, { id: 'bulk.selectRow' })}
        ?disabled=${!this.network.online}
        .checked=${this.selection.isSelected(c.id)}
        @change=${() => this.toggleSelected(c.id)}
      />
      <a
        class="row ${index === this.active ? 'active' : ''} ${c.archivedAt ? 'archived' : ''} ${this.live.isFresh(c.id) ? 'changed' : ''} ${unkept ? 'unkept' : ''}"
        href="/customers/${encodeURIComponent(c.id)}"
        data-index=${index}
        data-customer-id=${c.id}
        tabindex=${index === this.active ? 0 : -1}
        @focus=${() => (this.active = index)}
      >
        <span class="cell">
          <span class="name">${c.name}</span>
          <span class="sub">
            ${unkept ? html`<span class="not-kept">${notKeptText()}</span>` : nothing}
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
  }

  /** The indices of the rows to render. */
  private renderedIndices(): number[] {
    const last = Math.min(this.last, this.rowCount - 1);
    const indices: number[] = [];
    for (let i = this.first; i <= last; i++) indices.push(i);
    return indices;
  }

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
        if (this.rowCount === 0) return this.renderEmpty();
        return html`<div
            class="viewport"
            role="list"
            aria-label=${msg('Customers', { id: 'nav.customers' })}
            style=${styleMap({ '--row-height': `${this.rowHeight}px` })}
            @scroll=${this.updateRange}
            @keydown=${this.onKeyDown}
          >
            <div class="spacer" style=${styleMap({ height: `${this.rowCount * this.rowHeight}px` })}>
              <div class="rows" style=${styleMap({ transform: `translateY(${this.first * this.rowHeight}px)` })}>
                ${repeat(
                  this.renderedIndices(),
                  (i) => i,
                  (i) => this.renderRow(i),
                )}
              </div>
            </div>
          </div>
          ${this.keptMore ? html`<div class="foot">${keptFirstText(this.rowCount)}</div>` : nothing}
          ${this.moreError
            ? html`<div class="foot" role="alert">
                ${errorMessage(this.moreError)} <button type="button" class="link" @click=${this.retryPages}>${msg('Try again', { id: 'common.retry' })}</button>
              </div>`
            : nothing}`;
      default:
        return state satisfies never;
    }
  }

  private retryPages = () => {
    this.moreError = null;
    clearTimeout(this.settleTimer);
    this.syncPages(true);
  };

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

  /** Customers created offline that belong under this filter: all of them unfiltered, or those whose name holds the keyword. */
  private waitingEntries(): readonly OutboxEntry[] {
    if (activeFilterCount(this.filter) > 0) return [];
    const q = this.filter.q?.toLocaleLowerCase();
    return this.outbox.entries.filter((e) => !q || e.label.toLocaleLowerCase().includes(q));
  }

  private renderWaiting() {
    const entries = this.waitingEntries();
    if (entries.length === 0) return nothing;
    return html`<ul class="waiting" aria-label=${waitingToSendText()}>
      ${entries.map(
        (e) =>
          html`<li data-outbox-seq=${e.seq} data-state=${e.state}>
            <span class="name">${e.label}</span>
            ${e.state === 'failed' ? html`<span class="badge danger">${notSentText()}</span>` : html`<span class="badge primary">${waitingToSendText()}</span>`}
          </li>`,
      )}
    </ul>`;
  }

  /** "Offline — showing the list as of …": over kept rows, or over the server's rows once the network is gone. */
  private renderKeptBanner() {
    const at = this.keptAt ?? (this.network.online ? null : this.fetchedAt);
    if (this.state.kind !== 'ready' || !at) return nothing;
    return html`<tandem-alert class="kept" kind="info" data-kept-list>${keptListText(formatDateTime(at))}</tandem-alert>`;
  }

  override render() {
    this.keptDocs = this.keptAt !== null || !this.network.online ? keptDocNames() : null;
    return html`${this.renderKeptBanner()}
      <div class="head" aria-hidden="true">
        <span>${msg('Name', { id: 'customers.field.name' })}</span>
        <span>${msg('Category', { id: 'customers.field.category' })}</span>
        <span>${msg('Owner', { id: 'customers.field.owner' })}</span>
        <span class="wide">${msg('Phone', { id: 'customers.field.phone' })}</span>
        <span class="wide wider">${msg('E-mail', { id: 'customers.field.email' })}</span>
        <span class="wide">${msg('Next follow-up', { id: 'customers.nextFollowup' })}</span>
        <span class="wide wider">${msg('Updated', { id: 'customers.filter.updated' })}</span>
      </div>
      ${this.renderWaiting()} ${this.renderBody()}`;
  }
}

customElements.define('tandem-customer-list', TandemCustomerList);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-list': TandemCustomerList;
  }
}
