/**
 * Profile and preferences: name, phone and title; language and display
 * density (applied at once); password; signing out everywhere.
 */
import { ContextConsumer } from '@lit/context';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { Density, Locale, UpdateProfileBody } from '../../../schema/wire/user.ts';
import { ApiError } from '../api/http.ts';
import { updateMe } from '../api/me.ts';
import { sessionContext } from '../app/contexts.ts';
import { roleLabel } from '../app/role-label.ts';
import { LOCALE_NAMES } from '../auth/tandem-language-switch.ts';
import '../auth/tandem-password-form.ts';
import './tandem-two-factor-setting.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, cards, forms } from '../ui/styles.ts';
import '../notifications/tandem-desktop-notifications-setting.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';

/** Field lengths the server accepts (schema/wire/user.ts). */
const NAME_MAX = 120;
const PHONE_MAX = 40;
const TITLE_MAX = 120;

type ProfileField = 'name' | 'phone' | 'title';
type Status = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; message: string };

export class TandemSettingsPage extends LitElement {
  static override properties = {
    profileStatus: { state: true },
    profileErrors: { state: true },
    prefsStatus: { state: true },
    pendingPrefs: { state: true },
    confirmingSignOut: { state: true },
    signOutError: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    cards,
    css`
      :host {
        display: grid;
        gap: var(--t-space-5);
        max-width: 760px;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
        gap: var(--t-space-4);
      }
      .status {
        color: var(--t-success);
        font-weight: 500;
      }
      .radios {
        display: flex;
        gap: var(--t-space-5);
        flex-wrap: wrap;
      }
    `,
  ];
  declare profileStatus: Status;
  declare profileErrors: Partial<Record<ProfileField, string>>;
  declare prefsStatus: Status;
  /** Preferences chosen but not yet saved. */
  declare pendingPrefs: { locale?: Locale; density?: Density };
  declare confirmingSignOut: boolean;
  declare signOutError: string;
  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.profileStatus = { kind: 'idle' };
    this.profileErrors = {};
    this.prefsStatus = { kind: 'idle' };
    this.pendingPrefs = {};
    this.confirmingSignOut = false;
    this.signOutError = '';
  }

  private input(name: ProfileField): HTMLInputElement {
    return this.renderRoot.querySelector(`#${name}`) as HTMLInputElement;
  }

  private async saveProfile(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const session = this.session.value;
    if (!session || this.profileStatus.kind === 'saving') return;
    const body = { name: this.input('name').value.trim(), phone: this.input('phone').value.trim(), title: this.input('title').value.trim() };
    this.profileErrors = {};
    if (!body.name) {
      this.profileErrors = { name: msg('Enter your name.', { id: 'settings.nameRequired' }) };
      this.input('name').focus();
      return;
    }
    this.profileStatus = { kind: 'saving' };
    try {
      session.userChanged(await updateMe(body));
      this.profileStatus = { kind: 'saved' };
    } catch (err) {
      const field = err instanceof ApiError ? (err.field as ProfileField | undefined) : undefined;
      if (field && field in body) {
        this.profileErrors = { [field]: msg('This value is not accepted; check its length.', { id: 'settings.fieldInvalid' }) };
        this.profileStatus = { kind: 'idle' };
        this.input(field).focus();
      } else {
        this.profileStatus = { kind: 'failed', message: errorMessage(err) };
      }
    }
  }

  /**
   * Saves one preference. The controls show the chosen value while it is on
   * its way, and go back to the saved one if it is refused.
   */
  private async savePreference(body: Pick<UpdateProfileBody, 'locale' | 'density'>): Promise<void> {
    const session = this.session.value;
    if (!session) return;
    this.pendingPrefs = { ...this.pendingPrefs, ...body };
    this.prefsStatus = { kind: 'saving' };
    try {
      const user = await updateMe(body);
      this.pendingPrefs = {};
      session.userChanged(user);
      this.prefsStatus = { kind: 'saved' };
    } catch (err) {
      this.pendingPrefs = {};
      this.prefsStatus = { kind: 'failed', message: errorMessage(err) };
    }
  }

  private async signOutEverywhere(): Promise<void> {
    this.signOutError = '';
    try {
      await this.session.value?.signOut({ everywhere: true });
    } catch (err) {
      this.signOutError = errorMessage(err);
    }
  }

  private profileField(name: ProfileField, label: string, max: number, value: string, opts: { required?: boolean; autocomplete: string }) {
    const error = this.profileErrors[name];
    return html`<div class="field">
      <label for=${name}>${label}${opts.required ? html`<span class="required" aria-hidden="true">*</span>` : nothing}</label>
      <input
        id=${name}
        type=${name === 'phone' ? 'tel' : 'text'}
        .value=${value}
        maxlength=${max}
        autocomplete=${opts.autocomplete}
        ?required=${opts.required}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? `${name}-error` : nothing}
        @input=${() => {
          if (this.profileStatus.kind === 'saved') this.profileStatus = { kind: 'idle' };
        }}
      />
      ${error ? html`<p class="field-error" id="${name}-error">${error}</p>` : nothing}
    </div>`;
  }

  private statusText(status: Status) {
    switch (status.kind) {
      case 'idle':
        return nothing;
      case 'saving':
        return html`<span class="muted">${msg('Saving…', { id: 'common.saving' })}</span>`;
      case 'saved':
        return html`<span class="status">${msg('Saved', { id: 'common.saved' })}</span>`;
      case 'failed':
        return html`<tandem-alert>${status.message}</tandem-alert>`;
      default:
        return status satisfies never;
    }
  }

  override render() {
    const user = this.session.value?.user;
    if (!user) return nothing;
    const locale = this.pendingPrefs.locale ?? user.locale;
    const density = this.pendingPrefs.density ?? user.density;
    return html`
      <section class="card" aria-labelledby="profile-heading">
        <header>
          <div>
            <h2 id="profile-heading">${msg('Profile', { id: 'settings.profile' })}</h2>
            <p class="muted">${msg('How your colleagues see you in Tandem.', { id: 'settings.profileIntro' })}</p>
          </div>
        </header>
        <form novalidate @submit=${this.saveProfile}>
          <div class="grid">
            ${this.profileField('name', msg('Name', { id: 'settings.name' }), NAME_MAX, user.name, { required: true, autocomplete: 'name' })}
            ${this.profileField('title', msg('Title', { id: 'settings.jobTitle' }), TITLE_MAX, user.title, { autocomplete: 'organization-title' })}
            ${this.profileField('phone', msg('Phone', { id: 'settings.phone' }), PHONE_MAX, user.phone, { autocomplete: 'tel' })}
            <div class="field">
              <label for="login">${msg('Sign-in name', { id: 'settings.login' })}</label>
              <input id="login" .value=${user.email} readonly />
            </div>
            <div class="field">
              <label for="role">${msg('Role', { id: 'settings.role' })}</label>
              <input id="role" .value=${roleLabel(user.role)} readonly />
            </div>
          </div>
          <div class="actions">
            <button class="primary" type="submit" ?disabled=${this.profileStatus.kind === 'saving'}>${msg('Save profile', { id: 'settings.saveProfile' })}</button>
            <span role="status">${this.statusText(this.profileStatus)}</span>
          </div>
        </form>
      </section>

      <section class="card" aria-labelledby="prefs-heading">
        <header>
          <div>
            <h2 id="prefs-heading">${msg('Preferences', { id: 'settings.preferences' })}</h2>
            <p class="muted">${msg('Changes apply at once and follow you to every device.', { id: 'settings.preferencesIntro' })}</p>
          </div>
          <span role="status">${this.statusText(this.prefsStatus)}</span>
        </header>
        <div class="grid">
          <div class="field">
            <label for="locale">${msg('Language', { id: 'settings.language' })}</label>
            <select id="locale" .value=${live(locale)} @change=${(e: Event) => this.savePreference({ locale: (e.target as HTMLSelectElement).value as Locale })}>
              ${(Object.keys(LOCALE_NAMES) as Locale[]).map(
                (l) => html`<option value=${l} lang=${l} ?selected=${locale === l}>${LOCALE_NAMES[l]}</option>`,
              )}
            </select>
          </div>
          <fieldset>
            <legend>${msg('Display density', { id: 'settings.density' })}</legend>
            <div class="radios">
              ${(
                [
                  ['comfortable', msg('Comfortable', { id: 'settings.densityComfortable' })],
                  ['compact', msg('Compact', { id: 'settings.densityCompact' })],
                ] as Array<[Density, string]>
              ).map(
                ([value, label]) => html`<label class="choice">
                  <input
                    type="radio"
                    name="density"
                    .value=${value}
                    .checked=${live(density === value)}
                    @change=${() => this.savePreference({ density: value })}
                  />${label}
                </label>`,
              )}
            </div>
          </fieldset>
        </div>
      </section>

      <tandem-desktop-notifications-setting></tandem-desktop-notifications-setting>

      <section class="card" aria-labelledby="password-heading">
        <header>
          <div>
            <h2 id="password-heading">${msg('Password', { id: 'signIn.password' })}</h2>
            <p class="muted">${msg('Changing your password signs you out on your other devices.', { id: 'settings.passwordIntro' })}</p>
          </div>
        </header>
        <tandem-password-form .login=${user.email}></tandem-password-form>
      </section>

      <tandem-two-factor-setting></tandem-two-factor-setting>

      <section class="card" aria-labelledby="sessions-heading">
        <header>
          <div>
            <h2 id="sessions-heading">${msg('Sessions', { id: 'settings.sessions' })}</h2>
            <p class="muted">${msg('Lost a device, or signed in on a shared computer? End every session, including this one.', { id: 'settings.sessionsIntro' })}</p>
          </div>
        </header>
        <div class="actions">
          <button class="danger" type="button" @click=${() => (this.confirmingSignOut = true)}>${msg('Sign out everywhere', { id: 'settings.signOutEverywhere' })}</button>
        </div>
      </section>

      <tandem-dialog
        .open=${this.confirmingSignOut}
        heading=${msg('Sign out everywhere?', { id: 'settings.signOutEverywhereConfirm' })}
        @close=${() => (this.confirmingSignOut = false)}
      >
        <form
          @submit=${(e: Event) => {
            e.preventDefault();
            void this.signOutEverywhere();
          }}
        >
          <p>${msg('You will be signed out on every device and browser, including this one.', { id: 'settings.signOutEverywhereText' })}</p>
          ${this.signOutError ? html`<tandem-alert>${this.signOutError}</tandem-alert>` : nothing}
          <div class="actions end">
            <button type="button" data-autofocus @click=${() => (this.confirmingSignOut = false)}>${msg('Cancel', { id: 'common.cancel' })}</button>
            <button class="primary" type="submit">${msg('Sign out everywhere', { id: 'settings.signOutEverywhere' })}</button>
          </div>
        </form>
      </tandem-dialog>
    `;
  }
}

customElements.define('tandem-settings-page', TandemSettingsPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-settings-page': TandemSettingsPage;
  }
}
