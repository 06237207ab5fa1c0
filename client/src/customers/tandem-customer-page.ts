/**
 * The customer 360° page (/customers/:id): fields edited in place and merged
 * live through the `customer:<id>` document, who else is here and what they
 * edit, tags, the shared account notes, contacts, follow-ups, opportunities,
 * open tasks and the change history; archive and restore for managers.
 */
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { CategoryDto, CustomerDto } from '../../../schema/wire/customer.ts';
import { type CustomerFieldName, customerDocName, DOC_CLOSE, type DocRefusalReason } from '../../../schema/wire/docs.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { getCustomer, listCategories, setArchived } from '../api/customers.ts';
import { fetchDocAccess } from '../api/docs.ts';
import { ApiError } from '../api/http.ts';
import { listUsers } from '../api/users.ts';
import { sessionContext } from '../app/contexts.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons, cards } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { CustomerDocConnection, type DocStatus } from './customer-doc-connection.ts';
import { categoryLabel, fieldLabel, kindLabel } from './customer-labels.ts';
import { colorFor, initials, type Peer } from './customer-presence.ts';
import './tandem-customer-contacts.ts';
import type { TandemCustomerContacts } from './tandem-customer-contacts.ts';
import './tandem-customer-field.ts';
import type { FieldOption } from './tandem-customer-field.ts';
import './tandem-customer-history.ts';
import type { TandemCustomerHistory } from './tandem-customer-history.ts';
import './tandem-customer-notes.ts';
import './tandem-customer-related.ts';
import './tandem-customer-tags.ts';
import './tandem-followups.ts';

/** After edits settle, the history is fetched again (the projection writes it). */
const HISTORY_REFRESH_MS = 1500;

type Load = { kind: 'loading' } | { kind: 'not-found' } | { kind: 'error'; error: unknown } | { kind: 'ready'; customer: CustomerDto };

interface FieldSpec {
  name: CustomerFieldName;
  multiline?: boolean;
  inputType?: string;
  wide?: boolean;
}

const DETAIL_FIELDS: readonly FieldSpec[] = [
  { name: 'industry' },
  { name: 'size' },
  { name: 'phone', inputType: 'tel' },
  { name: 'email', inputType: 'email' },
  { name: 'website' },
  { name: 'source' },
  { name: 'address', wide: true },
  { name: 'decisionMakers', multiline: true, wide: true },
  { name: 'needs', multiline: true, wide: true },
];

export function statusLabel(status: DocStatus): string {
  switch (status) {
    case 'connecting':
      return msg('Connecting…', { id: 'customer.status.connecting' });
    case 'synced':
      return msg('Live', { id: 'customer.status.synced' });
    case 'offline':
      return msg('Offline: changes are kept and sent when the connection returns', { id: 'customer.status.offline' });
    case 'refused':
      return msg('Disconnected', { id: 'customer.status.refused' });
    default:
      return status satisfies never;
  }
}

export class TandemCustomerPage extends LitElement {
  static override properties = {
    customerId: { type: String },
    load: { state: true },
    categories: { state: true },
    users: { state: true },
    refusal: { state: true },
    canWrite: { state: true },
    notice: { state: true },
    busy: { state: true },
  };
  static override styles = [
    base,
    buttons,
    cards,
    badges,
    css`
      :host {
        display: grid;
        gap: var(--t-space-4);
      }
      .top {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--t-space-3);
      }
      .top h2 {
        font-size: var(--t-font-size-lg);
        overflow-wrap: anywhere;
      }
      .spacer {
        flex: 1;
      }
      .avatars {
        display: flex;
      }
      .avatar {
        display: grid;
        place-items: center;
        width: 32px;
        height: 32px;
        margin-left: -6px;
        border-radius: 50%;
        border: 2px solid var(--t-surface);
        color: #fff;
        font-size: 12px;
        font-weight: 650;
      }
      .status {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        font-size: var(--t-font-size-sm);
        color: var(--t-muted);
      }
      .dot {
        width: 8px;
        height: 8px;
        border-radius: 50%;
        background: var(--t-border-strong);
      }
      .status[data-status='synced'] .dot {
        background: var(--t-success);
      }
      .status[data-status='offline'] .dot,
      .status[data-status='refused'] .dot {
        background: var(--t-danger);
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(280px, 1fr);
        gap: var(--t-space-4);
        align-items: start;
      }
      .column {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: var(--t-space-4);
        min-width: 0;
      }
      .card {
        min-width: 0;
      }
      .fields {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        gap: var(--t-space-3) var(--t-space-4);
      }
      .fields .wide {
        grid-column: 1 / -1;
      }
      .card h3 {
        font-size: var(--t-font-size);
        font-weight: 650;
        margin-bottom: var(--t-space-3);
      }
      @media (max-width: 980px) {
        .layout {
          grid-template-columns: 1fr;
        }
      }
      @media (max-width: 560px) {
        .fields {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];
  declare customerId: string;
  declare load: Load;
  declare categories: readonly CategoryDto[];
  declare users: readonly UserDto[];
  declare refusal: DocRefusalReason | null;
  /** The server's word on whether this user may edit the document (GET /api/docs/:name). */
  declare canWrite: boolean;
  declare notice: { kind: 'error' | 'success'; text: string } | null;
  declare busy: boolean;
  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  private readonly connection = new CustomerDocConnection(this, {
    refused: (reason) => {
      this.refusal = reason;
      void this.refresh();
    },
    resynced: () => void this.refresh(),
    changed: () => this.scheduleHistory(),
    contactsChanged: () => void this.renderRoot.querySelector<TandemCustomerContacts>('tandem-customer-contacts')?.reload(),
  });
  private historyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.customerId = '';
    this.load = { kind: 'loading' };
    this.categories = [];
    this.users = [];
    this.refusal = null;
    this.canWrite = true;
    this.notice = null;
    this.busy = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.historyTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId') && this.customerId) void this.start();
  }

  private async start(): Promise<void> {
    this.load = { kind: 'loading' };
    this.refusal = null;
    try {
      const customer = await getCustomer(this.customerId);
      await this.checkAccess(customer.id);
      this.load = { kind: 'ready', customer };
      const user = this.session.value?.user;
      if (user) this.connection.setPresence({ user: { id: user.id, name: user.name, color: colorFor(user.id) }, focus: null, contactsRev: 0 });
      this.connection.open(customer.id);
      void this.loadReferenceData();
    } catch (error) {
      this.load = error instanceof ApiError && (error.status === 404 || error.status === 400) ? { kind: 'not-found' } : { kind: 'error', error };
    }
  }

  /** After a refusal or a reconnection: the record (archived?) and the access may have changed. */
  private async refresh(): Promise<void> {
    const id = this.customerId;
    try {
      const customer = await getCustomer(id);
      await this.checkAccess(id);
      if (id === this.customerId && this.load.kind === 'ready') this.load = { kind: 'ready', customer };
    } catch {
      // The document connection shows what went wrong.
    }
  }

  /** Read-only or not is the server's decision; offline, the page keeps its last answer. */
  private async checkAccess(id: string): Promise<void> {
    try {
      this.canWrite = (await fetchDocAccess(customerDocName(id))).access === 'write';
    } catch {
      // The document connection reports access problems itself.
    }
  }

  private async loadReferenceData(): Promise<void> {
    const [categories, users] = await Promise.allSettled([listCategories(), listUsers()]);
    if (categories.status === 'fulfilled') this.categories = categories.value;
    if (users.status === 'fulfilled') this.users = users.value;
  }

  private scheduleHistory(): void {
    clearTimeout(this.historyTimer);
    this.historyTimer = setTimeout(() => void this.renderRoot.querySelector<TandemCustomerHistory>('tandem-customer-history')?.reload(), HISTORY_REFRESH_MS);
  }

  private async toggleArchived(customer: CustomerDto): Promise<void> {
    const archive = !customer.archivedAt;
    if (archive && !confirm(msg(str`Archive ${customer.name}? It leaves the list but nothing is deleted; a manager can restore it.`, { id: 'customer.archiveConfirm' }))) return;
    this.busy = true;
    try {
      const updated = await setArchived(customer.id, archive);
      await this.checkAccess(customer.id);
      this.load = { kind: 'ready', customer: updated };
      this.notice = {
        kind: 'success',
        text: archive ? msg('Archived.', { id: 'customer.archivedNotice' }) : msg('Restored.', { id: 'customer.restoredNotice' }),
      };
      this.scheduleHistory();
    } catch (err) {
      this.notice = { kind: 'error', text: errorMessage(err) };
    } finally {
      this.busy = false;
    }
  }

  private editorsOf(field: string): Peer[] {
    return this.connection.peers.filter((p) => p.focus === field);
  }

  private renderPresence() {
    const peers = this.connection.peers;
    // One avatar per person, however many tabs they have open.
    const people = [...new Map(peers.map((p) => [p.user.id, p])).values()];
    if (people.length === 0) return nothing;
    return html`<div class="avatars" role="list" aria-label=${msg('Also here', { id: 'customer.alsoHere' })}>
      ${people.map(
        (p) => html`<span class="avatar" role="listitem" data-user-id=${p.user.id} style="background:${p.user.color}" title=${p.user.name} aria-label=${p.user.name}
          >${initials(p.user.name)}</span
        >`,
      )}
    </div>`;
  }

  private renderDocProblem() {
    const c = this.connection;
    if (c.status !== 'refused') return nothing;
    switch (c.closeCode) {
      case DOC_CLOSE.unauthenticated:
        return html`<tandem-alert>${msg('Your session has ended. Please sign in again.', { id: 'error.unauthenticated' })}</tandem-alert>`;
      case DOC_CLOSE.forbidden:
      case DOC_CLOSE.notFound:
        return html`<tandem-alert>${msg('You can no longer open this customer live; it may have been moved to another team or merged.', { id: 'customer.docGone' })}</tandem-alert>`;
      default:
        return html`<tandem-alert
          >${msg('The live connection was closed. Reconnect to continue editing.', { id: 'customer.docClosed' })}
          <button type="button" class="link" @click=${() => this.connection.resync()}>${msg('Reconnect', { id: 'customer.reconnect' })}</button></tandem-alert
        >`;
    }
  }

  override render() {
    const load = this.load;
    switch (load.kind) {
      case 'loading':
        return html`<tandem-loading></tandem-loading>`;
      case 'not-found':
        return html`<tandem-empty-state icon="compass" heading=${msg('Customer not found', { id: 'customer.notFound' })}>
          ${msg('It does not exist, or it belongs to another team.', { id: 'customer.notFoundText' })}
          <a slot="actions" href="/customers">${msg('Back to customers', { id: 'customer.back' })}</a>
        </tandem-empty-state>`;
      case 'error':
        return html`<tandem-empty-state icon="alert" heading=${msg('The customer could not be loaded', { id: 'customer.loadFailed' })}>
          ${errorMessage(load.error)}
          <button slot="actions" class="primary" type="button" @click=${() => this.start()}>${msg('Try again', { id: 'common.retry' })}</button>
        </tandem-empty-state>`;
      case 'ready':
        return this.renderCustomer(load.customer);
      default:
        return load satisfies never;
    }
  }

  private renderCustomer(customer: CustomerDto) {
    const user = this.session.value?.user;
    const manager = user?.role === 'manager' || user?.role === 'admin';
    const c = this.connection;
    const live = c.status === 'synced' || c.status === 'offline';
    const readonly = !live || !this.canWrite;
    const fields = c.status === 'connecting' && Object.keys(c.fields).length === 0 ? (customer as unknown as Record<string, string>) : c.fields;
    // A field the document has never held (a default the server applied) reads from the record.
    const value = (name: CustomerFieldName) => String(fields[name] ?? (customer as unknown as Record<string, string | null>)[name] ?? '');
    const categoryOptions: FieldOption[] = (this.categories.length ? this.categories : [{ key: customer.category, label: customer.category }]).map((cat) => ({
      value: cat.key,
      label: categoryLabel(cat.key, this.categories),
    }));
    if (!categoryOptions.some((o) => o.value === value('category'))) categoryOptions.push({ value: value('category'), label: categoryLabel(value('category'), this.categories) });
    const kindOptions: FieldOption[] = [
      { value: 'company', label: kindLabel('company') },
      { value: 'person', label: kindLabel('person') },
    ];
    const ownerOptions: FieldOption[] = [
      { value: '', label: msg('No owner', { id: 'customers.filter.noOwner' }) },
      ...this.users.filter((u) => u.active || u.id === value('ownerId')).map((u) => ({ value: u.id, label: u.name })),
    ];
    return html`<div class="top">
        <h2 id="customer-name">${value('name') || customer.name}</h2>
        ${customer.archivedAt ? html`<span class="badge danger">${msg('Archived', { id: 'customers.archived' })}</span>` : nothing}
        <span class="status" data-status=${c.status} role="status"><span class="dot"></span>${statusLabel(c.status)}</span>
        <span class="spacer"></span>
        ${this.renderPresence()}
        ${manager
          ? html`<button type="button" class=${customer.archivedAt ? '' : 'danger'} ?disabled=${this.busy} @click=${() => this.toggleArchived(customer)}>
              ${customer.archivedAt ? msg('Restore', { id: 'customer.restore' }) : msg('Archive', { id: 'common.archive' })}
            </button>`
          : nothing}
      </div>
      ${this.refusal
        ? html`<tandem-alert
            >${this.refusal.message
              ? msg(str`Your last change was not accepted: ${this.refusal.message} The page now shows the latest saved version.`, { id: 'customer.refused' })
              : msg('Your last change was too large or malformed and was not accepted. The page now shows the latest saved version.', { id: 'customer.refusedPlain' })}
            <button type="button" class="link" @click=${() => (this.refusal = null)}>${msg('Dismiss', { id: 'common.dismiss' })}</button></tandem-alert
          >`
        : nothing}
      ${this.renderDocProblem()} ${this.notice ? html`<tandem-alert kind=${this.notice.kind}>${this.notice.text}</tandem-alert>` : nothing}
      ${customer.archivedAt && !this.canWrite
        ? html`<tandem-alert kind="info">${msg('This customer is archived: only managers can change it.', { id: 'customer.archivedReadonly' })}</tandem-alert>`
        : nothing}
      <div
        class="layout"
        @field-focus=${(e: CustomEvent<string | null>) => c.setFocus(e.detail)}
        @field-commit=${(e: CustomEvent<{ name: string; value: string }>) => c.setField(e.detail.name, e.detail.value)}
        @tag-change=${(e: CustomEvent<{ tag: string; on: boolean }>) => c.setTag(e.detail.tag, e.detail.on)}
        @contacts-changed=${() => {
          c.announceContactsChanged();
          this.scheduleHistory();
        }}
      >
        <div class="column">
          <section class="card" aria-labelledby="details-h">
            <h3 id="details-h">${msg('Details', { id: 'customer.details' })}</h3>
            <div class="fields">
              <tandem-customer-field
                class="wide"
                name="name"
                required
                .label=${fieldLabel('name')}
                .value=${value('name')}
                .editors=${this.editorsOf('name')}
                ?readonly=${readonly}
              ></tandem-customer-field>
              <tandem-customer-field name="kind" .label=${fieldLabel('kind')} .value=${value('kind') || 'company'} .options=${kindOptions} .editors=${this.editorsOf('kind')} ?readonly=${readonly}></tandem-customer-field>
              <tandem-customer-field
                name="category"
                .label=${fieldLabel('category')}
                .value=${value('category')}
                .options=${categoryOptions}
                .editors=${this.editorsOf('category')}
                ?readonly=${readonly}
              ></tandem-customer-field>
              ${DETAIL_FIELDS.map(
                (f) => html`<tandem-customer-field
                  class=${f.wide ? 'wide' : ''}
                  name=${f.name}
                  .label=${fieldLabel(f.name)}
                  .value=${value(f.name)}
                  .editors=${this.editorsOf(f.name)}
                  ?multiline=${f.multiline ?? false}
                  .inputType=${f.inputType ?? 'text'}
                  ?readonly=${readonly}
                ></tandem-customer-field>`,
              )}
              <tandem-customer-field
                name="ownerId"
                .label=${fieldLabel('ownerId')}
                .value=${value('ownerId')}
                .options=${ownerOptions}
                .editors=${this.editorsOf('ownerId')}
                ?readonly=${readonly || !manager}
              ></tandem-customer-field>
            </div>
          </section>
          <section class="card" aria-labelledby="tags-h">
            <h3 id="tags-h">${fieldLabel('tags')}</h3>
            <tandem-customer-tags .tags=${live ? c.tags : customer.tags} .editors=${this.editorsOf('tags')} ?readonly=${readonly}></tandem-customer-tags>
          </section>
          <section class="card" aria-labelledby="notes-h">
            <h3 id="notes-h">${msg('Account notes', { id: 'customer.notes' })}</h3>
            <tandem-customer-notes .doc=${c.doc} .awareness=${c.provider?.awareness ?? null} ?readonly=${readonly}></tandem-customer-notes>
          </section>
          <section class="card" aria-labelledby="contacts-h">
            <h3 id="contacts-h">${msg('Contacts', { id: 'customer.contacts' })}</h3>
            <tandem-customer-contacts customerId=${customer.id} ?readonly=${!this.canWrite}></tandem-customer-contacts>
          </section>
          <section class="card" aria-labelledby="followups-h">
            <h3 id="followups-h">${msg('Follow-ups', { id: 'customer.followups' })}</h3>
            <tandem-followups .doc=${c.doc} .users=${this.users} userId=${user?.id ?? ''} ?readonly=${readonly}></tandem-followups>
          </section>
        </div>
        <div class="column">
          <section class="card" aria-labelledby="opps-h">
            <h3 id="opps-h">${msg('Opportunities', { id: 'customer.opportunities' })}</h3>
            <tandem-customer-related kind="opportunities" customerId=${customer.id} .users=${this.users}></tandem-customer-related>
          </section>
          <section class="card" aria-labelledby="tasks-h">
            <h3 id="tasks-h">${msg('Open tasks', { id: 'customer.tasks' })}</h3>
            <tandem-customer-related kind="tasks" customerId=${customer.id} .users=${this.users}></tandem-customer-related>
          </section>
          <section class="card" aria-labelledby="history-h">
            <h3 id="history-h">${msg('Change history', { id: 'customer.history' })}</h3>
            <tandem-customer-history customerId=${customer.id} .users=${this.users}></tandem-customer-history>
          </section>
        </div>
      </div>`;
  }
}

customElements.define('tandem-customer-page', TandemCustomerPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-page': TandemCustomerPage;
  }
}
