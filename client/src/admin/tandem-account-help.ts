/**
 * An admin's help for a user who cannot sign in (users page, one per row): a temporary password
 * (every session of the user ends, a change is forced), a one-time reset link to pass on (for
 * workspaces without e-mail), or removing the user's two-factor sign-in (a lost phone).
 * What it made is shown once, in the dialog.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { UserDto } from '../../../schema/wire/user.ts';
import { adminResetPassword, adminResetTotp } from '../api/two-factor.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';

type Result = { kind: 'temporary'; password: string } | { kind: 'link'; link: string } | { kind: 'totp' } | null;

export class TandemAccountHelp extends LitElement {
  static override properties = { user: { attribute: false }, open: { state: true }, busy: { state: true }, result: { state: true }, error: { state: true } };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      :host {
        display: inline-block;
        margin-right: var(--t-space-2);
      }
      /* The row's cell aligns its buttons right; the dialog reads left to right. */
      tandem-dialog {
        text-align: start;
      }
      .choices {
        display: grid;
        gap: var(--t-space-3);
      }
      .choices p {
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
        margin: 0;
      }
      output {
        display: block;
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        word-break: break-all;
        background: var(--t-bg);
        border-radius: 6px;
        padding: var(--t-space-2) var(--t-space-3);
        user-select: all;
      }
    `,
  ];
  declare user: UserDto;
  declare open: boolean;
  declare busy: boolean;
  declare result: Result;
  declare error: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.open = false;
    this.busy = false;
    this.result = null;
    this.error = '';
  }

  private async run(action: 'temporary' | 'link' | 'totp'): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      if (action === 'totp') {
        await adminResetTotp(this.user.id);
        this.result = { kind: 'totp' };
      } else {
        const r = await adminResetPassword(this.user.id, action);
        this.result = 'temporaryPassword' in r ? { kind: 'temporary', password: r.temporaryPassword } : { kind: 'link', link: r.link };
      }
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  private close(): void {
    this.open = false;
    this.result = null;
    this.error = '';
  }

  private body() {
    const r = this.result;
    if (r?.kind === 'temporary') {
      return html`<p>${msg(str`Give ${this.user.name} this temporary password. They are signed out everywhere and must choose their own password at sign-in. It is not shown again.`, { id: 'help.temporaryDone' })}</p>
        <output>${r.password}</output>`;
    }
    if (r?.kind === 'link') {
      return html`<p>${msg(str`Send ${this.user.name} this link. It works once, for 30 minutes.`, { id: 'help.linkDone' })}</p>
        <output>${r.link}</output>`;
    }
    if (r?.kind === 'totp') {
      return html`<tandem-alert kind="success">${msg(str`Two-factor sign-in of ${this.user.name} was removed. They can set it up again in their settings.`, { id: 'help.totpDone' })}</tandem-alert>`;
    }
    return html`<div class="choices">
      <div>
        <button type="button" ?disabled=${this.busy} @click=${() => this.run('temporary')}>${msg('Reset password', { id: 'help.temporary' })}</button>
        <p>${msg('A temporary password for you to pass on; ends every session of the user.', { id: 'help.temporaryHint' })}</p>
      </div>
      <div>
        <button type="button" ?disabled=${this.busy} @click=${() => this.run('link')}>${msg('Create reset link', { id: 'help.link' })}</button>
        <p>${msg('A one-time link with which the user chooses a new password.', { id: 'help.linkHint' })}</p>
      </div>
      <div>
        <button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.run('totp')}>${msg('Remove two-factor sign-in', { id: 'help.totp' })}</button>
        <p>${msg('For a lost phone: the user signs in with the password alone until they set it up again.', { id: 'help.totpHint' })}</p>
      </div>
    </div>`;
  }

  override render() {
    return html`<button type="button" @click=${() => (this.open = true)}>
        ${msg('Sign-in help', { id: 'help.open' })}<span class="visually-hidden">${this.user.name}</span>
      </button>
      <tandem-dialog .open=${this.open} heading=${msg(str`Sign-in help for ${this.user.name}`, { id: 'help.title' })} @close=${this.close}>
        ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing} ${this.body()}
      </tandem-dialog>`;
  }
}

customElements.define('tandem-account-help', TandemAccountHelp);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-account-help': TandemAccountHelp;
  }
}
