/**
 * The sign-in page: work e-mail or employee number, and password. Fires
 * `signed-in` (bubbling, composed) with the user on success.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { UserDto } from '../../../schema/wire/user.ts';
import { PASSWORD_RESET_PATH } from '../../../schema/wire/two-factor.ts';
import { signIn } from '../api/auth.ts';
import { navigate } from '../app/router.ts';
import { ApiError } from '../api/http.ts';
import { isSharedDevice, setSharedDevice } from '../offline/local-data.ts';
import { errorMessage } from '../ui/error-message.ts';
import { logo } from '../ui/icons.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { authLayout } from './auth-layout.ts';
import './tandem-language-switch.ts';

/** Longest sign-in name the server accepts (schema/wire/user.ts EMAIL_MAX). */
const LOGIN_MAX = 254;
const PASSWORD_MAX = 256;
/** Longest second-factor code the server accepts (schema/wire/user.ts CODE_MAX). */
const CODE_MAX = 32;

export class TandemSignIn extends LitElement {
  static override properties = {
    notice: { type: String },
    busy: { state: true },
    error: { state: true },
    missing: { state: true },
    needCode: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    authLayout,
    css`
      .shared {
        display: flex;
        gap: var(--t-space-2);
        align-items: flex-start;
        font-size: var(--t-font-size-sm);
      }
      .shared input {
        margin-top: 3px;
      }
    `,
  ];
  /** A message shown above the form, e.g. after the session ended elsewhere. */
  declare notice: string;
  declare busy: boolean;
  declare error: string;
  declare missing: '' | 'email' | 'password' | 'code';
  /** The account has two-factor sign-in: the code field is shown (after the server asked for it). */
  declare needCode: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.notice = '';
    this.busy = false;
    this.error = '';
    this.missing = '';
    this.needCode = false;
  }

  protected override firstUpdated(): void {
    this.input('email').focus();
  }

  private input(name: 'email' | 'password' | 'code'): HTMLInputElement {
    return this.renderRoot.querySelector(`[name=${name}]`) as HTMLInputElement;
  }

  private async onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const email = this.input('email').value.trim();
    const password = this.input('password').value;
    const code = this.needCode ? this.input('code').value.trim() : undefined;
    this.error = '';
    this.missing = !email ? 'email' : !password ? 'password' : code === '' ? 'code' : '';
    if (this.missing) {
      this.input(this.missing).focus();
      return;
    }
    this.busy = true;
    try {
      const { user } = await signIn({ email, password, ...(code ? { code } : {}) });
      // Before the app starts keeping anything (offline/local-data.ts); this tab remembers it, nothing else.
      setSharedDevice((this.renderRoot.querySelector('[name=shared]') as HTMLInputElement).checked);
      this.dispatchEvent(new CustomEvent<UserDto>('signed-in', { detail: user, bubbles: true, composed: true }));
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'totp_required' || err.code === 'totp_invalid')) {
        // The password was right: ask for the code, and keep the password for the next try.
        this.error = err.code === 'totp_invalid' ? errorMessage(err) : '';
        this.needCode = true;
        await this.updateComplete;
        this.input('code').value = '';
        this.input('code').focus();
        return;
      }
      this.error = errorMessage(err);
      const password = this.input('password');
      if (err instanceof ApiError && err.code === 'invalid_credentials') password.value = '';
      password.focus();
    } finally {
      this.busy = false;
    }
  }

  private toReset(e: MouseEvent): void {
    e.preventDefault();
    navigate(PASSWORD_RESET_PATH);
  }

  private codeField() {
    const missing = this.missing === 'code';
    return html`<div class="field">
      <label for="code">${msg('Code from your authenticator app', { id: 'signIn.code' })}</label>
      <input
        id="code"
        name="code"
        type="text"
        inputmode="numeric"
        autocomplete="one-time-code"
        autocapitalize="none"
        spellcheck="false"
        maxlength=${CODE_MAX}
        required
        aria-invalid=${missing ? 'true' : 'false'}
        aria-describedby=${missing ? 'code-error' : 'code-hint'}
      />
      <p class="hint" id="code-hint">${msg('Lost your phone? Enter one of your recovery codes instead.', { id: 'signIn.codeHint' })}</p>
      ${missing ? html`<p class="field-error" id="code-error">${msg('Enter the code.', { id: 'signIn.codeRequired' })}</p>` : nothing}
    </div>`;
  }

  override render() {
    const emailMissing = this.missing === 'email';
    const passwordMissing = this.missing === 'password';
    return html`<main>
      <div class="brand">${logo}<span>Tandem</span></div>
      <div class="card">
        <div class="intro">
          <h1>${msg('Sign in', { id: 'signIn.title' })}</h1>
          <p>${msg('Use the work e-mail or employee number your administrator gave you.', { id: 'signIn.intro' })}</p>
        </div>
        ${this.notice ? html`<tandem-alert kind="info">${this.notice}</tandem-alert>` : nothing}
        <form novalidate @submit=${this.onSubmit}>
          <div class="field">
            <label for="email">${msg('E-mail or employee number', { id: 'signIn.login' })}</label>
            <input
              id="email"
              name="email"
              type="text"
              inputmode="email"
              autocomplete="username"
              autocapitalize="none"
              spellcheck="false"
              maxlength=${LOGIN_MAX}
              required
              aria-invalid=${emailMissing ? 'true' : 'false'}
              aria-describedby=${emailMissing ? 'email-error' : nothing}
            />
            ${emailMissing
              ? html`<p class="field-error" id="email-error">${msg('Enter your e-mail or employee number.', { id: 'signIn.loginRequired' })}</p>`
              : nothing}
          </div>
          <div class="field">
            <label for="password">${msg('Password', { id: 'signIn.password' })}</label>
            <input
              id="password"
              name="password"
              type="password"
              autocomplete="current-password"
              maxlength=${PASSWORD_MAX}
              required
              aria-invalid=${passwordMissing ? 'true' : 'false'}
              aria-describedby=${passwordMissing ? 'password-error' : nothing}
            />
            ${passwordMissing
              ? html`<p class="field-error" id="password-error">${msg('Enter your password.', { id: 'signIn.passwordRequired' })}</p>`
              : nothing}
          </div>
          ${this.needCode ? this.codeField() : nothing}
          <label class="shared">
            <input type="checkbox" name="shared" ?checked=${isSharedDevice()} />
            <span>${msg('Shared computer: keep nothing on this device for working offline', { id: 'signIn.sharedDevice' })}</span>
          </label>
          ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
          <button class="primary" type="submit" ?disabled=${this.busy}>
            ${this.busy ? msg('Signing in…', { id: 'signIn.busy' }) : msg('Sign in', { id: 'signIn.submit' })}
          </button>
        </form>
      </div>
      <footer>
        <tandem-language-switch></tandem-language-switch>
        <span aria-hidden="true">·</span>
        <a href=${PASSWORD_RESET_PATH} @click=${this.toReset}>${msg('Forgot your password?', { id: 'reset.askTitle' })}</a>
      </footer>
    </main>`;
  }
}

customElements.define('tandem-sign-in', TandemSignIn);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-sign-in': TandemSignIn;
  }
}
