/**
 * Adding or changing one custom field definition: key, type and scope when it is new; labels
 * and help in English and Chinese, required, currency, and the options of a select (each with
 * its two labels) always. Fires `field-saved` with the definition, or `cancel`.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import {
  CUSTOM_FIELD_KEY,
  CUSTOM_FIELD_TYPES,
  CUSTOM_OPTION_VALUE,
  type CustomFieldDto,
  type CustomFieldEntity,
  type CustomFieldOptionDto,
  type CustomFieldType,
  isSelectType,
} from '../../../schema/wire/custom-fields.ts';
import type { TeamDto } from '../../../schema/wire/user.ts';
import { createCustomField, updateCustomField } from '../api/custom-fields.ts';
import { SubmissionKey } from '../api/idempotency.ts';
import { errorMessage } from '../ui/error-message.ts';
import { icons } from '../ui/icons.ts';
import { base, buttons, cards, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { typeLabel } from './custom-field-labels.ts';

interface Draft {
  key: string;
  type: CustomFieldType;
  teamId: string;
  labelEn: string;
  labelZh: string;
  helpEn: string;
  helpZh: string;
  required: boolean;
  currency: string;
  options: CustomFieldOptionDto[];
}

const emptyDraft = (): Draft => ({
  key: '',
  type: 'text',
  teamId: '',
  labelEn: '',
  labelZh: '',
  helpEn: '',
  helpZh: '',
  required: false,
  currency: 'CNY',
  options: [],
});

const draftOf = (f: CustomFieldDto): Draft => ({
  key: f.key,
  type: f.type,
  teamId: f.teamId ?? '',
  labelEn: f.label.en,
  labelZh: f.label.zh,
  helpEn: f.help.en,
  helpZh: f.help.zh,
  required: f.required,
  currency: f.currency ?? 'CNY',
  options: f.options.map((o) => ({ value: o.value, label: { ...o.label } })),
});

export class TandemCustomFieldEditor extends LitElement {
  static override properties = {
    field: { attribute: false },
    teams: { attribute: false },
    entity: { type: String },
    draft: { state: true },
    problem: { state: true },
    busy: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    cards,
    css`
      .grid {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        gap: var(--t-space-3) var(--t-space-4);
      }
      .option {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1.3fr) minmax(0, 1.3fr) auto;
        gap: var(--t-space-2);
        align-items: end;
      }
      @media (max-width: 640px) {
        .grid,
        .option {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];
  /** The definition being changed, or null for a new one. */
  declare field: CustomFieldDto | null;
  declare teams: readonly TeamDto[];
  /** What a new field is added to (an existing field keeps its own). */
  declare entity: CustomFieldEntity;
  declare draft: Draft;
  declare problem: string;
  declare busy: boolean;
  private readonly submission = new SubmissionKey();

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.field = null;
    this.teams = [];
    this.entity = 'customer';
    this.draft = emptyDraft();
    this.problem = '';
    this.busy = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('field')) {
      this.draft = this.field ? draftOf(this.field) : emptyDraft();
      this.problem = '';
    }
  }

  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input, select')?.focus();
  }

  private set<K extends keyof Draft>(key: K, value: Draft[K]): void {
    this.draft = { ...this.draft, [key]: value };
  }

  private setOption(i: number, patch: { value?: string; en?: string; zh?: string }): void {
    const options = this.draft.options.map((o, j) =>
      j === i ? { value: patch.value ?? o.value, label: { en: patch.en ?? o.label.en, zh: patch.zh ?? o.label.zh } } : o,
    );
    this.set('options', options);
  }

  /** What is wrong before anything is sent, or ''. */
  private check(): string {
    const d = this.draft;
    if (!this.field && !CUSTOM_FIELD_KEY.test(d.key)) {
      return msg('The key starts with a letter and holds lower-case letters, digits and _.', { id: 'customFields.error.key' });
    }
    if (!d.labelEn.trim() || !d.labelZh.trim()) return msg('Enter the label in both languages.', { id: 'customFields.error.label' });
    if (isSelectType(d.type)) {
      if (d.options.length === 0) return msg('A select field needs at least one option.', { id: 'customFields.error.noOptions' });
      const values = d.options.map((o) => o.value);
      if (values.some((v) => !CUSTOM_OPTION_VALUE.test(v)) || new Set(values).size !== values.length) {
        return msg('Option values are unique, lower-case letters, digits, - or _.', { id: 'customFields.error.optionValue' });
      }
      if (d.options.some((o) => !o.label.en.trim() || !o.label.zh.trim())) {
        return msg('Enter each option’s label in both languages.', { id: 'customFields.error.optionLabel' });
      }
    }
    return '';
  }

  private async onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    this.problem = this.check();
    if (this.problem) return;
    const d = this.draft;
    const common = {
      label: { en: d.labelEn.trim(), zh: d.labelZh.trim() },
      help: { en: d.helpEn.trim(), zh: d.helpZh.trim() },
      required: d.required,
      ...(isSelectType(d.type) ? { options: d.options } : {}),
      ...(d.type === 'currency' ? { currency: d.currency } : {}),
    };
    this.busy = true;
    try {
      const saved = this.field
        ? await updateCustomField(this.field.id, common)
        : await (async () => {
            const body = { entity: this.entity, key: d.key, type: d.type, teamId: d.teamId || null, ...common };
            const created = await createCustomField(body, { idempotencyKey: this.submission.for(body) });
            this.submission.settled();
            return created;
          })();
      this.dispatchEvent(new CustomEvent<CustomFieldDto>('field-saved', { detail: saved }));
    } catch (err) {
      this.problem = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  private renderOptionRows() {
    const d = this.draft;
    if (!isSelectType(d.type)) return nothing;
    return html`<fieldset>
      <legend>${msg('Options', { id: 'customFields.options' })}</legend>
      ${d.options.map(
        (o, i) => html`<div class="option">
          <div class="field">
            <label for="opt-v-${i}">${msg('Value', { id: 'customFields.optionValue' })}</label>
            <input id="opt-v-${i}" .value=${o.value} ?readonly=${this.isStoredOption(o.value)} @input=${(e: Event) => this.setOption(i, { value: (e.target as HTMLInputElement).value.trim() })} />
          </div>
          <div class="field">
            <label for="opt-en-${i}">${msg('Label (English)', { id: 'customFields.labelEn' })}</label>
            <input id="opt-en-${i}" .value=${o.label.en} @input=${(e: Event) => this.setOption(i, { en: (e.target as HTMLInputElement).value })} />
          </div>
          <div class="field">
            <label for="opt-zh-${i}">${msg('Label (Chinese)', { id: 'customFields.labelZh' })}</label>
            <input id="opt-zh-${i}" lang="zh-CN" .value=${o.label.zh} @input=${(e: Event) => this.setOption(i, { zh: (e.target as HTMLInputElement).value })} />
          </div>
          <button
            type="button"
            aria-label=${msg('Remove option', { id: 'customFields.removeOption' })}
            title=${msg('Remove option', { id: 'customFields.removeOption' })}
            @click=${() => this.set('options', d.options.filter((_, j) => j !== i))}
          >
            ${icons.close}
          </button>
        </div>`,
      )}
      <div>
        <button type="button" @click=${() => this.set('options', [...d.options, { value: `option_${d.options.length + 1}`, label: { en: '', zh: '' } }])}>
          ${icons.plus}${msg('Add option', { id: 'customFields.addOption' })}
        </button>
      </div>
    </fieldset>`;
  }

  /** Options already saved keep their value: customers may hold it. */
  private isStoredOption(value: string): boolean {
    return this.field?.options.some((o) => o.value === value) ?? false;
  }

  override render() {
    const d = this.draft;
    const isNew = !this.field;
    return html`<form class="card" @submit=${this.onSubmit} novalidate>
      <h2>${isNew ? msg('New custom field', { id: 'customFields.new' }) : msg('Edit custom field', { id: 'customFields.edit' })}</h2>
      ${this.problem ? html`<tandem-alert kind="error">${this.problem}</tandem-alert>` : nothing}
      <div class="grid">
        <div class="field">
          <label for="cf-label-en">${msg('Label (English)', { id: 'customFields.labelEn' })}<span class="required" aria-hidden="true">*</span></label>
          <input id="cf-label-en" required maxlength="80" .value=${d.labelEn} @input=${(e: Event) => this.set('labelEn', (e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="cf-label-zh">${msg('Label (Chinese)', { id: 'customFields.labelZh' })}<span class="required" aria-hidden="true">*</span></label>
          <input id="cf-label-zh" lang="zh-CN" required maxlength="80" .value=${d.labelZh} @input=${(e: Event) => this.set('labelZh', (e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="cf-key">${msg('Key', { id: 'customFields.key' })}<span class="required" aria-hidden="true">*</span></label>
          <input
            id="cf-key"
            required
            maxlength="40"
            autocapitalize="off"
            spellcheck="false"
            aria-describedby="cf-key-hint"
            .value=${d.key}
            ?readonly=${!isNew}
            @input=${(e: Event) => this.set('key', (e.target as HTMLInputElement).value.trim())}
          />
          <p class="hint" id="cf-key-hint">${msg('Used in filters and exports (custom.<key>); it never changes.', { id: 'customFields.keyHint' })}</p>
        </div>
        <div class="field">
          <label for="cf-type">${msg('Type', { id: 'customFields.type' })}</label>
          <select id="cf-type" ?disabled=${!isNew} @change=${(e: Event) => this.set('type', (e.target as HTMLSelectElement).value as CustomFieldType)}>
            ${CUSTOM_FIELD_TYPES.map((t) => html`<option value=${t} ?selected=${t === d.type}>${typeLabel(t)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="cf-scope">${msg('Used by', { id: 'customFields.scope' })}</label>
          <select id="cf-scope" ?disabled=${!isNew} @change=${(e: Event) => this.set('teamId', (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${d.teamId === ''}>${msg('Every team', { id: 'customFields.workspace' })}</option>
            ${this.teams.map((t) => html`<option value=${t.id} ?selected=${t.id === d.teamId}>${t.name}</option>`)}
          </select>
        </div>
        ${d.type === 'currency'
          ? html`<div class="field">
              <label for="cf-currency">${msg('Currency', { id: 'customFields.type.currency' })}</label>
              <input id="cf-currency" maxlength="3" .value=${d.currency} @input=${(e: Event) => this.set('currency', (e.target as HTMLInputElement).value.toUpperCase())} />
            </div>`
          : nothing}
        <div class="field">
          <label for="cf-help-en">${msg('Help text (English)', { id: 'customFields.helpEn' })}</label>
          <input id="cf-help-en" maxlength="300" .value=${d.helpEn} @input=${(e: Event) => this.set('helpEn', (e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="cf-help-zh">${msg('Help text (Chinese)', { id: 'customFields.helpZh' })}</label>
          <input id="cf-help-zh" lang="zh-CN" maxlength="300" .value=${d.helpZh} @input=${(e: Event) => this.set('helpZh', (e.target as HTMLInputElement).value)} />
        </div>
      </div>
      <label class="choice"
        ><input type="checkbox" .checked=${d.required} @change=${(e: Event) => this.set('required', (e.target as HTMLInputElement).checked)} />${msg('Required', {
          id: 'customFields.required',
        })}</label
      >
      ${this.renderOptionRows()}
      <div class="actions end">
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('cancel'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
        <button type="submit" class="primary" ?disabled=${this.busy}>${msg('Save', { id: 'common.save' })}</button>
      </div>
    </form>`;
  }
}

customElements.define('tandem-custom-field-editor', TandemCustomFieldEditor);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-custom-field-editor': TandemCustomFieldEditor;
  }
}
