/**
 * The customer import wizard: upload a CSV → map its columns → preview what
 * would happen → import with progress → the per-row report, from which the
 * whole import can be undone. Fires `imported` when customers were added or
 * an import was undone (the list reloads), and `cancel`.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { CustomerField } from '../../../schema/wire/customer.ts';
import type { ImportDto, ImportEncoding, ImportRowResult, ImportRowStatus } from '../../../schema/wire/customer-import.ts';
import { getImport, startImport, undoImport } from '../api/customers.ts';
import { ApiError } from '../api/http.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons, forms, tables } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { readCsvHeaders } from './csv-header.ts';
import { fieldLabel } from './customer-labels.ts';
import { fieldProblem } from './tandem-customer-create-form.ts';

/** How often a running import's progress is fetched. */
const PROGRESS_POLL_MS = 500;
/** Same as IMPORT_MAX_BYTES in schema/wire/customer-import.ts (not imported: that module carries validators). */
const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
const ENCODINGS: readonly ImportEncoding[] = ['utf-8', 'gbk', 'gb18030'];
/** Same as IMPORT_FIELDS in schema/wire/customer-import.ts. */
const IMPORT_FIELDS = [
  'name',
  'kind',
  'industry',
  'size',
  'phone',
  'email',
  'address',
  'website',
  'source',
  'decisionMakers',
  'needs',
  'category',
  'tags',
  'owner',
] as const;
type ImportField = (typeof IMPORT_FIELDS)[number];
const IGNORE = 'ignore';

type Step =
  | { kind: 'upload' }
  | { kind: 'map'; headers: string[] }
  | { kind: 'preview'; preview: ImportDto }
  | { kind: 'running'; progress: ImportDto }
  | { kind: 'report'; result: ImportDto; undone: number | null };

function importFieldLabel(f: ImportField): string {
  return f === 'owner' ? msg('Owner (e-mail)', { id: 'import.ownerEmail' }) : fieldLabel(f as CustomerField | 'tags');
}

function importFieldName(field: string): string {
  return (IMPORT_FIELDS as readonly string[]).includes(field) ? importFieldLabel(field as ImportField) : field;
}

function statusLabel(s: ImportRowStatus): string {
  switch (s) {
    case 'imported':
      return msg('Imported', { id: 'import.status.imported' });
    case 'duplicate':
      return msg('Skipped: duplicate', { id: 'import.status.duplicate' });
    case 'refused':
      return msg('Refused', { id: 'import.status.refused' });
    default:
      return s satisfies never;
  }
}

export class TandemCustomerImport extends LitElement {
  static override properties = { step: { state: true }, busy: { state: true }, error: { state: true }, confirm: { state: true } };
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
        gap: var(--t-space-3);
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
      .scroll {
        max-height: 280px;
        overflow: auto;
      }
      th,
      td {
        padding: var(--t-space-2) var(--t-space-3);
      }
      .counts {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-2);
      }
      progress {
        width: 100%;
        height: 14px;
      }
    `,
  ];
  declare step: Step;
  declare busy: boolean;
  declare error: string;
  declare confirm: boolean;
  private file: File | null = null;
  private encoding: ImportEncoding = 'utf-8';
  private mapping: Record<string, string> = {};
  private pollTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.step = { kind: 'upload' };
    this.busy = false;
    this.error = '';
    this.confirm = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.pollTimer);
  }

  reset(): void {
    clearTimeout(this.pollTimer);
    this.step = { kind: 'upload' };
    this.file = null;
    this.mapping = {};
    this.error = '';
    this.confirm = false;
    this.renderRoot.querySelector('form')?.reset();
  }

  private explain(err: unknown): string {
    if (err instanceof ApiError && (err.field === 'file' || err.field === 'mapping')) {
      if (err.code === 'payload_too_large') return msg('The file is too large: at most 20 MB and 100,000 rows.', { id: 'import.tooLarge' });
      if (err.field === 'mapping') return msg('Map one column to the customer name.', { id: 'import.needName' });
      return msg(str`The file could not be read as CSV: ${err.message}`, { id: 'import.badFile' });
    }
    return errorMessage(err);
  }

  private async onUpload(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#i-file');
    const file = input?.files?.[0] ?? null;
    this.encoding = (this.renderRoot.querySelector<HTMLSelectElement>('#i-encoding')?.value ?? 'utf-8') as ImportEncoding;
    this.error = '';
    if (!file) {
      this.error = msg('Choose a CSV file.', { id: 'import.chooseFile' });
      return;
    }
    if (file.size > IMPORT_MAX_BYTES) {
      this.error = msg('The file is too large: at most 20 MB and 100,000 rows.', { id: 'import.tooLarge' });
      return;
    }
    this.busy = true;
    try {
      this.file = file;
      const headers = await readCsvHeaders(file, this.encoding);
      if (headers.length === 0) throw new ApiError('bad_request', 400, 'no header row', 'file');
      // Let the server recognise known headers first; the user adjusts from there.
      const recognised: Record<string, string> = {};
      try {
        const auto = await startImport({ file, encoding: this.encoding, dryRun: true, confirm: false });
        for (const [field, header] of Object.entries(auto.columns ?? {})) recognised[header] = field;
      } catch (err) {
        if (!(err instanceof ApiError && err.field === 'mapping')) throw err;
      }
      this.mapping = Object.fromEntries(headers.map((h) => [h, recognised[h] ?? IGNORE]));
      this.step = { kind: 'map', headers };
    } catch (err) {
      this.error = this.explain(err);
    } finally {
      this.busy = false;
    }
  }

  private async onPreview(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (!this.file) return;
    const used = Object.values(this.mapping).filter((f) => f !== IGNORE);
    if (!used.includes('name')) {
      this.error = msg('Map one column to the customer name.', { id: 'import.needName' });
      return;
    }
    if (new Set(used).size !== used.length) {
      this.error = msg('Each field can come from one column only.', { id: 'import.fieldTwice' });
      return;
    }
    this.error = '';
    this.busy = true;
    try {
      const preview = await startImport({ file: this.file, encoding: this.encoding, mapping: this.mapping, dryRun: true, confirm: this.confirm });
      this.step = { kind: 'preview', preview };
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
      const started = await startImport({ file: this.file, encoding: this.encoding, mapping: this.mapping, dryRun: false, confirm: this.confirm });
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
        const progress = await getImport(id);
        if (progress.status === 'running') {
          this.step = { kind: 'running', progress };
          this.poll(id);
        } else this.finish(progress);
      } catch (err) {
        this.error = errorMessage(err);
        this.poll(id);
      }
    }, PROGRESS_POLL_MS);
  }

  private finish(result: ImportDto): void {
    this.step = { kind: 'report', result, undone: null };
    if (result.imported > 0) this.dispatchEvent(new Event('imported'));
  }

  private async onUndo(result: ImportDto): Promise<void> {
    if (!result.id) return;
    this.busy = true;
    this.error = '';
    try {
      const undone = await undoImport(result.id);
      this.step = { kind: 'report', result: undone.import, undone: undone.archived };
      this.dispatchEvent(new Event('imported'));
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  private renderCounts(d: ImportDto, preview: boolean) {
    return html`<div class="counts">
      <span class="badge">${msg(str`${d.total} rows`, { id: 'import.rows' })}</span>
      <span class="badge success">${preview ? msg(str`${d.imported} to import`, { id: 'import.toImport' }) : msg(str`${d.imported} imported`, { id: 'import.imported' })}</span>
      <span class="badge">${msg(str`${d.skipped} duplicates skipped`, { id: 'import.skipped' })}</span>
      <span class="badge danger">${msg(str`${d.refused} refused`, { id: 'import.refused' })}</span>
    </div>`;
  }

  /** Why a row was skipped or refused, in the user's language where the server names the cause. */
  private reason(r: ImportRowResult): string {
    switch (r.status) {
      case 'imported':
        return '';
      case 'duplicate': {
        const names = (r.candidates ?? []).map((c) => c.name).join(', ');
        return msg(str`Looks like an existing customer: ${names}`, { id: 'import.duplicateOf' });
      }
      case 'refused':
        return r.field && r.field !== 'file' ? `${importFieldName(r.field)}: ${fieldProblem(r.field, r.reason ?? '')}` : (r.reason ?? '');
      default:
        return r.status satisfies never;
    }
  }

  private renderRows(rows: readonly ImportRowResult[]) {
    return html`<div class="table-wrap scroll">
      <table>
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
              <td><span class="badge ${r.status === 'imported' ? 'success' : r.status === 'refused' ? 'danger' : ''}">${statusLabel(r.status)}</span></td>
              <td>${this.reason(r)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderStep() {
    const step = this.step;
    switch (step.kind) {
      case 'upload':
        return html`<form novalidate @submit=${this.onUpload}>
          <p class="muted">
            ${msg('Upload a CSV file with a header row (UTF-8 or GBK, up to 20 MB and 100,000 rows). Excel: save as “CSV UTF-8”.', { id: 'import.intro' })}
          </p>
          <div class="field">
            <label for="i-file">${msg('CSV file', { id: 'import.file' })}<span class="required" aria-hidden="true">*</span></label>
            <input id="i-file" type="file" accept=".csv,text/csv" required />
          </div>
          <div class="field">
            <label for="i-encoding">${msg('Encoding', { id: 'import.encoding' })}</label>
            <select id="i-encoding">${ENCODINGS.map((e) => html`<option value=${e}>${e.toUpperCase()}</option>`)}</select>
          </div>
          ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
          <div class="actions end">
            <button type="button" @click=${() => this.dispatchEvent(new Event('cancel'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
            <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Next: map columns', { id: 'import.toMapping' })}</button>
          </div>
        </form>`;
      case 'map':
        return html`<form novalidate @submit=${this.onPreview}>
          <p class="muted">${msg('Say which customer field each column holds. Columns set to “Ignore” are not imported.', { id: 'import.mapIntro' })}</p>
          <div class="table-wrap scroll">
            <table>
              <thead>
                <tr>
                  <th>${msg('Column in the file', { id: 'import.column' })}</th>
                  <th>${msg('Customer field', { id: 'import.field' })}</th>
                </tr>
              </thead>
              <tbody>
                ${step.headers.map(
                  (h, i) => html`<tr>
                    <td><label for="map-${i}">${h}</label></td>
                    <td>
                      <select
                        id="map-${i}"
                        data-column=${h}
                        @change=${(e: Event) => (this.mapping = { ...this.mapping, [h]: (e.target as HTMLSelectElement).value })}
                      >
                        <option value=${IGNORE} ?selected=${this.mapping[h] === IGNORE}>${msg('Ignore', { id: 'import.ignore' })}</option>
                        ${IMPORT_FIELDS.map((f) => html`<option value=${f} ?selected=${this.mapping[h] === f}>${importFieldLabel(f)}</option>`)}
                      </select>
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>
          <label class="choice">
            <input type="checkbox" .checked=${this.confirm} @change=${(e: Event) => (this.confirm = (e.target as HTMLInputElement).checked)} />
            ${msg('Import rows that look like existing customers anyway', { id: 'import.confirmDuplicates' })}
          </label>
          ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
          <div class="actions end">
            <button type="button" @click=${() => this.reset()}>${msg('Back', { id: 'common.back' })}</button>
            <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Next: preview', { id: 'import.toPreview' })}</button>
          </div>
        </form>`;
      case 'preview':
        return html`<p class="muted">${msg('Nothing has been imported yet. This is what would happen:', { id: 'import.previewIntro' })}</p>
          ${this.renderCounts(step.preview, true)} ${this.renderRows(step.preview.report)}
          ${step.preview.reportTruncated ? html`<p class="hint muted">${msg('Only the first rows are shown.', { id: 'import.firstRows' })}</p>` : nothing}
          ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
          <div class="actions end">
            <button type="button" @click=${() => this.backToMapping()}>${msg('Back', { id: 'common.back' })}</button>
            <button class="primary" type="button" ?disabled=${this.busy || step.preview.imported === 0} @click=${this.onImport}>
              ${msg(str`Import ${step.preview.imported} customers`, { id: 'import.start' })}
            </button>
          </div>`;
      case 'running': {
        const p = step.progress;
        return html`<p>${msg('Importing…', { id: 'import.running' })}</p>
          <progress max=${Math.max(p.total, 1)} .value=${p.processed} aria-label=${msg('Import progress', { id: 'import.progress' })}></progress>
          <p class="muted">${msg(str`${p.processed} of ${p.total} rows`, { id: 'import.progressText' })}</p>
          ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}`;
      }
      case 'report': {
        const r = step.result;
        return html`${r.status === 'failed'
            ? html`<tandem-alert>${msg('The import stopped with an error; rows before it were imported.', { id: 'import.failed' })} ${r.error ?? ''}</tandem-alert>`
            : nothing}
          ${step.undone !== null
            ? html`<tandem-alert kind="success">${msg(str`Import undone: ${step.undone} customers archived.`, { id: 'import.undone' })}</tandem-alert>`
            : html`<tandem-alert kind="success">${msg('Import finished.', { id: 'import.done' })}</tandem-alert>`}
          ${this.renderCounts(r, false)} ${this.renderRows(r.report)}
          ${r.reportTruncated ? html`<p class="hint muted">${msg('Only the first rows are shown.', { id: 'import.firstRows' })}</p>` : nothing}
          ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
          <div class="actions end">
            ${r.id && r.status !== 'undone' && r.imported > 0
              ? html`<button class="danger" type="button" ?disabled=${this.busy} @click=${() => this.onUndo(r)}>${msg('Undo this import', { id: 'import.undo' })}</button>`
              : nothing}
            <button class="primary" type="button" @click=${() => this.dispatchEvent(new Event('cancel'))}>${msg('Done', { id: 'common.done' })}</button>
          </div>`;
      }
      default:
        return step satisfies never;
    }
  }

  private backToMapping(): void {
    const headers = Object.keys(this.mapping);
    this.step = { kind: 'map', headers };
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
