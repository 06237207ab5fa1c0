/**
 * Above the customer list: the number of matches, and for the rows ticked (or "all N
 * matching") one bulk action — owner, category, add or remove a tag, archive or restore — with
 * progress, the result (updated, skipped) and undo (docs/team-operations.md).
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { CategoryDto } from '../../../schema/wire/customer.ts';
import type { BulkSet, CustomerBulkResultDto, HandoverDto } from '../../../schema/wire/handover.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { bulkEditCustomers, undoHandover, untilFinished } from '../api/handovers.ts';
import { SubmissionKey } from '../api/idempotency.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { categoryLabel } from './customer-labels.ts';
import type { SelectionState } from './customer-selection.ts';

type Action = 'owner' | 'category' | 'addTag' | 'removeTag' | 'archive' | 'restore';
const ACTIONS: readonly Action[] = ['owner', 'category', 'addTag', 'removeTag', 'archive', 'restore'];

type Outcome =
  | { kind: 'none' }
  | { kind: 'running'; handover: HandoverDto }
  | { kind: 'done'; result: CustomerBulkResultDto; handover: HandoverDto | null; undone: number | null };

function actionLabel(a: Action): string {
  switch (a) {
    case 'owner':
      return msg('Change owner', { id: 'bulk.owner' });
    case 'category':
      return msg('Set category', { id: 'bulk.category' });
    case 'addTag':
      return msg('Add tag', { id: 'bulk.addTag' });
    case 'removeTag':
      return msg('Remove tag', { id: 'bulk.removeTag' });
    case 'archive':
      return msg('Archive', { id: 'bulk.archive' });
    case 'restore':
      return msg('Restore', { id: 'bulk.restore' });
    default:
      return a satisfies never;
  }
}

export class TandemCustomerBulkBar extends LitElement {
  static override properties = {
    selection: { attribute: false },
    users: { attribute: false },
    categories: { attribute: false },
    canManage: { type: Boolean },
    action: { state: true },
    value: { state: true },
    outcome: { state: true },
    error: { state: true },
    busy: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      :host {
        display: grid;
        gap: var(--t-space-2);
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--t-space-2) var(--t-space-3);
        min-height: 40px;
      }
      .bar.selected {
        padding: var(--t-space-2) var(--t-space-3);
        border-radius: var(--t-radius-sm);
        background: var(--t-primary-soft);
      }
      .count {
        color: var(--t-muted);
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-2);
        align-items: center;
      }
      select,
      input {
        width: auto;
        min-width: 140px;
        max-width: 100%;
      }
      progress {
        width: min(320px, 100%);
      }
    `,
  ];
  declare selection: SelectionState | null;
  declare users: readonly UserDto[];
  declare categories: readonly CategoryDto[];
  /** Managers and admins: owner, archive and restore are theirs. */
  declare canManage: boolean;
  declare action: Action;
  declare value: string;
  declare outcome: Outcome;
  declare error: string;
  declare busy: boolean;
  private readonly key = new SubmissionKey();

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.selection = null;
    this.users = [];
    this.categories = [];
    this.canManage = false;
    this.action = 'category';
    this.value = '';
    this.outcome = { kind: 'none' };
    this.error = '';
    this.busy = false;
  }

  private actions(): Action[] {
    return ACTIONS.filter((a) => this.canManage || a === 'category' || a === 'addTag' || a === 'removeTag');
  }

  private set(): BulkSet | null {
    const v = this.value.trim();
    switch (this.action) {
      case 'owner':
        return v ? { ownerId: v } : null;
      case 'category':
        return v ? { category: v } : null;
      case 'addTag':
        return v ? { addTags: [v] } : null;
      case 'removeTag':
        return v ? { removeTags: [v] } : null;
      case 'archive':
        return { archived: true };
      case 'restore':
        return { archived: false };
      default:
        return this.action satisfies never;
    }
  }

  private onApply = async (e: Event) => {
    e.preventDefault();
    const sel = this.selection;
    const set = this.set();
    if (!sel || this.busy) return;
    if (!set) {
      this.error = msg('Choose a value first.', { id: 'bulk.chooseValue' });
      return;
    }
    this.busy = true;
    this.error = '';
    const selection = sel.allMatching ? { filter: sel.filter } : { ids: [...sel.ids] };
    try {
      const result = await bulkEditCustomers(selection, set, { idempotencyKey: this.key.for({ selection, set }) });
      this.key.settled();
      let handover = result.handover;
      if (handover?.status === 'running') {
        this.outcome = { kind: 'running', handover };
        handover = await untilFinished(handover, (h) => (this.outcome = { kind: 'running', handover: h }));
      }
      this.outcome = { kind: 'done', result, handover, undone: null };
      this.dispatchEvent(new Event('bulk-done', { bubbles: true, composed: true }));
    } catch (err) {
      this.key.settled(err);
      this.error = errorMessage(err);
      if (this.outcome.kind === 'running') this.outcome = { kind: 'none' };
    } finally {
      this.busy = false;
    }
  };

  private async onUndo(handover: HandoverDto, result: CustomerBulkResultDto): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      const undone = await undoHandover(handover.id);
      this.outcome = { kind: 'done', result, handover: undone.handover, undone: undone.restored };
      this.dispatchEvent(new Event('bulk-done', { bubbles: true, composed: true }));
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  private renderValue() {
    const label = msg('Value', { id: 'bulk.value' });
    const onChange = (e: Event) => (this.value = (e.target as HTMLInputElement | HTMLSelectElement).value);
    switch (this.action) {
      case 'owner':
        return html`<select aria-label=${label} @change=${onChange}>
          <option value="">${msg('Choose an owner…', { id: 'bulk.chooseOwner' })}</option>
          ${this.users.filter((u) => u.active).map((u) => html`<option value=${u.id} ?selected=${this.value === u.id}>${u.name}</option>`)}
        </select>`;
      case 'category':
        return html`<select aria-label=${label} @change=${onChange}>
          <option value="">${msg('Choose a category…', { id: 'bulk.chooseCategory' })}</option>
          ${this.categories.map((c) => html`<option value=${c.key} ?selected=${this.value === c.key}>${categoryLabel(c.key, this.categories)}</option>`)}
        </select>`;
      case 'addTag':
      case 'removeTag':
        return html`<input type="text" maxlength="40" aria-label=${msg('Tag', { id: 'bulk.tag' })} .value=${this.value} @input=${onChange} />`;
      case 'archive':
      case 'restore':
        return nothing;
      default:
        return this.action satisfies never;
    }
  }

  private renderOutcome() {
    const o = this.outcome;
    switch (o.kind) {
      case 'none':
        return nothing;
      case 'running':
        return html`<div role="status">
          <progress max=${Math.max(o.handover.total, 1)} .value=${o.handover.processed} aria-label=${msg('Bulk edit progress', { id: 'bulk.progress' })}></progress>
          <span class="muted">${msg(str`${o.handover.processed} of ${o.handover.total} customers`, { id: 'bulk.progressText' })}</span>
        </div>`;
      case 'done': {
        const { result, handover, undone } = o;
        return html`<tandem-alert kind="success" data-bulk-result>
          ${undone !== null
            ? msg(str`Undone: ${undone} changes reversed.`, { id: 'bulk.undone' })
            : msg(str`Updated ${result.updated} customers; skipped ${result.skipped}.`, { id: 'bulk.result' })}
          ${handover && undone === null && handover.status !== 'undone'
            ? html`<button type="button" class="link" ?disabled=${this.busy} @click=${() => this.onUndo(handover, result)}>${msg('Undo', { id: 'handover.undo' })}</button>`
            : nothing}
        </tandem-alert>`;
      }
      default:
        return o satisfies never;
    }
  }

  override render() {
    const sel = this.selection;
    const count = sel?.count ?? null;
    const selected = sel ? (sel.allMatching ? (count?.count ?? 0) : sel.ids.length) : 0;
    const countText = count
      ? count.capped
        ? msg(str`More than ${count.count.toLocaleString()} customers`, { id: 'bulk.countCapped' })
        : msg(str`${count.count.toLocaleString()} customers`, { id: 'bulk.count' })
      : '';
    return html`<div class="bar ${selected > 0 ? 'selected' : ''}" role="region" aria-label=${msg('Bulk actions', { id: 'bulk.region' })}>
        <span class="count" aria-live="polite" data-count>${countText}</span>
        ${selected > 0
          ? html`<strong aria-live="polite">${msg(str`${selected.toLocaleString()} selected`, { id: 'bulk.selected' })}</strong>
              ${!sel?.allMatching && count && count.count > selected
                ? html`<button type="button" class="link" @click=${() => this.dispatchEvent(new Event('select-all'))}>
                    ${msg(str`Select all ${count.count.toLocaleString()} matching`, { id: 'bulk.selectAll' })}
                  </button>`
                : nothing}
              <button type="button" class="link" @click=${() => this.dispatchEvent(new Event('clear-selection'))}>${msg('Clear selection', { id: 'bulk.clear' })}</button>
              <form @submit=${this.onApply}>
                <select
                  aria-label=${msg('Bulk action', { id: 'bulk.action' })}
                  @change=${(e: Event) => {
                    this.action = (e.target as HTMLSelectElement).value as Action;
                    this.value = '';
                  }}
                >
                  ${this.actions().map((a) => html`<option value=${a} ?selected=${a === this.action}>${actionLabel(a)}</option>`)}
                </select>
                ${this.renderValue()}
                <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Apply', { id: 'bulk.apply' })}</button>
              </form>`
          : html`<span class="muted">${msg('Tick rows (or press Space on a row) for bulk actions.', { id: 'bulk.hint' })}</span>`}
      </div>
      ${this.renderOutcome()} ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}`;
  }
}

customElements.define('tandem-customer-bulk-bar', TandemCustomerBulkBar);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-bulk-bar': TandemCustomerBulkBar;
  }
}
