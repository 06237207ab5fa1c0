/** Reports; shows its empty state while there is nothing to report on. */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { html, LitElement } from 'lit';
import { base } from '../ui/styles.ts';
import '../ui/tandem-empty-state.ts';

export class TandemReportsPage extends LitElement {
  static override styles = [base];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    return html`<tandem-empty-state icon="reports" heading=${msg('No data to report yet', { id: 'reports.emptyHeading' })}>
      ${msg('Funnel, win rate and forecast reports fill in as your team records customers, opportunities and follow-ups.', { id: 'reports.emptyText' })}
    </tandem-empty-state>`;
  }
}

customElements.define('tandem-reports-page', TandemReportsPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-reports-page': TandemReportsPage;
  }
}
