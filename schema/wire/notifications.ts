/** Notifications as the HTTP API and Socket.IO show them (DESIGN.md, public contract). */
import { z } from 'zod';

export const NOTIFICATION_TYPES = ['assignment', 'mention', 'reminder'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** What a notification is about; `link` is the client route to it. */
export const NOTIFICATION_ENTITY_TYPES = ['customer', 'opportunity', 'task', 'service_record'] as const;
export type NotificationEntityType = (typeof NOTIFICATION_ENTITY_TYPES)[number];

export interface NotificationEntityRef {
  type: NotificationEntityType;
  id: string;
}

/** The `notification` Socket.IO event: a new notification for the receiving user. */
export interface NotificationEventDto {
  id: string;
  type: NotificationType;
  title: string;
  body: string;
  /** Client route, e.g. `/customers/<id>`; '' when there is nothing to open. */
  link: string;
  /** ISO 8601 */
  createdAt: string;
  entity: NotificationEntityRef | null;
}

/** An item of `GET /api/notifications`. */
export interface NotificationDto extends NotificationEventDto {
  /** ISO 8601, or null while unread. */
  readAt: string | null;
}

export interface NotificationListDto {
  items: NotificationDto[];
  /** The user's unread count over all notifications, not only this page. */
  unread: number;
  /** Pass as `before` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

/** The `notifications:read` Socket.IO event, sent to every tab of the user after a mark-read. */
export interface NotificationsReadEventDto {
  /** The ids marked read, or 'all' after read-all. */
  ids: string[] | 'all';
  /** The unread count after the change. */
  unread: number;
  /** ISO 8601 */
  readAt: string;
}

export const NOTIFICATIONS_PAGE_DEFAULT = 30;
export const NOTIFICATIONS_PAGE_MAX = 100;

export const listNotificationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(NOTIFICATIONS_PAGE_MAX).default(NOTIFICATIONS_PAGE_DEFAULT),
  before: z.string().max(200).optional(),
  unread: z.enum(['1', 'true']).optional(),
});
