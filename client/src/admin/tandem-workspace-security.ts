/**
 * The workspace's sign-in rules (users page, admins): the roles that must use two-factor sign-in,
 * and the maximum password age (off by default).
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { WorkspaceSecurityDto } from '../../../schema/wire/two-factor.ts';
import { MAX_PASSWORD_AGE_DAYS } from '../../../schema/wire/two-factor.ts';
import { ROLES, type Role } from '../../../schema/wire/user.ts';
import { fetchWorkspaceSecurity, updateWorkspaceSecurity } from '../api/two-factor.ts';
import { roleLabel } from '../app/role-label.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, cards, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';

export class TandemWorkspaceSecurity extends LitElement {
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
      fieldset {
        border: 0;
        padding: 0;
        margin: 0;
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-4);
      }
      legend {
        font-weight: 600;
        margin-bottom: var(--t-space-2);
      }
      input[name='maxAge'] {
        max-width: 10ch;
      }
      form {
        display: grid;
        gap: var(--t-space-4);
      }
    `,
  ];
  declare settings: WorkspaceSecurityDto | null;
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
    fetchWorkspaceSecurity().then(
      (s) => (this.settings = s),
      (err: unknown) => (this.error = errorMessage(err)),
    );
  }

  private async onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const roles = ROLES.filter((r) => (form.elements.namedItem(`role-${r}`) as HTMLInputElement).checked);
    const raw = (form.elements.namedItem('maxAge') as HTMLInputElement).value.trim();
    const days = raw === '' ? null : Number(raw);
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > MAX_PASSWORD_AGE_DAYS)) {
      this.error = msg('Enter a number of days from 1 to 3650, or leave it empty.', { id: 'workspace.maxAgeInvalid' });
      return;
    }
    this.busy = true;
    this.error = '';
    this.saved = false;
    try {
      this.settings = await updateWorkspaceSecurity({ totpRequiredRoles: roles as Role[], maxPasswordAgeDays: days });
      this.saved = true;
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const s = this.settings;
    return html`<section class="card" aria-labelledby="workspace-security-heading">
      <header>
        <div>
          <h2 id="workspace-security-heading">${msg('Sign-in rules', { id: 'workspace.title' })}</h2>
          <p class="muted">${msg('They apply at the next sign-in of each user.', { id: 'workspace.intro' })}</p>
        </div>
      </header>
      ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
      ${this.saved ? html`<tandem-alert kind="success">${msg('Saved.', { id: 'workspace.saved' })}</tandem-alert>` : nothing}
      ${s
        ? html`<form novalidate @submit=${this.onSubmit}>
            <fieldset>
              <legend>${msg('Two-factor sign-in required for', { id: 'workspace.totpRoles' })}</legend>
              ${ROLES.map(
                (r) => html`<label class="choice"><input type="checkbox" name="role-${r}" ?checked=${s.totpRequiredRoles.includes(r)} /> ${roleLabel(r)}</label>`,
              )}
            </fieldset>
            <div class="field">
              <label for="maxAge">${msg('Maximum password age, in days', { id: 'workspace.maxAge' })}</label>
              <input id="maxAge" name="maxAge" inputmode="numeric" .value=${s.maxPasswordAgeDays === null ? '' : String(s.maxPasswordAgeDays)} aria-describedby="maxAge-hint" />
              <p class="hint" id="maxAge-hint">${msg('Empty: passwords do not expire. Past this age, the user must choose a new password at sign-in.', { id: 'workspace.maxAgeHint' })}</p>
            </div>
            ${s.mailConfigured
              ? nothing
              : html`<p class="muted">${msg('No e-mail server is set up (SMTP_URL), so "Forgot your password?" sends no mail: create reset links for users from their row.', { id: 'workspace.noMail' })}</p>`}
            <div class="actions">
              <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Save', { id: 'common.save' })}</button>
            </div>
          </form>`
        : nothing}
    </section>`;
  }
}

customElements.define('tandem-workspace-security', TandemWorkspaceSecurity);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-workspace-security': TandemWorkspaceSecurity;
  }
}
