/**
 * The contacts of a customer (REST rows): list, add, edit in place, archive, with the
 * contact custom fields that apply to the customer's team (docs/custom-fields.md, "Contacts"):
 * shown under each name, edited in the form. Fires `contacts-changed` after a change of ours
 * (the page tells the other people on it to refetch); `reload()` refetches. The definitions are
 * fetched again on `customFields:changed` for contacts.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { CustomFieldDto } from '../../../schema/wire/custom-fields.ts';
import type { ContactDto, CreateContactBody } from '../../../schema/wire/customer.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { archiveContact, createContact, listContacts, updateContact } from '../api/customers.ts';
import { localized } from '../custom-fields/custom-field-labels.ts';
import { type TandemCustomFieldInputs, customValueDisplay } from '../custom-fields/tandem-custom-field-inputs.ts';
import '../custom-fields/tandem-custom-field-inputs.ts';
import { CustomFieldsController } from '../custom-fields/custom-fields-controller.ts';
import { ApiError } from '../api/http.ts';
import { isQueued, queuedText } from '../offline/queued.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons, forms, tables } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { fieldProblem } from './tandem-customer-create-form.ts';
import { SubmissionKey } from '../api/idempotency.ts';

/** Same as SHORT_TEXT_MAX / PHONE_MAX / EMAIL_MAX in schema/wire/customer.ts. */
const TEXT_MAX = 200;
const PHONE_MAX = 40;
const EMAIL_MAX = 254;

/** A new contact's values (one object: a fresh one would reset what the user entered). */
const NO_VALUES: Readonly<Record<string, unknown>> = Object.freeze({});

type Editing = { kind: 'none' } | { kind: 'new' } | { kind: 'edit'; id: string };

export class TandemCustomerContacts extends LitElement {
  /** One Idempotency-Key per submission: a double click or a retry creates one record. */
  private readonly submission = new SubmissionKey();
  static override properties = {
    customerId: { type: String },
    readonly: { type: Boolean },
    teamId: { type: String, attribute: 'team-id' },
    users: { attribute: false },
    contacts: { state: true },
    loadError: { state: true },
    editing: { state: true },
    errors: { state: true },
    busy: { state: true },
    notice: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    tables,
    badges,
    css`
      :host {
        display: grid;
        gap: var(--t-space-3);
      }
      td,
      th {
        padding: var(--t-space-2) var(--t-space-3);
      }
      form.contact {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(160px, 1fr));
        gap: var(--t-space-3);
        align-items: end;
        padding: var(--t-space-3);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius-sm);
        background: var(--t-surface-2);
      }
      .head {
        display: flex;
        justify-content: flex-end;
      }
      /* Each "label: value" on its own line at a phone's width, side by side when there is room. */
      dl.custom {
        margin: var(--t-space-1) 0 0;
        min-width: 10em;
        font-size: var(--t-font-size-sm);
      }
      dl.custom div {
        display: inline-block;
        margin-right: var(--t-space-3);
      }
      dl.custom dt,
      dl.custom dd {
        display: inline;
        margin: 0;
      }
      dl.custom dt {
        color: var(--t-muted);
        white-space: nowrap;
      }
      dl.custom dt::after {
        content: ': ';
      }
      dl.custom dd {
        overflow-wrap: break-word;
      }
    `,
  ];
  declare customerId: string;
  declare readonly: boolean;
  /** The customer's team: which contact fields apply, and whom a user field may name. */
  declare teamId: string;
  declare users: readonly UserDto[];
  /** The active contact fields the user sees (the workspace's and teams'); filtered by `teamId`. */
  private readonly customFields = new CustomFieldsController(this, 'contact');
  declare contacts: ContactDto[] | null;
  declare loadError: unknown;
  declare editing: Editing;
  declare errors: Record<string, string>;
  declare busy: boolean;
  /** A contact created offline waits in the outbox: said here, where its form was. */
  declare notice: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.customerId = '';
    this.readonly = false;
    this.teamId = '';
    this.users = [];
    this.contacts = null;
    this.loadError = null;
    this.editing = { kind: 'none' };
    this.errors = {};
    this.busy = false;
    this.notice = '';
  }

  private fieldsOfTeam(): CustomFieldDto[] {
    return this.customFields.ofTeam(this.teamId);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId') && this.customerId) void this.reload();
  }

  async reload(): Promise<void> {
    try {
      this.contacts = await listContacts(this.customerId);
      this.loadError = null;
    } catch (err) {
      this.loadError = err;
    }
  }

  private changed(): void {
    this.dispatchEvent(new Event('contacts-changed', { bubbles: true, composed: true }));
  }

  private async onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const get = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).value.trim();
    const body: CreateContactBody = {
      name: get('name'),
      title: get('title'),
      phone: get('phone'),
      email: get('email'),
      decisionMaker: (form.elements.namedItem('decisionMaker') as HTMLInputElement).checked,
    };
    const custom = form.querySelector<TandemCustomFieldInputs>('tandem-custom-field-inputs')?.changes() ?? { ok: true as const, values: {} };
    if (!body.name) {
      this.errors = { name: msg('Enter the contact’s name.', { id: 'contacts.nameRequired' }) };
      return;
    }
    if (!custom.ok) return;
    if (Object.keys(custom.values).length > 0) body.custom = custom.values;
    this.busy = true;
    this.errors = {};
    this.notice = '';
    try {
      const editing = this.editing;
      if (editing.kind === 'edit') await updateContact(editing.id, body);
      else {
        await createContact(this.customerId, body, { idempotencyKey: this.submission.for(body) });
        this.submission.settled();
      }
      this.editing = { kind: 'none' };
      await this.reload();
      this.changed();
    } catch (err) {
      this.submission.settled(err);
      if (isQueued(err)) {
        // Offline: kept in the outbox (offline/outbox.ts), sent when the network returns.
        this.editing = { kind: 'none' };
        this.notice = queuedText();
        return;
      }
      this.errors =
        err instanceof ApiError && err.field
          ? { [err.field]: err.field.startsWith('custom.') ? this.customFields.problem(err.field) : fieldProblem(err.field, err.message) }
          : { form: errorMessage(err) };
    } finally {
      this.busy = false;
    }
  }

  private async onArchive(c: ContactDto): Promise<void> {
    if (!confirm(msg(str`Archive the contact ${c.name}?`, { id: 'contacts.archiveConfirm' }))) return;
    try {
      await archiveContact(c.id);
      await this.reload();
      this.changed();
    } catch (err) {
      this.errors = { form: errorMessage(err) };
    }
  }

  private renderCustomValues(c: ContactDto) {
    const shown = this.fieldsOfTeam()
      .map((f) => ({ f, text: customValueDisplay(f, c.custom?.[f.key], this.users) }))
      .filter((x) => x.text !== '');
    if (shown.length === 0) return nothing;
    return html`<dl class="custom">
      ${shown.map(({ f, text }) => html`<div data-key=${f.key}><dt>${localized(f.label)}</dt><dd>${text}</dd></div>`)}
    </dl>`;
  }

  private cancelEdit = () => {
    this.editing = { kind: 'none' };
    this.errors = {};
  };

  private renderForm(c: ContactDto | null) {
    const err = (n: string) => (this.errors[n] ? html`<p class="field-error">${this.errors[n]}</p>` : nothing);
    return html`<form class="contact" novalidate @submit=${this.onSubmit}>
      <div class="field">
        <label for="ct-name">${msg('Name', { id: 'customers.field.name' })}<span class="required" aria-hidden="true">*</span></label>
        <input id="ct-name" name="name" maxlength=${TEXT_MAX} .value=${c?.name ?? ''} required aria-invalid=${this.errors.name ? 'true' : 'false'} />
        ${err('name')}
      </div>
      <div class="field">
        <label for="ct-title">${msg('Title', { id: 'contacts.title' })}</label>
        <input id="ct-title" name="title" maxlength=${TEXT_MAX} .value=${c?.title ?? ''} />
      </div>
      <div class="field">
        <label for="ct-phone">${msg('Phone', { id: 'customers.field.phone' })}</label>
        <input id="ct-phone" name="phone" type="tel" maxlength=${PHONE_MAX} .value=${c?.phone ?? ''} aria-invalid=${this.errors.phone ? 'true' : 'false'} />
        ${err('phone')}
      </div>
      <div class="field">
        <label for="ct-email">${msg('E-mail', { id: 'customers.field.email' })}</label>
        <input id="ct-email" name="email" type="email" maxlength=${EMAIL_MAX} .value=${c?.email ?? ''} aria-invalid=${this.errors.email ? 'true' : 'false'} />
        ${err('email')}
      </div>
      <label class="choice"><input type="checkbox" name="decisionMaker" .checked=${c?.decisionMaker ?? false} />${msg('Decision maker', { id: 'contacts.decisionMaker' })}</label>
      <tandem-custom-field-inputs
        id-prefix=${c ? `ct-${c.id}` : 'ct-new'}
        team-id=${this.teamId}
        ?creating=${!c}
        .fields=${this.fieldsOfTeam()}
        .values=${c?.custom ?? NO_VALUES}
        .users=${this.users}
        .errors=${this.errors}
      ></tandem-custom-field-inputs>
      <div class="actions">
        <button type="button" @click=${this.cancelEdit}>${msg('Cancel', { id: 'common.cancel' })}</button>
        <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Save', { id: 'common.save' })}</button>
      </div>
      ${this.errors.form ? html`<tandem-alert>${this.errors.form}</tandem-alert>` : nothing}
    </form>`;
  }

  override render() {
    if (this.loadError) {
      return html`<tandem-alert>${errorMessage(this.loadError)}</tandem-alert>
        <div><button type="button" @click=${() => this.reload()}>${msg('Try again', { id: 'common.retry' })}</button></div>`;
    }
    if (!this.contacts) return html`<p class="muted">${msg('Loading…', { id: 'common.loading' })}</p>`;
    const editing = this.editing;
    return html`${this.notice ? html`<tandem-alert kind="info">${this.notice}</tandem-alert>` : nothing}
      ${this.readonly || editing.kind !== 'none'
        ? nothing
        : html`<div class="head"><button type="button" @click=${() => (this.editing = { kind: 'new' })}>${msg('Add contact', { id: 'contacts.add' })}</button></div>`}
      ${editing.kind === 'new' ? this.renderForm(null) : nothing}
      ${this.contacts.length === 0
        ? html`<p class="muted">${msg('No contacts yet.', { id: 'contacts.empty' })}</p>`
        : html`<div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>${msg('Name', { id: 'customers.field.name' })}</th>
                  <th>${msg('Title', { id: 'contacts.title' })}</th>
                  <th>${msg('Phone', { id: 'customers.field.phone' })}</th>
                  <th>${msg('E-mail', { id: 'customers.field.email' })}</th>
                  <th><span class="visually-hidden">${msg('Actions', { id: 'admin.actions' })}</span></th>
                </tr>
              </thead>
              <tbody>
                ${this.contacts.map((c) =>
                  editing.kind === 'edit' && editing.id === c.id
                    ? html`<tr><td colspan="5">${this.renderForm(c)}</td></tr>`
                    : html`<tr data-contact-id=${c.id}>
                        <td>
                          ${c.name} ${c.decisionMaker ? html`<span class="badge primary">${msg('Decision maker', { id: 'contacts.decisionMaker' })}</span>` : nothing}
                          ${this.renderCustomValues(c)}
                        </td>
                        <td>${c.title}</td>
                        <td>${c.phone}</td>
                        <td>${c.email}</td>
                        <td>
                          ${this.readonly
                            ? nothing
                            : html`<div class="actions">
                                <button type="button" class="link" @click=${() => (this.editing = { kind: 'edit', id: c.id })}>${msg('Edit', { id: 'common.edit' })}</button>
                                <button type="button" class="link" @click=${() => this.onArchive(c)}>${msg('Archive', { id: 'common.archive' })}</button>
                              </div>`}
                        </td>
                      </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
      ${editing.kind === 'none' && this.errors.form ? html`<tandem-alert>${this.errors.form}</tandem-alert>` : nothing}`;
  }
}

customElements.define('tandem-customer-contacts', TandemCustomerContacts);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-contacts': TandemCustomerContacts;
  }
}
