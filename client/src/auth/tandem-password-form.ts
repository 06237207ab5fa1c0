/**
 * Changing one's password: current, new, confirmation, with the strength rule
 * shown beside the new password and the server's field errors under their
 * fields. Fires `password-changed` (bubbling, composed) on success.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { ApiError } from '../api/http.ts';
import { changePassword } from '../api/me.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { passwordIssue, passwordIssueText, passwordRuleText } from './password-rule.ts';

type Field = 'currentPassword' | 'newPassword' | 'confirm';
/** Longest password the server accepts (schema/wire/user.ts PASSWORD_MAX). */
const PASSWORD_MAX = 256;

export class TandemPasswordForm extends LitElement {
  static override properties = {
    login: { type: String },
    submitLabel: { attribute: false },
    initialFocus: { type: Boolean, attribute: 'initial-focus' },
    busy: { state: true },
    fieldErrors: { state: true },
    formError: { state: true },
    done: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      .done {
        margin-bottom: var(--t-space-4);
      }
    `,
  ];
  /** The user's sign-in name, so the rule can explain "do not include your sign-in name". */
  declare login: string;
  declare submitLabel: string;
  declare initialFocus: boolean;
  declare busy: boolean;
  declare fieldErrors: Partial<Record<Field, string>>;
  declare formError: string;
  declare done: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.login = '';
    this.submitLabel = '';
    this.initialFocus = false;
    this.busy = false;
    this.fieldErrors = {};
    this.formError = '';
    this.done = false;
  }

  protected override firstUpdated(): void {
    if (this.initialFocus) this.focusField('currentPassword');
  }

  private value(name: Field): string {
    return (this.renderRoot.querySelector(`[name=${name}]`) as HTMLInputElement).value;
  }

  private focusField(name: Field): void {
    (this.renderRoot.querySelector(`[name=${name}]`) as HTMLInputElement | null)?.focus();
  }

  private async onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const current = this.value('currentPassword');
    const next = this.value('newPassword');
    this.done = false;
    this.formError = '';
    this.fieldErrors = {};
    if (!current) return this.fail({ currentPassword: msg('Enter your current password.', { id: 'password.currentRequired' }) });
    if (!next) return this.fail({ newPassword: msg('Enter a new password.', { id: 'password.newRequired' }) });
    if (next !== this.value('confirm')) {
      return this.fail({ confirm: msg('The two new passwords do not match.', { id: 'password.mismatch' }) });
    }
    this.busy = true;
    try {
      await changePassword(current, next);
      (this.renderRoot.querySelector('form') as HTMLFormElement).reset();
      this.done = true;
      this.dispatchEvent(new CustomEvent('password-changed', { bubbles: true, composed: true }));
    } catch (err) {
      if (err instanceof ApiError && err.field === 'currentPassword') {
        this.fail({ currentPassword: msg('The current password is wrong.', { id: 'password.currentWrong' }) });
      } else if (err instanceof ApiError && err.code === 'weak_password') {
        this.fail({ newPassword: passwordIssueText(passwordIssue(next, { login: this.login, current })) });
      } else {
        this.formError = errorMessage(err);
      }
    } finally {
      this.busy = false;
    }
  }

  private async fail(errors: Partial<Record<Field, string>>): Promise<void> {
    this.fieldErrors = errors;
    await this.updateComplete;
    const first = (['currentPassword', 'newPassword', 'confirm'] as const).find((f) => errors[f]);
    if (first) this.focusField(first);
  }

  private field(name: Field, label: string, autocomplete: string, hint?: string) {
    const error = this.fieldErrors[name];
    const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${name}>${label}</label>
      <input
        id=${name}
        name=${name}
        type="password"
        autocomplete=${autocomplete}
        maxlength=${PASSWORD_MAX}
        required
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${describedBy || nothing}
      />
      ${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : nothing}
      ${error ? html`<p class="field-error" id="${name}-error">${error}</p>` : nothing}
    </div>`;
  }

  override render() {
    return html`
      ${this.done ? html`<tandem-alert class="done" kind="success">${msg('Your password was changed.', { id: 'password.changed' })}</tandem-alert>` : nothing}
      <form novalidate @submit=${this.onSubmit}>
        <input type="text" name="username" autocomplete="username" .value=${this.login} hidden />
        ${this.field('currentPassword', msg('Current password', { id: 'password.current' }), 'current-password')}
        ${this.field('newPassword', msg('New password', { id: 'password.new' }), 'new-password', passwordRuleText())}
        ${this.field('confirm', msg('Confirm new password', { id: 'password.confirm' }), 'new-password')}
        ${this.formError ? html`<tandem-alert>${this.formError}</tandem-alert>` : nothing}
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy}>
            ${this.busy ? msg('Saving…', { id: 'common.saving' }) : this.submitLabel || msg('Change password', { id: 'password.submit' })}
          </button>
        </div>
      </form>
    `;
  }
}

customElements.define('tandem-password-form', TandemPasswordForm);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-password-form': TandemPasswordForm;
  }
}
