/**
 * The service queue (`/service`): the team's feedback and service records, by due date then
 * age, filtered by status, type, "assigned to me" and "overdue"; create and update records in
 * a dialog; the service report above. `/service/:id` (a notification's link) opens that
 * record. A `serviceRecord:changed` event from the team refetches the list and the report.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { SERVICE_STATUSES, SERVICE_TYPES, type ServiceQueueFilters, type ServiceRecordDto } from '../../../schema/wire/service-records.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { getServiceRecord, serviceQueue } from '../api/service-records.ts';
import { listUsers } from '../api/users.ts';
import { navigate } from '../app/router.ts';
import { SocketController } from '../realtime/socket-controller.ts';
import { errorMessage } from '../ui/error-message.ts';
import { icons } from '../ui/icons.ts';
import { base, buttons, cards, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { statusLabel, typeLabel } from './service-labels.ts';
import './tandem-service-record-dialog.ts';
import './tandem-service-record-list.ts';
import './tandem-service-report.ts';
import type { TandemServiceReport } from './tandem-service-report.ts';

const PAGE_SIZE = 50;
/** Several changes in a burst refetch once. */
const REFRESH_DEBOUNCE_MS = 300;

type Load = { kind: 'loading' } | { kind: 'failed'; error: unknown } | { kind: 'ready'; items: ServiceRecordDto[]; nextCursor: string | null };
type Editing = { kind: 'closed' } | { kind: 'new' } | { kind: 'edit'; record: ServiceRecordDto };

export class TandemServicePage extends LitElement {
  static override properties = {
    recordId: { type: String, attribute: 'record-id' },
    filters: { state: true },
    load: { state: true },
    users: { state: true },
    editing: { state: true },
    actionError: { state: true },
    loadingMore: { state: true },
  };
  static override styles = [
    base,
    buttons,
    cards,
    forms,
    css`
      :host {
        display: grid;
        gap: var(--t-space-5);
        max-width: 1000px;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-3);
        align-items: end;
        justify-content: space-between;
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-3);
        align-items: end;
      }
      .filters .field {
        min-width: 140px;
      }
      .list {
        padding: 0 var(--t-space-4);
      }
      h2 {
        margin: 0 0 var(--t-space-3);
      }
      @media (max-width: 560px) {
        .filters,
        .filters .field {
          width: 100%;
        }
        .toolbar > button {
          width: 100%;
        }
      }
    `,
  ];
  declare recordId: string;
  declare filters: ServiceQueueFilters;
  declare load: Load;
  declare users: readonly UserDto[];
  declare editing: Editing;
  declare actionError: string;
  declare loadingMore: boolean;
  private loadSeq = 0;
  private refreshTimer: number | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.recordId = '';
    this.filters = { status: 'active' };
    this.load = { kind: 'loading' };
    this.users = [];
    this.editing = { kind: 'closed' };
    this.actionError = '';
    this.loadingMore = false;
    new SocketController(this, {
      on: { 'serviceRecord:changed': () => this.scheduleRefresh() },
      // Back after a disconnect: refetch what changed meanwhile.
      onConnect: (_socket, reconnected) => {
        if (reconnected) this.scheduleRefresh();
      },
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    listUsers().then(
      (users) => (this.users = users),
      () => undefined, // Names fall back to "a teammate".
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.refreshTimer);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('recordId') && this.recordId) void this.openRecord(this.recordId);
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = window.setTimeout(() => {
      void this.refresh();
      void this.renderRoot.querySelector<TandemServiceReport>('tandem-service-report')?.reload();
    }, REFRESH_DEBOUNCE_MS);
  }

  private async refresh(): Promise<void> {
    const seq = ++this.loadSeq;
    try {
      const page = await serviceQueue(this.filters, { limit: PAGE_SIZE });
      if (seq === this.loadSeq) this.load = { kind: 'ready', items: page.items, nextCursor: page.nextCursor };
    } catch (error) {
      if (seq === this.loadSeq) this.load = { kind: 'failed', error };
    }
  }

  private async more(): Promise<void> {
    const load = this.load;
    if (load.kind !== 'ready' || !load.nextCursor) return;
    const seq = this.loadSeq;
    this.loadingMore = true;
    try {
      const page = await serviceQueue(this.filters, { limit: PAGE_SIZE, cursor: load.nextCursor });
      if (seq === this.loadSeq) this.load = { kind: 'ready', items: [...load.items, ...page.items], nextCursor: page.nextCursor };
    } catch (error) {
      this.actionError = errorMessage(error);
    } finally {
      this.loadingMore = false;
    }
  }

  private async openRecord(id: string): Promise<void> {
    try {
      this.editing = { kind: 'edit', record: await getServiceRecord(id) };
    } catch (error) {
      this.actionError = errorMessage(error);
    }
  }

  private setFilter(patch: ServiceQueueFilters): void {
    this.filters = { ...this.filters, ...patch };
    this.load = { kind: 'loading' };
    void this.refresh();
  }

  private closeDialog(): void {
    this.editing = { kind: 'closed' };
    if (this.recordId) navigate('/service', { replace: true });
  }

  private onSaved(): void {
    this.closeDialog();
    this.scheduleRefresh();
  }

  private renderFilters() {
    const f = this.filters;
    return html`<div class="filters" role="group" aria-label=${msg('Filter the queue', { id: 'service.filters' })}>
      <div class="field">
        <label for="f-status">${msg('Status', { id: 'service.statusLabel' })}</label>
        <select id="f-status" @change=${(e: Event) => this.setFilter({ status: (e.target as HTMLSelectElement).value as ServiceQueueFilters['status'] })}>
          <option value="active" ?selected=${f.status === 'active'}>${msg('Open and in progress', { id: 'service.status.active' })}</option>
          ${SERVICE_STATUSES.map((s) => html`<option value=${s} ?selected=${f.status === s}>${statusLabel(s)}</option>`)}
          <option value="all" ?selected=${f.status === 'all'}>${msg('All', { id: 'service.status.all' })}</option>
        </select>
      </div>
      <div class="field">
        <label for="f-type">${msg('Type', { id: 'service.typeLabel' })}</label>
        <select id="f-type" @change=${(e: Event) => this.setFilter({ type: ((e.target as HTMLSelectElement).value || undefined) as ServiceQueueFilters['type'] })}>
          <option value="">${msg('All types', { id: 'service.allTypes' })}</option>
          ${SERVICE_TYPES.map((t) => html`<option value=${t} ?selected=${f.type === t}>${typeLabel(t)}</option>`)}
        </select>
      </div>
      <label class="choice">
        <input type="checkbox" .checked=${f.assignee === 'me'} @change=${(e: Event) => this.setFilter({ assignee: (e.target as HTMLInputElement).checked ? 'me' : undefined })} />
        ${msg('Assigned to me', { id: 'service.mine' })}
      </label>
      <label class="choice">
        <input type="checkbox" .checked=${f.overdue === 'true'} @change=${(e: Event) => this.setFilter({ overdue: (e.target as HTMLInputElement).checked ? 'true' : undefined })} />
        ${msg('Overdue only', { id: 'service.overdueOnly' })}
      </label>
    </div>`;
  }

  private renderBody() {
    const load = this.load;
    switch (load.kind) {
      case 'loading':
        return html`<tandem-loading></tandem-loading>`;
      case 'failed':
        return html`<tandem-empty-state icon="alert" heading=${msg('The service queue could not be loaded', { id: 'service.loadFailed' })}>
          ${errorMessage(load.error)}
          <button slot="actions" type="button" @click=${() => this.refresh()}>${msg('Try again', { id: 'common.retry' })}</button>
        </tandem-empty-state>`;
      case 'ready':
        if (load.items.length === 0) {
          return html`<tandem-empty-state icon="service" heading=${msg('Nothing in the queue', { id: 'service.emptyHeading' })}>
            ${msg('Complaints, requests and visits logged for your team’s customers appear here. Change the filters to see resolved ones.', { id: 'service.emptyText' })}
          </tandem-empty-state>`;
        }
        return html`<section class="card list" aria-label=${msg('Service records', { id: 'service.listLabel' })}>
            <tandem-service-record-list show-customer .records=${load.items} .users=${this.users}
              @edit-record=${(e: CustomEvent<ServiceRecordDto>) => (this.editing = { kind: 'edit', record: e.detail })}></tandem-service-record-list>
          </section>
          ${load.nextCursor
            ? html`<button type="button" ?disabled=${this.loadingMore} @click=${() => this.more()}>${msg('Show more', { id: 'service.more' })}</button>`
            : nothing}`;
      default:
        return load satisfies never;
    }
  }

  override render() {
    const editing = this.editing;
    return html`<section class="card" aria-labelledby="report-h">
        <h2 id="report-h">${msg('After-sales at a glance', { id: 'service.reportHeading' })}</h2>
        <tandem-service-report></tandem-service-report>
      </section>
      <div class="toolbar">
        ${this.renderFilters()}
        <button class="primary" type="button" @click=${() => (this.editing = { kind: 'new' })}>${icons.plus}${msg('New record', { id: 'service.new' })}</button>
      </div>
      ${this.actionError ? html`<tandem-alert kind="error">${this.actionError}</tandem-alert>` : nothing} ${this.renderBody()}
      <tandem-service-record-dialog
        .open=${editing.kind !== 'closed'}
        .record=${editing.kind === 'edit' ? editing.record : null}
        .users=${this.users}
        @close=${this.closeDialog}
        @record-saved=${this.onSaved}
      ></tandem-service-record-dialog>`;
  }
}

customElements.define('tandem-service-page', TandemServicePage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-service-page': TandemServicePage;
  }
}
