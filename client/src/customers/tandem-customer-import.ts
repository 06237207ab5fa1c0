/**
 * The import wizard: upload a CSV or Excel file (customers or leads) → pick the sheet, map
 * its columns, choose whether rows update the customers they match and how each field is
 * merged → preview what would happen → import with progress → the per-row report, from which
 * the whole import can be undone. Fires `imported` when records were added or updated or an
 * import was undone (the list reloads), and `cancel`.
 */
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { CustomFieldDto } from '../../../schema/wire/custom-fields.ts';
import {
  IMPORT_ENCODINGS,
  IMPORT_FIELD_MODES,
  IMPORT_MATCH_KEYS,
  IMPORT_MAX_BYTES,
  IMPORT_TARGETS,
  type ImportDto,
  type ImportEncoding,
  type ImportFieldMode,
  type ImportMatchKey,
  type ImportRowResult,
  type ImportRowStatus,
  type ImportTarget,
} from '../../../schema/wire/customer-import.ts';
import { can } from '../../../schema/policy/access.ts';
import { listCustomFields } from '../api/custom-fields.ts';
import { getImport, startImport, undoImport } from '../api/customers.ts';
import { ApiError } from '../api/http.ts';
import { sessionContext } from '../app/contexts.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons, forms, tables } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { matchKeyLabel, modeLabel, takesMode, targetGroups, targetLabel } from './customer-import-labels.ts';
import { fieldProblem } from './tandem-customer-create-form.ts';

/** How often a running import's progress is fetched. */
const PROGRESS_POLL_MS = 500;
/** The mode a matched customer's field starts with: the file is the newer data. */
const DEFAULT_MODE: ImportFieldMode = 'overwrite';
const IGNORE = 'ignore';
const FILE_TYPES = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The upload cap in whole gigabytes or megabytes, as the intro states it. */
const MAX_SIZE_TEXT = IMPORT_MAX_BYTES >= 1024 ** 3 ? `${IMPORT_MAX_BYTES / 1024 ** 3} GB` : `${Math.round(IMPORT_MAX_BYTES / 1024 ** 2)} MB`;

type Step =
  | { kind: 'upload' }
  /** `sheetProblem`: the sheet read has no usable header (a cover page); the user picks another. */
  | { kind: 'map'; headers: string[]; sheets: string[]; sheet: string | null; sheetProblem: boolean }
  | { kind: 'preview'; preview: ImportDto }
  | { kind: 'running'; progress: ImportDto }
  | { kind: 'report'; result: ImportDto; undone: { archived: number; restored: number; followupsRemoved: number } | null };

function statusLabel(s: ImportRowStatus): string {
  switch (s) {
    case 'imported':
      return msg('Created', { id: 'import.status.imported' });
    case 'updated':
      return msg('Updated', { id: 'import.status.updated' });
    case 'duplicate':
      return msg('Skipped: duplicate', { id: 'import.status.duplicate' });
    case 'refused':
      return msg('Failed', { id: 'import.status.refused' });
    default:
      return s satisfies never;
  }
}

function targetName(t: ImportTarget): string {
  return t === 'leads' ? msg('Leads', { id: 'import.target.leads' }) : msg('Customers', { id: 'import.target.customers' });
}

export class TandemCustomerImport extends LitElement {
  static override properties = {
    target: { type: String },
    step: { state: true },
    busy: { state: true },
    error: { state: true },
    confirm: { state: true },
    matchBy: { state: true },
    modes: { state: true },
    mapping: { state: true },
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
        gap: var(--t-space-4);
      }
      ol.steps {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-1) var(--t-space-3);
        margin: 0;
        padding: 0;
        list-style: none;
        font-size: var(--t-font-size-sm);
        color: var(--t-muted);
      }
      ol.steps li[aria-current='step'] {
        color: var(--t-primary);
        font-weight: 600;
      }
      form {
        display: grid;
        gap: var(--t-space-3);
      }
      .scroll {
        max-height: 280px;
        overflow: auto;
      }
      th,
      td {
        padding: var(--t-space-2) var(--t-space-3);
      }
      td select {
        min-width: 10rem;
      }
      /* A phone scrolls the report sideways rather than wrapping names one character a line. */
      table.rows {
        min-width: 34rem;
      }
      .counts {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-2);
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-3);
      }
      progress {
        width: 100%;
        height: 14px;
      }
    `,
  ];
  /** What the rows become; the leads page opens the wizard with `leads`. */
  declare target: ImportTarget;
  declare step: Step;
  declare busy: boolean;
  declare error: string;
  declare confirm: boolean;
  /** '' creates every row; otherwise rows that match an existing customer update it. */
  declare matchBy: ImportMatchKey | '';
  declare modes: Record<string, ImportFieldMode>;
  declare mapping: Record<string, string>;
  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  private file: File | null = null;
  private encoding: ImportEncoding = 'utf-8';
  private sheet: string | null = null;
  private sheets: string[] = [];
  private customFields: CustomFieldDto[] = [];
  /** The related contact's custom fields (`contact.custom.<key>` targets). */
  private contactFields: CustomFieldDto[] = [];
  private pollTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.target = 'customers';
    this.step = { kind: 'upload' };
    this.busy = false;
    this.error = '';
    this.confirm = false;
    this.matchBy = '';
    this.modes = {};
    this.mapping = {};
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.pollTimer);
  }

  /** Back to the first step, for a new import of customers. */
  reset(): void {
    clearTimeout(this.pollTimer);
    this.target = 'customers';
    this.step = { kind: 'upload' };
    this.file = null;
    this.sheet = null;
    this.mapping = {};
    this.matchBy = '';
    this.modes = {};
    this.error = '';
    this.confirm = false;
    this.renderRoot.querySelector('form')?.reset();
  }

  private explain(err: unknown): string {
    if (err instanceof ApiError && err.code === 'payload_too_large') return this.tooLarge();
    if (err instanceof ApiError && err.field === 'mapping') return this.needName();
    if (err instanceof ApiError && err.field === 'file') return msg(str`The file could not be read: ${err.message}`, { id: 'import.badFile' });
    if (err instanceof ApiError && err.field === 'matchBy') return msg('Map a column to the field you match by.', { id: 'import.matchUnmapped' });
    return errorMessage(err);
  }

  private tooLarge(): string {
    return msg(str`The file is too large: at most ${MAX_SIZE_TEXT}.`, { id: 'import.tooLarge' });
  }

  private needName(): string {
    return this.target === 'leads'
      ? msg('Map one column to the lead’s name.', { id: 'import.needLeadName' })
      : msg('Map one column to the customer name.', { id: 'import.needName' });
  }

  private async onUpload(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const file = this.renderRoot.querySelector<HTMLInputElement>('#i-file')?.files?.[0] ?? null;
    this.encoding = (this.renderRoot.querySelector<HTMLSelectElement>('#i-encoding')?.value ?? 'utf-8') as ImportEncoding;
    this.error = '';
    if (!file) {
      this.error = msg('Choose a CSV or Excel (.xlsx) file.', { id: 'import.chooseFile' });
      return;
    }
    if (file.size > IMPORT_MAX_BYTES) {
      this.error = this.tooLarge();
      return;
    }
    this.file = file;
    this.sheet = null;
    this.matchBy = '';
    this.modes = {};
    this.busy = true;
    try {
      [this.customFields, this.contactFields] =
        this.target === 'customers' ? await Promise.all([listCustomFields('customer'), listCustomFields('contact')]) : [[], []];
      await this.inspect();
    } catch (err) {
      this.error = this.explain(err);
    } finally {
      this.busy = false;
    }
  }

  /**
   * A dry run without a mapping: the server answers the headers of the sheet read, the
   * sheets of a book, and the columns it recognises (field → header), which pre-fill the
   * mapping; the user adjusts from there.
   */
  private async inspect(): Promise<void> {
    if (!this.file) return;
    const auto = await startImport({ file: this.file, encoding: this.encoding, target: this.target, sheet: this.sheet ?? undefined, dryRun: true, confirm: false });
    const recognised: Record<string, string> = {};
    for (const [field, header] of Object.entries(auto.columns ?? {})) recognised[header] = field;
    const headers = (auto.headers ?? []).filter((h) => h !== '');
    const sheets = auto.sheets ?? [];
    this.sheets = sheets;
    this.sheet = auto.sheet ?? null;
    this.mapping = Object.fromEntries(headers.map((h) => [h, recognised[h] ?? IGNORE]));
    const sheetProblem = sheets.length > 1 && auto.error !== null;
    if (auto.error && !sheetProblem) this.error = this.needName();
    this.step = { kind: 'map', headers, sheets, sheet: this.sheet, sheetProblem };
  }

  private async onSheet(e: Event): Promise<void> {
    this.sheet = (e.target as HTMLSelectElement).value;
    this.error = '';
    this.busy = true;
    try {
      await this.inspect();
    } catch (err) {
      this.error = this.explain(err);
    } finally {
      this.busy = false;
    }
  }

  /** The fields mapped, and the modes of those a matched customer takes them into. */
  private mappedFields(): string[] {
    return Object.values(this.mapping).filter((f) => f !== IGNORE);
  }

  private modeFields(): string[] {
    return this.mappedFields().filter((f) => takesMode(f) && f !== this.matchBy);
  }

  private modeOf(field: string): ImportFieldMode {
    return this.modes[field] ?? DEFAULT_MODE;
  }

  private request(dryRun: boolean) {
    const file = this.file as File;
    const matching = this.target === 'customers' && this.matchBy !== '';
    const modes = matching ? Object.fromEntries(this.modeFields().map((f) => [f, this.modeOf(f)])) : undefined;
    return startImport({
      file,
      encoding: this.encoding,
      target: this.target,
      sheet: this.sheet ?? undefined,
      mapping: this.mapping,
      matchBy: matching ? (this.matchBy as ImportMatchKey) : undefined,
      modes,
      mode: matching ? DEFAULT_MODE : undefined,
      dryRun,
      confirm: this.confirm,
    });
  }

  private async onPreview(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (!this.file) return;
    const used = this.mappedFields();
    if (!used.includes('name')) {
      this.error = this.needName();
      return;
    }
    if (new Set(used).size !== used.length) {
      this.error = msg('Each field can come from one column only.', { id: 'import.fieldTwice' });
      return;
    }
    if (this.target === 'customers' && this.matchBy !== '' && !used.includes(this.matchBy)) {
      this.error = msg('Map a column to the field you match by.', { id: 'import.matchUnmapped' });
      return;
    }
    this.error = '';
    this.busy = true;
    try {
      this.step = { kind: 'preview', preview: await this.request(true) };
    } catch (err) {
      this.error = this.explain(err);
    } finally {
      this.busy = false;
    }
  }

  private async onImport(): Promise<void> {
    if (!this.file) return;
    this.error = '';
    this.busy = true;
    try {
      const started = await this.request(false);
      if (started.status === 'running' && started.id) {
        this.step = { kind: 'running', progress: started };
        this.poll(started.id);
      } else this.finish(started);
    } catch (err) {
      this.error = this.explain(err);
    } finally {
      this.busy = false;
    }
  }

  private poll(id: string): void {
    this.pollTimer = setTimeout(async () => {
      try {
        // The counts while it runs; the report once, when it has ended.
        const progress = await getImport(id, { report: false });
        if (progress.status === 'running') {
          this.step = { kind: 'running', progress };
          this.poll(id);
        } else this.finish(await getImport(id));
      } catch (err) {
        this.error = errorMessage(err);
        this.poll(id);
      }
    }, PROGRESS_POLL_MS);
  }

  private finish(result: ImportDto): void {
    this.step = { kind: 'report', result, undone: null };
    if (result.imported > 0 || result.updated > 0) this.dispatchEvent(new Event('imported'));
  }

  private async onUndo(result: ImportDto): Promise<void> {
    if (!result.id) return;
    this.busy = true;
    this.error = '';
    try {
      const undone = await undoImport(result.id);
      this.step = { kind: 'report', result: undone.import, undone: { archived: undone.archived, restored: undone.restored, followupsRemoved: undone.followupsRemoved } };
      this.dispatchEvent(new Event('imported'));
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  /** Managers and admins undo imports. */
  private mayUndo(): boolean {
    const user = this.session.value?.user;
    return !!user && can(user, 'archive', { type: 'import', teamId: user.teamId ?? '' });
  }

  private renderCounts(d: ImportDto, preview: boolean) {
    return html`<div class="counts">
      <span class="badge">${msg(str`${d.total} rows`, { id: 'import.rows' })}</span>
      <span class="badge success" data-count="imported"
        >${preview ? msg(str`${d.imported} to create`, { id: 'import.toImport' }) : msg(str`${d.imported} created`, { id: 'import.imported' })}</span
      >
      ${d.target === 'customers'
        ? html`<span class="badge primary" data-count="updated"
            >${preview ? msg(str`${d.updated} to update`, { id: 'import.toUpdate' }) : msg(str`${d.updated} updated`, { id: 'import.updated' })}</span
          >`
        : nothing}
      <span class="badge" data-count="skipped">${msg(str`${d.skipped} duplicates skipped`, { id: 'import.skipped' })}</span>
      <span class="badge danger" data-count="refused">${msg(str`${d.refused} failed`, { id: 'import.refused' })}</span>
    </div>`;
  }

  /** Why a row was skipped or failed, in the user's language where the server names the cause. */
  private reason(r: ImportRowResult): string {
    switch (r.status) {
      case 'imported':
      case 'updated':
        return '';
      case 'duplicate': {
        const names = (r.candidates ?? []).map((c) => c.name).join(', ');
        return names ? msg(str`Looks like an existing customer: ${names}`, { id: 'import.duplicateOf' }) : (r.reason ?? '');
      }
      case 'refused':
        return this.refusal(r.field, r.reason ?? '');
      default:
        return r.status satisfies never;
    }
  }

  private refusal(field: string | undefined, reason: string): string {
    if (!field || field === 'file') return reason;
    const label = targetLabel(field, this.target, this.customFields, this.contactFields);
    if (field === 'owner') {
      const login = /No active user (\S+)/.exec(reason)?.[1];
      if (login) return `${label}: ${msg(str`no active member of the team is ${login}`, { id: 'import.ownerUnknown' })}`;
      return `${label}: ${reason}`;
    }
    if (field === 'matchBy') return msg('Several customers match this row; it was left alone.', { id: 'import.severalMatches' });
    if (field.startsWith('custom.') || field.startsWith('contact.') || field.startsWith('followup.')) {
      if (/option/i.test(reason)) return `${label}: ${msg('not one of the field’s options', { id: 'import.badOption' })}`;
      return `${label}: ${reason}`;
    }
    return `${label}: ${fieldProblem(field, reason)}`;
  }

  private renderRows(rows: readonly ImportRowResult[]) {
    if (rows.length === 0) return html`<p class="muted">${msg('The file has no rows.', { id: 'import.noRows' })}</p>`;
    return html`<div class="table-wrap scroll">
      <table class="rows">
        <thead>
          <tr>
            <th>${msg('Line', { id: 'import.line' })}</th>
            <th>${msg('Name', { id: 'customers.field.name' })}</th>
            <th>${msg('Result', { id: 'import.result' })}</th>
            <th>${msg('Why', { id: 'import.why' })}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) => html`<tr data-status=${r.status}>
              <td>${r.line}</td>
              <td>${r.customerId ? html`<a href="/customers/${encodeURIComponent(r.customerId)}">${r.name}</a>` : r.name}</td>
              <td>
                <span class="badge ${r.status === 'imported' ? 'success' : r.status === 'updated' ? 'primary' : r.status === 'refused' ? 'danger' : ''}"
                  >${statusLabel(r.status)}</span
                >
              </td>
              <td>${this.reason(r)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderUpload() {
    return html`<form novalidate @submit=${this.onUpload}>
      <p class="muted">
        ${msg(str`Upload a CSV file (UTF-8 or GBK) or an Excel workbook (.xlsx) with a header row, up to ${MAX_SIZE_TEXT}; there is no limit on the number of rows.`, {
          id: 'import.intro',
        })}
      </p>
      <fieldset>
        <legend>${msg('Import as', { id: 'import.targetLegend' })}</legend>
        <div class="row">
          ${IMPORT_TARGETS.map(
            (t) => html`<label class="choice">
              <input type="radio" name="target" value=${t} .checked=${this.target === t} @change=${() => (this.target = t)} />
              ${targetName(t)}
            </label>`,
          )}
        </div>
      </fieldset>
      <div class="field">
        <label for="i-file">${msg('CSV or Excel file', { id: 'import.file' })}<span class="required" aria-hidden="true">*</span></label>
        <input id="i-file" type="file" accept=${FILE_TYPES} required />
      </div>
      <div class="field">
        <label for="i-encoding">${msg('Encoding (CSV only)', { id: 'import.encoding' })}</label>
        <select id="i-encoding">${IMPORT_ENCODINGS.map((e) => html`<option value=${e} ?selected=${e === this.encoding}>${e.toUpperCase()}</option>`)}</select>
      </div>
      ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
      <div class="actions end">
        <button type="button" @click=${() => this.dispatchEvent(new Event('cancel'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
        <button class="primary" type="submit" ?disabled=${this.busy}>
          ${this.busy ? msg('Reading the file…', { id: 'import.reading' }) : msg('Next: map columns', { id: 'import.toMapping' })}
        </button>
      </div>
    </form>`;
  }

  private renderSheetPicker(step: Extract<Step, { kind: 'map' }>) {
    if (step.sheets.length < 2) return nothing;
    return html`<div class="field">
        <label for="i-sheet">${msg('Sheet', { id: 'import.sheet' })}</label>
        <select id="i-sheet" ?disabled=${this.busy} @change=${this.onSheet}>
          ${step.sheets.map((s) => html`<option value=${s} ?selected=${s === step.sheet}>${s}</option>`)}
        </select>
      </div>
      ${step.sheetProblem
        ? html`<tandem-alert kind="info"
            >${msg(str`The sheet “${step.sheet ?? ''}” has no header row with a name column. Choose the sheet that holds the table.`, { id: 'import.pickSheet' })}</tandem-alert
          >`
        : nothing}`;
  }

  private renderMapping(step: Extract<Step, { kind: 'map' }>) {
    if (step.sheetProblem) return nothing;
    const groups = targetGroups(this.target, this.customFields, this.contactFields);
    return html`<p class="muted">${msg('Say which field each column holds. Columns set to “Ignore” are not imported.', { id: 'import.mapIntro' })}</p>
      <div class="table-wrap scroll">
        <table>
          <thead>
            <tr>
              <th>${msg('Column in the file', { id: 'import.column' })}</th>
              <th>${msg('Field', { id: 'import.field' })}</th>
            </tr>
          </thead>
          <tbody>
            ${step.headers.map(
              (h, i) => html`<tr>
                <td><label for="map-${i}">${h}</label></td>
                <td>
                  <select id="map-${i}" data-column=${h} @change=${(e: Event) => (this.mapping = { ...this.mapping, [h]: (e.target as HTMLSelectElement).value })}>
                    <option value=${IGNORE} ?selected=${this.mapping[h] === IGNORE}>${msg('Ignore', { id: 'import.ignore' })}</option>
                    ${groups.map(
                      (g) => html`<optgroup label=${g.label}>
                        ${g.options.map((o) => html`<option value=${o.value} ?selected=${this.mapping[h] === o.value}>${o.label}</option>`)}
                      </optgroup>`,
                    )}
                  </select>
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${this.target === 'customers' ? this.renderMatching() : nothing}`;
  }

  private renderMatching() {
    const keys: { value: ImportMatchKey | ''; label: string }[] = [
      { value: '', label: msg('Nothing: create every row', { id: 'import.match.none' }) },
      ...IMPORT_MATCH_KEYS.map((k) => ({ value: k, label: matchKeyLabel(k) })),
      ...this.customFields.map((f) => ({ value: `custom.${f.key}` as ImportMatchKey, label: targetLabel(`custom.${f.key}`, 'customers', this.customFields) })),
    ];
    const fields = this.modeFields();
    return html`<div class="field">
        <label for="i-match">${msg('Match existing customers by', { id: 'import.matchBy' })}</label>
        <select id="i-match" @change=${(e: Event) => (this.matchBy = (e.target as HTMLSelectElement).value as ImportMatchKey | '')}>
          ${keys.map((k) => html`<option value=${k.value} ?selected=${this.matchBy === k.value}>${k.label}</option>`)}
        </select>
        <p class="hint muted">
          ${this.matchBy
            ? msg('A row that matches one customer updates it; a row that matches none is created.', { id: 'import.matchHint' })
            : msg('Every row becomes a new customer.', { id: 'import.createOnly' })}
        </p>
      </div>
      ${this.matchBy && fields.length > 0
        ? html`<div class="table-wrap scroll">
            <table>
              <thead>
                <tr>
                  <th>${msg('Field of a matched customer', { id: 'import.modeField' })}</th>
                  <th>${msg('Update', { id: 'import.modeColumn' })}</th>
                </tr>
              </thead>
              <tbody>
                ${fields.map(
                  (f, i) => html`<tr>
                    <td><label for="mode-${i}">${targetLabel(f, 'customers', this.customFields)}</label></td>
                    <td>
                      <select id="mode-${i}" data-field=${f} @change=${(e: Event) => (this.modes = { ...this.modes, [f]: (e.target as HTMLSelectElement).value as ImportFieldMode })}>
                        ${IMPORT_FIELD_MODES.map((m) => html`<option value=${m} ?selected=${this.modeOf(f) === m}>${modeLabel(m)}</option>`)}
                      </select>
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : nothing}
      <label class="choice">
        <input type="checkbox" .checked=${this.confirm} @change=${(e: Event) => (this.confirm = (e.target as HTMLInputElement).checked)} />
        ${msg('Import rows that look like existing customers anyway', { id: 'import.confirmDuplicates' })}
      </label>`;
  }

  private renderStep() {
    const step = this.step;
    switch (step.kind) {
      case 'upload':
        return this.renderUpload();
      case 'map':
        return html`<form novalidate @submit=${this.onPreview}>
          ${this.renderSheetPicker(step)} ${this.renderMapping(step)} ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
          <div class="actions end">
            <button type="button" @click=${() => this.reset()}>${msg('Back', { id: 'common.back' })}</button>
            <button class="primary" type="submit" ?disabled=${this.busy || step.sheetProblem}>${msg('Next: preview', { id: 'import.toPreview' })}</button>
          </div>
        </form>`;
      case 'preview': {
        const p = step.preview;
        return html`<p class="muted">${msg('Nothing has been imported yet. This is what would happen:', { id: 'import.previewIntro' })}</p>
          ${this.renderCounts(p, true)} ${this.renderRows(p.report)}
          ${p.reportTruncated ? html`<p class="hint muted">${msg('Only the first rows are shown.', { id: 'import.firstRows' })}</p>` : nothing}
          ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
          <div class="actions end">
            <button type="button" @click=${() => this.backToMapping()}>${msg('Back', { id: 'common.back' })}</button>
            <button class="primary" type="button" ?disabled=${this.busy || p.imported + p.updated === 0} @click=${this.onImport}>
              ${p.target === 'leads'
                ? msg(str`Import ${p.imported} leads`, { id: 'import.startLeads' })
                : p.updated > 0
                  ? msg(str`Create ${p.imported}, update ${p.updated}`, { id: 'import.startUpdate' })
                  : msg(str`Import ${p.imported} customers`, { id: 'import.start' })}
            </button>
          </div>`;
      }
      case 'running': {
        const p = step.progress;
        return html`<p>${msg('Importing…', { id: 'import.running' })}</p>
          <progress max=${Math.max(p.total, 1)} .value=${p.processed} aria-label=${msg('Import progress', { id: 'import.progress' })}></progress>
          <p class="muted">${msg(str`${p.processed} of ${p.total} rows`, { id: 'import.progressText' })}</p>
          ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}`;
      }
      case 'report':
        return this.renderReport(step.result, step.undone);
      default:
        return step satisfies never;
    }
  }

  private renderReport(r: ImportDto, undone: { archived: number; restored: number; followupsRemoved: number } | null) {
    return html`${r.status === 'failed'
        ? html`<tandem-alert>${msg('The import stopped with an error; rows before it were imported.', { id: 'import.failed' })} ${r.error ?? ''}</tandem-alert>`
        : nothing}
      ${undone !== null
        ? html`<tandem-alert kind="success"
            >${r.target === 'leads'
              ? msg('Import undone: the imported leads still new were disqualified.', { id: 'import.undoneLeads' })
              : msg(str`Import undone: ${undone.archived} customers archived, ${undone.restored} restored to their previous values, ${undone.followupsRemoved} imported follow-ups removed.`, { id: 'import.undone' })}</tandem-alert
          >`
        : html`<tandem-alert kind="success">${msg('Import finished.', { id: 'import.done' })}</tandem-alert>`}
      ${this.renderCounts(r, false)} ${this.renderRows(r.report)}
      ${r.reportTruncated ? html`<p class="hint muted">${msg('Only the first rows are shown.', { id: 'import.firstRows' })}</p>` : nothing}
      ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
      <div class="actions end">
        ${r.id && r.status !== 'undone' && r.imported + r.updated > 0 && this.mayUndo()
          ? html`<button class="danger" type="button" ?disabled=${this.busy} @click=${() => this.onUndo(r)}>${msg('Undo this import', { id: 'import.undo' })}</button>`
          : nothing}
        <button class="primary" type="button" @click=${() => this.dispatchEvent(new Event('cancel'))}>${msg('Done', { id: 'common.done' })}</button>
      </div>`;
  }

  private backToMapping(): void {
    const headers = Object.keys(this.mapping);
    this.error = '';
    this.step = { kind: 'map', headers, sheets: this.sheets, sheet: this.sheet, sheetProblem: false };
  }

  override render() {
    const order = ['upload', 'map', 'preview', 'running', 'report'] as const;
    const labels = [
      msg('Upload', { id: 'import.step.upload' }),
      msg('Map columns', { id: 'import.step.map' }),
      msg('Preview', { id: 'import.step.preview' }),
      msg('Import', { id: 'import.step.import' }),
      msg('Report', { id: 'import.step.report' }),
    ];
    return html`<ol class="steps">
        ${order.map((k, i) => html`<li aria-current=${this.step.kind === k ? 'step' : nothing}>${i + 1}. ${labels[i]}</li>`)}
      </ol>
      ${this.renderStep()}`;
  }
}

customElements.define('tandem-customer-import', TandemCustomerImport);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-import': TandemCustomerImport;
  }
}
