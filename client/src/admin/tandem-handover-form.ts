/**
 * Handing a user's book over to colleagues (docs/team-operations.md): recipients, the split
 * (round-robin, or by customer category), a preview of what would move (a dry run, refreshed as
 * the choice changes), progress for large books, the result per recipient, and undo. Used in
 * the users page, on its own ("Hand over…") and before a deactivation.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { CategoryDto } from '../../../schema/wire/customer.ts';
import type { HandoverCounts, HandoverDto, HandoverResultDto, HandoverSplit } from '../../../schema/wire/handover.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { handOver, teamCategories, undoHandover, untilFinished } from '../api/handovers.ts';
import { SubmissionKey } from '../api/idempotency.ts';
import { categoryLabel } from '../customers/customer-labels.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms, tables } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-loading.ts';

/** Wait after a change of choice before asking for a new preview. */
const PREVIEW_DELAY_MS = 250;

type Preview = { kind: 'none' } | { kind: 'loading' } | { kind: 'ready'; result: HandoverResultDto } | { kind: 'failed'; message: string };
type Phase =
  | { kind: 'edit' }
  | { kind: 'running'; handover: HandoverDto; result: HandoverResultDto }
  | { kind: 'done'; handover: HandoverDto; result: HandoverResultDto; undone: { restored: number; kept: number } | null };

export function countsText(c: HandoverCounts): string {
  return msg(str`${c.customers} customers, ${c.opportunities} open opportunities, ${c.tasks} open tasks, ${c.serviceRecords} open service records`, {
    id: 'handover.counts',
  });
}

export class TandemHandoverForm extends LitElement {
  static override properties = {
    from: { attribute: false },
    users: { attribute: false },
    offerDeactivate: { type: Boolean },
    recipients: { state: true },
    split: { state: true },
    categories: { state: true },
    byCategory: { state: true },
    preview: { state: true },
    phase: { state: true },
    error: { state: true },
    busy: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    tables,
    css`
      :host {
        display: block;
        min-width: 0;
      }
      label.check input {
        flex: none;
        width: 18px;
        height: 18px;
        margin: 0;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0 0 var(--t-space-4);
        display: grid;
        gap: var(--t-space-2);
      }
      legend {
        font-weight: 600;
        margin-bottom: var(--t-space-2);
      }
      .choices {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
        gap: var(--t-space-2);
      }
      label.check {
        display: flex;
        gap: var(--t-space-2);
        align-items: center;
        font-weight: normal;
      }
      .category-row {
        display: grid;
        grid-template-columns: minmax(100px, 1fr) minmax(140px, 2fr);
        gap: var(--t-space-2);
        align-items: center;
      }
      .preview {
        min-width: 0;
        overflow-x: auto;
        padding: var(--t-space-3);
        border-radius: var(--t-radius-sm);
        background: var(--t-surface-2);
        margin-bottom: var(--t-space-3);
      }
      progress {
        width: 100%;
      }
    `,
  ];
  declare from: UserDto | null;
  declare users: readonly UserDto[];
  declare offerDeactivate: boolean;
  declare recipients: ReadonlySet<string>;
  declare split: HandoverSplit;
  declare categories: readonly CategoryDto[];
  declare byCategory: Readonly<Record<string, string>>;
  declare preview: Preview;
  declare phase: Phase;
  declare error: string;
  declare busy: boolean;
  private previewTimer: ReturnType<typeof setTimeout> | undefined;
  private previewSeq = 0;
  private readonly key = new SubmissionKey();
  private abort: AbortController | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.from = null;
    this.users = [];
    this.offerDeactivate = false;
    this.reset();
  }

  private reset(): void {
    this.recipients = new Set();
    this.split = 'round-robin';
    this.categories = [];
    this.byCategory = {};
    this.preview = { kind: 'none' };
    this.phase = { kind: 'edit' };
    this.error = '';
    this.busy = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.previewTimer);
    this.abort?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('from')) {
      this.abort?.abort();
      this.reset();
      if (this.from) this.schedulePreview();
    }
  }

  /** Active colleagues of the same team. */
  private candidates(): UserDto[] {
    const from = this.from;
    if (!from) return [];
    return this.users.filter((u) => u.active && u.id !== from.id && u.teamId !== null && u.teamId === from.teamId);
  }

  private body(dryRun: boolean) {
    const categories = Object.fromEntries(Object.entries(this.byCategory).filter(([, v]) => v));
    return { to: [...this.recipients], split: this.split, ...(this.split === 'category' ? { categories } : {}), ...(dryRun ? { dryRun } : {}) };
  }

  private schedulePreview(): void {
    clearTimeout(this.previewTimer);
    const from = this.from;
    if (!from) return;
    if (this.recipients.size === 0) {
      this.preview = { kind: 'none' };
      return;
    }
    if (this.split === 'category' && Object.values(this.byCategory).every((v) => !v)) {
      this.preview = { kind: 'none' };
      return;
    }
    const seq = ++this.previewSeq;
    this.preview = { kind: 'loading' };
    this.previewTimer = setTimeout(async () => {
      try {
        const result = await handOver(from.id, this.body(true));
        if (seq === this.previewSeq) this.preview = { kind: 'ready', result };
      } catch (err) {
        if (seq === this.previewSeq) this.preview = { kind: 'failed', message: errorMessage(err) };
      }
    }, PREVIEW_DELAY_MS);
  }

  private toggleRecipient(id: string, on: boolean): void {
    const next = new Set(this.recipients);
    if (on) next.add(id);
    else next.delete(id);
    this.recipients = next;
    this.schedulePreview();
  }

  private async setSplit(split: HandoverSplit): Promise<void> {
    this.split = split;
    if (split === 'category' && this.categories.length === 0 && this.from?.teamId) {
      try {
        this.categories = await teamCategories(this.from.teamId);
      } catch (err) {
        this.error = errorMessage(err);
      }
    }
    this.schedulePreview();
  }

  private onSubmit = async (e: Event) => {
    e.preventDefault();
    const from = this.from;
    if (!from || this.busy) return;
    if (this.recipients.size === 0) {
      this.error = msg('Choose at least one colleague.', { id: 'handover.chooseRecipient' });
      return;
    }
    this.busy = true;
    this.error = '';
    const body = this.body(false);
    try {
      const result = await handOver(from.id, body, { idempotencyKey: this.key.for({ from: from.id, body }) });
      this.key.settled();
      const handover = result.handover!;
      this.phase = { kind: 'running', handover, result };
      this.abort = new AbortController();
      const finished = await untilFinished(handover, (h) => (this.phase = { kind: 'running', handover: h, result }), this.abort.signal);
      this.phase = { kind: 'done', handover: finished, result, undone: null };
      this.dispatchEvent(new CustomEvent('handed-over', { detail: result, bubbles: true, composed: true }));
    } catch (err) {
      this.key.settled(err);
      this.error = errorMessage(err);
      if (this.phase.kind === 'running') this.phase = { kind: 'edit' };
    } finally {
      this.busy = false;
    }
  };

  private async onUndo(handover: HandoverDto, result: HandoverResultDto): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      const undone = await undoHandover(handover.id);
      this.phase = { kind: 'done', handover: undone.handover, result, undone: { restored: undone.restored, kept: undone.kept } };
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  private nameOf(id: string): string {
    return this.users.find((u) => u.id === id)?.name ?? '';
  }

  private renderShares(result: HandoverResultDto) {
    return html`<div class="table-wrap">
      <table>
        <caption class="visually-hidden">${msg('What each colleague receives', { id: 'handover.shares' })}</caption>
        <thead>
          <tr>
            <th scope="col">${msg('Colleague', { id: 'handover.colleague' })}</th>
            <th scope="col">${msg('Customers', { id: 'nav.customers' })}</th>
            <th scope="col">${msg('Opportunities', { id: 'handover.opportunities' })}</th>
            <th scope="col">${msg('Tasks', { id: 'handover.tasks' })}</th>
            <th scope="col">${msg('Service records', { id: 'handover.serviceRecords' })}</th>
          </tr>
        </thead>
        <tbody>
          ${result.recipients.map(
            (r) => html`<tr>
              <td>${this.nameOf(r.userId)}</td>
              <td>${r.customers}</td>
              <td>${r.opportunities}</td>
              <td>${r.tasks}</td>
              <td>${r.serviceRecords}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderPreview() {
    const p = this.preview;
    switch (p.kind) {
      case 'none':
        return html`<p class="preview muted">${msg('Choose colleagues to see what they would receive.', { id: 'handover.previewHint' })}</p>`;
      case 'loading':
        return html`<div class="preview"><tandem-loading label=${msg('Counting…', { id: 'handover.counting' })}></tandem-loading></div>`;
      case 'failed':
        return html`<tandem-alert>${p.message}</tandem-alert>`;
      case 'ready':
        return html`<div class="preview" aria-live="polite">
          <p data-preview>${msg('Would move:', { id: 'handover.wouldMove' })} ${countsText(p.result)}</p>
          ${this.renderShares(p.result)}
        </div>`;
      default:
        return p satisfies never;
    }
  }

  private renderEdit(from: UserDto) {
    const candidates = this.candidates();
    const canSubmit = this.preview.kind === 'ready' && !this.busy;
    return html`<form novalidate @submit=${this.onSubmit}>
      <p>${msg(str`Everything ${from.name} owns moves to the colleagues you choose: customers, open opportunities, open tasks and open service records. Opportunities and tasks follow their customer.`, { id: 'handover.intro' })}</p>
      <fieldset>
        <legend>${msg('Hand over to', { id: 'handover.to' })}</legend>
        ${candidates.length === 0
          ? html`<p class="muted">${msg('Nobody else is active in this team.', { id: 'handover.noColleagues' })}</p>`
          : html`<div class="choices">
              ${candidates.map(
                (u) => html`<label class="check">
                  <input type="checkbox" name="to" value=${u.id} .checked=${this.recipients.has(u.id)} @change=${(e: Event) => this.toggleRecipient(u.id, (e.target as HTMLInputElement).checked)} />
                  ${u.name}
                </label>`,
              )}
            </div>`}
      </fieldset>
      <fieldset>
        <legend>${msg('Split', { id: 'handover.split' })}</legend>
        <label class="check"
          ><input type="radio" name="split" value="round-robin" .checked=${this.split === 'round-robin'} @change=${() => this.setSplit('round-robin')} />
          ${msg('In turn (round-robin)', { id: 'handover.roundRobin' })}</label
        >
        <label class="check"
          ><input type="radio" name="split" value="category" .checked=${this.split === 'category'} @change=${() => this.setSplit('category')} />
          ${msg('By customer category', { id: 'handover.byCategory' })}</label
        >
        ${this.split === 'category'
          ? html`${this.categories.map(
                (c) => html`<div class="category-row">
                  <label for="cat-${c.key}">${categoryLabel(c.key, this.categories)}</label>
                  <select
                    id="cat-${c.key}"
                    @change=${(e: Event) => {
                      this.byCategory = { ...this.byCategory, [c.key]: (e.target as HTMLSelectElement).value };
                      this.schedulePreview();
                    }}
                  >
                    <option value="">${msg('In turn among those chosen', { id: 'handover.categoryInTurn' })}</option>
                    ${candidates.map((u) => html`<option value=${u.id} ?selected=${this.byCategory[c.key] === u.id}>${u.name}</option>`)}
                  </select>
                </div>`,
              )}`
          : nothing}
      </fieldset>
      ${this.renderPreview()} ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
      <div class="actions end">
        <button type="button" @click=${() => this.dispatchEvent(new Event('cancel'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
        <button class="primary" type="submit" aria-disabled=${canSubmit ? 'false' : 'true'}>${msg('Hand over', { id: 'handover.submit' })}</button>
      </div>
    </form>`;
  }

  override render() {
    const from = this.from;
    if (!from) return nothing;
    const phase = this.phase;
    switch (phase.kind) {
      case 'edit':
        return this.renderEdit(from);
      case 'running': {
        const h = phase.handover;
        return html`<p>${msg('Handing over…', { id: 'handover.running' })}</p>
          <progress max=${Math.max(h.total, 1)} .value=${h.processed} aria-label=${msg('Handover progress', { id: 'handover.progress' })}></progress>
          <p class="muted">${msg(str`${h.processed} of ${h.total} records`, { id: 'handover.progressText' })}</p>
          ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}`;
      }
      case 'done': {
        const { handover, result, undone } = phase;
        return html`${handover.status === 'failed'
            ? html`<tandem-alert>${msg('The handover stopped part way; what moved can be undone.', { id: 'handover.failed' })}</tandem-alert>`
            : nothing}
          ${undone
            ? html`<tandem-alert kind="success" data-result
                >${msg(str`Handover undone: ${undone.restored} changes reversed, ${undone.kept} kept because they changed since.`, { id: 'handover.undone' })}</tandem-alert
              >`
            : html`<tandem-alert kind="success" data-result>${msg('Handed over:', { id: 'handover.done' })} ${countsText(result)}</tandem-alert>`}
          ${this.renderShares(result)} ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
          <div class="actions end">
            ${undone
              ? nothing
              : html`<button type="button" ?disabled=${this.busy} @click=${() => this.onUndo(handover, result)}>${msg('Undo', { id: 'handover.undo' })}</button>`}
            ${this.offerDeactivate && from.active && !undone
              ? html`<button type="button" class="danger" @click=${() => this.dispatchEvent(new Event('deactivate'))}>
                  ${msg(str`Deactivate ${from.name}`, { id: 'handover.deactivate' })}
                </button>`
              : nothing}
            <button class="primary" type="button" data-close @click=${() => this.dispatchEvent(new Event('cancel'))}>${msg('Close', { id: 'common.close' })}</button>
          </div>`;
      }
      default:
        return phase satisfies never;
    }
  }
}

customElements.define('tandem-handover-form', TandemHandoverForm);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-handover-form': TandemHandoverForm;
  }
}
