/**
 * Two-factor sign-in in the settings page: whether it is on, setting it up (the enrolment
 * element), and turning it off with a current code or the password.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { TotpStatusDto } from '../../../schema/wire/two-factor.ts';
import { ApiError } from '../api/http.ts';
import { disableTotp, fetchTotpStatus } from '../api/two-factor.ts';
import '../auth/tandem-totp-enrolment.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons, cards, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-loading.ts';

type View = 'status' | 'enrol' | 'disable';

export class TandemTwoFactorSetting extends LitElement {
  static override properties = { status: { state: true }, view: { state: true }, error: { state: true }, busy: { state: true } };
  static override styles = [
    base,
    buttons,
    forms,
    cards,
    badges,
    css`
      :host {
        display: block;
      }
      h2 {
        display: flex;
        gap: var(--t-space-2);
        align-items: center;
      }
    `,
  ];
  declare status: TotpStatusDto | null;
  declare view: View;
  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.status = null;
    this.view = 'status';
    this.error = '';
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.status = await fetchTotpStatus();
      this.error = '';
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  private async onDisable(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const proof = (form.elements.namedItem('proof') as HTMLInputElement).value.trim();
    if (!proof || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      // Six digits or a recovery code are a code; anything else is the password.
      const isCode = /^\d{6}$/.test(proof) || /^[a-z2-9]{5}-?[a-z2-9]{5}$/i.test(proof);
      await disableTotp(isCode ? { code: proof } : { password: proof });
      this.view = 'status';
      await this.load();
    } catch (err) {
      this.error =
        err instanceof ApiError && err.code === 'totp_invalid'
          ? msg('That code or password is not right.', { id: 'totp.disableWrong' })
          : errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  private body() {
    const status = this.status;
    if (!status) return this.error ? nothing : html`<tandem-loading></tandem-loading>`;
    switch (this.view) {
      case 'enrol':
        return html`<tandem-totp-enrolment
          @totp-confirmed=${() => void this.load()}
          @totp-enrolled=${async () => {
            this.view = 'status';
            await this.load();
          }}
        ></tandem-totp-enrolment>`;
      case 'disable':
        return html`<form novalidate @submit=${this.onDisable}>
          <div class="field">
            <label for="proof">${msg('A current code, a recovery code, or your password', { id: 'totp.disableProof' })}</label>
            <input id="proof" name="proof" type="password" autocomplete="off" maxlength="256" required />
          </div>
          <div class="actions">
            <button class="danger" type="submit" ?disabled=${this.busy}>${msg('Turn off', { id: 'totp.turnOff' })}</button>
            <button type="button" @click=${() => (this.view = 'status')}>${msg('Cancel', { id: 'common.cancel' })}</button>
          </div>
        </form>`;
      case 'status':
        return status.enabled
          ? html`<p>${msg(str`Recovery codes left: ${status.recoveryCodesLeft}`, { id: 'totp.codesLeft' })}</p>
              <div class="actions">
                ${status.required
                  ? html`<p class="muted">${msg('Your workspace requires it for your role.', { id: 'totp.requiredNote' })}</p>`
                  : html`<button type="button" @click=${() => (this.view = 'disable')}>${msg('Turn off two-factor sign-in', { id: 'totp.disable' })}</button>`}
              </div>`
          : html`<div class="actions">
              <button class="primary" type="button" @click=${() => (this.view = 'enrol')}>${msg('Set up two-factor sign-in', { id: 'totp.setupTitle' })}</button>
            </div>`;
      default:
        return this.view satisfies never;
    }
  }

  override render() {
    const on = this.status?.enabled;
    return html`<section class="card" aria-labelledby="totp-heading">
      <header>
        <div>
          <h2 id="totp-heading">
            ${msg('Two-factor sign-in', { id: 'totp.title' })}
            ${this.status ? html`<span class="badge ${on ? 'success' : ''}">${on ? msg('On', { id: 'totp.on' }) : msg('Off', { id: 'totp.off' })}</span>` : nothing}
          </h2>
          <p class="muted">${msg('Besides your password, sign-in asks for a code from an app on your phone.', { id: 'totp.intro' })}</p>
        </div>
      </header>
      ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing} ${this.body()}
    </section>`;
  }
}

customElements.define('tandem-two-factor-setting', TandemTwoFactorSetting);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-two-factor-setting': TandemTwoFactorSetting;
  }
}
