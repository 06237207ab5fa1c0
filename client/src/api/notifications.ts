/** The signed-in user's notifications (docs/notifications.md). */
import type { NotificationDto, NotificationListDto } from '../../../schema/wire/notifications.ts';
import { request } from './http.ts';

export function listNotifications(before?: string | null): Promise<NotificationListDto> {
  const query = before ? `?before=${encodeURIComponent(before)}` : '';
  return request<NotificationListDto>('GET', `/api/notifications${query}`);
}

export function markNotificationRead(id: string): Promise<{ notification: NotificationDto; unread: number }> {
  return request('POST', `/api/notifications/${encodeURIComponent(id)}/read`);
}

export function markAllNotificationsRead(): Promise<{ unread: number }> {
  return request('POST', '/api/notifications/read-all');
}
