/**
 * The "New opportunity" dialog: a customer found by search, name, amount
 * and currency, expected close date, stage, and (for managers and admins)
 * the owner. Creates through `POST /api/opportunities`; the card then
 * arrives on every open board through the board document. Opened from a
 * customer's page it is given that `customer` (no search) and the team's
 * `pipelines` (a pipeline is chosen, then one of its stages). The opportunity custom fields of
 * the customer's team follow, required ones asked for (docs/custom-fields.md, "Opportunities").
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { DEFAULT_CURRENCY, isValidAmount, OPPORTUNITY_NAME_MAX } from '../../../schema/wire/board.ts';
import type { CustomFieldDto } from '../../../schema/wire/custom-fields.ts';
import type { CreateOpportunityInput } from '../../../schema/wire/opportunity.ts';
import type { PipelineDto } from '../../../schema/wire/pipeline.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { createOpportunity } from '../api/opportunities.ts';
import type { TandemCustomFieldInputs } from '../custom-fields/tandem-custom-field-inputs.ts';
import '../custom-fields/tandem-custom-field-inputs.ts';
import { CustomFieldsController } from '../custom-fields/custom-fields-controller.ts';
import { ApiError } from '../api/http.ts';
import { currentLocale } from '../app/localization.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';
import { type CustomerOption, searchCustomers } from './board-directory.ts';
import { type StageView, stageName } from './board-model.ts';
import { SubmissionKey } from '../api/idempotency.ts';

/** Wait after typing before searching customers. */
const SEARCH_DEBOUNCE_MS = 250;
export const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'GBP'] as const;

type Field = 'customerId' | 'name' | 'amount' | 'expectedCloseDate' | 'stageId' | 'ownerId' | `custom.${string}`;
/** A new opportunity has no custom values yet. */
const NO_VALUES: Readonly<Record<string, unknown>> = Object.freeze({});

export class TandemOpportunityDialog extends LitElement {
  /** One Idempotency-Key per submission: a double click or a retry creates one record. */
  private readonly submission = new SubmissionKey();
  static override properties = {
    open: { type: Boolean },
    stages: { attribute: false },
    users: { attribute: false },
    canAssign: { type: Boolean },
    selfId: { type: String },
    customer: { attribute: false },
    pipelines: { attribute: false },
    pipelineId: { state: true },
    results: { state: true },
    customerId: { state: true },
    errors: { state: true },
    customValues: { state: true },
    failure: { state: true },
    busy: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      .grid {
        display: grid;
        grid-template-columns: 2fr 1fr;
        gap: var(--t-space-3);
      }
      select[size] {
        padding: var(--t-space-1);
        height: auto;
      }
    `,
  ];
  declare open: boolean;
  declare stages: StageView[];
  declare users: UserDto[];
  declare canAssign: boolean;
  declare selfId: string;
  /** A fixed customer (the customer's page): no search. */
  declare customer: CustomerOption | null;
  /** When given, a pipeline is chosen here and `stages` are its stages. */
  declare pipelines: PipelineDto[];
  declare pipelineId: string;
  declare results: CustomerOption[];
  /** The chosen customer; kept while search results change, else the first result. */
  declare customerId: string;
  declare errors: Partial<Record<Field, string>>;
  private readonly customFields = new CustomFieldsController(this, 'opportunity');
  /** Replaced each time the dialog opens, so the custom controls start empty. */
  declare customValues: Readonly<Record<string, unknown>>;
  declare failure: string;
  declare busy: boolean;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private searchAbort: AbortController | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.open = false;
    this.stages = [];
    this.users = [];
    this.canAssign = false;
    this.selfId = '';
    this.customer = null;
    this.pipelines = [];
    this.pipelineId = '';
    this.results = [];
    this.customerId = '';
    this.errors = {};
    this.customValues = NO_VALUES;
    this.failure = '';
    this.busy = false;
  }

  /** The fields that apply to the chosen customer's team (the workspace's until one is chosen). */
  private fieldsOfTeam(): CustomFieldDto[] {
    return this.customFields.ofTeam(this.customerTeam());
  }

  private customerTeam(): string | null {
    return this.customer?.teamId ?? this.results.find((c) => c.id === this.customerId)?.teamId ?? null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) {
      this.errors = {};
      this.customValues = { ...NO_VALUES };
      this.failure = '';
      this.customerId = '';
      this.renderRoot.querySelector('form')?.reset();
      if (this.pipelines.length > 0 && !this.pipelines.some((p) => p.id === this.pipelineId)) this.pipelineId = this.pipelines[0]!.id;
      if (this.customer) this.customerId = this.customer.id;
      else void this.search('');
    }
  }

  private onSearchInput(e: Event): void {
    const q = (e.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.search(q), SEARCH_DEBOUNCE_MS);
  }

  private async search(q: string): Promise<void> {
    this.searchAbort?.abort();
    const abort = new AbortController();
    this.searchAbort = abort;
    try {
      const results = await searchCustomers(q, abort.signal);
      this.results = results;
      if (!results.some((c) => c.id === this.customerId)) this.customerId = results[0]?.id ?? '';
    } catch (e) {
      if ((e as Error).name !== 'AbortError') this.failure = errorMessage(e);
    }
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const value = (k: string) => String(data.get(k) ?? '').trim();
    const errors: Partial<Record<Field, string>> = {};
    const customerId = this.customer?.id ?? this.customerId;
    const name = value('name');
    const amount = Number(value('amount'));
    if (!customerId) errors.customerId = msg('Choose a customer.', { id: 'opp.form.customerRequired' });
    if (!name) errors.name = msg('Enter a name for the deal.', { id: 'opp.form.nameRequired' });
    if (value('amount') === '' || !isValidAmount(amount)) {
      errors.amount = msg('Enter an amount of 0 or more, with at most two decimals.', { id: 'opp.form.amountInvalid' });
    }
    this.errors = errors;
    const custom = this.renderRoot.querySelector<TandemCustomFieldInputs>('tandem-custom-field-inputs')?.changes() ?? { ok: true as const, values: {} };
    if (Object.keys(errors).length > 0) {
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    // The custom controls show their own hints (a required field left empty, a value they cannot take).
    if (!custom.ok) return;
    const body: CreateOpportunityInput = {
      customerId,
      name,
      amount,
      currency: value('currency') || DEFAULT_CURRENCY,
      expectedCloseDate: value('expectedCloseDate') || null,
    };
    const stageId = value('stageId');
    if (stageId) body.stageId = stageId;
    const given = Object.entries(custom.values).filter(([, v]) => v !== null);
    if (given.length > 0) body.custom = Object.fromEntries(given);
    if (this.canAssign) {
      const owner = value('ownerId');
      body.ownerId = owner === 'none' ? null : owner || undefined;
    }
    this.busy = true;
    this.failure = '';
    try {
      const opp = await createOpportunity(body, { idempotencyKey: this.submission.for(body) });
      this.submission.settled();
      this.dispatchEvent(new CustomEvent('created', { detail: { id: opp.id } }));
    } catch (err) {
      this.submission.settled(err);
      if (err instanceof ApiError && err.field && (err.field.startsWith('custom.') || ['customerId', 'name', 'amount', 'expectedCloseDate', 'stageId', 'ownerId'].includes(err.field))) {
        this.errors = { [err.field]: err.field.startsWith('custom.') ? this.customFields.problem(err.field) : err.message };
      }
      this.failure = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  private fieldError(f: Field) {
    const text = this.errors[f];
    return text ? html`<span id="${f}-error" class="field-error">${text}</span>` : nothing;
  }

  /** The stages offered: those of the chosen pipeline when pipelines are given. */
  private shownStages(): Array<Pick<StageView, 'id' | 'name' | 'nameZh' | 'kind'>> {
    if (this.pipelines.length === 0) return this.stages;
    return (this.pipelines.find((p) => p.id === this.pipelineId) ?? this.pipelines[0])?.stages ?? [];
  }

  private renderCustomerSearch() {
    const e = this.errors;
    return html`<div class="field">
          <label for="customer-search">${msg('Find a customer', { id: 'opp.form.customerSearch' })}</label>
          <input id="customer-search" type="search" autocomplete="off" autofocus @input=${this.onSearchInput} />
          <label for="customer">${msg('Customer', { id: 'opp.form.customer' })}<span class="required" aria-hidden="true">*</span></label>
          <select
            id="customer"
            name="customerId"
            size="4"
            required
            aria-invalid=${e.customerId ? 'true' : 'false'}
            aria-describedby="customerId-error"
            @change=${(e: Event) => (this.customerId = (e.target as HTMLSelectElement).value)}
          >
            ${repeat(
              this.results,
              (c) => c.id,
              (c) => html`<option value=${c.id} ?selected=${c.id === this.customerId}>${c.name}</option>`,
            )}
          </select>
          ${this.results.length === 0 ? html`<span class="hint">${msg('No matching customers.', { id: 'opp.form.noCustomers' })}</span>` : nothing}
          ${this.fieldError('customerId')}
        </div>`;
  }

  override render() {
    const locale = currentLocale();
    const e = this.errors;
    return html`<tandem-dialog
      .open=${this.open}
      heading=${msg('New opportunity', { id: 'board.new' })}
      @close=${() => this.dispatchEvent(new Event('close'))}
    >
      <form @submit=${this.submit} novalidate>
        ${this.failure ? html`<tandem-alert kind="error">${this.failure}</tandem-alert>` : nothing}
        ${this.customer
          ? html`<div class="field">
              <span class="label">${msg('Customer', { id: 'opp.form.customer' })}</span>
              <strong class="fixed-customer">${this.customer.name}</strong>
            </div>`
          : this.renderCustomerSearch()}
        <div class="field">
          <label for="name">${msg('Deal name', { id: 'opp.form.name' })}<span class="required" aria-hidden="true">*</span></label>
          <input id="name" name="name" maxlength=${OPPORTUNITY_NAME_MAX} required aria-invalid=${e.name ? 'true' : 'false'} aria-describedby="name-error" />
          ${this.fieldError('name')}
        </div>
        <div class="grid">
          <div class="field">
            <label for="amount">${msg('Amount', { id: 'opp.form.amount' })}<span class="required" aria-hidden="true">*</span></label>
            <input id="amount" name="amount" type="number" min="0" step="0.01" inputmode="decimal" required aria-invalid=${e.amount ? 'true' : 'false'} aria-describedby="amount-error" />
            ${this.fieldError('amount')}
          </div>
          <div class="field">
            <label for="currency">${msg('Currency', { id: 'opp.form.currency' })}</label>
            <select id="currency" name="currency">
              ${CURRENCIES.map((c) => html`<option value=${c} ?selected=${c === DEFAULT_CURRENCY}>${c}</option>`)}
            </select>
          </div>
        </div>
        ${this.pipelines.length > 1
          ? html`<div class="field">
              <label for="pipeline">${msg('Pipeline', { id: 'opp.form.pipeline' })}</label>
              <select id="pipeline" @change=${(ev: Event) => (this.pipelineId = (ev.target as HTMLSelectElement).value)}>
                ${this.pipelines.map((p) => html`<option value=${p.id} ?selected=${p.id === this.pipelineId}>${locale === 'zh-CN' && p.nameZh ? p.nameZh : p.name}</option>`)}
              </select>
            </div>`
          : nothing}
        <div class="grid">
          <div class="field">
            <label for="stage">${msg('Stage', { id: 'opp.form.stage' })}</label>
            <select id="stage" name="stageId" aria-invalid=${e.stageId ? 'true' : 'false'}>
              ${this.shownStages()
                .filter((s) => s.kind !== 'lost')
                .map((s, i) => html`<option value=${s.id} ?selected=${i === 0}>${stageName(s, locale)}</option>`)}
            </select>
            ${this.fieldError('stageId')}
          </div>
          <div class="field">
            <label for="close">${msg('Expected close', { id: 'opp.form.close' })}</label>
            <input id="close" name="expectedCloseDate" type="date" aria-invalid=${e.expectedCloseDate ? 'true' : 'false'} />
            ${this.fieldError('expectedCloseDate')}
          </div>
        </div>
        ${this.canAssign
          ? html`<div class="field">
              <label for="owner">${msg('Owner', { id: 'board.filter.owner' })}</label>
              <select id="owner" name="ownerId" aria-invalid=${e.ownerId ? 'true' : 'false'}>
                ${this.users
                  .filter((u) => u.active)
                  .map((u) => html`<option value=${u.id} ?selected=${u.id === this.selfId}>${u.name}</option>`)}
                <option value="none">${msg('Unassigned', { id: 'board.card.noOwner' })}</option>
              </select>
              ${this.fieldError('ownerId')}
            </div>`
          : nothing}
        <tandem-custom-field-inputs
          id-prefix="opp-custom"
          team-id=${this.customerTeam() ?? ''}
          creating
          .fields=${this.fieldsOfTeam()}
          .values=${this.customValues}
          .users=${this.users}
          .errors=${this.errors}
        ></tandem-custom-field-inputs>
        <div class="actions end">
          <button type="button" @click=${() => this.dispatchEvent(new Event('close'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
          <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Create opportunity', { id: 'opp.form.create' })}</button>
        </div>
      </form>
    </tandem-dialog>`;
  }
}

customElements.define('tandem-opportunity-dialog', TandemOpportunityDialog);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-opportunity-dialog': TandemOpportunityDialog;
  }
}
