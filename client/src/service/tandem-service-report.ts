/**
 * The service report on the queue page: open records by age, median time to resolve and mean
 * satisfaction over the last 90 days (GET /api/reports/service). `reload()` refetches.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import type { ServiceReportDto } from '../../../schema/wire/service-records.ts';
import { serviceReport } from '../api/service-records.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, cards } from '../ui/styles.ts';
import { ageLabel } from './service-labels.ts';

type Load = { kind: 'loading' } | { kind: 'failed'; error: unknown } | { kind: 'ready'; report: ServiceReportDto };

export class TandemServiceReport extends LitElement {
  static override properties = { load: { state: true } };
  static override styles = [
    base,
    cards,
    css`
      .figures {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(140px, 1fr));
        gap: var(--t-space-3);
      }
      .figure {
        display: grid;
        gap: 2px;
        padding: var(--t-space-3);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius);
        background: var(--t-surface);
      }
      .value {
        font-size: 1.4rem;
        font-weight: 650;
      }
      .label {
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
      }
      .ages {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-2) var(--t-space-4);
        margin: var(--t-space-3) 0 0;
        padding: 0;
        list-style: none;
        font-size: var(--t-font-size-sm);
      }
      .ages strong {
        font-size: var(--t-font-size);
      }
    `,
  ];
  declare load: Load;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.load = { kind: 'loading' };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  async reload(): Promise<void> {
    try {
      this.load = { kind: 'ready', report: await serviceReport() };
    } catch (error) {
      this.load = { kind: 'failed', error };
    }
  }

  override render() {
    const load = this.load;
    if (load.kind === 'loading') return html`<p class="label">${msg('Loading…', { id: 'common.loading' })}</p>`;
    if (load.kind === 'failed') return html`<p class="label">${errorMessage(load.error)}</p>`;
    const r = load.report;
    const none = msg('—', { id: 'service.none' });
    return html`<div class="figures">
        <div class="figure"><span class="value">${r.open}</span><span class="label">${msg('Open now', { id: 'service.openNow' })}</span></div>
        <div class="figure">
          <span class="value">${r.medianHoursToResolve === null ? none : msg(str`${r.medianHoursToResolve} h`, { id: 'service.hours' })}</span>
          <span class="label">${msg(str`Median time to resolve (${r.resolved} resolved, 90 days)`, { id: 'service.median' })}</span>
        </div>
        <div class="figure">
          <span class="value">${r.averageSatisfaction === null ? none : `${r.averageSatisfaction.toFixed(1)} / 5`}</span>
          <span class="label">${msg(str`Average satisfaction (${r.rated} rated)`, { id: 'service.avgSatisfaction' })}</span>
        </div>
      </div>
      <ul class="ages" aria-label=${msg('Open records by age', { id: 'service.byAge' })}>
        ${r.openByAge.map((b) => html`<li>${ageLabel(b.bucket)}: <strong>${b.count}</strong></li>`)}
      </ul>`;
  }
}

customElements.define('tandem-service-report', TandemServiceReport);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-service-report': TandemServiceReport;
  }
}
