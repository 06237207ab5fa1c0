/**
 * The customer list's selection for bulk edits, and its match count: rows ticked one by one,
 * or "all N matching" the filter (then the server resolves the filter, so rows never loaded
 * count too). Tells the host's listeners with a `selection-change` event (detail:
 * `SelectionState`) whenever the selection or the count changes.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CustomerFilter } from '../../../schema/wire/customer-query.ts';
import type { CustomerCountDto } from '../../../schema/wire/handover.ts';
import { countCustomers } from '../api/handovers.ts';

export interface SelectionState {
  ids: readonly string[];
  allMatching: boolean;
  filter: CustomerFilter;
  /** The number of matches, once counted. */
  count: CustomerCountDto | null;
}

export class CustomerSelection implements ReactiveController {
  private ids = new Set<string>();
  private allMatching = false;
  private filter: CustomerFilter = {};
  private count: CustomerCountDto | null = null;
  private countSeq = 0;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {}

  isSelected(id: string): boolean {
    return this.allMatching || this.ids.has(id);
  }

  get size(): number {
    return this.allMatching ? (this.count?.count ?? 0) : this.ids.size;
  }

  /** Ticks or unticks one row; unticking a row of "all matching" keeps the other rows loaded so far. */
  toggle(id: string, loaded: () => readonly string[]): void {
    if (this.allMatching) {
      this.allMatching = false;
      this.ids = new Set(loaded());
    }
    if (this.ids.has(id)) this.ids.delete(id);
    else this.ids.add(id);
    this.changed();
  }

  selectAllMatching(): void {
    this.allMatching = true;
    this.ids.clear();
    this.changed();
  }

  clear(): void {
    this.allMatching = false;
    this.ids.clear();
    this.changed();
  }

  /** A new filter: nothing selected, a new count. */
  filterChanged(filter: CustomerFilter): Promise<void> {
    this.filter = filter;
    this.allMatching = false;
    this.ids.clear();
    this.count = null;
    this.changed();
    return this.refreshCount();
  }

  /** Counts the matches again (after a change in the list). */
  async refreshCount(): Promise<void> {
    const seq = ++this.countSeq;
    try {
      const count = await countCustomers(this.filter);
      if (seq !== this.countSeq) return;
      this.count = count;
      this.changed();
    } catch {
      // The count is a convenience: the list works without it and the next change counts again.
    }
  }

  private changed(): void {
    this.host.requestUpdate();
    const detail: SelectionState = { ids: [...this.ids], allMatching: this.allMatching, filter: this.filter, count: this.count };
    this.host.dispatchEvent(new CustomEvent<SelectionState>('selection-change', { detail }));
  }
}
