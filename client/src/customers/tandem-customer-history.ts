/**
 * The change history of a customer (who, when, old → new), newest first, with
 * "show older". `reload()` refetches the newest entries.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { CustomerField, HistoryEntryDto } from '../../../schema/wire/customer.ts';
import { CUSTOMER_FIELDS } from '../../../schema/wire/docs.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { customerHistory } from '../api/customers.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { categoryLabel, fieldLabel, followupTypeLabel, formatDateTime, kindLabel } from './customer-labels.ts';
import type { CustomFieldDto } from '../../../schema/wire/custom-fields.ts';
import { listCustomFields } from '../api/custom-fields.ts';
import { customHistoryLabel, customHistoryValue } from '../custom-fields/custom-field-history.ts';

/** Longest value shown in a history line; the rest is cut. */
const VALUE_SHOWN_MAX = 120;

function actionLabel(action: string): string {
  switch (action) {
    case 'create':
      return msg('Created', { id: 'history.create' });
    case 'update':
      return msg('Changed', { id: 'history.update' });
    case 'archive':
      return msg('Archived', { id: 'customers.archived' });
    case 'restore':
      return msg('Restored', { id: 'history.restore' });
    case 'merge':
      return msg('Merged another customer into this one', { id: 'history.merge' });
    case 'merged-into':
      return msg('Merged into another customer', { id: 'history.mergedInto' });
    case 'import':
      return msg('Imported', { id: 'import.status.imported' });
    case 'import-undo':
      return msg('Import undone', { id: 'history.importUndo' });
    case 'contact-create':
      return msg('Contact added', { id: 'history.contactCreate' });
    case 'contact-update':
      return msg('Contact changed', { id: 'history.contactUpdate' });
    case 'contact-archive':
      return msg('Contact archived', { id: 'history.contactArchive' });
    case 'followup-archive':
      return msg('Follow-up deleted', { id: 'history.followupArchive' });
    default:
      return action;
  }
}

function shown(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  const s = typeof v === 'string' ? v : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ') : JSON.stringify(v);
  return s.length > VALUE_SHOWN_MAX ? `${s.slice(0, VALUE_SHOWN_MAX)}…` : s;
}

function keyLabel(key: string): string {
  if ((CUSTOMER_FIELDS as readonly string[]).includes(key) || key === 'tags') return fieldLabel(key as CustomerField | 'tags');
  // A deleted follow-up's entry: its type and the start of its text.
  if (key === 'type') return msg('Type', { id: 'customers.field.kind' });
  if (key === 'excerpt') return msg('What happened', { id: 'followups.text' });
  return key;
}

export class TandemCustomerHistory extends LitElement {
  static override properties = {
    customerId: { type: String },
    users: { attribute: false },
    items: { state: true },
    nextBefore: { state: true },
    error: { state: true },
    customFields: { state: true },
    contactFields: { state: true },
  };
  static override styles = [
    base,
    buttons,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--t-space-3);
      }
      li {
        display: grid;
        gap: 2px;
        padding-bottom: var(--t-space-3);
        border-bottom: 1px solid var(--t-border);
      }
      .meta {
        font-size: var(--t-font-size-sm);
        color: var(--t-muted);
      }
      .change {
        overflow-wrap: anywhere;
      }
      .old {
        color: var(--t-muted);
        text-decoration: line-through;
      }
      .more {
        margin-top: var(--t-space-3);
      }
    `,
  ];
  declare customerId: string;
  declare users: readonly UserDto[];
  declare items: HistoryEntryDto[] | null;
  declare nextBefore: number | null;
  declare error: unknown;
  declare customFields: readonly CustomFieldDto[];
  /** Labels of contact custom fields, for the `custom.<key>` changes of contact entries. */
  declare contactFields: readonly CustomFieldDto[];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.customerId = '';
    this.users = [];
    this.items = null;
    this.nextBefore = null;
    this.error = null;
    this.customFields = [];
    this.contactFields = [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId') && this.customerId) void this.reload();
  }

  async reload(): Promise<void> {
    // Custom field labels for `custom.<key>` entries; the history reads without them.
    void listCustomFields('customer', { archived: true }).then(
      (fields) => (this.customFields = fields),
      () => undefined,
    );
    void listCustomFields('contact', { archived: true }).then(
      (fields) => (this.contactFields = fields),
      () => undefined,
    );
    try {
      const page = await customerHistory(this.customerId);
      this.items = page.items;
      this.nextBefore = page.nextBefore;
      this.error = null;
    } catch (err) {
      this.error = err;
    }
  }

  private async more(): Promise<void> {
    if (!this.nextBefore) return;
    try {
      const page = await customerHistory(this.customerId, this.nextBefore);
      this.items = [...(this.items ?? []), ...page.items];
      this.nextBefore = page.nextBefore;
    } catch (err) {
      this.error = err;
    }
  }

  /** Owner ids read as names; everything else as written. */
  private value(key: string, v: unknown, fields: readonly CustomFieldDto[] = this.customFields): string {
    if (key === 'ownerId' && typeof v === 'string') return this.users.find((u) => u.id === v)?.name ?? shown(v);
    if (key === 'category' && typeof v === 'string' && v) return categoryLabel(v);
    if (key === 'kind' && typeof v === 'string' && v) return kindLabel(v);
    if (key === 'type' && typeof v === 'string' && v) return followupTypeLabel(v);
    return customHistoryValue(fields, key, v) ?? shown(v);
  }

  private renderChanges(e: HistoryEntryDto) {
    // Record ids (contactId, importId, …) mean nothing to a reader; the owner is shown by name.
    const entries = Object.entries(e.changes ?? {}).filter(([key]) => key === 'ownerId' || !/Id$/.test(key));
    if (entries.length === 0) return nothing;
    const fields = e.action.startsWith('contact-') ? this.contactFields : this.customFields;
    return entries.map(([key, value]) =>
      Array.isArray(value) && value.length === 2
        ? html`<div class="change"><strong>${customHistoryLabel(fields, key) ?? keyLabel(key)}</strong>: <span class="old">${this.value(key, value[0], fields)}</span> → <span>${this.value(key, value[1], fields)}</span></div>`
        : html`<div class="change"><strong>${customHistoryLabel(fields, key) ?? keyLabel(key)}</strong>: ${this.value(key, value, fields)}</div>`,
    );
  }

  override render() {
    if (this.error) return html`<tandem-alert>${errorMessage(this.error)}</tandem-alert>`;
    if (!this.items) return html`<p class="muted">${msg('Loading…', { id: 'common.loading' })}</p>`;
    if (this.items.length === 0) return html`<p class="muted">${msg('No changes recorded yet.', { id: 'history.empty' })}</p>`;
    return html`<ol>
        ${this.items.map(
          (e) => html`<li>
            <div class="meta">${formatDateTime(e.at)} · ${e.actorName ?? msg('System', { id: 'history.system' })}</div>
            <div><strong>${actionLabel(e.action)}</strong></div>
            ${this.renderChanges(e)}
          </li>`,
        )}
      </ol>
      ${this.nextBefore ? html`<button class="more" type="button" @click=${() => this.more()}>${msg('Show older', { id: 'history.more' })}</button>` : nothing}`;
  }
}

customElements.define('tandem-customer-history', TandemCustomerHistory);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-history': TandemCustomerHistory;
  }
}
