import { type Kysely, sql, type Transaction } from 'kysely';
import type { NewNotificationRow, NotificationRow } from '../../schema/tables/notification.table.ts';
import type { Database } from '../../schema/types.ts';

type Q = Kysely<Database> | Transaction<Database>;

export function insertNotification(db: Q, row: NewNotificationRow): Promise<NotificationRow> {
  return db.insertInto('notifications').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listNotifications(
  db: Q,
  recipientId: string,
  opts: { limit: number; before?: { createdAt: Date; id: string } | null; unreadOnly?: boolean },
): Promise<NotificationRow[]> {
  let q = db
    .selectFrom('notifications')
    .selectAll()
    .where('recipient_id', '=', recipientId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.limit);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  const before = opts.before;
  if (before) {
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
      ]),
    );
  }
  return q.execute();
}

export async function countUnread(db: Q, recipientId: string): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('recipient_id', '=', recipientId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Marks one of the recipient's notifications read; null when it is not theirs. Idempotent. */
export async function markRead(db: Q, recipientId: string, id: string, at: Date): Promise<NotificationRow | null> {
  const row = await db
    .updateTable('notifications')
    .set({ read_at: sql<Date>`coalesce(read_at, ${at})` })
    .where('id', '=', id)
    .where('recipient_id', '=', recipientId)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export async function markAllRead(db: Q, recipientId: string, at: Date): Promise<number> {
  const r = await db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('recipient_id', '=', recipientId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
