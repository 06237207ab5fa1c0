/**
 * Leads by source and their conversion rate over a period (`GET /api/reports/leads`): a table
 * with a bar per source. Reps see their own leads, managers their team's (as other reports).
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { LeadReportDto } from '../../../schema/wire/lead.ts';
import { leadReport } from '../api/leads.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-loading.ts';
import { leadSourceLabel } from './lead-labels.ts';

/** The period shown first: the last 90 days. */
const DEFAULT_SPAN_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

type State = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; report: LeadReportDto };

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

export class TandemLeadReport extends LitElement {
  static override properties = { from: { state: true }, to: { state: true }, state: { state: true } };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      :host {
        background: var(--t-surface);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius);
        box-shadow: var(--t-shadow);
        padding: var(--t-space-4);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-3);
        align-items: end;
        justify-content: space-between;
        margin-bottom: var(--t-space-3);
      }
      .period {
        display: flex;
        gap: var(--t-space-2);
        align-items: end;
        flex-wrap: wrap;
      }
      .period input {
        width: auto;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: var(--t-font-size-sm);
      }
      th,
      td {
        text-align: left;
        padding: var(--t-space-2);
        border-bottom: 1px solid var(--t-border);
      }
      td.num,
      th.num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .bar {
        height: 8px;
        border-radius: 4px;
        background: var(--t-primary-soft);
        overflow: hidden;
        min-width: 60px;
      }
      .bar span {
        display: block;
        height: 100%;
        background: var(--t-primary);
      }
      tfoot td {
        font-weight: 600;
        border-bottom: none;
      }
      @media (max-width: 560px) {
        .hide-narrow {
          display: none;
        }
      }
    `,
  ];
  declare from: string;
  declare to: string;
  declare state: State;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    const now = new Date();
    this.to = isoDay(now);
    this.from = isoDay(new Date(now.getTime() - (DEFAULT_SPAN_DAYS - 1) * DAY_MS));
    this.state = { kind: 'loading' };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** Loads the figures again (after a capture or a conversion). */
  async load(): Promise<void> {
    if (this.state.kind !== 'ready') this.state = { kind: 'loading' };
    try {
      this.state = { kind: 'ready', report: await leadReport({ from: this.from, to: this.to }) };
    } catch (error) {
      this.state = { kind: 'error', error };
    }
  }

  private setPeriod(which: 'from' | 'to', value: string): void {
    if (!value) return;
    this[which] = value;
    void this.load();
  }

  private body() {
    switch (this.state.kind) {
      case 'loading':
        return html`<tandem-loading label=${msg('Loading figures…', { id: 'leads.report.loading' })}></tandem-loading>`;
      case 'error':
        return html`<tandem-alert>${errorMessage(this.state.error)}
          <button class="link" type="button" @click=${() => this.load()}>${msg('Try again', { id: 'common.retry' })}</button></tandem-alert>`;
      case 'ready': {
        const { bySource, total } = this.state.report.data;
        if (total.leads === 0) return html`<p class="muted">${msg('No leads were captured in this period.', { id: 'leads.report.empty' })}</p>`;
        return html`<table>
          <thead>
            <tr>
              <th scope="col">${msg('Source', { id: 'leads.field.source' })}</th>
              <th scope="col" class="num">${msg('Leads', { id: 'leads.report.leads' })}</th>
              <th scope="col" class="num">${msg('Converted', { id: 'leads.status.converted' })}</th>
              <th scope="col" class="num">${msg('Conversion rate', { id: 'leads.report.rate' })}</th>
              <th scope="col" class="hide-narrow"><span class="visually-hidden">${msg('Conversion rate', { id: 'leads.report.rate' })}</span></th>
            </tr>
          </thead>
          <tbody>
            ${bySource.map(
              (r) => html`<tr>
                <td>${leadSourceLabel(r.source)}</td>
                <td class="num">${r.leads}</td>
                <td class="num">${r.converted}</td>
                <td class="num">${percent(r.conversionRate)}</td>
                <td class="hide-narrow" aria-hidden="true"><div class="bar"><span style="width:${Math.round((r.conversionRate ?? 0) * 100)}%"></span></div></td>
              </tr>`,
            )}
          </tbody>
          <tfoot>
            <tr>
              <td>${msg('All sources', { id: 'leads.report.total' })}</td>
              <td class="num">${total.leads}</td>
              <td class="num">${total.converted}</td>
              <td class="num">${percent(total.conversionRate)}</td>
              <td class="hide-narrow"></td>
            </tr>
          </tfoot>
        </table>`;
      }
      default: {
        const never: never = this.state;
        return never;
      }
    }
  }

  override render() {
    const ready = this.state.kind === 'ready' ? this.state.report.data.total : null;
    return html`<header>
        <div>
          <h2>${msg('Leads by source', { id: 'leads.report.title' })}</h2>
          ${ready
            ? html`<p class="muted">${msg(str`${ready.leads} leads, ${percent(ready.conversionRate)} converted`, { id: 'leads.report.summary' })}</p>`
            : nothing}
        </div>
        <div class="period">
          <div class="field">
            <label for="rep-from">${msg('From', { id: 'leads.report.from' })}</label>
            <input id="rep-from" type="date" .value=${this.from} max=${this.to} @change=${(e: Event) => this.setPeriod('from', (e.target as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="rep-to">${msg('To', { id: 'leads.report.to' })}</label>
            <input id="rep-to" type="date" .value=${this.to} min=${this.from} @change=${(e: Event) => this.setPeriod('to', (e.target as HTMLInputElement).value)} />
          </div>
        </div>
      </header>
      ${this.body()}`;
  }
}

customElements.define('tandem-lead-report', TandemLeadReport);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-lead-report': TandemLeadReport;
  }
}
