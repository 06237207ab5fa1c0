/** The customer list; shows its empty state while the workspace has no customers. */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { html, LitElement } from 'lit';
import { base } from '../ui/styles.ts';
import '../ui/tandem-empty-state.ts';

export class TandemCustomersPage extends LitElement {
  static override styles = [base];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    return html`<tandem-empty-state icon="customers" heading=${msg('No customers yet', { id: 'customers.emptyHeading' })}>
      ${msg('Customers your team adds will be listed here, with their contacts and follow-up status.', { id: 'customers.emptyText' })}
    </tandem-empty-state>`;
  }
}

customElements.define('tandem-customers-page', TandemCustomersPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customers-page': TandemCustomersPage;
  }
}
