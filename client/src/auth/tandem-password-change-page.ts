/**
 * The forced password change after signing in with an initial password.
 * Nothing else is reachable until it is done (the server answers 403
 * password_change_required to everything else).
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { html, LitElement } from 'lit';
import { logo } from '../ui/icons.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import { authLayout } from './auth-layout.ts';
import './tandem-language-switch.ts';
import './tandem-password-form.ts';

export class TandemPasswordChangePage extends LitElement {
  static override properties = { login: { type: String } };
  static override styles = [base, buttons, forms, authLayout];
  declare login: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.login = '';
  }

  private signOut(): void {
    this.dispatchEvent(new CustomEvent('sign-out', { bubbles: true, composed: true }));
  }

  override render() {
    return html`<main>
      <div class="brand">${logo}<span>Tandem</span></div>
      <div class="card">
        <div class="intro">
          <h1>${msg('Choose a new password', { id: 'forcedChange.title' })}</h1>
          <p>${msg('You signed in with an initial password. Choose your own password to continue.', { id: 'forcedChange.intro' })}</p>
        </div>
        <tandem-password-form
          initial-focus
          .login=${this.login}
          .submitLabel=${msg('Set password and continue', { id: 'forcedChange.submit' })}
        ></tandem-password-form>
      </div>
      <footer>
        <tandem-language-switch></tandem-language-switch>
        <span aria-hidden="true">·</span>
        <button class="link" type="button" @click=${this.signOut}>${msg('Sign out', { id: 'nav.signOut' })}</button>
      </footer>
    </main>`;
  }
}

customElements.define('tandem-password-change-page', TandemPasswordChangePage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-password-change-page': TandemPasswordChangePage;
  }
}
