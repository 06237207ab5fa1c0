/**
 * Every context the app provides, one per slice. Elements read them with
 * `new ContextConsumer(this, { context, subscribe: true })`.
 */
import { createContext } from '@lit/context';
import type { NotificationDto } from '../../../schema/wire/notifications.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import type { SocketStatus } from '../realtime/socket-controller.ts';

/** The signed-in user and what can be done to the session. Provided by <tandem-app> once signed in. */
export interface SessionApi {
  user: UserDto;
  /** Call after the user changed (profile, preferences): applies language and density at once. */
  userChanged(user: UserDto): void;
  /** Ends this session, or every session of the user on every device. */
  signOut(opts: { everywhere: boolean }): Promise<void>;
}

export const sessionContext = createContext<SessionApi>(Symbol('tandem-session'));

/**
 * The signed-in user's notifications: the list, the unread count and the
 * live connection that keeps them current. Provided by
 * <tandem-notification-center> around the frame, so every screen shares it.
 */
export interface NotificationsApi {
  /** The list from `GET /api/notifications`: loading the first time, then ready or failed. */
  load: { kind: 'loading' } | { kind: 'ready' } | { kind: 'failed'; error: unknown };
  /** Newest first. */
  items: readonly NotificationDto[];
  unread: number;
  connection: SocketStatus;
  reload(): Promise<void>;
  markRead(id: string): Promise<void>;
  markAllRead(): Promise<void>;
}

export const notificationsContext = createContext<NotificationsApi>(Symbol('tandem-notifications'));
