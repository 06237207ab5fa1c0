/**
 * Quick capture of a lead: name (required), company, phone, e-mail, source, note and, for
 * managers and admins, the owner. Fires `lead-created` with the lead, or `cancel`.
 * One Idempotency-Key per submission, so a double click captures once.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import {
  type CreateLeadBody,
  LEAD_COMPANY_MAX,
  LEAD_NAME_MAX,
  LEAD_NOTE_MAX,
  LEAD_SOURCE_SUGGESTIONS,
  type LeadDto,
} from '../../../schema/wire/lead.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { ApiError } from '../api/http.ts';
import { SubmissionKey } from '../api/idempotency.ts';
import { createLead } from '../api/leads.ts';
import { isQueued, queuedEvent } from '../offline/queued.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { leadSourceLabel } from './lead-labels.ts';

type Field = 'name' | 'company' | 'phone' | 'email' | 'source' | 'note' | 'ownerId';

function fieldProblem(field: string): string {
  switch (field) {
    case 'name':
      return msg('Enter the lead’s name.', { id: 'leads.error.nameRequired' });
    case 'phone':
      return msg('Enter a phone number (digits, spaces, + ( ) - . /).', { id: 'leads.error.phone' });
    case 'email':
      return msg('Enter an e-mail address such as name@example.com.', { id: 'leads.error.email' });
    case 'ownerId':
      return msg('Choose an active member of the team.', { id: 'leads.error.owner' });
    default:
      return msg('Please check the highlighted information.', { id: 'error.validation' });
  }
}

export class TandemLeadCaptureForm extends LitElement {
  static override properties = {
    users: { attribute: false },
    canAssign: { type: Boolean },
    currentUserId: { type: String },
    errors: { state: true },
    formError: { state: true },
    busy: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: var(--t-space-3) var(--t-space-4);
      }
      .wide {
        grid-column: 1 / -1;
      }
      textarea {
        min-height: 72px;
        padding: var(--t-space-2) var(--t-space-3);
      }
      @media (max-width: 560px) {
        .grid {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];
  declare users: readonly UserDto[];
  declare canAssign: boolean;
  declare currentUserId: string;
  declare errors: Partial<Record<Field, string>>;
  declare formError: string;
  declare busy: boolean;
  private readonly submission = new SubmissionKey();

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.users = [];
    this.canAssign = false;
    this.currentUserId = '';
    this.errors = {};
    this.formError = '';
    this.busy = false;
  }

  /** Empties the form for the next capture. */
  reset(): void {
    this.renderRoot.querySelector('form')?.reset();
    this.errors = {};
    this.formError = '';
  }

  private value(name: Field): string {
    return this.renderRoot.querySelector<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(`#l-${name}`)?.value.trim() ?? '';
  }

  private body(): CreateLeadBody {
    const body: CreateLeadBody = { name: this.value('name') };
    for (const f of ['company', 'phone', 'email', 'source', 'note'] as const) {
      const v = this.value(f);
      if (v) body[f] = v;
    }
    if (this.canAssign) {
      const owner = this.value('ownerId');
      if (owner) body.ownerId = owner;
    }
    return body;
  }

  private async onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const body = this.body();
    this.formError = '';
    if (!body.name) return this.showErrors({ name: fieldProblem('name') });
    this.errors = {};
    this.busy = true;
    try {
      const lead = await createLead(body, { idempotencyKey: this.submission.for(body) });
      this.submission.settled();
      this.dispatchEvent(new CustomEvent<LeadDto>('lead-created', { detail: lead }));
    } catch (err) {
      this.submission.settled(err);
      // Offline: kept in the outbox (offline/outbox.ts), sent when the network returns.
      if (isQueued(err)) this.dispatchEvent(queuedEvent(body.name));
      else if (err instanceof ApiError && err.field) await this.showErrors({ [err.field]: fieldProblem(err.field) });
      else this.formError = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  private async showErrors(errors: Partial<Record<Field, string>>): Promise<void> {
    this.errors = errors;
    await this.updateComplete;
    const first = Object.keys(errors)[0];
    if (first) this.renderRoot.querySelector<HTMLElement>(`#l-${first}`)?.focus();
  }

  private field(name: Field, label: string, control: unknown, opts: { required?: boolean; wide?: boolean } = {}) {
    const error = this.errors[name];
    return html`<div class="field ${opts.wide ? 'wide' : ''}">
      <label for="l-${name}">${label}${opts.required ? html`<span class="required" aria-hidden="true">*</span>` : nothing}</label>
      ${control} ${error ? html`<p class="field-error" id="l-${name}-error">${error}</p>` : nothing}
    </div>`;
  }

  private input(name: Field, type = 'text', max = LEAD_COMPANY_MAX, required = false) {
    const error = !!this.errors[name];
    return html`<input
      id="l-${name}"
      name=${name}
      type=${type}
      maxlength=${max}
      ?required=${required}
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${error ? `l-${name}-error` : nothing}
    />`;
  }

  override render() {
    return html`<form novalidate @submit=${this.onSubmit}>
      <div class="grid">
        ${this.field('name', msg('Name', { id: 'leads.field.name' }), this.input('name', 'text', LEAD_NAME_MAX, true), { required: true })}
        ${this.field('company', msg('Company', { id: 'leads.field.company' }), this.input('company'))}
        ${this.field('phone', msg('Phone', { id: 'leads.field.phone' }), this.input('phone', 'tel', 40))}
        ${this.field('email', msg('E-mail', { id: 'leads.field.email' }), this.input('email', 'email', 254))}
        ${this.field(
          'source',
          msg('Source', { id: 'leads.field.source' }),
          html`<select id="l-source" name="source">
            <option value="">${msg('Choose…', { id: 'leads.source.choose' })}</option>
            ${LEAD_SOURCE_SUGGESTIONS.map((s) => html`<option value=${s}>${leadSourceLabel(s)}</option>`)}
          </select>`,
        )}
        ${this.canAssign
          ? this.field(
              'ownerId',
              msg('Owner', { id: 'leads.field.owner' }),
              html`<select id="l-ownerId" name="ownerId">
                ${this.users
                  .filter((u) => u.active)
                  .map((u) => html`<option value=${u.id} ?selected=${u.id === this.currentUserId}>${u.name}</option>`)}
              </select>`,
            )
          : nothing}
        ${this.field(
          'note',
          msg('Note', { id: 'leads.field.note' }),
          html`<textarea id="l-note" name="note" maxlength=${LEAD_NOTE_MAX}></textarea>`,
          { wide: true },
        )}
      </div>
      ${this.formError ? html`<tandem-alert>${this.formError}</tandem-alert>` : nothing}
      <div class="actions end">
        <button type="button" @click=${() => this.dispatchEvent(new Event('cancel'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
        <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Capture lead', { id: 'leads.capture' })}</button>
      </div>
    </form>`;
  }
}

customElements.define('tandem-lead-capture-form', TandemLeadCaptureForm);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-lead-capture-form': TandemLeadCaptureForm;
  }
}
