import type { Generated, Insertable, Selectable } from 'kysely';
import type { NotificationEntityType, NotificationType } from '../wire/notifications.ts';

export interface NotificationTable {
  id: Generated<string>;
  recipient_id: string;
  /** The recipient's team when it was sent (null for an admin without a team). */
  team_id: string | null;
  type: NotificationType;
  title: string;
  body: Generated<string>;
  link: Generated<string>;
  entity_type: NotificationEntityType | null;
  entity_id: string | null;
  actor_id: string | null;
  created_at: Generated<Date>;
  read_at: Date | null;
}
export type NotificationRow = Selectable<NotificationTable>;
export type NewNotificationRow = Insertable<NotificationTable>;

/** Follow-up dates (customers.next_followup_at) whose reminder has fired. */
export interface FollowupReminderTable {
  customer_id: string;
  due_at: Date;
  fired_at: Date;
}
