/**
 * Setting up two-factor sign-in: a QR code and the key as text for an authenticator app, the
 * first code to confirm, then the ten recovery codes, shown once. Fires `totp-confirmed` when the
 * code was taken, and `totp-enrolled` (both bubbling, composed) when the user has seen the
 * recovery codes and goes on.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { TotpEnrolmentDto } from '../../../schema/wire/two-factor.ts';
import { ApiError } from '../api/http.ts';
import { confirmTotpEnrolment, startTotpEnrolment } from '../api/two-factor.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-loading.ts';
import { qrCode } from './totp-qr.ts';

type Step = { kind: 'loading' } | { kind: 'failed'; error: string } | { kind: 'scan'; key: TotpEnrolmentDto } | { kind: 'codes'; codes: string[] };

export class TandemTotpEnrolment extends LitElement {
  static override properties = { step: { state: true }, busy: { state: true }, codeError: { state: true } };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      :host {
        display: grid;
        gap: var(--t-space-4);
      }
      ol {
        margin: 0;
        padding-left: 1.2em;
        display: grid;
        gap: var(--t-space-2);
      }
      .qr {
        width: min(220px, 100%);
        height: auto;
        display: block;
        margin: 0 auto;
        border: 1px solid var(--t-border);
        border-radius: 8px;
      }
      .key {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        letter-spacing: 0.08em;
        /* Wraps between groups of four, never inside one. */
        overflow-wrap: break-word;
        background: var(--t-bg);
        border-radius: 6px;
        padding: var(--t-space-2) var(--t-space-3);
        user-select: all;
      }
      .codes {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: var(--t-space-2);
        list-style: none;
        padding: 0;
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 15px;
      }
      .codes li {
        background: var(--t-bg);
        border-radius: 6px;
        padding: var(--t-space-2);
        text-align: center;
      }
      input[name='code'] {
        font-size: 18px;
        letter-spacing: 0.2em;
        max-width: 12ch;
      }
    `,
  ];
  declare step: Step;
  declare busy: boolean;
  declare codeError: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.step = { kind: 'loading' };
    this.busy = false;
    this.codeError = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.start();
  }

  private async start(): Promise<void> {
    this.step = { kind: 'loading' };
    try {
      this.step = { kind: 'scan', key: await startTotpEnrolment() };
    } catch (err) {
      this.step = { kind: 'failed', error: errorMessage(err) };
    }
  }

  private async onConfirm(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const input = this.renderRoot.querySelector('input[name=code]') as HTMLInputElement;
    const code = input.value.replace(/\s/g, '');
    if (!/^\d{6}$/.test(code)) {
      this.codeError = msg('Enter the 6 digits your app shows.', { id: 'totp.codeShape' });
      input.focus();
      return;
    }
    this.busy = true;
    this.codeError = '';
    try {
      const { recoveryCodes } = await confirmTotpEnrolment(code);
      this.step = { kind: 'codes', codes: recoveryCodes };
      this.dispatchEvent(new CustomEvent('totp-confirmed', { bubbles: true, composed: true }));
    } catch (err) {
      this.codeError = err instanceof ApiError && err.code === 'totp_invalid' ? msg('That code is not right. Check that the time on your phone is correct, and try the newest code.', { id: 'totp.codeWrong' }) : errorMessage(err);
      input.select();
    } finally {
      this.busy = false;
    }
  }

  private done(): void {
    this.dispatchEvent(new CustomEvent('totp-enrolled', { bubbles: true, composed: true }));
  }

  override render() {
    const step = this.step;
    switch (step.kind) {
      case 'loading':
        return html`<tandem-loading></tandem-loading>`;
      case 'failed':
        return html`<tandem-alert>${step.error}</tandem-alert>
          <button type="button" @click=${this.start}>${msg('Try again', { id: 'common.retry' })}</button>`;
      case 'scan':
        return html`<ol>
            <li>${msg('Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator or 1Password).', { id: 'totp.stepApp' })}</li>
            <li>${msg('Scan this QR code, or type the key below.', { id: 'totp.stepScan' })}</li>
          </ol>
          ${qrCode(step.key.uri, msg('QR code for your authenticator app', { id: 'totp.qrLabel' }))}
          <div>
            <p class="label" id="key-label">${msg('Key', { id: 'totp.key' })}</p>
            <p class="key" aria-labelledby="key-label">${step.key.secret.replace(/(.{4})/g, '$1 ').trim()}</p>
          </div>
          <form novalidate @submit=${this.onConfirm}>
            <div class="field">
              <label for="code">${msg('Enter the 6-digit code the app shows', { id: 'totp.enterCode' })}</label>
              <input
                id="code"
                name="code"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength="7"
                aria-invalid=${this.codeError ? 'true' : 'false'}
                aria-describedby=${this.codeError ? 'code-error' : nothing}
              />
              ${this.codeError ? html`<p class="field-error" id="code-error">${this.codeError}</p>` : nothing}
            </div>
            <div class="actions">
              <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Turn on two-factor sign-in', { id: 'totp.confirm' })}</button>
            </div>
          </form>`;
      case 'codes':
        return html`<tandem-alert kind="success">${msg('Two-factor sign-in is on.', { id: 'totp.enabled' })}</tandem-alert>
          <p>
            ${msg(str`Save these ${step.codes.length} recovery codes somewhere safe. Each works once in place of a code if you lose your phone. They will not be shown again.`, { id: 'totp.recoveryIntro' })}
          </p>
          <ul class="codes" aria-label=${msg('Recovery codes', { id: 'totp.recoveryCodes' })}>
            ${step.codes.map((c) => html`<li>${c}</li>`)}
          </ul>
          <div class="actions">
            <button class="primary" type="button" @click=${this.done}>${msg('I have saved them', { id: 'totp.saved' })}</button>
          </div>`;
      default:
        return step satisfies never;
    }
  }
}

customElements.define('tandem-totp-enrolment', TandemTotpEnrolment);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-totp-enrolment': TandemTotpEnrolment;
  }
}
