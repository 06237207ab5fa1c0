/**
 * The contacts of a customer (REST rows): list, add, edit in place, archive.
 * Fires `contacts-changed` after a change of ours (the page tells the other
 * people on it to refetch); `reload()` refetches.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { ContactDto, CreateContactBody } from '../../../schema/wire/customer.ts';
import { archiveContact, createContact, listContacts, updateContact } from '../api/customers.ts';
import { ApiError } from '../api/http.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons, forms, tables } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { fieldProblem } from './tandem-customer-create-form.ts';
import { SubmissionKey } from '../api/idempotency.ts';

/** Same as SHORT_TEXT_MAX / PHONE_MAX / EMAIL_MAX in schema/wire/customer.ts. */
const TEXT_MAX = 200;
const PHONE_MAX = 40;
const EMAIL_MAX = 254;

type Editing = { kind: 'none' } | { kind: 'new' } | { kind: 'edit'; id: string };

export class TandemCustomerContacts extends LitElement {
  /** One Idempotency-Key per submission: a double click or a retry creates one record. */
  private readonly submission = new SubmissionKey();
  static override properties = {
    customerId: { type: String },
    readonly: { type: Boolean },
    contacts: { state: true },
    loadError: { state: true },
    editing: { state: true },
    errors: { state: true },
    busy: { state: true },
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
    `,
  ];
  declare customerId: string;
  declare readonly: boolean;
  declare contacts: ContactDto[] | null;
  declare loadError: unknown;
  declare editing: Editing;
  declare errors: Record<string, string>;
  declare busy: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.customerId = '';
    this.readonly = false;
    this.contacts = null;
    this.loadError = null;
    this.editing = { kind: 'none' };
    this.errors = {};
    this.busy = false;
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
    if (!body.name) {
      this.errors = { name: msg('Enter the contact’s name.', { id: 'contacts.nameRequired' }) };
      return;
    }
    this.busy = true;
    this.errors = {};
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
      this.errors = err instanceof ApiError && err.field ? { [err.field]: fieldProblem(err.field, err.message) } : { form: errorMessage(err) };
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
    return html`${this.readonly || editing.kind !== 'none'
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
                        <td>${c.name} ${c.decisionMaker ? html`<span class="badge primary">${msg('Decision maker', { id: 'contacts.decisionMaker' })}</span>` : nothing}</td>
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
