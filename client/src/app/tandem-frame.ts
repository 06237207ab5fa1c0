/**
 * The signed-in app frame: the navigation, the page heading, and the screen
 * for the current path. On every route change the heading takes focus, so
 * keyboard and screen-reader users start at the new page.
 */
import { ContextConsumer } from '@lit/context';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import '../notifications/tandem-notification-bell.ts';
import '../offline/tandem-outbox.ts';
import { icons, logo } from '../ui/icons.ts';
import { base, buttons } from '../ui/styles.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { sessionContext } from './contexts.ts';
import { roleLabel } from './role-label.ts';
import { canOpen, matchRoute, type RouteDef } from './route.ts';
import { HOME_PATH, ROUTES } from './routes.ts';

type LoadState = 'loading' | 'loaded' | 'failed';

export class TandemFrame extends LitElement {
  static override properties = { path: { type: String }, loads: { state: true }, menuOpen: { state: true } };
  static override styles = [
    base,
    buttons,
    css`
      :host {
        display: grid;
        grid-template-columns: var(--t-sidebar-width) minmax(0, 1fr);
        min-height: 100vh;
      }
      /* Printed pages (a quote) show the screen alone. */
      @media print {
        :host {
          display: block;
        }
        .side,
        .skip,
        .heading-row > :not(h1) {
          display: none;
        }
      }
      .skip {
        position: absolute;
        left: var(--t-space-3);
        top: -100px;
        z-index: 10;
        padding: var(--t-space-2) var(--t-space-3);
        background: var(--t-surface);
        border-radius: var(--t-radius-sm);
        box-shadow: var(--t-shadow-lg);
      }
      .skip:focus {
        top: var(--t-space-3);
      }
      .side {
        background: var(--t-sidebar-bg);
      }
      aside {
        position: sticky;
        top: 0;
        height: 100vh;
        display: flex;
        flex-direction: column;
        gap: var(--t-space-4);
        padding: var(--t-space-4) var(--t-space-3);
        background: var(--t-sidebar-bg);
        color: var(--t-sidebar-text);
      }
      .brand {
        display: flex;
        align-items: center;
        gap: var(--t-space-2);
        padding: var(--t-space-2) var(--t-space-2) var(--t-space-3);
        color: #fff;
        font-weight: 700;
        font-size: 18px;
        letter-spacing: -0.01em;
        text-decoration: none;
      }
      nav {
        flex: 1;
        min-height: 0;
        overflow-y: auto;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 2px;
      }
      nav a {
        display: flex;
        align-items: center;
        gap: var(--t-space-3);
        padding: var(--t-space-2) var(--t-space-3);
        border-radius: var(--t-radius-sm);
        color: inherit;
        text-decoration: none;
        font-weight: 500;
      }
      nav a:hover {
        background: rgba(255, 255, 255, 0.06);
        color: #fff;
      }
      nav a[aria-current='page'] {
        background: var(--t-sidebar-active-bg);
        color: var(--t-sidebar-active);
      }
      nav a:focus-visible,
      aside button:focus-visible {
        outline: 2px solid #8fb0ff;
        outline-offset: 1px;
        box-shadow: none;
      }
      .me {
        display: grid;
        gap: var(--t-space-2);
        padding: var(--t-space-3);
        border-top: 1px solid rgba(255, 255, 255, 0.1);
      }
      .me .name {
        color: #fff;
        font-weight: 600;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .me .role {
        font-size: var(--t-font-size-sm);
      }
      aside button {
        justify-content: flex-start;
        background: transparent;
        border-color: rgba(255, 255, 255, 0.18);
        color: var(--t-sidebar-text);
      }
      aside button:hover:not(:disabled) {
        background: rgba(255, 255, 255, 0.08);
        border-color: rgba(255, 255, 255, 0.3);
        color: #fff;
      }
      main {
        min-width: 0;
        padding: var(--t-space-6) clamp(var(--t-space-4), 4vw, calc(var(--t-space-6) * 1.5));
        display: grid;
        gap: var(--t-space-5);
        align-content: start;
        /* Full width: wide screens such as the pipeline board use it; forms cap their own width. */
        width: 100%;
      }
      .heading-row {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--t-space-3);
      }
      .heading-row tandem-outbox {
        margin-inline-start: auto;
      }
      main h1:focus {
        outline: none;
      }
      main h1:focus-visible {
        outline: 2px solid var(--t-primary);
      }
      .menu-toggle {
        display: none;
      }
      /*
       * Phones and narrow windows: a top bar with the brand and a menu button; the menu opens
       * below it as a panel of whole labels (never squeezed until Chinese breaks per character).
       */
      @media (max-width: 760px) {
        :host {
          grid-template-columns: minmax(0, 1fr);
          /* The bar keeps its height on a short page; the page takes the rest. */
          grid-template-rows: auto 1fr;
        }
        .side {
          position: sticky;
          top: 0;
          z-index: 20;
        }
        aside {
          position: static;
          height: auto;
          flex-direction: row;
          flex-wrap: wrap;
          align-items: center;
          gap: var(--t-space-2);
          padding: var(--t-space-2) var(--t-space-3);
        }
        .brand {
          padding: var(--t-space-1);
        }
        .menu-toggle {
          display: inline-flex;
          margin-left: auto;
          justify-content: center;
        }
        nav,
        .me {
          display: none;
        }
        aside.open nav {
          display: block;
          flex-basis: 100%;
          max-height: calc(100vh - 120px);
          overflow-y: auto;
        }
        aside.open ul {
          grid-template-columns: repeat(2, minmax(0, 1fr));
        }
        nav a {
          white-space: nowrap;
          min-height: 44px;
        }
        nav a span {
          overflow: hidden;
          text-overflow: ellipsis;
        }
        aside.open .me {
          flex-basis: 100%;
          display: flex;
          align-items: center;
          justify-content: space-between;
          gap: var(--t-space-3);
          padding: var(--t-space-2) var(--t-space-1) 0;
        }
        .me .role {
          display: none;
        }
        main {
          padding: var(--t-space-4) var(--t-space-3);
          gap: var(--t-space-4);
        }
      }
    `,
  ];
  declare path: string;
  declare loads: ReadonlyMap<RouteDef, LoadState>;
  /** The navigation menu is open (phones; on wider screens the navigation always shows). */
  declare menuOpen: boolean;
  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.path = HOME_PATH;
    this.loads = new Map();
    this.menuOpen = false;
  }

  /** Starts loading the current screen's module; render() shows its state. */
  protected override willUpdate(changed: PropertyValues<this>): void {
    // A link in the menu was followed: the menu closes behind it.
    if (changed.has('path')) this.menuOpen = false;
    const user = this.session.value?.user;
    const route = matchRoute(ROUTES, this.path)?.route;
    if (!user || !route || !canOpen(route, user.role) || this.loads.has(route)) return;
    this.loads = new Map(this.loads).set(route, 'loading');
    route.load().then(
      () => (this.loads = new Map(this.loads).set(route, 'loaded')),
      () => (this.loads = new Map(this.loads).set(route, 'failed')),
    );
  }

  protected override updated(changed: PropertyValues<this>): void {
    document.title = `${this.heading()} · Tandem`;
    if (!changed.has('path')) return;
    // On a route change; on the first render (just signed in, or the page just opened)
    // only if nothing holds focus, so keyboard users start at the page, not at the top.
    const firstRender = changed.get('path') === undefined;
    if (!firstRender || document.activeElement === document.body || document.activeElement === null) this.focusHeading();
  }

  private focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('main h1')?.focus();
  }

  private heading(): string {
    const match = matchRoute(ROUTES, this.path);
    return match ? match.route.title() : msg('Page not found', { id: 'frame.notFound' });
  }

  private renderScreen() {
    const user = this.session.value?.user;
    const match = matchRoute(ROUTES, this.path);
    if (!user) return nothing;
    if (!match) {
      return html`<tandem-empty-state icon="compass" heading=${msg('There is nothing at this address', { id: 'frame.notFoundHeading' })}>
        ${msg('The link may be mistyped, or the page has moved.', { id: 'frame.notFoundText' })}
        <a slot="actions" href=${HOME_PATH}>${msg('Go to the start page', { id: 'frame.goHome' })}</a>
      </tandem-empty-state>`;
    }
    if (!canOpen(match.route, user.role)) {
      return html`<tandem-empty-state icon="lock" heading=${msg('You do not have access to this page', { id: 'frame.forbiddenHeading' })}>
        ${msg('Only administrators can open this page. Ask an administrator if you need it.', { id: 'frame.forbiddenText' })}
        <a slot="actions" href=${HOME_PATH}>${msg('Go to the start page', { id: 'frame.goHome' })}</a>
      </tandem-empty-state>`;
    }
    const state = this.loads.get(match.route) ?? 'loading';
    switch (state) {
      case 'loading':
        return html`<tandem-loading></tandem-loading>`;
      case 'failed':
        return html`<tandem-empty-state icon="alert" heading=${msg('This page could not be loaded', { id: 'frame.loadFailedHeading' })}>
          ${msg('Tandem may have been updated. Reload to get the latest version.', { id: 'frame.loadFailedText' })}
          <button slot="actions" class="primary" type="button" @click=${() => location.reload()}>
            ${msg('Reload', { id: 'common.reload' })}
          </button>
        </tandem-empty-state>`;
      case 'loaded':
        return match.route.render(match.params);
      default:
        return state satisfies never;
    }
  }

  private signOut(): void {
    void this.session.value?.signOut({ everywhere: false });
  }

  override render() {
    const session = this.session.value;
    if (!session) return nothing;
    const { user } = session;
    const entries = ROUTES.filter((r) => r.nav && canOpen(r, user.role));
    // The entry of this page, or of its section: /customers/42 lights up Customers.
    const active = entries
      .filter((r) => this.path === r.path || this.path.startsWith(`${r.path}/`))
      .sort((a, b) => b.path.length - a.path.length)[0];
    return html`<a class="skip" href="#main" @click=${(e: Event) => {
        e.preventDefault();
        this.focusHeading();
      }}>${msg('Skip to content', { id: 'frame.skip' })}</a>
      <div class="side"><aside
        class=${this.menuOpen ? 'open' : ''}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key !== 'Escape' || !this.menuOpen) return;
          this.menuOpen = false;
          this.renderRoot.querySelector<HTMLButtonElement>('.menu-toggle')?.focus();
        }}
      >
        <a class="brand" href=${HOME_PATH}>${logo}<span>Tandem</span></a>
        <button
          type="button"
          class="menu-toggle"
          aria-expanded=${this.menuOpen ? 'true' : 'false'}
          aria-controls="main-nav"
          @click=${() => (this.menuOpen = !this.menuOpen)}
        >
          ${this.menuOpen ? icons.close : icons.menu}<span>${msg('Menu', { id: 'frame.menu' })}</span>
        </button>
        <nav id="main-nav" aria-label=${msg('Main navigation', { id: 'frame.nav' })}>
          <ul>
            ${entries.map(
              (r) => html`<li>
                <a href=${r.path} data-route=${r.id} aria-current=${r === active ? 'page' : nothing}>
                  ${r.nav ? icons[r.nav.icon] : nothing}<span>${r.nav?.label?.() ?? r.title()}</span>
                </a>
              </li>`,
            )}
          </ul>
        </nav>
        <div class="me">
          <div>
            <div class="name">${user.name}</div>
            <div class="role">${roleLabel(user.role)}</div>
          </div>
          <button type="button" @click=${this.signOut}>${icons.signOut}${msg('Sign out', { id: 'nav.signOut' })}</button>
        </div>
      </aside></div>
      <main id="main">
        <div class="heading-row">
          <h1 tabindex="-1">${this.heading()}</h1>
          <tandem-outbox></tandem-outbox>
          <tandem-notification-bell></tandem-notification-bell>
        </div>
        ${this.renderScreen()}
      </main>`;
  }
}

customElements.define('tandem-frame', TandemFrame);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-frame': TandemFrame;
  }
}
