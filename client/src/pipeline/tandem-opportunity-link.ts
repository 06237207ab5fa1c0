/**
 * `/opportunities/:id` (the link of an opportunity's notifications): finds
 * the opportunity's pipeline and opens its board with the card's details.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, html } from 'lit';
import { getOpportunity } from '../api/opportunities.ts';
import { navigate } from '../app/router.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-loading.ts';

export class TandemOpportunityLink extends LitElement {
  static override properties = {
    opportunityId: { type: String, attribute: 'opportunity-id' },
    error: { state: true },
  };
  static override styles = [base];

  declare opportunityId: string;
  declare error: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.opportunityId = '';
    this.error = '';
  }

  override async firstUpdated(): Promise<void> {
    try {
      const { opportunity } = await getOpportunity(this.opportunityId);
      navigate(`/pipeline/${opportunity.pipelineId}?card=${encodeURIComponent(opportunity.id)}`, { replace: true });
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  override render() {
    return this.error
      ? html`<tandem-alert kind="error">${this.error}</tandem-alert>`
      : html`<tandem-loading .label=${msg('Opening the opportunity…', { id: 'opportunity.link.opening' })}></tandem-loading>`;
  }
}

customElements.define('tandem-opportunity-link', TandemOpportunityLink);

declare global {
  interface HTMLElementTagNameMap {
    'tandem-opportunity-link': TandemOpportunityLink;
  }
}
