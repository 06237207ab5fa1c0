/**
 * The bell in the frame's header: the unread count, and a panel listing the
 * notifications newest first, each linking to what it is about. Mark one or
 * all read (the other tabs follow through `notifications:read`). Escape or a
 * click outside closes the panel and focus returns to the bell.
 */
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { NotificationDto } from '../../../schema/wire/notifications.ts';
import { notificationsContext } from '../app/contexts.ts';
import { currentLocale } from '../app/localization.ts';
import { navigate } from '../app/router.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-loading.ts';
import { bellIcon, notificationIcon } from './notification-icons.ts';
import { notificationTime } from './notification-time.ts';

/** Counts above this show as "99+". */
const BADGE_MAX = 99;

export class TandemNotificationBell extends LitElement {
  static override properties = { open: { state: true }, actionError: { state: true } };
  static override styles = [
    base,
    buttons,
    css`
      :host {
        position: relative;
        display: inline-block;
      }
      button.bell {
        position: relative;
        width: var(--t-control-height);
        padding: 0;
        justify-content: center;
      }
      .count {
        position: absolute;
        top: -6px;
        right: -6px;
        min-width: 18px;
        height: 18px;
        padding: 0 5px;
        border-radius: 999px;
        background: var(--t-danger);
        color: #fff;
        font-size: 11px;
        font-weight: 700;
        line-height: 18px;
        text-align: center;
      }
      .panel {
        position: absolute;
        right: 0;
        top: calc(100% + var(--t-space-2));
        z-index: 40;
        width: min(400px, calc(100vw - 24px));
        max-height: min(70vh, 560px);
        display: flex;
        flex-direction: column;
        background: var(--t-surface);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius);
        box-shadow: var(--t-shadow-lg);
      }
      .panel header {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--t-space-3);
        padding: var(--t-space-3) var(--t-space-4);
        border-bottom: 1px solid var(--t-border);
      }
      .panel h2 {
        font-size: var(--t-font-size);
      }
      .panel .state {
        padding: var(--t-space-5) var(--t-space-4);
        display: grid;
        gap: var(--t-space-3);
        justify-items: center;
        text-align: center;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        overflow-y: auto;
      }
      li {
        display: grid;
        grid-template-columns: auto minmax(0, 1fr) auto;
        gap: var(--t-space-3);
        align-items: start;
        padding: var(--t-space-3) var(--t-space-4);
        border-bottom: 1px solid var(--t-border);
      }
      li:last-child {
        border-bottom: none;
      }
      li.unread {
        background: var(--t-primary-soft);
      }
      li .icon {
        color: var(--t-muted);
        padding-top: 2px;
      }
      li.unread .icon {
        color: var(--t-primary);
      }
      li .text {
        display: grid;
        gap: 2px;
        min-width: 0;
      }
      li a,
      li .title {
        font-weight: 600;
        color: var(--t-text);
        text-decoration: none;
        overflow-wrap: anywhere;
      }
      li a:hover {
        text-decoration: underline;
      }
      li .body {
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
        overflow-wrap: anywhere;
      }
      li time {
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
      }
      button.small {
        height: auto;
        min-height: 0;
        padding: 2px 8px;
        font-size: var(--t-font-size-sm);
      }
    `,
  ];
  declare open: boolean;
  declare actionError: string;
  private readonly notifications = new ContextConsumer(this, { context: notificationsContext, subscribe: true });

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.open = false;
    this.actionError = '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.onOutside, true);
    document.removeEventListener('keydown', this.onKeydown);
  }

  private get bell(): HTMLButtonElement | null {
    return this.renderRoot.querySelector('button.bell');
  }

  private toggle(): void {
    if (this.open) this.close(true);
    else this.show();
  }

  private show(): void {
    this.open = true;
    this.actionError = '';
    document.addEventListener('pointerdown', this.onOutside, true);
    // On the document: a "Mark read" button disappears once used, and focus with it.
    document.addEventListener('keydown', this.onKeydown);
    const api = this.notifications.value;
    if (api?.load.kind === 'failed') void api.reload();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.panel')?.focus());
  }

  private close(returnFocus: boolean): void {
    this.open = false;
    document.removeEventListener('pointerdown', this.onOutside, true);
    document.removeEventListener('keydown', this.onKeydown);
    if (returnFocus) this.bell?.focus();
  }

  private onOutside = (e: Event) => {
    if (!e.composedPath().includes(this)) this.close(false);
  };

  private onKeydown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && this.open) {
      e.stopPropagation();
      this.close(true);
    }
  };

  private markRead(id: string): void {
    const api = this.notifications.value;
    if (!api) return;
    // The button goes away once the item is read: keep focus in the panel.
    void this.act(() => api.markRead(id)).then(() => {
      if (!this.renderRoot.querySelector(':focus')) this.renderRoot.querySelector<HTMLElement>('.panel')?.focus();
    });
  }

  private async act(action: () => Promise<void>): Promise<void> {
    this.actionError = '';
    try {
      await action();
    } catch (error) {
      this.actionError = errorMessage(error);
    }
  }

  private follow(e: MouseEvent, n: NotificationDto): void {
    e.preventDefault();
    const api = this.notifications.value;
    if (api && n.readAt === null) void this.act(() => api.markRead(n.id));
    this.close(false);
    navigate(n.link);
  }

  private bellLabel(unread: number): string {
    if (unread === 0) return msg('Notifications, none unread', { id: 'notifications.bellNone' });
    return msg(str`Notifications, ${unread} unread`, { id: 'notifications.bellCount' });
  }

  private renderList() {
    const api = this.notifications.value;
    if (!api) return nothing;
    const load = api.load;
    switch (load.kind) {
      case 'loading':
        return html`<div class="state"><tandem-loading></tandem-loading></div>`;
      case 'failed':
        return html`<div class="state">
          <tandem-alert kind="error">${errorMessage(load.error)}</tandem-alert>
          <button type="button" @click=${() => api.reload()}>${msg('Try again', { id: 'common.retry' })}</button>
        </div>`;
      case 'ready':
        break;
      default:
        return load satisfies never;
    }
    if (api.items.length === 0) {
      return html`<div class="state muted">${msg('No notifications yet. Assignments, mentions and reminders will appear here.', { id: 'notifications.empty' })}</div>`;
    }
    const now = Date.now();
    const locale = currentLocale();
    return html`<ul>
      ${api.items.map(
        (n) => html`<li class=${n.readAt ? 'read' : 'unread'} data-notification-id=${n.id}>
          <span class="icon">${notificationIcon(n.type)}</span>
          <div class="text">
            ${n.link ? html`<a href=${n.link} @click=${(e: MouseEvent) => this.follow(e, n)}>${n.title}</a>` : html`<span class="title">${n.title}</span>`}
            ${n.body ? html`<span class="body">${n.body}</span>` : nothing}
            <time datetime=${n.createdAt}>${notificationTime(n.createdAt, now, locale)}</time>
          </div>
          ${n.readAt
            ? html`<span class="visually-hidden">${msg('Read', { id: 'notifications.read' })}</span>`
            : html`<button class="small" type="button" @click=${() => this.markRead(n.id)}>
                ${msg('Mark read', { id: 'notifications.markRead' })}
              </button>`}
        </li>`,
      )}
    </ul>`;
  }

  override render() {
    const api = this.notifications.value;
    const unread = api?.unread ?? 0;
    return html`<div>
      <button
        class="bell"
        type="button"
        aria-label=${this.bellLabel(unread)}
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="notifications-panel"
        data-unread=${unread}
        @click=${this.toggle}
      >
        ${bellIcon}${unread > 0 ? html`<span class="count" aria-hidden="true">${unread > BADGE_MAX ? `${BADGE_MAX}+` : unread}</span>` : nothing}
      </button>
      ${this.open
        ? html`<div class="panel" id="notifications-panel" role="dialog" aria-labelledby="notifications-heading" tabindex="-1">
            <header>
              <h2 id="notifications-heading">${msg('Notifications', { id: 'notifications.heading' })}</h2>
              <button class="small" type="button" ?disabled=${unread === 0} @click=${() => api && this.act(() => api.markAllRead())}>
                ${msg('Mark all read', { id: 'notifications.markAllRead' })}
              </button>
            </header>
            ${this.actionError ? html`<tandem-alert kind="error">${this.actionError}</tandem-alert>` : nothing}
            ${this.renderList()}
          </div>`
        : nothing}
    </div>`;
  }
}

customElements.define('tandem-notification-bell', TandemNotificationBell);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-notification-bell': TandemNotificationBell;
  }
}
