/**
 * Create or edit a task: title, description, assignee (a teammate), due time
 * and linked customer (searched by name). Fires `task-saved` with the saved
 * TaskDto; server field errors are shown under their field.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { CustomerDto } from '../../../schema/wire/customer.ts';
import { TASK_DESCRIPTION_MAX, TASK_TITLE_MAX, type TaskDto } from '../../../schema/wire/tasks.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { listCustomers } from '../api/customers.ts';
import { ApiError } from '../api/http.ts';
import { SubmissionKey } from '../api/idempotency.ts';
import { createTask, updateTask } from '../api/tasks.ts';
import { isQueued, queuedEvent } from '../offline/queued.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';
import { fromLocalInput, toLocalInput } from './task-time.ts';

/** Wait after the last keystroke before searching customers. */
const CUSTOMER_SEARCH_DEBOUNCE_MS = 250;
const CUSTOMER_SEARCH_LIMIT = 8;

type Field = 'title' | 'description' | 'assigneeId' | 'dueAt' | 'customerId';

export class TandemTaskDialog extends LitElement {
  static override properties = {
    open: { type: Boolean },
    task: { attribute: false },
    users: { attribute: false },
    me: { attribute: false },
    customerName: { type: String },
    saving: { state: true },
    error: { state: true },
    fieldErrors: { state: true },
    customerId: { state: true },
    customerLabel: { state: true },
    results: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      form {
        display: grid;
        gap: var(--t-space-4);
      }
      textarea {
        min-height: 90px;
        resize: vertical;
      }
      .chosen {
        display: flex;
        gap: var(--t-space-2);
        align-items: center;
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
    `,
  ];
  declare open: boolean;
  /** The task to edit, or null to create one. */
  declare task: TaskDto | null;
  declare users: readonly UserDto[];
  declare me: UserDto | null;
  /** Name of the task's linked customer, when known. */
  declare customerName: string;
  declare saving: boolean;
  declare error: string;
  declare fieldErrors: Partial<Record<Field, string>>;
  declare customerId: string | null;
  declare customerLabel: string;
  declare results: readonly CustomerDto[];
  private searchTimer: number | undefined;
  /** One Idempotency-Key per new task sent (a double submit or a retry creates it once). */
  private readonly submission = new SubmissionKey();
  private searchAbort: AbortController | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.open = false;
    this.task = null;
    this.users = [];
    this.me = null;
    this.customerName = '';
    this.saving = false;
    this.error = '';
    this.fieldErrors = {};
    this.customerId = null;
    this.customerLabel = '';
    this.results = [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) {
      this.error = '';
      this.fieldErrors = {};
      this.results = [];
      this.customerId = this.task?.customerId ?? null;
      this.customerLabel = this.task?.customerId ? this.customerName : '';
    }
  }

  /** The inputs are not bound (a re-render must not undo typing): fill them each time the dialog opens. */
  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('open') || !this.open) return;
    const form = this.renderRoot.querySelector<HTMLFormElement>('form');
    if (!form) return;
    form.reset();
    const set = (name: string, value: string) => {
      const el = form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null;
      if (el) el.value = value;
    };
    set('title', this.task?.title ?? '');
    set('description', this.task?.description ?? '');
    set('dueAt', toLocalInput(this.task?.dueAt ?? null));
    set('assigneeId', this.task?.assigneeId ?? this.me?.id ?? '');
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

  private choose(c: CustomerDto | null): void {
    this.customerId = c?.id ?? null;
    this.customerLabel = c?.name ?? '';
    this.results = [];
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const title = String(data.get('title') ?? '').trim();
    const description = String(data.get('description') ?? '');
    const assigneeId = String(data.get('assigneeId') ?? '');
    const dueAt = fromLocalInput(String(data.get('dueAt') ?? ''));
    const errors: Partial<Record<Field, string>> = {};
    if (!title) errors.title = msg('Enter a title.', { id: 'tasks.titleRequired' });
    if (dueAt === undefined) errors.dueAt = msg('Enter a valid date and time.', { id: 'tasks.dueInvalid' });
    this.fieldErrors = errors;
    if (Object.keys(errors).length > 0) return this.focusFirstError();
    const body = { title, description, assigneeId: assigneeId || undefined, dueAt: dueAt ?? null, customerId: this.customerId };
    this.saving = true;
    this.error = '';
    try {
      const saved = this.task
        ? await updateTask(this.task.id, body)
        : await createTask(body, { idempotencyKey: this.submission.for(body) });
      this.submission.settled();
      this.dispatchEvent(new CustomEvent<TaskDto>('task-saved', { detail: saved, bubbles: true, composed: true }));
    } catch (error) {
      this.submission.settled(error);
      // Offline: kept in the outbox (offline/outbox.ts); the page closes the dialog and says so.
      if (isQueued(error)) {
        this.dispatchEvent(queuedEvent(title));
        return;
      }
      const field = error instanceof ApiError ? (error.field as Field | undefined) : undefined;
      if (field && ['title', 'description', 'assigneeId', 'dueAt', 'customerId'].includes(field)) {
        this.fieldErrors = { [field]: errorMessage(error) };
        this.focusFirstError();
      } else this.error = errorMessage(error);
    } finally {
      this.saving = false;
    }
  }

  private focusFirstError(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  private errorOf(field: Field) {
    const text = this.fieldErrors[field];
    return text ? html`<p class="field-error" id="err-${field}">${text}</p>` : nothing;
  }

  private invalid(field: Field): 'true' | 'false' {
    return this.fieldErrors[field] ? 'true' : 'false';
  }

  override render() {
    const task = this.task;
    const assignee = task?.assigneeId ?? this.me?.id ?? '';
    const people = this.users.filter((u) => u.active || u.id === assignee);
    return html`<tandem-dialog
      .open=${this.open}
      heading=${task ? msg('Edit task', { id: 'tasks.editHeading' }) : msg('New task', { id: 'tasks.newHeading' })}
      @close=${() => this.dispatchEvent(new Event('close'))}
    >
      <form novalidate @submit=${this.submit}>
        ${this.error ? html`<tandem-alert kind="error">${this.error}</tandem-alert>` : nothing}
        <div class="field">
          <label for="task-title">${msg('Title', { id: 'tasks.title' })}</label>
          <input
            id="task-title"
            name="title"
            required
            maxlength=${TASK_TITLE_MAX}
            data-autofocus
            aria-invalid=${this.invalid('title')}
            aria-describedby="err-title"
          />
          ${this.errorOf('title')}
        </div>
        <div class="field">
          <label for="task-description">${msg('Description', { id: 'tasks.description' })}</label>
          <textarea
            id="task-description"
            name="description"
            maxlength=${TASK_DESCRIPTION_MAX}
            aria-invalid=${this.invalid('description')}
            aria-describedby="err-description"
          ></textarea>
          ${this.errorOf('description')}
        </div>
        <div class="field">
          <label for="task-assignee">${msg('Assignee', { id: 'tasks.assignee' })}</label>
          <select id="task-assignee" name="assigneeId" aria-invalid=${this.invalid('assigneeId')} aria-describedby="err-assigneeId">
            ${people.map((u) => html`<option value=${u.id} ?selected=${u.id === assignee}>${u.name}</option>`)}
          </select>
          ${this.errorOf('assigneeId')}
        </div>
        <div class="field">
          <label for="task-due">${msg('Due', { id: 'tasks.due' })}</label>
          <input
            id="task-due"
            name="dueAt"
            type="datetime-local"
            aria-invalid=${this.invalid('dueAt')}
            aria-describedby="err-dueAt"
          />
          ${this.errorOf('dueAt')}
        </div>
        <div class="field">
          <label for="task-customer">${msg('Customer', { id: 'tasks.customer' })}</label>
          ${this.customerId
            ? html`<div class="chosen">
                <span data-testid="task-customer">${this.customerLabel || msg('Linked customer', { id: 'tasks.linkedCustomer' })}</span>
                <button type="button" @click=${() => this.choose(null)}>${msg('Remove', { id: 'tasks.removeCustomer' })}</button>
              </div>`
            : html`<input
                  id="task-customer"
                  type="search"
                  autocomplete="off"
                  placeholder=${msg('Search customers by name', { id: 'tasks.customerSearch' })}
                  aria-invalid=${this.invalid('customerId')}
                  aria-describedby="err-customerId"
                  @input=${this.onCustomerInput}
                />
                ${this.results.length > 0
                  ? html`<ul class="results" aria-label=${msg('Matching customers', { id: 'tasks.customerResults' })}>
                      ${this.results.map((c) => html`<li><button type="button" @click=${() => this.choose(c)}>${c.name}</button></li>`)}
                    </ul>`
                  : nothing}`}
          ${this.errorOf('customerId')}
        </div>
        <div class="actions end">
          <button type="button" @click=${() => this.dispatchEvent(new Event('close'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
          <button class="primary" type="submit" ?disabled=${this.saving}>
            ${task ? msg('Save task', { id: 'tasks.save' }) : msg('Create task', { id: 'tasks.create' })}
          </button>
        </div>
      </form>
    </tandem-dialog>`;
  }
}

customElements.define('tandem-task-dialog', TandemTaskDialog);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-task-dialog': TandemTaskDialog;
  }
}
