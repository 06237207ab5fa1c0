/** The pipeline board; shows its empty state while there are no opportunities. */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { html, LitElement } from 'lit';
import { base } from '../ui/styles.ts';
import '../ui/tandem-empty-state.ts';

export class TandemPipelinePage extends LitElement {
  static override styles = [base];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    return html`<tandem-empty-state icon="pipeline" heading=${msg('No opportunities yet', { id: 'pipeline.emptyHeading' })}>
      ${msg('Opportunities appear on the board in their sales stage once your team creates them under a customer.', { id: 'pipeline.emptyText' })}
    </tandem-empty-state>`;
  }
}

customElements.define('tandem-pipeline-page', TandemPipelinePage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-pipeline-page': TandemPipelinePage;
  }
}
