/**
 * One report on the Reports screen: heading, a line saying what it counts,
 * the CSV link, and its body by state: loading, error (with "Try again"),
 * empty ("no data for this period"), or the chart and table slotted in.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { base, buttons } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-loading.ts';

export type SectionState = 'loading' | 'error' | 'empty' | 'ready';

export class TandemReportSection extends LitElement {
  static override properties = {
    heading: { type: String },
    description: { type: String },
    csvHref: { type: String, attribute: 'csv-href' },
    state: { type: String, reflect: true },
    errorText: { type: String, attribute: 'error-text' },
    emptyText: { type: String, attribute: 'empty-text' },
  };
  static override styles = [
    base,
    buttons,

    css`
      section {
        display: grid;
        gap: var(--t-space-3);
        padding: var(--t-space-4) var(--t-space-5);
        background: var(--t-surface);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius);
        box-shadow: var(--t-shadow);
        min-width: 0;
      }
      header {
        display: flex;
        align-items: flex-start;
        justify-content: space-between;
        gap: var(--t-space-3);
      }
      .csv {
        font-size: var(--t-font-size-sm);
        white-space: nowrap;
      }
      .empty {
        padding: var(--t-space-5);
        text-align: center;
        color: var(--t-muted);
        border: 1px dashed var(--t-border-strong);
        border-radius: var(--t-radius-sm);
      }
      .error {
        display: grid;
        gap: var(--t-space-2);
        justify-items: start;
      }
    `,
  ];

  declare heading: string;
  declare description: string;
  declare csvHref: string;
  declare state: SectionState;
  declare errorText: string;
  declare emptyText: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.heading = '';
    this.description = '';
    this.csvHref = '';
    this.state = 'loading';
    this.errorText = '';
    this.emptyText = '';
  }

  override render() {
    const id = 'heading';
    return html`<section aria-labelledby=${id} aria-busy=${this.state === 'loading' ? 'true' : 'false'}>
      <header>
        <div>
          <h2 id=${id}>${this.heading}</h2>
          ${this.description ? html`<p class="muted">${this.description}</p>` : nothing}
        </div>
        ${this.csvHref && this.state !== 'error'
          ? html`<a class="csv" href=${this.csvHref} download
              aria-label=${msg(str`Export ${this.heading} as CSV`, { id: 'reports.exportAria' })}>${msg('Export CSV', { id: 'reports.exportCsv' })}</a>`
          : nothing}
      </header>
      ${this.body()}
    </section>`;
  }

  private body() {
    switch (this.state) {
      case 'loading':
        return html`<tandem-loading label=${msg('Loading report…', { id: 'reports.loading' })}></tandem-loading>`;
      case 'error':
        return html`<div class="error">
          <tandem-alert kind="error">${this.errorText}</tandem-alert>
          <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('retry', { bubbles: true, composed: true }))}>
            ${msg('Try again', { id: 'reports.retry' })}
          </button>
        </div>`;
      case 'empty':
        return html`<p class="empty" role="status">${this.emptyText || msg('No data for this period.', { id: 'reports.noData' })}</p>`;
      case 'ready':
        return html`<slot></slot>`;
    }
  }
}

customElements.define('tandem-report-section', TandemReportSection);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-report-section': TandemReportSection;
  }
}
