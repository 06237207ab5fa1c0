/**
 * Creating a user: sign-in name (work e-mail or employee number), name, role,
 * team and initial password, which the user must change at first sign-in.
 * Fires `user-created` with the user, or `cancel`.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { CreateUserBody, Role, TeamDto, UserDto } from '../../../schema/wire/user.ts';
import { needsTeam } from '../../../schema/policy/access.ts';
import { ApiError } from '../api/http.ts';
import { SubmissionKey } from '../api/idempotency.ts';
import { createUser } from '../api/users.ts';
import { roleLabel } from '../app/role-label.ts';
import { passwordIssue, passwordIssueText, passwordRuleText } from '../auth/password-rule.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';

/** Limits the server accepts (schema/wire/user.ts). */
const LOGIN_MAX = 254;
const NAME_MAX = 120;
const PASSWORD_MAX = 256;
const ASSIGNABLE_ROLES: readonly Role[] = ['rep', 'manager', 'admin'];
/** Same shape as the server's sign-in identifier: an e-mail address or an employee number. */
const LOGIN_PATTERN = /^(?:[^\s@]+@[^\s@]+\.[^\s@]+|[A-Za-z0-9._-]+)$/;

type Field = 'email' | 'name' | 'role' | 'teamId' | 'password';

export class TandemUserCreateForm extends LitElement {
  static override properties = {
    teams: { attribute: false },
    role: { state: true },
    busy: { state: true },
    errors: { state: true },
    formError: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    css`
      .two {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--t-space-4);
      }
      @media (max-width: 520px) {
        .two {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];
  declare teams: readonly TeamDto[];
  declare role: Role;
  declare busy: boolean;
  declare errors: Partial<Record<Field, string>>;
  declare formError: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.teams = [];
    this.role = 'rep';
    this.busy = false;
    this.errors = {};
    this.formError = '';
  }

  reset(): void {
    this.renderRoot.querySelector('form')?.reset();
    this.role = 'rep';
    this.errors = {};
    this.formError = '';
  }

  /** One Idempotency-Key per user sent (a double submit or a retry creates it once). */
  private readonly submission = new SubmissionKey();

  private el<T extends HTMLElement>(name: Field): T {
    return this.renderRoot.querySelector(`#new-${name}`) as T;
  }

  private async onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const body: CreateUserBody = {
      email: this.el<HTMLInputElement>('email').value.trim(),
      name: this.el<HTMLInputElement>('name').value.trim(),
      role: this.role,
      teamId: this.el<HTMLSelectElement>('teamId').value || null,
      password: this.el<HTMLInputElement>('password').value,
    };
    const errors: Partial<Record<Field, string>> = {};
    if (!body.email) errors.email = msg('Enter a work e-mail or an employee number.', { id: 'admin.loginRequired' });
    else if (!LOGIN_PATTERN.test(body.email)) errors.email = msg('Use a work e-mail address or an employee number (letters, digits, . - _).', { id: 'admin.loginInvalid' });
    if (!body.name) errors.name = msg('Enter the person’s name.', { id: 'admin.nameRequired' });
    if (needsTeam(body.role) && !body.teamId) errors.teamId = msg('Managers and reps belong to a team: choose one.', { id: 'admin.teamRequired' });
    if (!body.password) errors.password = msg('Enter an initial password.', { id: 'admin.passwordRequired' });
    this.formError = '';
    if (Object.keys(errors).length > 0) return this.showErrors(errors);
    this.busy = true;
    try {
      const user = await createUser(body, { idempotencyKey: this.submission.for(body) });
      this.submission.settled();
      this.dispatchEvent(new CustomEvent<UserDto>('user-created', { detail: user }));
    } catch (err) {
      this.submission.settled(err);
      this.onError(err, body);
    } finally {
      this.busy = false;
    }
  }

  private onError(err: unknown, body: CreateUserBody): void {
    if (!(err instanceof ApiError)) {
      this.formError = errorMessage(err);
      return;
    }
    switch (err.field) {
      case 'email':
        this.showErrors({
          email:
            err.code === 'conflict'
              ? msg('Someone already signs in with this name.', { id: 'admin.loginTaken' })
              : msg('Use a work e-mail address or an employee number (letters, digits, . - _).', { id: 'admin.loginInvalid' }),
        });
        return;
      case 'password':
        this.showErrors({ password: passwordIssueText(passwordIssue(body.password, { login: body.email })) });
        return;
      case 'teamId':
        this.showErrors({ teamId: msg('Managers and reps belong to a team: choose one.', { id: 'admin.teamRequired' }) });
        return;
      case 'name':
        this.showErrors({ name: msg('This value is not accepted; check its length.', { id: 'settings.fieldInvalid' }) });
        return;
      default:
        this.formError = errorMessage(err);
    }
  }

  private async showErrors(errors: Partial<Record<Field, string>>): Promise<void> {
    this.errors = errors;
    await this.updateComplete;
    const first = (['email', 'name', 'role', 'teamId', 'password'] as const).find((f) => errors[f]);
    if (first) this.el(first).focus();
  }

  private describe(name: Field, hint = false) {
    const ids = [hint ? `new-${name}-hint` : '', this.errors[name] ? `new-${name}-error` : ''].filter(Boolean).join(' ');
    return ids || nothing;
  }

  private error(name: Field) {
    const error = this.errors[name];
    return error ? html`<p class="field-error" id="new-${name}-error">${error}</p>` : nothing;
  }

  override render() {
    const required = html`<span class="required" aria-hidden="true">*</span>`;
    return html`<form novalidate @submit=${this.onSubmit}>
      <div class="field">
        <label for="new-email">${msg('Work e-mail or employee number', { id: 'admin.login' })}${required}</label>
        <input
          id="new-email"
          autocomplete="off"
          autocapitalize="none"
          spellcheck="false"
          maxlength=${LOGIN_MAX}
          required
          aria-invalid=${this.errors.email ? 'true' : 'false'}
          aria-describedby=${this.describe('email')}
        />
        ${this.error('email')}
      </div>
      <div class="field">
        <label for="new-name">${msg('Name', { id: 'settings.name' })}${required}</label>
        <input
          id="new-name"
          autocomplete="off"
          maxlength=${NAME_MAX}
          required
          aria-invalid=${this.errors.name ? 'true' : 'false'}
          aria-describedby=${this.describe('name')}
        />
        ${this.error('name')}
      </div>
      <div class="two">
        <div class="field">
          <label for="new-role">${msg('Role', { id: 'settings.role' })}</label>
          <select id="new-role" @change=${(e: Event) => (this.role = (e.target as HTMLSelectElement).value as Role)}>
            ${ASSIGNABLE_ROLES.map((r) => html`<option value=${r} ?selected=${r === this.role}>${roleLabel(r)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="new-teamId">${msg('Team', { id: 'admin.team' })}${this.role === 'admin' ? nothing : required}</label>
          <select
            id="new-teamId"
            aria-invalid=${this.errors.teamId ? 'true' : 'false'}
            aria-describedby=${this.describe('teamId', this.teams.length === 0 && this.role !== 'admin')}
          >
            <option value="">${this.role === 'admin' ? msg('No team', { id: 'admin.noTeam' }) : msg('Choose a team…', { id: 'admin.chooseTeam' })}</option>
            ${this.teams.map((t) => html`<option value=${t.id}>${t.name}</option>`)}
          </select>
          ${this.teams.length === 0 && this.role !== 'admin'
            ? html`<p class="hint" id="new-teamId-hint">${msg('There are no teams yet: create one first with “New team”.', { id: 'admin.noTeamsHint' })}</p>`
            : nothing}
          ${this.error('teamId')}
        </div>
      </div>
      <div class="field">
        <label for="new-password">${msg('Initial password', { id: 'admin.initialPassword' })}${required}</label>
        <input
          id="new-password"
          type="password"
          autocomplete="new-password"
          maxlength=${PASSWORD_MAX}
          required
          aria-invalid=${this.errors.password ? 'true' : 'false'}
          aria-describedby=${this.describe('password', true)}
        />
        <p class="hint" id="new-password-hint">
          ${passwordRuleText()} ${msg('They must change it when they first sign in.', { id: 'admin.initialPasswordHint' })}
        </p>
        ${this.error('password')}
      </div>
      ${this.formError ? html`<tandem-alert>${this.formError}</tandem-alert>` : nothing}
      <div class="actions end">
        <button type="button" @click=${() => this.dispatchEvent(new Event('cancel'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
        <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Create user', { id: 'admin.createUser' })}</button>
      </div>
    </form>`;
  }
}

customElements.define('tandem-user-create-form', TandemUserCreateForm);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-user-create-form': TandemUserCreateForm;
  }
}
