/**
 * The forced enrolment after signing in, when the workspace requires two-factor sign-in for the
 * user's role (the server answers 403 totp_enrolment_required to everything else until then).
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { logo } from '../ui/icons.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import { authLayout } from './auth-layout.ts';
import './tandem-language-switch.ts';
import './tandem-totp-enrolment.ts';

export class TandemTotpEnrolmentPage extends LitElement {
  static override styles = [
    base,
    buttons,
    forms,
    authLayout,
    css`
      main {
        width: min(480px, 100%);
      }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  private signOut(): void {
    this.dispatchEvent(new CustomEvent('sign-out', { bubbles: true, composed: true }));
  }

  override render() {
    return html`<main>
      <div class="brand">${logo}<span>Tandem</span></div>
      <div class="card">
        <div class="intro">
          <h1>${msg('Set up two-factor sign-in', { id: 'totp.setupTitle' })}</h1>
          <p>${msg('Your workspace asks for a code from your phone at every sign-in. Set it up to continue.', { id: 'totp.setupIntro' })}</p>
        </div>
        <tandem-totp-enrolment></tandem-totp-enrolment>
      </div>
      <footer>
        <tandem-language-switch></tandem-language-switch>
        <span aria-hidden="true">·</span>
        <button class="link" type="button" @click=${this.signOut}>${msg('Sign out', { id: 'nav.signOut' })}</button>
      </footer>
    </main>`;
  }
}

customElements.define('tandem-totp-enrolment-page', TandemTotpEnrolmentPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-totp-enrolment-page': TandemTotpEnrolmentPage;
  }
}
