/**
 * The customer 360° page (/customers/:id): fields edited in place and merged
 * live through the `customer:<id>` document, who else is here and what they
 * edit, tags, the shared account notes, contacts, follow-ups, opportunities,
 * open tasks and the change history; archive and restore for managers. A
 * change the server refused is explained beside the field it names (the
 * server's compensation puts the saved value back by itself).
 */
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { CategoryDto, CustomerDto } from '../../../schema/wire/customer.ts';
import { CUSTOMER_FIELDS, CUSTOMER_ROOTS, type CustomerFieldName } from '../../../schema/wire/docs.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { can } from '../../../schema/policy/access.ts';
import { getCustomer, listCategories, setArchived } from '../api/customers.ts';
import { ApiError } from '../api/http.ts';
import { listUsers } from '../api/users.ts';
import { sessionContext } from '../app/contexts.ts';
import { liveStatusLabel, offlineRecordText, offlineSectionText } from '../offline/offline-messages.ts';
import type { DocRefusal } from '../realtime/doc-controller.ts';
import { discardUnsentConfirm, discardUnsentLabel, docErrorText, refusalText } from '../realtime/doc-messages.ts';
import { SocketController } from '../realtime/socket-controller.ts';
import type { TandemAttachments } from '../attachments/tandem-attachments.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons, cards, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { categoryLabel, fieldLabel, kindLabel, nameLabel } from './customer-labels.ts';
import { CustomerLiveDoc } from './customer-live-doc.ts';
import { initials, type Peer } from './customer-presence.ts';
import './tandem-customer-contacts.ts';
import type { TandemCustomerContacts } from './tandem-customer-contacts.ts';
import './tandem-customer-field.ts';
import type { FieldOption } from './tandem-customer-field.ts';
import './tandem-customer-history.ts';
import type { TandemCustomerHistory } from './tandem-customer-history.ts';
import './tandem-customer-notes.ts';
import './tandem-customer-opportunities.ts';
import './tandem-customer-related.ts';
import './tandem-customer-deals.ts';
import './tandem-customer-tags.ts';
import './tandem-followups.ts';
import '../service/tandem-service-records-section.ts';
import '../attachments/tandem-attachments.ts';
import '../custom-fields/tandem-custom-fields-section.ts';

/** After edits settle, the history is fetched again (the projection writes it). */
const HISTORY_REFRESH_MS = 1500;

type Load = { kind: 'loading' } | { kind: 'not-found' } | { kind: 'error'; error: unknown } | { kind: 'ready'; customer: CustomerDto };

interface FieldSpec {
  name: CustomerFieldName;
  multiline?: boolean;
  inputType?: string;
  wide?: boolean;
}

/** Where the page shows a refusal: a field, the tags, the notes or the follow-ups (`followups.outcome` → `followups`). */
const REFUSAL_PLACES: ReadonlySet<string> = new Set([
  ...CUSTOMER_FIELDS,
  CUSTOMER_ROOTS.tags,
  CUSTOMER_ROOTS.notes,
  CUSTOMER_ROOTS.followups,
  CUSTOMER_ROOTS.custom,
]);
const shownInPlace = (r: DocRefusal) => r.field !== undefined && REFUSAL_PLACES.has(r.field.split('.')[0]!);

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

/** Key of the record's REST view kept beside its document, to open it offline (DocController.keepLocally). */
const LOCAL_RECORD_KEY = 'record';

/** Shown instead of a part of the page that only the server can give (contacts, history, …) while offline. */
const offlineSection = () => html`<p class="offline-note">${offlineSectionText()}</p>`;

export class TandemCustomerPage extends LitElement {
  static override properties = {
    customerId: { type: String },
    load: { state: true },
    categories: { state: true },
    users: { state: true },
    notice: { state: true },
    busy: { state: true },
    fromLocal: { state: true },
    askArchive: { state: true },
  };
  static override styles = [
    base,
    buttons,
    cards,
    badges,
    forms,
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
      .status[data-live='offline'] .dot,
      .status[data-live='refused'] .dot {
        background: var(--t-danger);
      }
      .status[data-live='syncing'] .dot {
        background: var(--t-warning, #d97706);
      }
      .offline-note {
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
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
  declare notice: { kind: 'error' | 'success'; text: string } | null;
  declare busy: boolean;
  /** Shown from this device's copy (the server could not be reached); REST-only parts wait for the network. */
  declare fromLocal: boolean;
  /** The in-app confirmation before archiving is open. */
  declare askArchive: boolean;
  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  private readonly customerDoc = new CustomerLiveDoc(this, {
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
    this.notice = null;
    this.busy = false;
    this.fromLocal = false;
    this.askArchive = false;
    // A teammate's change to this customer's contacts or files (from any page) refetches that section and the history.
    new SocketController(this, {
      on: {
        'customer:related': (e) => {
          if (e.customerId !== this.customerId) return;
          if (e.part === 'contacts') void this.renderRoot.querySelector<TandemCustomerContacts>('tandem-customer-contacts')?.reload();
          else void this.renderRoot.querySelector<TandemAttachments>('tandem-attachments')?.reload();
          this.scheduleHistory();
        },
      },
      onConnect: (_socket, reconnected) => {
        if (!reconnected) return;
        void this.renderRoot.querySelector<TandemCustomerContacts>('tandem-customer-contacts')?.reload();
        void this.renderRoot.querySelector<TandemAttachments>('tandem-attachments')?.reload();
        this.scheduleHistory();
      },
    });
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
    try {
      const customer = await getCustomer(this.customerId);
      this.load = { kind: 'ready', customer };
      this.fromLocal = false;
      this.openDoc(customer.id);
      void this.customerDoc.live.keepLocally(LOCAL_RECORD_KEY, customer);
      void this.loadReferenceData();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'network' && (await this.startFromLocal())) return;
      this.load = error instanceof ApiError && (error.status === 404 || error.status === 400) ? { kind: 'not-found' } : { kind: 'error', error };
    }
  }

  private openDoc(customerId: string): void {
    const user = this.session.value?.user;
    this.customerDoc.open(customerId, user ? { id: user.id, name: user.name, role: user.role } : null);
  }

  /** Offline: the customer as this device last saw it, if it kept one (docs/offline.md). */
  private async startFromLocal(): Promise<boolean> {
    const id = this.customerId;
    this.openDoc(id);
    const kept = await this.customerDoc.live.readLocal<CustomerDto>(LOCAL_RECORD_KEY);
    if (!kept || kept.id !== id || id !== this.customerId) return false;
    this.load = { kind: 'ready', customer: kept };
    this.fromLocal = true;
    return true;
  }

  /** After a reconnection: the record (archived?) may have changed; the access was checked again by the controller. */
  private async refresh(): Promise<void> {
    const id = this.customerId;
    try {
      const customer = await getCustomer(id);
      if (id !== this.customerId || this.load.kind !== 'ready') return;
      this.load = { kind: 'ready', customer };
      void this.customerDoc.live.keepLocally(LOCAL_RECORD_KEY, customer);
      if (this.fromLocal) {
        this.fromLocal = false;
        void this.loadReferenceData();
      }
    } catch {
      // The document connection shows what went wrong.
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
    this.askArchive = false;
    this.busy = true;
    try {
      // Whoever loses write access by it is reconnected by the server (4001) and checked again.
      const updated = await setArchived(customer.id, archive);
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
    return this.customerDoc.peers.filter((p) => p.focus === field);
  }

  /** Why the server refused our last change of `field` (or of one of its parts), or ''. */
  private refusalOf(field: string): string {
    const r = this.customerDoc.live.refusalFor(field);
    return r ? refusalText(r) : '';
  }

  private renderPresence() {
    const peers = this.customerDoc.peers;
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
    const live = this.customerDoc.live;
    const error = live.error;
    if (!error) {
      return live.status === 'refused'
        ? html`<tandem-alert
            >${msg('The live connection was closed. Reconnect to continue editing.', { id: 'customer.docClosed' })}
            <button type="button" class="link" @click=${() => live.retry()}>${msg('Reconnect', { id: 'customer.reconnect' })}</button></tandem-alert
          >`
        : nothing;
    }
    const text = docErrorText(error, msg('You can no longer open this customer live; it may have been moved to another team or merged.', { id: 'customer.docGone' }));
    switch (error.code) {
      case 'unauthenticated':
      case 'forbidden':
      case 'not_found':
        return html`<tandem-alert>${text}</tandem-alert>`;
      case 'rate_limited':
        return html`<tandem-alert kind="info"
          >${text} <button type="button" class="link" @click=${() => live.dismissError()}>${msg('Dismiss', { id: 'common.dismiss' })}</button></tandem-alert
        >`;
      case 'bad_message':
      case 'too_large':
      case 'document_full':
        return html`<tandem-alert
          >${text} <button type="button" class="link" @click=${() => live.retry()}>${msg('Reconnect', { id: 'customer.reconnect' })}</button>
          <button type="button" class="link" @click=${() => this.discardUnsent()}>${discardUnsentLabel()}</button></tandem-alert
        >`;
      default:
        return error.code satisfies never;
    }
  }

  private discardUnsent(): void {
    if (!confirm(discardUnsentConfirm())) return;
    this.customerDoc.live.reset();
  }

  /** A refusal shown as an alert (notes, or a field the page has no place for), with its dismiss button. */
  private renderRefusalAlert(refusal: DocRefusal | null, dismiss: () => void) {
    if (!refusal) return nothing;
    return html`<tandem-alert
      >${refusalText(refusal)} <button type="button" class="link" @click=${dismiss}>${msg('Dismiss', { id: 'common.dismiss' })}</button></tandem-alert
    >`;
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
    const record = { type: 'customer', teamId: customer.teamId, ownerId: customer.ownerId, archived: customer.archivedAt !== null } as const;
    const mayArchive = !!user && can(user, 'archive', record);
    const mayReassign = !!user && can(user, 'reassign', record);
    const c = this.customerDoc;
    const doc = c.live;
    const live = doc.status === 'synced' || doc.status === 'offline';
    const readonly = !live || doc.readOnly;
    const fields = doc.status === 'connecting' && Object.keys(c.fields).length === 0 ? (customer as unknown as Record<string, string>) : c.fields;
    const elsewhere = doc.refusals.filter((r) => !shownInPlace(r));
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
        <span class="status" data-status=${doc.status} data-live=${doc.liveStatus.kind} role="status"
          ><span class="dot"></span>${liveStatusLabel(doc.liveStatus)}</span
        >
        <span class="spacer"></span>
        ${this.renderPresence()}
        ${mayArchive && !customer.archivedAt && !this.fromLocal
          ? html`<a class="button" href=${`/customers/${customer.id}/merge`}>${msg('Merge with another…', { id: 'customer.merge' })}</a>`
          : nothing}
        ${mayArchive
          ? html`<button
              type="button"
              class=${customer.archivedAt ? '' : 'danger'}
              ?disabled=${this.busy}
              @click=${() => {
                if (customer.archivedAt) void this.toggleArchived(customer);
                else this.askArchive = true;
              }}
            >
              ${customer.archivedAt ? msg('Restore', { id: 'customer.restore' }) : msg('Archive', { id: 'common.archive' })}
            </button>`
          : nothing}
        <tandem-dialog .open=${this.askArchive} heading=${msg('Archive this customer?', { id: 'customer.archiveHeading' })} @close=${() => (this.askArchive = false)}>
          <form
            @submit=${(e: Event) => {
              e.preventDefault();
              void this.toggleArchived(customer);
            }}
          >
            <p>${msg(str`Archive ${customer.name}? It leaves the list but nothing is deleted; a manager can restore it.`, { id: 'customer.archiveConfirm' })}</p>
            <div class="actions end">
              <button type="button" data-autofocus @click=${() => (this.askArchive = false)}>${msg('Cancel', { id: 'common.cancel' })}</button>
              <button class="danger" type="submit">${msg('Archive', { id: 'common.archive' })}</button>
            </div>
          </form>
        </tandem-dialog>
      </div>
      ${this.renderRefusalAlert(elsewhere.at(-1) ?? null, () => {
        for (const r of elsewhere) doc.dismissRefusal(r);
      })}
      ${this.fromLocal ? html`<tandem-alert kind="info" class="offline-record">${offlineRecordText()}</tandem-alert>` : nothing}
      ${this.renderDocProblem()} ${this.notice ? html`<tandem-alert kind=${this.notice.kind}>${this.notice.text}</tandem-alert>` : nothing}
      ${customer.archivedAt && doc.readOnly
        ? html`<tandem-alert kind="info">${msg('This customer is archived: only managers can change it.', { id: 'customer.archivedReadonly' })}</tandem-alert>`
        : nothing}
      <div
        class="layout"
        @field-focus=${(e: CustomEvent<string | null>) => c.setFocus(e.detail)}
        @field-commit=${(e: CustomEvent<{ name: string; value: string }>) => c.setField(e.detail.name, e.detail.value)}
        @tag-change=${(e: CustomEvent<{ tag: string; on: boolean }>) => c.setTag(e.detail.tag, e.detail.on)}
        @refusal-dismiss=${(e: CustomEvent<string>) => doc.dismissRefusal(e.detail)}
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
                .label=${nameLabel(value('kind'))}
                .value=${value('name')}
                .editors=${this.editorsOf('name')}
                .refusal=${this.refusalOf('name')}
                ?readonly=${readonly}
              ></tandem-customer-field>
              <tandem-customer-field
                name="kind"
                .label=${fieldLabel('kind')}
                .value=${value('kind') || 'company'}
                .options=${kindOptions}
                .editors=${this.editorsOf('kind')}
                .refusal=${this.refusalOf('kind')}
                ?readonly=${readonly}
              ></tandem-customer-field>
              <tandem-customer-field
                name="category"
                .label=${fieldLabel('category')}
                .value=${value('category')}
                .options=${categoryOptions}
                .editors=${this.editorsOf('category')}
                .refusal=${this.refusalOf('category')}
                ?readonly=${readonly}
              ></tandem-customer-field>
              ${DETAIL_FIELDS.map(
                (f) => html`<tandem-customer-field
                  class=${f.wide ? 'wide' : ''}
                  name=${f.name}
                  .label=${fieldLabel(f.name)}
                  .value=${value(f.name)}
                  .editors=${this.editorsOf(f.name)}
                  .refusal=${this.refusalOf(f.name)}
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
                .refusal=${this.refusalOf('ownerId')}
                ?readonly=${readonly || !mayReassign}
              ></tandem-customer-field>
            </div>
          </section>
          <tandem-custom-fields-section
            .doc=${doc.doc}
            team-id=${customer.teamId}
            .refusals=${doc.refusals}
            .peers=${c.peers}
            .users=${this.users}
            .fallback=${customer.custom ?? {}}
            ?readonly=${readonly}
          ></tandem-custom-fields-section>
          <section class="card" aria-labelledby="tags-h">
            <h3 id="tags-h">${fieldLabel('tags')}</h3>
            <tandem-customer-tags
              .tags=${live ? c.tags : customer.tags}
              .editors=${this.editorsOf('tags')}
              .refusal=${this.refusalOf(CUSTOMER_ROOTS.tags)}
              ?readonly=${readonly}
            ></tandem-customer-tags>
          </section>
          <section class="card" aria-labelledby="notes-h">
            <h3 id="notes-h">${msg('Account notes', { id: 'customer.notes' })}</h3>
            <tandem-customer-notes
              .doc=${doc.doc}
              .awareness=${doc.awareness}
              .users=${this.users.filter((u) => u.teamId === customer.teamId)}
              ?readonly=${readonly}
            ></tandem-customer-notes>
            ${this.renderRefusalAlert(doc.refusalFor(CUSTOMER_ROOTS.notes), () => doc.dismissRefusal(CUSTOMER_ROOTS.notes))}
          </section>
          <section class="card" aria-labelledby="contacts-h">
            <h3 id="contacts-h">${msg('Contacts', { id: 'customer.contacts' })}</h3>
            ${this.fromLocal ? offlineSection() : html`<tandem-customer-contacts customerId=${customer.id} team-id=${customer.teamId} .users=${this.users} ?readonly=${doc.readOnly}></tandem-customer-contacts>`}
          </section>
          <section class="card" aria-labelledby="followups-h">
            <h3 id="followups-h">${msg('Follow-ups', { id: 'customer.followups' })}</h3>
            <tandem-followups
              .doc=${doc.doc}
              .users=${this.users}
              userId=${user?.id ?? ''}
              .role=${user?.role ?? ''}
              @followup-archived=${() => this.scheduleHistory()}
              .refusal=${this.refusalOf(CUSTOMER_ROOTS.followups)}
              ?readonly=${readonly}
            ></tandem-followups>
          </section>
        </div>
        <div class="column">
          <section class="card" aria-labelledby="opps-h">
            <h3 id="opps-h">${msg('Opportunities', { id: 'customer.opportunities' })}</h3>
            ${this.fromLocal
              ? offlineSection()
              : html`<tandem-customer-opportunities
                  customer-id=${customer.id}
                  customer-name=${value('name') || customer.name}
                  team-id=${customer.teamId}
                  self-id=${user?.id ?? ''}
                  .users=${this.users}
                  ?can-create=${!!user && !customer.archivedAt && can(user, 'create', { type: 'opportunity', teamId: customer.teamId, ownerId: null })}
                  ?can-assign=${mayReassign}
                ></tandem-customer-opportunities>`}
          </section>
          ${this.fromLocal ? nothing : html`<tandem-customer-deals class="card" customer-id=${customer.id}></tandem-customer-deals>`}
          <section class="card" aria-labelledby="service-h">
            <h3 id="service-h">${msg('Feedback & service records', { id: 'service.customerHeading' })}</h3>
            ${this.fromLocal
              ? offlineSection()
              : html`<tandem-service-records-section
                  customer-id=${customer.id}
                  customer-name=${customer.name}
                  team-id=${customer.teamId}
                  .users=${this.users}
                  ?readonly=${doc.readOnly}
                ></tandem-service-records-section>`}
          </section>
          <section class="card" aria-labelledby="tasks-h">
            <h3 id="tasks-h">${msg('Open tasks', { id: 'customer.tasks' })}</h3>
            ${this.fromLocal ? offlineSection() : html`<tandem-customer-related kind="tasks" customerId=${customer.id} .users=${this.users}></tandem-customer-related>`}
          </section>
          <section class="card" aria-labelledby="attachments-h">
            <h3 id="attachments-h">${msg('Attachments', { id: 'attachments.heading' })}</h3>
            ${this.fromLocal
              ? offlineSection()
              : html`<tandem-attachments
                  parent-type="customer"
                  parent-id=${customer.id}
                  team-id=${customer.teamId}
                  ?readonly=${!user || !can(user, 'write', record)}
                ></tandem-attachments>`}
          </section>
          <section class="card" aria-labelledby="history-h">
            <h3 id="history-h">${msg('Change history', { id: 'customer.history' })}</h3>
            ${this.fromLocal ? offlineSection() : html`<tandem-customer-history customerId=${customer.id} .users=${this.users}></tandem-customer-history>`}
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
