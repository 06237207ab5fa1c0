/** Notifications: row mapping and paging cursors. Pure. */
import type { NotificationRow } from '../../schema/tables/notification.table.ts';
import type {
  NotificationDto,
  NotificationEntityRef,
  NotificationEntityType,
  NotificationEventDto,
  NotificationType,
} from '../../schema/wire/notifications.ts';
import { isUuid } from '../../schema/wire/ids.ts';
import { isCursorTime } from '../http/cursor-time.ts';

export const NOTIFICATION_TITLE_MAX = 300;
export const NOTIFICATION_BODY_MAX = 1000;
export const NOTIFICATION_LINK_MAX = 500;

/** What a caller asks the notifier to store and deliver. */
export interface NotificationInput {
  recipientId: string;
  type: NotificationType;
  title: string;
  body?: string;
  link?: string;
  entity?: NotificationEntityRef | null;
  actorId?: string | null;
}

export function entityRefOf(row: Pick<NotificationRow, 'entity_type' | 'entity_id'>): NotificationEntityRef | null {
  return row.entity_type && row.entity_id ? { type: row.entity_type, id: row.entity_id } : null;
}

export function toNotificationEvent(row: NotificationRow): NotificationEventDto {
  return {
    id: row.id,
    type: row.type,
    title: row.title,
    body: row.body,
    link: row.link,
    createdAt: row.created_at.toISOString(),
    entity: entityRefOf(row),
  };
}

export function toNotificationDto(row: NotificationRow): NotificationDto {
  return { ...toNotificationEvent(row), readAt: row.read_at ? row.read_at.toISOString() : null };
}

/** The client route of an entity. */
export function linkTo(entity: { type: NotificationEntityType; id: string }): string {
  switch (entity.type) {
    case 'customer':
      return `/customers/${entity.id}`;
    case 'opportunity':
      return `/opportunities/${entity.id}`;
    case 'task':
      return `/tasks/${entity.id}`;
    case 'service_record':
      return `/service/${entity.id}`;
    default: {
      const never: never = entity.type;
      return never;
    }
  }
}

/** Cuts text to `max` characters (code points), marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Keyset cursor over (created_at desc, id desc). */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

const CURSOR_PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(.{36})$/;

/** A cursor we did not make (a time that is not one, an id that is not a UUID) is null: a 400. */
export function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  const m = CURSOR_PATTERN.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m || !isUuid(m[2]) || !isCursorTime(m[1]!)) return null;
  return { createdAt: new Date(m[1]!), id: m[2]!.toLowerCase() };
}
