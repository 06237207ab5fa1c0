/**
 * The outbox in the frame's header (offline/outbox.ts): hidden while empty;
 * otherwise "3 waiting to be sent" or, when the server refused one, "1 could
 * not be sent". It opens a dialog listing the entries in order. A waiting one
 * can be discarded; a refused one shows the server's reason and can be fixed
 * (its fields, the one at fault first) and sent again, sent anyway when the
 * reason was a likely duplicate, or discarded.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { ApiError } from '../api/http.ts';
import { errorMessage } from '../ui/error-message.ts';
import { icons } from '../ui/icons.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';
import {
  discardEntry,
  flushOutbox,
  OUTBOX_CHANGED,
  type OutboxEntry,
  type OutboxKind,
  outboxEntries,
  outboxEvents,
  retryEntry,
} from './outbox.ts';

function kindLabel(kind: OutboxKind): string {
  switch (kind) {
    case 'customer':
      return msg('New customer', { id: 'outbox.kind.customer' });
    case 'contact':
      return msg('New contact', { id: 'outbox.kind.contact' });
    case 'task':
      return msg('New task', { id: 'outbox.kind.task' });
    case 'lead':
      return msg('New lead', { id: 'outbox.kind.lead' });
    default:
      return kind satisfies never;
  }
}

/** A field's name as the forms call it. */
function fieldLabel(key: string): string {
  switch (key) {
    case 'name':
      return msg('Name', { id: 'outbox.field.name' });
    case 'title':
      return msg('Title', { id: 'outbox.field.title' });
    case 'phone':
      return msg('Phone', { id: 'outbox.field.phone' });
    case 'email':
      return msg('E-mail', { id: 'outbox.field.email' });
    case 'company':
      return msg('Company', { id: 'outbox.field.company' });
    case 'description':
      return msg('Description', { id: 'outbox.field.description' });
    case 'note':
      return msg('Note', { id: 'outbox.field.note' });
    default:
      return key;
  }
}

/** The body's fields a person can correct: text, numbers and dates, not ids or flags. */
function editableFields(body: Record<string, unknown>): string[] {
  return Object.entries(body)
    .filter(([k, v]) => (typeof v === 'string' || typeof v === 'number') && !/(^id$|Id$)/.test(k))
    .map(([k]) => k);
}

export class TandemOutbox extends LitElement {
  static override properties = {
    entries: { state: true },
    open: { state: true },
    editing: { state: true },
    online: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      :host {
        display: inline-block;
      }
      button.summary {
        gap: var(--t-space-2);
        white-space: nowrap;
      }
      button.summary[data-failed] {
        border-color: var(--t-danger);
        color: var(--t-danger);
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--t-space-3);
      }
      li {
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius);
        padding: var(--t-space-3);
        display: grid;
        gap: var(--t-space-2);
      }
      li[data-state='failed'] {
        border-color: var(--t-danger);
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-2);
        align-items: baseline;
        justify-content: space-between;
      }
      .what {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .meta {
        color: var(--t-muted);
        font-size: 0.875rem;
      }
      .reason {
        color: var(--t-danger);
        margin: 0;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-2);
        justify-content: flex-end;
      }
      form {
        display: grid;
        gap: var(--t-space-2);
      }
    `,
  ];
  declare entries: OutboxEntry[];
  declare open: boolean;
  declare editing: number | null;
  declare online: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.entries = [];
    this.open = false;
    this.editing = null;
    this.online = typeof navigator === 'undefined' ? true : navigator.onLine;
  }

  private readonly onChanged = (e: Event) => {
    this.entries = (e as CustomEvent<OutboxEntry[]>).detail;
    if (this.entries.length === 0) this.open = false;
  };
  private readonly onNetwork = () => {
    this.online = navigator.onLine;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    outboxEvents.addEventListener(OUTBOX_CHANGED, this.onChanged);
    window.addEventListener('online', this.onNetwork);
    window.addEventListener('offline', this.onNetwork);
    void outboxEntries().then((entries) => {
      this.entries = entries;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    outboxEvents.removeEventListener(OUTBOX_CHANGED, this.onChanged);
    window.removeEventListener('online', this.onNetwork);
    window.removeEventListener('offline', this.onNetwork);
  }

  private summary(): string {
    const failed = this.entries.filter((e) => e.state === 'failed').length;
    if (failed === 1) return msg('1 could not be sent', { id: 'outbox.failedOne' });
    if (failed > 1) return msg(str`${failed} could not be sent`, { id: 'outbox.failedMany' });
    const waiting = this.entries.length;
    if (waiting === 1) return msg('1 waiting to be sent', { id: 'outbox.waitingOne' });
    return msg(str`${waiting} waiting to be sent`, { id: 'outbox.waitingMany' });
  }

  private reason(entry: OutboxEntry): string {
    const { error } = entry;
    if (!error) return '';
    if (entry.kind === 'customer' && error.code === 'conflict' && error.candidates?.length) {
      return msg(str`Likely a duplicate of: ${error.candidates.join(', ')}`, { id: 'outbox.duplicates' });
    }
    const text = errorMessage(new ApiError(error.code as ApiError['code'], 400, error.message, error.field));
    return error.field ? `${text} (${fieldLabel(error.field)})` : text;
  }

  private async saveFix(e: SubmitEvent, entry: OutboxEntry): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const body: Record<string, unknown> = { ...entry.body };
    for (const key of editableFields(entry.body)) {
      const value = String(data.get(key) ?? '');
      body[key] = typeof entry.body[key] === 'number' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
    }
    this.editing = null;
    await retryEntry(entry.seq, body);
  }

  private renderFix(entry: OutboxEntry) {
    const fields = editableFields(entry.body);
    // The field at fault first, focused when the form opens.
    const ordered = entry.error?.field && fields.includes(entry.error.field) ? [entry.error.field, ...fields.filter((f) => f !== entry.error?.field)] : fields;
    return html`<form @submit=${(e: SubmitEvent) => this.saveFix(e, entry)} aria-label=${msg('Fix and send again', { id: 'outbox.fix' })}>
      ${ordered.map(
        (key, i) => html`<label for="ob-${entry.seq}-${key}">${fieldLabel(key)}</label>
          <input
            id="ob-${entry.seq}-${key}"
            name=${key}
            .value=${String(entry.body[key] ?? '')}
            aria-invalid=${key === entry.error?.field ? 'true' : 'false'}
            ?data-autofocus=${i === 0}
          />`,
      )}
      <div class="actions">
        <button type="button" @click=${() => {
          this.editing = null;
        }}>${msg('Cancel', { id: 'outbox.cancel' })}</button>
        <button class="primary" type="submit">${msg('Send again', { id: 'outbox.sendAgain' })}</button>
      </div>
    </form>`;
  }

  private renderEntry(entry: OutboxEntry) {
    const failed = entry.state === 'failed';
    const duplicate = entry.kind === 'customer' && entry.error?.code === 'conflict' && !!entry.error.candidates?.length;
    return html`<li data-state=${entry.state} data-seq=${entry.seq}>
      <div class="head">
        <span class="what">${kindLabel(entry.kind)}: ${entry.label}</span>
        <span class="meta">${new Date(entry.createdAt).toLocaleString()} ·
          ${failed ? msg('Not sent', { id: 'outbox.state.failed' }) : msg('Waiting', { id: 'outbox.state.waiting' })}</span>
      </div>
      ${failed ? html`<p class="reason" role="status">${this.reason(entry)}</p>` : nothing}
      ${this.editing === entry.seq
        ? this.renderFix(entry)
        : html`<div class="actions">
            <button type="button" class="danger" @click=${() => discardEntry(entry.seq)}>${msg('Discard', { id: 'outbox.discard' })}</button>
            ${duplicate
              ? html`<button type="button" @click=${() => retryEntry(entry.seq, { ...entry.body, confirm: true })}>${msg('Create anyway', { id: 'outbox.createAnyway' })}</button>`
              : nothing}
            ${failed && editableFields(entry.body).length > 0
              ? html`<button type="button" class="primary" @click=${async () => {
                  this.editing = entry.seq;
                  await this.updateComplete;
                  this.renderRoot.querySelector<HTMLElement>(`li[data-seq="${entry.seq}"] input`)?.focus();
                }}>${msg('Fix', { id: 'outbox.edit' })}</button>`
              : nothing}
          </div>`}
    </li>`;
  }

  override render() {
    if (this.entries.length === 0) return nothing;
    const failed = this.entries.some((e) => e.state === 'failed');
    return html`<button type="button" class="summary" ?data-failed=${failed} aria-haspopup="dialog" @click=${() => {
        this.open = true;
      }}>${failed ? icons.alert : nothing}${this.summary()}</button>
      <tandem-dialog .open=${this.open} heading=${msg('Waiting to be sent', { id: 'outbox.heading' })} @close=${() => {
        this.open = false;
        this.editing = null;
      }}>
        <p class="meta">
          ${this.online
            ? msg('Made while offline; sent in the order they were made.', { id: 'outbox.explainOnline' })
            : msg('You are offline. These are kept on this device and sent in order when the network returns.', { id: 'outbox.explainOffline' })}
        </p>
        <ol>${this.entries.map((entry) => this.renderEntry(entry))}</ol>
        ${this.online && this.entries.some((e) => e.state === 'waiting')
          ? html`<div class="actions"><button type="button" class="primary" @click=${() => flushOutbox()}>${msg('Send now', { id: 'outbox.sendNow' })}</button></div>`
          : nothing}
      </tandem-dialog>`;
  }
}

customElements.define('tandem-outbox', TandemOutbox);

declare global {
  interface HTMLElementTagNameMap {
    'tandem-outbox': TandemOutbox;
  }
}
