/**
 * Creating a customer. Required fields are marked; the server's field errors
 * appear next to their field. While the user types a name, phone or e-mail,
 * likely duplicates are looked up and shown; if the server still answers 409
 * with candidates, the user can open one of them or create anyway. The custom fields of the
 * user's team follow the built-in ones, required ones marked and asked for (docs/custom-fields.md);
 * a definition changed meanwhile shows at once (`customFields:changed`).
 * Fires `customer-created` with the customer, or `cancel`.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { CategoryDto, CreateCustomerBody, CustomerDto, DuplicateCandidateDto } from '../../../schema/wire/customer.ts';
import { CUSTOMER_FIELD_MAX, TAG_MAX_CHARS, TAGS_MAX } from '../../../schema/wire/docs.ts';
import type { CustomFieldDto } from '../../../schema/wire/custom-fields.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { createCustomer, findDuplicates } from '../api/customers.ts';
import type { TandemCustomFieldInputs } from '../custom-fields/tandem-custom-field-inputs.ts';
import '../custom-fields/tandem-custom-field-inputs.ts';
import { CustomFieldsController } from '../custom-fields/custom-fields-controller.ts';
import { ApiError } from '../api/http.ts';
import { isQueued, queuedEvent } from '../offline/queued.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { splitList } from './tandem-customer-filters.ts';
import { categoryLabel, fieldLabel } from './customer-labels.ts';
import { fieldIssue } from './customer-field-rules.ts';
import { SubmissionKey } from '../api/idempotency.ts';

/** Wait after the last keystroke before looking for duplicates. */
const DUPLICATE_CHECK_DEBOUNCE_MS = 400;
/** Shortest name worth a duplicate lookup. */
const DUPLICATE_NAME_MIN = 2;

const TEXT_FIELDS = ['name', 'industry', 'size', 'phone', 'email', 'address', 'website', 'source', 'decisionMakers', 'needs'] as const;
type TextField = (typeof TEXT_FIELDS)[number];
type Field = TextField | 'category' | 'ownerId' | 'tags' | 'kind';
/** A new record has no custom values yet. */
const NO_VALUES: Readonly<Record<string, unknown>> = Object.freeze({});

/** A localized explanation for a field the server refused. */
export function fieldProblem(field: string, serverMessage: string): string {
  const tooLong = /at most|longer than|too long/i.test(serverMessage);
  switch (field) {
    case 'name':
      return tooLong ? msg('The name is too long.', { id: 'customers.error.nameLong' }) : msg('Enter the customer’s name.', { id: 'customers.error.nameRequired' });
    case 'phone':
      return msg('Enter a phone number: digits, spaces and + ( ) - . /', { id: 'customers.error.phone' });
    case 'email':
      return msg('Enter an e-mail address such as name@example.com.', { id: 'customers.error.email' });
    case 'website':
      return msg('Enter a web address such as example.com.', { id: 'customers.error.website' });
    case 'category':
      return msg('Choose one of the team’s categories.', { id: 'customers.error.category' });
    case 'ownerId':
      return msg('The owner must be an active member of the team, and only managers reassign customers.', { id: 'customers.error.owner' });
    case 'owner':
      return msg('No active member of the team has this e-mail.', { id: 'customers.error.ownerEmail' });
    case 'tags':
      return msg('Tags are at most 40 characters each, without commas, and at most 50 per customer.', { id: 'customers.error.tags' });
    default:
      return tooLong ? msg('This is too long.', { id: 'customers.error.tooLong' }) : msg('This value is not accepted.', { id: 'customers.error.invalid' });
  }
}

export class TandemCustomerCreateForm extends LitElement {
  /** One Idempotency-Key per submission: a double click or a retry creates one record. */
  private readonly submission = new SubmissionKey();
  static override properties = {
    categories: { attribute: false },
    users: { attribute: false },
    canAssign: { type: Boolean },
    teamId: { type: String, attribute: 'team-id' },
    customValues: { state: true },
    busy: { state: true },
    errors: { state: true },
    formError: { state: true },
    warnings: { state: true },
    conflict: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      .two {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--t-space-4);
        /* A field with an error grows downwards; its neighbour stays level. */
        align-items: start;
      }
      .field {
        align-content: start;
      }
      textarea {
        min-height: 64px;
        padding: var(--t-space-2) var(--t-space-3);
        resize: vertical;
      }
      .dupes {
        display: grid;
        gap: var(--t-space-2);
        padding: var(--t-space-3) var(--t-space-4);
        background: var(--t-warning-soft);
        border-radius: var(--t-radius-sm);
        border: 1px solid #f0d58a;
      }
      .dupes ul {
        margin: 0;
        padding-left: 1.2em;
      }
      @media (max-width: 520px) {
        .two {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];
  declare categories: readonly CategoryDto[];
  declare users: readonly UserDto[];
  declare canAssign: boolean;
  /** The team the new customer joins (the user's): its custom fields and the workspace's apply. */
  declare teamId: string;
  private readonly customFields = new CustomFieldsController(this, 'customer');
  /** Replaced on reset, so the custom controls drop what was typed. */
  declare customValues: Readonly<Record<string, unknown>>;
  declare busy: boolean;
  /** Built-in fields by name, custom ones as `custom.<key>` (the server's field names). */
  declare errors: Partial<Record<Field | `custom.${string}`, string>>;
  declare formError: string;
  /** Likely duplicates found while typing. */
  declare warnings: DuplicateCandidateDto[];
  /** Candidates from a 409: the user must open one or confirm. */
  declare conflict: DuplicateCandidateDto[] | null;
  private dupTimer: ReturnType<typeof setTimeout> | undefined;
  private dupAbort: AbortController | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.categories = [];
    this.users = [];
    this.canAssign = false;
    this.teamId = '';
    this.customValues = NO_VALUES;
    this.busy = false;
    this.errors = {};
    this.formError = '';
    this.warnings = [];
    this.conflict = null;
  }

  private fieldsOfTeam(): CustomFieldDto[] {
    return this.customFields.ofTeam(this.teamId);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.dupTimer);
    this.dupAbort?.abort();
  }

  reset(): void {
    this.renderRoot.querySelector('form')?.reset();
    this.errors = {};
    this.formError = '';
    this.warnings = [];
    this.conflict = null;
    this.customValues = { ...NO_VALUES };
  }

  private value(name: string): string {
    const el = this.renderRoot.querySelector<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(`#c-${name}`);
    return el?.value.trim() ?? '';
  }

  private body(): CreateCustomerBody {
    const body: CreateCustomerBody = { name: this.value('name') };
    for (const f of TEXT_FIELDS) {
      const v = this.value(f);
      if (f !== 'name' && v) body[f] = v;
    }
    body.kind = this.value('kind') === 'person' ? 'person' : 'company';
    const category = this.value('category');
    if (category) body.category = category;
    const tags = splitList(this.value('tags'));
    if (tags.length > 0) body.tags = tags;
    if (this.canAssign) {
      const owner = this.value('ownerId');
      if (owner) body.ownerId = owner;
    }
    return body;
  }

  /** Debounced duplicate lookup while the user types a name, phone or e-mail. */
  private onIdentityInput = () => {
    this.conflict = null;
    clearTimeout(this.dupTimer);
    this.dupTimer = setTimeout(() => void this.checkDuplicates(), DUPLICATE_CHECK_DEBOUNCE_MS);
  };

  private async checkDuplicates(): Promise<void> {
    const name = this.value('name');
    const phone = this.value('phone');
    const email = this.value('email');
    this.dupAbort?.abort();
    if (name.length < DUPLICATE_NAME_MIN && !phone && !email) {
      this.warnings = [];
      return;
    }
    const abort = new AbortController();
    this.dupAbort = abort;
    try {
      this.warnings = await findDuplicates({ name: name.length >= DUPLICATE_NAME_MIN ? name : undefined, phone, email }, { signal: abort.signal });
    } catch {
      // A failed lookup is not a reason to block typing; the server checks again on create.
      if (!abort.signal.aborted) this.warnings = [];
    }
  }

  private async onSubmit(e: SubmitEvent, confirm = false): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const body = this.body();
    this.formError = '';
    // Every problem at once, each next to its field, rather than one per attempt.
    const problems = this.problems(body);
    const custom = this.renderRoot.querySelector<TandemCustomFieldInputs>('tandem-custom-field-inputs')?.changes() ?? { ok: true as const, values: {} };
    if (Object.keys(problems).length > 0) {
      await this.showErrors(problems);
      return;
    }
    // The custom controls show their own hints (a required field left empty, a value they cannot take).
    if (!custom.ok) return;
    const given = Object.entries(custom.values).filter(([, v]) => v !== null);
    if (given.length > 0) body.custom = Object.fromEntries(given);
    this.errors = {};
    this.busy = true;
    try {
      const sent = confirm ? { ...body, confirm: true } : body;
      const result = await createCustomer(sent, { idempotencyKey: this.submission.for(sent) });
      this.submission.settled();
      switch (result.kind) {
        case 'created':
          this.dispatchEvent(new CustomEvent<CustomerDto>('customer-created', { detail: result.customer }));
          return;
        case 'duplicates':
          this.conflict = result.candidates;
          return;
        default:
          return result satisfies never;
      }
    } catch (err) {
      this.submission.settled(err);
      // Offline: kept in the outbox (offline/outbox.ts); the page closes the form and says so.
      if (isQueued(err)) this.dispatchEvent(queuedEvent(body.name));
      else if (err instanceof ApiError && err.field?.startsWith('custom.')) this.errors = { [err.field]: this.customFields.problem(err.field) };
      else if (err instanceof ApiError && err.field) await this.showErrors({ [err.field]: fieldProblem(err.field, err.message) });
      else this.formError = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  /** The same checks as the server's, over every field. */
  private problems(body: CreateCustomerBody): Partial<Record<Field, string>> {
    const problems: Partial<Record<Field, string>> = {};
    for (const f of TEXT_FIELDS) {
      const issue = fieldIssue(f, f === 'name' ? body.name : (body[f] ?? ''));
      if (issue) problems[f] = fieldProblem(f, issue === 'tooLong' ? 'too long' : '');
    }
    const tags = body.tags ?? [];
    if (tags.length > TAGS_MAX || tags.some((t) => t.length > TAG_MAX_CHARS)) problems.tags = fieldProblem('tags', '');
    return problems;
  }

  private async showErrors(errors: Partial<Record<Field | `custom.${string}`, string>>): Promise<void> {
    this.errors = errors;
    await this.updateComplete;
    const first = Object.keys(errors)[0];
    if (first) this.renderRoot.querySelector<HTMLElement>(`#c-${first}`)?.focus();
    else this.formError = Object.values(errors)[0] ?? '';
  }

  private error(name: Field) {
    const error = this.errors[name];
    return error ? html`<p class="field-error" id="c-${name}-error">${error}</p>` : nothing;
  }

  private input(name: TextField, opts: { required?: boolean; type?: string; identity?: boolean; multiline?: boolean } = {}) {
    const required = opts.required ? html`<span class="required" aria-hidden="true">*</span>` : nothing;
    const invalid = this.errors[name] ? 'true' : 'false';
    const describedBy = this.errors[name] ? `c-${name}-error` : nothing;
    return html`<div class="field">
      <label for="c-${name}">${fieldLabel(name)}${required}</label>
      ${opts.multiline
        ? html`<textarea id="c-${name}" maxlength=${CUSTOMER_FIELD_MAX[name]} aria-invalid=${invalid} aria-describedby=${describedBy}></textarea>`
        : html`<input
            id="c-${name}"
            type=${opts.type ?? 'text'}
            maxlength=${CUSTOMER_FIELD_MAX[name]}
            ?required=${opts.required}
            aria-required=${opts.required ? 'true' : 'false'}
            aria-invalid=${invalid}
            aria-describedby=${describedBy}
            autocomplete="off"
            @input=${opts.identity ? this.onIdentityInput : nothing}
          />`}
      ${this.error(name)}
    </div>`;
  }

  private renderCandidates(candidates: readonly DuplicateCandidateDto[], heading: string) {
    return html`<div class="dupes" role="status">
      <strong>${heading}</strong>
      <ul>
        ${candidates.map(
          (c) => html`<li>
            <a href="/customers/${encodeURIComponent(c.id)}" target="_blank" rel="noopener">${c.name}</a>
            <span class="muted">${[c.phone, c.email].filter(Boolean).join(' · ')} ${c.archived ? msg('(archived)', { id: 'customers.archivedParen' }) : ''}</span>
          </li>`,
        )}
      </ul>
    </div>`;
  }

  override render() {
    const count = this.warnings.length;
    return html`<form novalidate @submit=${this.onSubmit}>
      <p class="muted">${msg('Fields marked * are required; the more you fill in, the more useful the record.', { id: 'customers.create.intro' })}</p>
      ${this.input('name', { required: true, identity: true })}
      <div class="two">
        <div class="field">
          <label for="c-kind">${fieldLabel('kind')}</label>
          <select id="c-kind">
            <option value="company">${msg('Company', { id: 'customers.kind.company' })}</option>
            <option value="person">${msg('Person', { id: 'customers.kind.person' })}</option>
          </select>
        </div>
        <div class="field">
          <label for="c-category">${fieldLabel('category')}</label>
          <select id="c-category" aria-invalid=${this.errors.category ? 'true' : 'false'}>
            ${this.categories.map((c) => html`<option value=${c.key}>${categoryLabel(c.key, this.categories)}</option>`)}
          </select>
          ${this.error('category')}
        </div>
      </div>
      <div class="two">${this.input('phone', { type: 'tel', identity: true })} ${this.input('email', { type: 'email', identity: true })}</div>
      ${count > 0 && !this.conflict
        ? this.renderCandidates(this.warnings, msg(str`${count} existing customers look similar:`, { id: 'customers.create.similar' }))
        : nothing}
      <div class="two">${this.input('industry')} ${this.input('size')}</div>
      <div class="two">${this.input('website')} ${this.input('source')}</div>
      ${this.input('address')} ${this.input('decisionMakers')} ${this.input('needs', { multiline: true })}
      <div class="field">
        <label for="c-tags">${fieldLabel('tags')}</label>
        <input id="c-tags" placeholder=${msg('Comma-separated', { id: 'customers.filter.tagsHint' })} aria-invalid=${this.errors.tags ? 'true' : 'false'} />
        ${this.error('tags')}
      </div>
      <tandem-custom-field-inputs
        id-prefix="c-custom"
        team-id=${this.teamId}
        creating
        .fields=${this.fieldsOfTeam()}
        .values=${this.customValues}
        .users=${this.users}
        .errors=${this.errors}
      ></tandem-custom-field-inputs>
      ${this.canAssign
        ? html`<div class="field">
            <label for="c-ownerId">${fieldLabel('ownerId')}</label>
            <select id="c-ownerId" aria-invalid=${this.errors.ownerId ? 'true' : 'false'}>
              <option value="">${msg('Me', { id: 'customers.filter.me' })}</option>
              ${this.users.filter((u) => u.active !== false).map((u) => html`<option value=${u.id}>${u.name}</option>`)}
            </select>
            ${this.error('ownerId')}
          </div>`
        : nothing}
      ${this.conflict
        ? html`${this.renderCandidates(this.conflict, msg('This customer may already exist. Open one of these, or create it anyway.', { id: 'customers.create.conflict' }))}`
        : nothing}
      ${this.formError ? html`<tandem-alert>${this.formError}</tandem-alert>` : nothing}
      <div class="actions end">
        <button type="button" @click=${() => this.dispatchEvent(new Event('cancel'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
        ${this.conflict
          ? html`<button class="primary" type="button" ?disabled=${this.busy} @click=${(e: SubmitEvent) => this.onSubmit(e, true)}>
              ${msg('Create anyway', { id: 'customers.create.anyway' })}
            </button>`
          : html`<button class="primary" type="submit" ?disabled=${this.busy}>${msg('Create customer', { id: 'customers.create.submit' })}</button>`}
      </div>
    </form>`;
  }
}

customElements.define('tandem-customer-create-form', TandemCustomerCreateForm);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-create-form': TandemCustomerCreateForm;
  }
}
