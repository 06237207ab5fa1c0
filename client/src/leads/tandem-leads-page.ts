/**
 * The leads screen (销售线索): search and status filter, the list (paged by cursor), quick
 * capture, status changes, disqualifying with a reason, converting (with an optional
 * opportunity), the lead's details and history, and the leads-by-source figures.
 * `/leads/:id` opens one lead's details over the list (notifications link there).
 */
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues, svg } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { can } from '../../../schema/policy/access.ts';
import type { CustomerDto } from '../../../schema/wire/customer.ts';
import { LEAD_SEARCH_MAX, LEAD_STATUSES, type LeadDto, type LeadStatus, type LeadWorkStatus } from '../../../schema/wire/lead.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { getLead, listLeads, updateLead } from '../api/leads.ts';
import { listUsers } from '../api/users.ts';
import { sessionContext } from '../app/contexts.ts';
import { navigate } from '../app/router.ts';
import { queuedText } from '../offline/queued.ts';
import { errorMessage } from '../ui/error-message.ts';
import { icons } from '../ui/icons.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { leadStatusLabel } from './lead-labels.ts';
import './tandem-lead-capture-form.ts';
import type { TandemLeadCaptureForm } from './tandem-lead-capture-form.ts';
import './tandem-lead-convert-dialog.ts';
import './tandem-lead-detail.ts';
import './tandem-lead-disqualify-dialog.ts';
import './tandem-lead-report.ts';
import type { TandemLeadReport } from './tandem-lead-report.ts';
import './tandem-lead-row.ts';

/** Wait after the last keystroke in the search box before searching. */
const SEARCH_DEBOUNCE_MS = 250;
const PAGE_SIZE = 50;
const searchIcon = svg`<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" aria-hidden="true" focusable="false"><circle cx="11" cy="11" r="7"/><path d="m20 20-3.5-3.5"/></svg>`;

type ListState = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready' };
type Dialog = { kind: 'none' } | { kind: 'capture' } | { kind: 'disqualify'; lead: LeadDto } | { kind: 'convert'; lead: LeadDto } | { kind: 'detail'; lead: LeadDto };

export class TandemLeadsPage extends LitElement {
  static override properties = {
    leadId: { type: String, attribute: 'lead-id' },
    q: { state: true },
    status: { state: true },
    items: { state: true },
    nextCursor: { state: true },
    state: { state: true },
    loadingMore: { state: true },
    dialog: { state: true },
    notice: { state: true },
    busyId: { state: true },
    users: { state: true },
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
        flex: 1 1 260px;
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
      .list {
        background: var(--t-surface);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius);
        box-shadow: var(--t-shadow);
        overflow: hidden;
      }
      .more {
        display: flex;
        justify-content: center;
        padding: var(--t-space-3);
      }
      @media (max-width: 520px) {
        .toolbar select,
        .toolbar button.primary {
          flex: 1 1 auto;
        }
      }
    `,
  ];
  declare leadId: string;
  declare q: string;
  declare status: LeadStatus | '';
  declare items: LeadDto[];
  declare nextCursor: string | null;
  declare state: ListState;
  declare loadingMore: boolean;
  declare dialog: Dialog;
  declare notice: { kind: 'error' | 'success' | 'info'; text: string } | null;
  declare busyId: string;
  declare users: readonly UserDto[];
  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private loadSeq = 0;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.leadId = '';
    this.q = '';
    this.status = '';
    this.items = [];
    this.nextCursor = null;
    this.state = { kind: 'loading' };
    this.loadingMore = false;
    this.dialog = { kind: 'none' };
    this.notice = null;
    this.busyId = '';
    this.users = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    listUsers().then(
      (users) => (this.users = users),
      () => undefined,
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('leadId') && this.leadId) void this.openById(this.leadId);
  }

  private async openById(id: string): Promise<void> {
    try {
      this.dialog = { kind: 'detail', lead: await getLead(id) };
    } catch (err) {
      this.notice = { kind: 'error', text: errorMessage(err) };
    }
  }

  /** The first page for the current search and filter. */
  async load(): Promise<void> {
    const seq = ++this.loadSeq;
    this.state = { kind: 'loading' };
    try {
      const page = await listLeads({ q: this.q, status: this.status }, { limit: PAGE_SIZE });
      if (seq !== this.loadSeq) return;
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.state = { kind: 'ready' };
    } catch (error) {
      if (seq === this.loadSeq) this.state = { kind: 'error', error };
    }
  }

  private async loadMore(): Promise<void> {
    if (!this.nextCursor || this.loadingMore) return;
    const seq = this.loadSeq;
    this.loadingMore = true;
    try {
      const page = await listLeads({ q: this.q, status: this.status }, { limit: PAGE_SIZE, cursor: this.nextCursor });
      if (seq !== this.loadSeq) return;
      this.items = [...this.items, ...page.items];
      this.nextCursor = page.nextCursor;
    } catch (err) {
      this.notice = { kind: 'error', text: errorMessage(err) };
    } finally {
      this.loadingMore = false;
    }
  }

  private onSearchInput(e: Event): void {
    const q = (e.target as HTMLInputElement).value.trim();
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.q = q;
      void this.load();
    }, SEARCH_DEBOUNCE_MS);
  }

  private onStatusFilter(e: Event): void {
    this.status = (e.target as HTMLSelectElement).value as LeadStatus | '';
    void this.load();
  }

  private replace(lead: LeadDto): void {
    this.items = this.items.map((l) => (l.id === lead.id ? lead : l));
  }

  private async change(lead: LeadDto, body: { status: LeadWorkStatus; disqualifiedReason?: string }): Promise<void> {
    this.busyId = lead.id;
    this.notice = null;
    try {
      const updated = await updateLead(lead.id, body);
      this.replace(updated);
      this.notice = { kind: 'success', text: msg(str`${updated.name} is now ${leadStatusLabel(updated.status)}.`, { id: 'leads.statusChanged' }) };
      this.report?.load();
    } catch (err) {
      this.notice = { kind: 'error', text: errorMessage(err) };
    } finally {
      this.busyId = '';
    }
  }

  private get report(): TandemLeadReport | null {
    return this.renderRoot.querySelector('tandem-lead-report');
  }

  private openCapture(): void {
    this.renderRoot.querySelector<TandemLeadCaptureForm>('tandem-lead-capture-form')?.reset();
    this.dialog = { kind: 'capture' };
  }

  private closeDialog(): void {
    const wasDetail = this.dialog.kind === 'detail';
    this.dialog = { kind: 'none' };
    if (wasDetail && this.leadId) navigate('/leads', { replace: true });
  }

  private onCaptured(e: CustomEvent<LeadDto>): void {
    this.dialog = { kind: 'none' };
    this.notice = { kind: 'success', text: msg(str`Captured ${e.detail.name}.`, { id: 'leads.captured' }) };
    void this.load();
    this.report?.load();
  }

  private onQueued(): void {
    this.dialog = { kind: 'none' };
    this.notice = { kind: 'info', text: queuedText() };
  }

  private onConverted(lead: LeadDto, customer: CustomerDto): void {
    this.dialog = { kind: 'none' };
    this.replace({ ...lead, status: 'converted', customerId: customer.id });
    this.notice = { kind: 'success', text: msg(str`Converted ${lead.name} into the customer ${customer.name}.`, { id: 'leads.converted' }) };
    this.report?.load();
  }

  private list() {
    switch (this.state.kind) {
      case 'loading':
        return html`<tandem-loading label=${msg('Loading leads…', { id: 'leads.loading' })}></tandem-loading>`;
      case 'error':
        return html`<tandem-empty-state icon="alert" heading=${msg('Could not load the leads', { id: 'leads.loadFailed' })}>
          ${errorMessage(this.state.error)}
          <button slot="actions" class="primary" type="button" @click=${() => this.load()}>${msg('Try again', { id: 'common.retry' })}</button>
        </tandem-empty-state>`;
      case 'ready':
        if (this.items.length === 0) {
          const filtered = !!this.q || !!this.status;
          return html`<tandem-empty-state
            icon="leads"
            heading=${filtered ? msg('No leads match', { id: 'leads.noMatch' }) : msg('No leads yet', { id: 'leads.empty' })}
          >
            ${filtered
              ? msg('Try other words or another status.', { id: 'leads.noMatchText' })
              : msg('Capture the people who showed interest; work them, then convert the good ones into customers.', { id: 'leads.emptyText' })}
            ${filtered
              ? nothing
              : html`<button slot="actions" class="primary" type="button" @click=${this.openCapture}>${msg('New lead', { id: 'leads.new' })}</button>`}
          </tandem-empty-state>`;
        }
        return html`<div class="list" role="list" aria-label=${msg('Leads', { id: 'nav.leads' })}>
          ${repeat(
            this.items,
            (l) => l.id,
            (l) => html`<tandem-lead-row
              role="listitem"
              .lead=${l}
              ?busy=${this.busyId === l.id}
              @lead-status=${(e: CustomEvent<LeadWorkStatus>) => this.change(l, { status: e.detail })}
              @lead-disqualify=${() => (this.dialog = { kind: 'disqualify', lead: l })}
              @lead-convert=${() => (this.dialog = { kind: 'convert', lead: l })}
              @lead-open=${() => (this.dialog = { kind: 'detail', lead: l })}
            ></tandem-lead-row>`,
          )}
          ${this.nextCursor
            ? html`<div class="more">
                <button type="button" ?disabled=${this.loadingMore} @click=${this.loadMore}>${msg('Show more', { id: 'leads.more' })}</button>
              </div>`
            : nothing}
        </div>`;
      default: {
        const never: never = this.state;
        return never;
      }
    }
  }

  override render() {
    const user = this.session.value?.user;
    const canAssign = !!user && can(user, 'reassign', { type: 'customer', teamId: user.teamId ?? '', ownerId: null, archived: false });
    const d = this.dialog;
    return html`<div class="toolbar">
        <div class="search">
          ${searchIcon}
          <input
            id="search"
            type="search"
            maxlength=${LEAD_SEARCH_MAX}
            placeholder=${msg('Search name, company, phone or e-mail', { id: 'leads.searchPlaceholder' })}
            aria-label=${msg('Search leads', { id: 'leads.search' })}
            @input=${this.onSearchInput}
          />
        </div>
        <select aria-label=${msg('Status', { id: 'leads.field.status' })} @change=${this.onStatusFilter}>
          <option value="" ?selected=${this.status === ''}>${msg('All statuses', { id: 'leads.allStatuses' })}</option>
          ${LEAD_STATUSES.map((s) => html`<option value=${s} ?selected=${this.status === s}>${leadStatusLabel(s)}</option>`)}
        </select>
        <a class="button" href="/customers?import=leads">${msg('Import', { id: 'leads.import' })}</a>
        <button class="primary" type="button" @click=${this.openCapture}>${icons.plus}${msg('New lead', { id: 'leads.new' })}</button>
      </div>
      ${this.notice ? html`<tandem-alert kind=${this.notice.kind}>${this.notice.text}</tandem-alert>` : nothing} ${this.list()}
      <tandem-lead-report></tandem-lead-report>
      <tandem-dialog style="--t-dialog-width: 620px" heading=${msg('New lead', { id: 'leads.new' })} ?open=${d.kind === 'capture'} @close=${() => this.closeDialog()}>
        <tandem-lead-capture-form
          .users=${this.users.filter((u) => u.teamId === user?.teamId)}
          ?canAssign=${canAssign}
          currentUserId=${user?.id ?? ''}
          @lead-created=${this.onCaptured}
          @outbox-queued=${this.onQueued}
          @cancel=${() => this.closeDialog()}
        ></tandem-lead-capture-form>
      </tandem-dialog>
      <tandem-lead-disqualify-dialog
        ?open=${d.kind === 'disqualify'}
        leadName=${d.kind === 'disqualify' ? d.lead.name : ''}
        @close=${() => this.closeDialog()}
        @confirm=${(e: CustomEvent<{ reason: string }>) => {
          if (d.kind !== 'disqualify') return;
          this.dialog = { kind: 'none' };
          void this.change(d.lead, { status: 'disqualified', disqualifiedReason: e.detail.reason });
        }}
      ></tandem-lead-disqualify-dialog>
      <tandem-lead-convert-dialog
        ?open=${d.kind === 'convert'}
        .lead=${d.kind === 'convert' ? d.lead : null}
        @close=${() => this.closeDialog()}
        @converted=${(e: CustomEvent<CustomerDto>) => d.kind === 'convert' && this.onConverted(d.lead, e.detail)}
      ></tandem-lead-convert-dialog>
      <tandem-dialog heading=${d.kind === 'detail' ? d.lead.name : ''} ?open=${d.kind === 'detail'} @close=${() => this.closeDialog()}>
        <tandem-lead-detail .lead=${d.kind === 'detail' ? d.lead : null}></tandem-lead-detail>
      </tandem-dialog>`;
  }
}

customElements.define('tandem-leads-page', TandemLeadsPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-leads-page': TandemLeadsPage;
  }
}
