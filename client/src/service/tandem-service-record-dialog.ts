/**
 * Create or update a service record. New: customer (fixed when opened from a customer's page,
 * else searched by name), type, channel, title, description, assignee, due date. Update: the
 * same plus status, resolution (needed to resolve or close) and the customer's satisfaction
 * (once resolved or closed). Fires `record-saved`; server field errors show under their field.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { CustomerDto } from '../../../schema/wire/customer.ts';
import {
  SERVICE_CHANNELS,
  SERVICE_STATUSES,
  SERVICE_TEXT_MAX,
  SERVICE_TITLE_MAX,
  SERVICE_TYPES,
  type ServiceChannel,
  type ServiceRecordDto,
  type ServiceStatus,
  type ServiceType,
} from '../../../schema/wire/service-records.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { listCustomers } from '../api/customers.ts';
import { ApiError } from '../api/http.ts';
import { SubmissionKey } from '../api/idempotency.ts';
import { createServiceRecord, updateServiceRecord } from '../api/service-records.ts';
import { fromLocalInput, toLocalInput } from '../tasks/task-time.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';
import { channelLabel, statusLabel, typeLabel } from './service-labels.ts';

const CUSTOMER_SEARCH_DEBOUNCE_MS = 250;
const CUSTOMER_SEARCH_LIMIT = 8;
const FIELDS = ['customerId', 'type', 'channel', 'title', 'description', 'assigneeId', 'dueAt', 'status', 'resolution', 'satisfaction'] as const;
type Field = (typeof FIELDS)[number];

const isDone = (s: ServiceStatus) => s === 'resolved' || s === 'closed';

export class TandemServiceRecordDialog extends LitElement {
  static override properties = {
    open: { type: Boolean },
    record: { attribute: false },
    customerId: { type: String, attribute: 'customer-id' },
    customerName: { type: String, attribute: 'customer-name' },
    teamId: { type: String, attribute: 'team-id' },
    users: { attribute: false },
    saving: { state: true },
    error: { state: true },
    fieldErrors: { state: true },
    status: { state: true },
    chosen: { state: true },
    results: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      textarea {
        min-height: 80px;
        padding: var(--t-space-2) var(--t-space-3);
        resize: vertical;
      }
      .row {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(160px, 1fr));
        gap: var(--t-space-3);
      }
      ul.results {
        list-style: none;
        margin: 0;
        padding: 0;
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius-sm);
        max-height: 180px;
        overflow-y: auto;
      }
      ul.results button {
        width: 100%;
        justify-content: flex-start;
        border: none;
        border-radius: 0;
      }
      .chosen {
        display: flex;
        gap: var(--t-space-2);
        align-items: center;
      }
    `,
  ];
  declare open: boolean;
  /** The record to update, or null to create one. */
  declare record: ServiceRecordDto | null;
  /** A fixed customer for a new record (from the customer's page); '' to search one. */
  declare customerId: string;
  declare customerName: string;
  /** The fixed customer's team (its members are the possible assignees). */
  declare teamId: string;
  declare users: readonly UserDto[];
  declare saving: boolean;
  declare error: string;
  declare fieldErrors: Partial<Record<Field, string>>;
  declare status: ServiceStatus;
  declare chosen: { id: string; name: string; teamId: string } | null;
  declare results: readonly CustomerDto[];
  private readonly submission = new SubmissionKey();
  private searchTimer: number | undefined;
  private searchAbort: AbortController | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.open = false;
    this.record = null;
    this.customerId = '';
    this.customerName = '';
    this.teamId = '';
    this.users = [];
    this.saving = false;
    this.error = '';
    this.fieldErrors = {};
    this.status = 'open';
    this.chosen = null;
    this.results = [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) {
      this.error = '';
      this.fieldErrors = {};
      this.results = [];
      this.status = this.record?.status ?? 'open';
      this.chosen = this.customerId ? { id: this.customerId, name: this.customerName, teamId: this.teamId } : null;
    }
  }

  /** The inputs are not bound (a re-render must not undo typing): fill them each time the dialog opens. */
  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('open') || !this.open) return;
    const form = this.renderRoot.querySelector<HTMLFormElement>('form');
    if (!form) return;
    form.reset();
    const r = this.record;
    const set = (name: string, value: string) => {
      const el = form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null;
      if (el) el.value = value;
    };
    set('type', r?.type ?? 'request');
    set('channel', r?.channel ?? 'phone');
    set('title', r?.title ?? '');
    set('description', r?.description ?? '');
    set('assigneeId', r?.assigneeId ?? '');
    set('dueAt', toLocalInput(r?.dueAt ?? null));
    set('status', r?.status ?? 'open');
    set('resolution', r?.resolution ?? '');
    set('satisfaction', r?.satisfaction ? String(r.satisfaction) : '');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
    this.searchAbort?.abort();
  }

  private onCustomerInput(e: Event): void {
    const q = (e.target as HTMLInputElement).value.trim();
    clearTimeout(this.searchTimer);
    this.searchAbort?.abort();
    if (!q) {
      this.results = [];
      return;
    }
    this.searchTimer = window.setTimeout(() => void this.search(q), CUSTOMER_SEARCH_DEBOUNCE_MS);
  }

  private async search(q: string): Promise<void> {
    const abort = new AbortController();
    this.searchAbort = abort;
    try {
      const list = await listCustomers({ q }, { limit: CUSTOMER_SEARCH_LIMIT }, { signal: abort.signal });
      if (!abort.signal.aborted) this.results = list.items;
    } catch (error) {
      if ((error as Error).name !== 'AbortError') this.results = [];
    }
  }

  private choose(c: CustomerDto): void {
    this.chosen = { id: c.id, name: c.name, teamId: c.teamId };
    this.results = [];
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? '');
    const title = text('title').trim();
    const dueAt = fromLocalInput(text('dueAt'));
    const status = (text('status') || 'open') as ServiceStatus;
    const resolution = text('resolution').trim();
    const satisfaction = text('satisfaction') ? Number(text('satisfaction')) : null;
    const errors: Partial<Record<Field, string>> = {};
    if (!this.record && !this.chosen) errors.customerId = msg('Choose the customer.', { id: 'service.customerRequired' });
    if (!title) errors.title = msg('Enter a title.', { id: 'tasks.titleRequired' });
    if (dueAt === undefined) errors.dueAt = msg('Enter a valid date and time.', { id: 'tasks.dueInvalid' });
    if (this.record && isDone(status) && !resolution) errors.resolution = msg('Say how it was resolved.', { id: 'service.resolutionRequired' });
    this.fieldErrors = errors;
    if (Object.keys(errors).length > 0) return this.focusFirstError();
    const common = {
      type: text('type') as ServiceType,
      channel: text('channel') as ServiceChannel,
      title,
      description: text('description'),
      assigneeId: text('assigneeId') || null,
      dueAt: dueAt ?? null,
    };
    this.saving = true;
    this.error = '';
    try {
      let saved: ServiceRecordDto;
      if (this.record) {
        saved = await updateServiceRecord(this.record.id, {
          ...common,
          status,
          ...(isDone(status) ? { resolution, satisfaction } : { satisfaction: null }),
        });
      } else {
        const body = { customerId: this.chosen?.id ?? '', ...common };
        saved = await createServiceRecord(body, { idempotencyKey: this.submission.for(body) });
        this.submission.settled();
      }
      this.dispatchEvent(new CustomEvent<ServiceRecordDto>('record-saved', { detail: saved, bubbles: true, composed: true }));
    } catch (error) {
      if (!this.record) this.submission.settled(error);
      const field = error instanceof ApiError ? (error.field as Field | undefined) : undefined;
      if (field && FIELDS.includes(field)) {
        this.fieldErrors = { [field]: errorMessage(error) };
        this.focusFirstError();
      } else this.error = errorMessage(error);
    } finally {
      this.saving = false;
    }
  }

  private async focusFirstError(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  private close(): void {
    this.dispatchEvent(new Event('close'));
  }

  private fieldError(f: Field) {
    const m = this.fieldErrors[f];
    return m ? html`<span class="field-error" id="${f}-error">${m}</span>` : nothing;
  }

  private invalid(f: Field): 'true' | 'false' {
    return this.fieldErrors[f] ? 'true' : 'false';
  }

  private renderCustomer() {
    if (this.record) return nothing;
    if (this.chosen) {
      return html`<div class="field">
        <span class="label">${msg('Customer', { id: 'tasks.customer' })}</span>
        <div class="chosen">
          <strong>${this.chosen.name}</strong>
          ${this.customerId
            ? nothing
            : html`<button type="button" @click=${() => (this.chosen = null)}>${msg('Change', { id: 'service.changeCustomer' })}</button>`}
        </div>
      </div>`;
    }
    return html`<div class="field">
      <label for="customer">${msg('Customer', { id: 'tasks.customer' })}<span class="required" aria-hidden="true">*</span></label>
      <input id="customer" type="search" autocomplete="off" placeholder=${msg('Search customers by name', { id: 'service.customerSearch' })}
        aria-invalid=${this.invalid('customerId')} @input=${this.onCustomerInput} />
      ${this.fieldError('customerId')}
      ${this.results.length > 0
        ? html`<ul class="results">
            ${this.results.map(
              (c) => html`<li><button type="button" @click=${() => this.choose(c)}>${c.name}</button></li>`,
            )}
          </ul>`
        : nothing}
    </div>`;
  }

  override render() {
    const editing = this.record !== null;
    const team = this.record?.teamId ?? this.chosen?.teamId ?? '';
    const assignees = this.users.filter((u) => u.active && (!team || u.teamId === team));
    const done = isDone(this.status);
    const heading = editing ? msg('Update service record', { id: 'service.editHeading' }) : msg('New service record', { id: 'service.newHeading' });
    return html`<tandem-dialog .open=${this.open} heading=${heading} @close=${this.close}>
      <form novalidate @submit=${this.submit}>
        ${this.error ? html`<tandem-alert kind="error">${this.error}</tandem-alert>` : nothing} ${this.renderCustomer()}
        <div class="row">
          <div class="field">
            <label for="type">${msg('Type', { id: 'service.typeLabel' })}</label>
            <select id="type" name="type" aria-invalid=${this.invalid('type')}>
              ${SERVICE_TYPES.map((t) => html`<option value=${t}>${typeLabel(t)}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="channel">${msg('Channel', { id: 'service.channelLabel' })}</label>
            <select id="channel" name="channel">
              ${SERVICE_CHANNELS.map((c) => html`<option value=${c}>${channelLabel(c)}</option>`)}
            </select>
          </div>
        </div>
        <div class="field">
          <label for="title">${msg('Title', { id: 'service.titleLabel' })}<span class="required" aria-hidden="true">*</span></label>
          <input id="title" name="title" required maxlength=${SERVICE_TITLE_MAX} aria-invalid=${this.invalid('title')} />
          ${this.fieldError('title')}
        </div>
        <div class="field">
          <label for="description">${msg('Description', { id: 'service.descriptionLabel' })}</label>
          <textarea id="description" name="description" maxlength=${SERVICE_TEXT_MAX}></textarea>
        </div>
        <div class="row">
          <div class="field">
            <label for="assigneeId">${msg('Assignee', { id: 'service.assigneeLabel' })}</label>
            <select id="assigneeId" name="assigneeId" aria-invalid=${this.invalid('assigneeId')}>
              <option value="">${msg('Unassigned', { id: 'service.unassigned' })}</option>
              ${assignees.map((u) => html`<option value=${u.id}>${u.name}</option>`)}
            </select>
            ${this.fieldError('assigneeId')}
          </div>
          <div class="field">
            <label for="dueAt">${msg('Due', { id: 'service.dueLabel' })}</label>
            <input id="dueAt" name="dueAt" type="datetime-local" aria-invalid=${this.invalid('dueAt')} />
            ${this.fieldError('dueAt')}
          </div>
        </div>
        ${editing
          ? html`<div class="field">
                <label for="status">${msg('Status', { id: 'service.statusLabel' })}</label>
                <select id="status" name="status" @change=${(e: Event) => (this.status = (e.target as HTMLSelectElement).value as ServiceStatus)}>
                  ${SERVICE_STATUSES.map((s) => html`<option value=${s}>${statusLabel(s)}</option>`)}
                </select>
              </div>
              <div class="field" ?hidden=${!done}>
                <label for="resolution">${msg('Resolution', { id: 'service.resolutionLabel' })}<span class="required" aria-hidden="true">*</span></label>
                <textarea id="resolution" name="resolution" maxlength=${SERVICE_TEXT_MAX} aria-invalid=${this.invalid('resolution')}></textarea>
                ${this.fieldError('resolution')}
              </div>
              <div class="field" ?hidden=${!done}>
                <label for="satisfaction">${msg('Customer satisfaction', { id: 'service.satisfactionLabel' })}</label>
                <select id="satisfaction" name="satisfaction" aria-invalid=${this.invalid('satisfaction')}>
                  <option value="">${msg('Not rated', { id: 'service.notRated' })}</option>
                  ${[5, 4, 3, 2, 1].map((n) => html`<option value=${n}>${'★'.repeat(n)} ${n}</option>`)}
                </select>
                ${this.fieldError('satisfaction')}
              </div>`
          : nothing}
        <div class="actions end">
          <button type="button" @click=${() => this.close()}>${msg('Cancel', { id: 'common.cancel' })}</button>
          <button class="primary" type="submit" ?disabled=${this.saving}>${msg('Save', { id: 'common.save' })}</button>
        </div>
      </form>
    </tandem-dialog>`;
  }
}

customElements.define('tandem-service-record-dialog', TandemServiceRecordDialog);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-service-record-dialog': TandemServiceRecordDialog;
  }
}
