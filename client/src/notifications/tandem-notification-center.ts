/**
 * Wraps the signed-in frame: owns the tab's notification state and provides
 * it through `notificationsContext`, listens on the shared Socket.IO
 * connection, and shows a toast for each new notification (plus a system
 * notification when the user opted in and the tab is hidden).
 *
 * The count starts from `GET /api/notifications` (so someone who was offline
 * sees what came meanwhile), then follows `notification` (+1) and
 * `notifications:read` (the server's count). After a reconnection the list is
 * fetched again, since events are not replayed.
 */
import { ContextProvider } from '@lit/context';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import type { NotificationDto, NotificationEventDto, NotificationsReadEventDto } from '../../../schema/wire/notifications.ts';
import { listNotifications, markAllNotificationsRead, markNotificationRead } from '../api/notifications.ts';
import { type NotificationsApi, notificationsContext } from '../app/contexts.ts';
import { navigate } from '../app/router.ts';
import { SocketController, type SocketStatus } from '../realtime/socket-controller.ts';
import { icons } from '../ui/icons.ts';
import { base, buttons } from '../ui/styles.ts';
import { showDesktopNotification } from './desktop-notifications.ts';
import { notificationIcon } from './notification-icons.ts';

/** How long a toast stays unless hovered or focused. */
export const TOAST_DISMISS_MS = 6_000;
/** Older toasts make way beyond this many. */
const TOASTS_MAX = 3;

interface Toast {
  notification: NotificationEventDto;
  timer: number | undefined;
}

export class TandemNotificationCenter extends LitElement {
  static override properties = { toasts: { state: true } };
  static override styles = [
    base,
    buttons,
    css`
      .toasts {
        position: fixed;
        right: var(--t-space-4);
        bottom: var(--t-space-4);
        z-index: 50;
        display: grid;
        gap: var(--t-space-2);
        width: min(360px, calc(100vw - 32px));
      }
      .toast {
        display: grid;
        grid-template-columns: auto minmax(0, 1fr) auto;
        gap: var(--t-space-3);
        align-items: start;
        padding: var(--t-space-3);
        background: var(--t-surface);
        color: var(--t-text);
        border: 1px solid var(--t-border);
        border-left: 4px solid var(--t-primary);
        border-radius: var(--t-radius);
        box-shadow: var(--t-shadow-lg);
      }
      .toast .icon {
        color: var(--t-primary);
        padding-top: 2px;
      }
      .toast button.open {
        display: grid;
        gap: 2px;
        text-align: left;
        justify-content: stretch;
        height: auto;
        min-height: 0;
        padding: 0;
        border: none;
        background: none;
        color: inherit;
        font: inherit;
        cursor: pointer;
      }
      .toast button.open:disabled {
        cursor: default;
      }
      .toast .title {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .toast .body {
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
        overflow-wrap: anywhere;
      }
      .toast button.close {
        border: none;
        padding: 0;
        width: 28px;
        height: 28px;
        min-height: 0;
        color: var(--t-muted);
      }
    `,
  ];
  declare toasts: readonly Toast[];
  private readonly provider = new ContextProvider(this, { context: notificationsContext });
  private state: Omit<NotificationsApi, 'reload' | 'markRead' | 'markAllRead'> = {
    load: { kind: 'loading' },
    items: [],
    unread: 0,
    connection: 'connecting',
  };
  /** Notifications pushed while a list request was in flight (they may be missing from its answer). */
  private arrivedDuringLoad: NotificationEventDto[] | null = null;
  private loadSeq = 0;

  private readonly socket = new SocketController(this, {
    on: {
      notification: (n) => this.onNotification(n),
      'notifications:read': (e) => this.onRead(e),
      'session:ended': ({ reason }) => {
        // The next request learns the session is gone and the app returns to sign-in.
        if (reason === 'session_ended') void this.reload();
      },
    },
    onConnect: (_socket, reconnected) => {
      if (reconnected) void this.reload();
    },
    onStatus: (status: SocketStatus) => this.publish({ connection: status }),
  });

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.toasts = [];
    this.publish({});
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const t of this.toasts) clearTimeout(t.timer);
    this.toasts = [];
  }

  private publish(patch: Partial<typeof this.state>): void {
    this.state = { ...this.state, ...patch, connection: patch.connection ?? this.socket?.status ?? 'connecting' };
    this.provider.setValue({
      ...this.state,
      reload: () => this.reload(),
      markRead: (id) => this.markRead(id),
      markAllRead: () => this.markAllRead(),
    });
  }

  async reload(): Promise<void> {
    const seq = ++this.loadSeq;
    this.arrivedDuringLoad = [];
    if (this.state.load.kind === 'failed') this.publish({ load: { kind: 'loading' } });
    try {
      const list = await listNotifications();
      if (seq !== this.loadSeq) return;
      const arrived = this.arrivedDuringLoad ?? [];
      this.arrivedDuringLoad = null;
      const known = new Set(list.items.map((n) => n.id));
      const missing = arrived.filter((n) => !known.has(n.id)).map((n): NotificationDto => ({ ...n, readAt: null }));
      this.publish({ load: { kind: 'ready' }, items: [...missing.reverse(), ...list.items], unread: list.unread + missing.length });
    } catch (error) {
      if (seq !== this.loadSeq) return;
      this.arrivedDuringLoad = null;
      this.publish({ load: { kind: 'failed', error } });
    }
  }

  private onNotification(n: NotificationEventDto): void {
    if (this.state.items.some((i) => i.id === n.id)) return;
    if (this.arrivedDuringLoad) this.arrivedDuringLoad.push(n);
    else this.publish({ items: [{ ...n, readAt: null }, ...this.state.items], unread: this.state.unread + 1 });
    this.showToast(n);
    showDesktopNotification(n, (link) => this.open(link));
  }

  private onRead(e: NotificationsReadEventDto): void {
    const read = e.ids === 'all' ? null : new Set(e.ids);
    const items = this.state.items.map((n) => (n.readAt === null && (read === null || read.has(n.id)) ? { ...n, readAt: e.readAt } : n));
    this.publish({ items, unread: e.unread });
    // A toast of something already read elsewhere has nothing left to say.
    for (const t of this.toasts) if (read === null || read.has(t.notification.id)) this.dismiss(t.notification.id);
  }

  private async markRead(id: string): Promise<void> {
    const { unread, notification } = await markNotificationRead(id);
    this.publish({ items: this.state.items.map((n) => (n.id === id ? notification : n)), unread });
  }

  private async markAllRead(): Promise<void> {
    const { unread } = await markAllNotificationsRead();
    const readAt = new Date().toISOString();
    this.publish({ items: this.state.items.map((n) => (n.readAt ? n : { ...n, readAt })), unread });
  }

  private showToast(n: NotificationEventDto): void {
    const toast: Toast = { notification: n, timer: undefined };
    const kept = this.toasts.slice(-(TOASTS_MAX - 1));
    for (const dropped of this.toasts.slice(0, this.toasts.length - kept.length)) clearTimeout(dropped.timer);
    this.toasts = [...kept, toast];
    this.schedule(toast);
  }

  private schedule(toast: Toast): void {
    clearTimeout(toast.timer);
    toast.timer = window.setTimeout(() => this.dismiss(toast.notification.id), TOAST_DISMISS_MS);
  }

  private hold(toast: Toast): void {
    clearTimeout(toast.timer);
    toast.timer = undefined;
  }

  private dismiss(id: string): void {
    const toast = this.toasts.find((t) => t.notification.id === id);
    if (!toast) return;
    clearTimeout(toast.timer);
    this.toasts = this.toasts.filter((t) => t !== toast);
  }

  private open(link: string): void {
    navigate(link);
  }

  private openToast(n: NotificationEventDto): void {
    this.dismiss(n.id);
    void this.markRead(n.id).catch(() => undefined);
    if (n.link) this.open(n.link);
  }

  override render() {
    return html`<slot></slot>
      <div class="toasts" role="status" aria-live="polite" aria-label=${msg('New notifications', { id: 'notifications.toasts' })}>
        ${this.toasts.map(
          (t) => html`<div
            class="toast"
            data-notification-id=${t.notification.id}
            @mouseenter=${() => this.hold(t)}
            @mouseleave=${() => this.schedule(t)}
            @focusin=${() => this.hold(t)}
            @focusout=${() => this.schedule(t)}
          >
            <span class="icon">${notificationIcon(t.notification.type)}</span>
            <button class="open" type="button" ?disabled=${!t.notification.link} @click=${() => this.openToast(t.notification)}>
              <span class="title">${t.notification.title}</span>
              ${t.notification.body ? html`<span class="body">${t.notification.body}</span>` : nothing}
            </button>
            <button class="close" type="button" aria-label=${msg('Dismiss', { id: 'notifications.dismiss' })} @click=${() => this.dismiss(t.notification.id)}>
              ${icons.close}
            </button>
          </div>`,
        )}
      </div>`;
  }
}

customElements.define('tandem-notification-center', TandemNotificationCenter);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-notification-center': TandemNotificationCenter;
  }
}
