/**
 * The workspace's rule for won deals (users page, admins, beside the sign-in rules): whether
 * winning an opportunity makes its customer a won customer (成交客户). On by default.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { WorkspaceDealsDto } from '../../../schema/wire/contracts.ts';
import { getWorkspaceDeals, updateWorkspaceDeals } from '../api/contracts.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, cards, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';

export class TandemWorkspaceDeals extends LitElement {
  static override properties = { settings: { state: true }, error: { state: true }, saved: { state: true }, busy: { state: true } };
  static override styles = [
    base,
    buttons,
    forms,
    cards,
    css`
      :host {
        display: block;
      }
      form {
        display: grid;
        gap: var(--t-space-3);
      }
    `,
  ];
  declare settings: WorkspaceDealsDto | null;
  declare error: string;
  declare saved: boolean;
  declare busy: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.settings = null;
    this.error = '';
    this.saved = false;
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    getWorkspaceDeals().then(
      (s) => (this.settings = s),
      (err: unknown) => (this.error = errorMessage(err)),
    );
  }

  private async onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const on = ((e.target as HTMLFormElement).elements.namedItem('wonSetsCategory') as HTMLInputElement).checked;
    this.busy = true;
    this.error = '';
    this.saved = false;
    try {
      this.settings = await updateWorkspaceDeals({ wonSetsCustomerCategory: on });
      this.saved = true;
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const s = this.settings;
    return html`<section class="card" aria-labelledby="workspace-deals-heading">
      <header>
        <div>
          <h2 id="workspace-deals-heading">${msg('Won deals', { id: 'workspaceDeals.title' })}</h2>
          <p class="muted">${msg('What happens when a deal is won.', { id: 'workspaceDeals.intro' })}</p>
        </div>
      </header>
      ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
      ${this.saved ? html`<tandem-alert kind="success">${msg('Saved.', { id: 'workspace.saved' })}</tandem-alert>` : nothing}
      ${s
        ? html`<form novalidate @submit=${this.onSubmit}>
            <label class="choice">
              <input type="checkbox" name="wonSetsCategory" ?checked=${s.wonSetsCustomerCategory} />
              ${msg('Winning a deal makes its customer a won customer (category “Closed won”)', { id: 'workspaceDeals.wonSetsCategory' })}
            </label>
            <div class="actions">
              <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Save', { id: 'common.save' })}</button>
            </div>
          </form>`
        : nothing}
    </section>`;
  }
}

customElements.define('tandem-workspace-deals', TandemWorkspaceDeals);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-workspace-deals': TandemWorkspaceDeals;
  }
}
