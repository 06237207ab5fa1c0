/**
 * `/reset-password`: without a token, asks for the e-mail address and sends a reset link (the
 * answer is the same whether or not the address has an account); with `?token=…`, sets a new
 * password. The token is taken out of the address bar at once, so it stays out of the history
 * and of anything copied from the address bar. Fires `reset-done` to go to the sign-in page.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { ApiError } from '../api/http.ts';
import { confirmPasswordReset, requestPasswordReset } from '../api/two-factor.ts';
import { errorMessage } from '../ui/error-message.ts';
import { logo } from '../ui/icons.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { authLayout } from './auth-layout.ts';
import { passwordIssue, passwordIssueText, passwordRuleText } from './password-rule.ts';
import './tandem-language-switch.ts';

/** Longest values the server accepts (schema/wire/user.ts). */
const EMAIL_MAX = 254;
const PASSWORD_MAX = 256;

type State = 'ask' | 'sent' | 'choose' | 'done';

export class TandemPasswordResetPage extends LitElement {
  static override properties = { state: { state: true }, busy: { state: true }, error: { state: true }, fieldError: { state: true } };
  static override styles = [
    base,
    buttons,
    forms,
    authLayout,
    css`
      .back {
        text-align: center;
      }
    `,
  ];
  declare state: State;
  declare busy: boolean;
  declare error: string;
  declare fieldError: { field: 'email' | 'newPassword' | 'confirm'; text: string } | null;
  private token = '';

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    const url = new URL(location.href);
    this.token = url.searchParams.get('token') ?? '';
    if (this.token) {
      url.searchParams.delete('token');
      history.replaceState(history.state, '', url.pathname + url.search);
    }
    this.state = this.token ? 'choose' : 'ask';
    this.busy = false;
    this.error = '';
    this.fieldError = null;
  }

  protected override firstUpdated(): void {
    (this.renderRoot.querySelector('input:not([hidden])') as HTMLInputElement | null)?.focus();
  }

  private value(name: string): string {
    return (this.renderRoot.querySelector(`[name=${name}]`) as HTMLInputElement).value;
  }

  private async fail(field: 'email' | 'newPassword' | 'confirm', text: string): Promise<void> {
    this.fieldError = { field, text };
    await this.updateComplete;
    (this.renderRoot.querySelector(`[name=${field}]`) as HTMLInputElement).focus();
  }

  private async onAsk(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const email = this.value('email').trim();
    this.error = '';
    this.fieldError = null;
    if (!email) return this.fail('email', msg('Enter your e-mail address.', { id: 'reset.emailRequired' }));
    this.busy = true;
    try {
      await requestPasswordReset(email);
      this.state = 'sent';
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  private async onChoose(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const next = this.value('newPassword');
    this.error = '';
    this.fieldError = null;
    if (!next) return this.fail('newPassword', msg('Enter a new password.', { id: 'password.newRequired' }));
    if (next !== this.value('confirm')) return this.fail('confirm', msg('The two new passwords do not match.', { id: 'password.mismatch' }));
    this.busy = true;
    try {
      await confirmPasswordReset(this.token, next);
      this.state = 'done';
    } catch (err) {
      if (err instanceof ApiError && err.code === 'weak_password') await this.fail('newPassword', passwordIssueText(passwordIssue(next)));
      else this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  private toSignIn(): void {
    this.dispatchEvent(new CustomEvent('reset-done', { bubbles: true, composed: true }));
  }

  private input(name: 'email' | 'newPassword' | 'confirm', label: string, type: string, autocomplete: string, hint?: string) {
    const error = this.fieldError?.field === name ? this.fieldError.text : '';
    const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${name}>${label}</label>
      <input
        id=${name}
        name=${name}
        type=${type}
        autocomplete=${autocomplete}
        maxlength=${type === 'password' ? PASSWORD_MAX : EMAIL_MAX}
        required
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${describedBy || nothing}
      />
      ${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : nothing}
      ${error ? html`<p class="field-error" id="${name}-error">${error}</p>` : nothing}
    </div>`;
  }

  private body() {
    switch (this.state) {
      case 'ask':
        return html`<div class="intro">
            <h1>${msg('Forgot your password?', { id: 'reset.askTitle' })}</h1>
            <p>${msg('Enter the e-mail address of your account. We will send you a link to choose a new password.', { id: 'reset.askIntro' })}</p>
          </div>
          <form novalidate @submit=${this.onAsk}>
            ${this.input('email', msg('E-mail', { id: 'reset.email' }), 'email', 'username')}
            ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
            <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Send reset link', { id: 'reset.send' })}</button>
          </form>`;
      case 'sent':
        return html`<div class="intro">
            <h1>${msg('Check your e-mail', { id: 'reset.sentTitle' })}</h1>
            <p>
              ${msg('If an account uses this address, a link is on its way. It works once, for 30 minutes. No e-mail? Your administrator can give you a reset link.', { id: 'reset.sentIntro' })}
            </p>
          </div>`;
      case 'choose':
        return html`<div class="intro">
            <h1>${msg('Choose a new password', { id: 'forcedChange.title' })}</h1>
            <p>${msg('After this, you are signed out on every device and sign in with the new password.', { id: 'reset.chooseIntro' })}</p>
          </div>
          <form novalidate @submit=${this.onChoose}>
            ${this.input('newPassword', msg('New password', { id: 'password.new' }), 'password', 'new-password', passwordRuleText())}
            ${this.input('confirm', msg('Confirm new password', { id: 'password.confirm' }), 'password', 'new-password')}
            ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
            <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Set new password', { id: 'reset.submit' })}</button>
          </form>`;
      case 'done':
        return html`<div class="intro">
            <h1>${msg('Your password was changed', { id: 'reset.doneTitle' })}</h1>
            <p>${msg('Sign in with your new password.', { id: 'reset.doneIntro' })}</p>
          </div>
          <button class="primary" type="button" @click=${this.toSignIn}>${msg('Sign in', { id: 'signIn.submit' })}</button>`;
      default:
        return this.state satisfies never;
    }
  }

  override render() {
    return html`<main>
      <div class="brand">${logo}<span>Tandem</span></div>
      <div class="card">${this.body()}</div>
      <footer>
        <tandem-language-switch></tandem-language-switch>
        <span aria-hidden="true">·</span>
        <button class="link" type="button" @click=${this.toSignIn}>${msg('Back to sign-in', { id: 'reset.back' })}</button>
      </footer>
    </main>`;
  }
}

customElements.define('tandem-password-reset-page', TandemPasswordResetPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-password-reset-page': TandemPasswordResetPage;
  }
}
