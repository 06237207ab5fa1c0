/** My day: the signed-in user's tasks; shows its empty state while there are none. */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { html, LitElement } from 'lit';
import { base } from '../ui/styles.ts';
import '../ui/tandem-empty-state.ts';

export class TandemTasksPage extends LitElement {
  static override styles = [base];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    return html`<tandem-empty-state icon="tasks" heading=${msg('Nothing on your list today', { id: 'tasks.emptyHeading' })}>
      ${msg('Tasks assigned to you and follow-ups due today will be gathered here.', { id: 'tasks.emptyText' })}
    </tandem-empty-state>`;
  }
}

customElements.define('tandem-tasks-page', TandemTasksPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-tasks-page': TandemTasksPage;
  }
}
