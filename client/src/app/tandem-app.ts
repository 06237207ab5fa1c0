/**
 * The root element. It owns the session (who is signed in, in which language
 * and density), provides it to the app through `sessionContext`, and shows
 * the screen the session allows: sign-in, the forced password change, or the
 * app frame for the current path.
 */
import { ContextProvider } from '@lit/context';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import type { Locale, UserDto } from '../../../schema/wire/user.ts';
import { signOut, signOutEverywhere } from '../api/auth.ts';
import { AUTH_PROBLEM_EVENT, type AuthProblem, apiEvents } from '../api/http.ts';
import { fetchMe, updateMe } from '../api/me.ts';
import { enterLocalScope, lastLocalUser, wipeLocalData } from '../offline/local-data.ts';
import { flushOutbox } from '../offline/outbox.ts';
import '../auth/tandem-password-change-page.ts';
import '../auth/tandem-password-reset-page.ts';
import '../auth/tandem-totp-enrolment-page.ts';
import '../auth/tandem-sign-in.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { type SessionApi, sessionContext } from './contexts.ts';
import { applyLocale, rememberLocale, signedOutLocale } from './localization.ts';
import { navigate, RouterController } from './router.ts';
import { HOME_PATH } from './routes.ts';
import { PASSWORD_RESET_PATH } from '../../../schema/wire/two-factor.ts';
import '../notifications/tandem-notification-center.ts';
import './tandem-frame.ts';

export type AppState =
  | { kind: 'starting' }
  | { kind: 'unreachable'; error: unknown }
  | { kind: 'signed-out'; notice: string }
  | { kind: 'password-change'; user: UserDto }
  | { kind: 'totp-enrolment'; user: UserDto }
  | { kind: 'signed-in'; user: UserDto };

export class TandemApp extends LitElement {
  static override properties = { state: { state: true } };
  static override styles = [
    base,
    buttons,
    css`
      .centre {
        min-height: 100vh;
        display: grid;
        place-items: center;
        padding: var(--t-space-5);
      }
      .centre > * {
        width: min(480px, 100%);
      }
    `,
  ];
  declare state: AppState;
  private readonly router = new RouterController(this);
  private readonly provider = new ContextProvider(this, { context: sessionContext });

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.state = { kind: 'starting' };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    apiEvents.addEventListener(AUTH_PROBLEM_EVENT, this.onAuthProblem);
    window.addEventListener('online', this.onOnline);
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    apiEvents.removeEventListener(AUTH_PROBLEM_EVENT, this.onAuthProblem);
    window.removeEventListener('online', this.onOnline);
  }

  /** Signed in from this browser's copy (the server could not be asked): asked again when the network returns. */
  private offlineSession = false;

  private async start(): Promise<void> {
    this.state = { kind: 'starting' };
    try {
      await applyLocale(signedOutLocale());
      const user = await fetchMe();
      this.offlineSession = false;
      if (user) await this.enter(user);
      else {
        // No session (signed out elsewhere, revoked, expired): what it kept here goes with it.
        await wipeLocalData();
        this.state = { kind: 'signed-out', notice: '' };
      }
    } catch (error) {
      // Offline, with the documents of the last user kept here: open the app on them (docs/offline.md).
      const kept = lastLocalUser();
      if (kept && !kept.mustChangePassword) {
        this.offlineSession = true;
        await this.enter(kept);
      } else this.state = { kind: 'unreachable', error };
    }
  }

  private onOnline = () => {
    if (this.offlineSession) void this.recheck();
  };

  /** Back online after an offline start: the session is asked for, without leaving the page. */
  private async recheck(): Promise<void> {
    let user: UserDto | null;
    try {
      user = await fetchMe();
    } catch {
      return; // Still unreachable: the next online event asks again.
    }
    this.offlineSession = false;
    if (user) await this.enter(user);
    else {
      await wipeLocalData();
      this.leave(msg('Your session has ended. Please sign in again.', { id: 'error.unauthenticated' }));
    }
  }

  /** Applies a user's preferences and shows what their account allows. */
  private async enter(user: UserDto): Promise<void> {
    await enterLocalScope(user);
    // Creates kept from an earlier visit (offline) go out now that someone is signed in.
    void flushOutbox();
    await this.applyPreferences(user);
    if (user.mustChangePassword) {
      this.state = { kind: 'password-change', user };
      return;
    }
    if (user.mustEnrolTotp) {
      this.state = { kind: 'totp-enrolment', user };
      return;
    }
    this.state = { kind: 'signed-in', user };
    this.provider.setValue(this.sessionApi(user));
    if (this.router.path === '/') navigate(HOME_PATH, { replace: true });
  }

  private async applyPreferences(user: UserDto): Promise<void> {
    document.documentElement.dataset.density = user.density;
    rememberLocale(user.locale);
    await applyLocale(user.locale);
  }

  private sessionApi(user: UserDto): SessionApi {
    return {
      user,
      userChanged: (next) => void this.enter(next),
      signOut: (opts) => this.signOut(opts),
    };
  }

  private async signOut(opts: { everywhere: boolean }): Promise<void> {
    if (opts.everywhere) await signOutEverywhere();
    else await signOut().catch(() => undefined); // Signed out locally either way.
    await wipeLocalData();
    // The next person to sign in on this device starts at home, not on the last page.
    navigate(HOME_PATH);
    this.leave('');
  }

  private leave(notice: string): void {
    delete document.documentElement.dataset.density;
    this.state = { kind: 'signed-out', notice };
  }

  private onAuthProblem = (e: Event) => {
    const problem = (e as CustomEvent<AuthProblem>).detail;
    switch (problem) {
      case 'signed-out':
        void wipeLocalData();
        if (this.state.kind !== 'signed-out') this.leave(msg('Your session has ended. Please sign in again.', { id: 'error.unauthenticated' }));
        return;
      case 'password-change-required':
        if (this.state.kind === 'signed-in') this.state = { kind: 'password-change', user: { ...this.state.user, mustChangePassword: true } };
        return;
      default:
        return problem satisfies never;
    }
  };

  private async onLocaleChange(e: CustomEvent<Locale>): Promise<void> {
    const locale = e.detail;
    const state = this.state;
    if (state.kind === 'signed-in' || state.kind === 'password-change' || state.kind === 'totp-enrolment') {
      try {
        const user = await updateMe({ locale });
        if (state.kind === 'password-change' || state.kind === 'totp-enrolment') {
          this.state = { kind: state.kind, user };
          await this.applyPreferences(user);
        } else await this.enter(user);
      } catch {
        // The preference was not saved; still honour the choice on this page.
        await applyLocale(locale);
      }
      return;
    }
    rememberLocale(locale);
    await applyLocale(locale);
  }

  /** After a reset every session has ended: to the sign-in page, asking the server who is signed in. */
  private onResetDone = () => {
    navigate(HOME_PATH, { replace: true });
    void this.start();
  };

  private async onPasswordChanged(): Promise<void> {
    try {
      const user = await fetchMe();
      if (user) await this.enter(user);
      else this.leave('');
    } catch (error) {
      this.state = { kind: 'unreachable', error };
    }
  }

  /** The document title outside the frame (the frame names its own pages). */
  protected override updated(): void {
    switch (this.state.kind) {
      case 'signed-out':
        document.title = `${msg('Sign in', { id: 'signIn.title' })} · Tandem`;
        return;
      case 'password-change':
        document.title = `${msg('Choose a new password', { id: 'forcedChange.title' })} · Tandem`;
        return;
      case 'totp-enrolment':
        document.title = `${msg('Set up two-factor sign-in', { id: 'totp.setupTitle' })} · Tandem`;
        return;
      case 'starting':
      case 'unreachable':
        document.title = 'Tandem';
        return;
      case 'signed-in':
        return;
      default:
        this.state satisfies never;
    }
  }

  override render() {
    const state = this.state;
    // A reset link opens its page whoever is signed in here (the link is for its own account).
    if (this.router.path === PASSWORD_RESET_PATH && state.kind !== 'starting' && state.kind !== 'unreachable') {
      return html`<tandem-password-reset-page @reset-done=${this.onResetDone} @locale-change=${this.onLocaleChange}></tandem-password-reset-page>`;
    }
    switch (state.kind) {
      case 'starting':
        return html`<div class="centre"><tandem-loading></tandem-loading></div>`;
      case 'unreachable':
        return html`<div class="centre">
          <tandem-empty-state icon="alert" heading=${msg('Tandem is not available right now', { id: 'app.unreachable' })}>
            ${errorMessage(state.error)}
            <button slot="actions" class="primary" type="button" @click=${() => this.start()}>${msg('Try again', { id: 'common.retry' })}</button>
          </tandem-empty-state>
        </div>`;
      case 'signed-out':
        return html`<tandem-sign-in
          .notice=${state.notice}
          @signed-in=${(e: CustomEvent<UserDto>) => this.enter(e.detail)}
          @locale-change=${this.onLocaleChange}
        ></tandem-sign-in>`;
      case 'password-change':
        return html`<tandem-password-change-page
          .login=${state.user.email}
          @password-changed=${this.onPasswordChanged}
          @sign-out=${() => this.signOut({ everywhere: false })}
          @locale-change=${this.onLocaleChange}
        ></tandem-password-change-page>`;
      case 'totp-enrolment':
        return html`<tandem-totp-enrolment-page
          @totp-enrolled=${this.onPasswordChanged}
          @sign-out=${() => this.signOut({ everywhere: false })}
          @locale-change=${this.onLocaleChange}
        ></tandem-totp-enrolment-page>`;
      case 'signed-in':
        return html`<tandem-notification-center><tandem-frame .path=${this.router.path}></tandem-frame></tandem-notification-center>`;
      default:
        return state satisfies never;
    }
  }
}

customElements.define('tandem-app', TandemApp);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-app': TandemApp;
  }
}
