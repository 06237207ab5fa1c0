/** `/api/notifications`: the signed-in user's notifications. */
import { Hono } from 'hono';
import { listNotificationsQuery, type NotificationListDto } from '../../schema/wire/notifications.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import { badRequest, notFound } from '../http/app-error.ts';
import type { HonoEnv } from '../http/env.ts';
import { parseWith, pathId } from '../http/validate.ts';
import { decodeCursor, encodeCursor, toNotificationDto } from './notification.ts';
import { countUnread, listNotifications, markAllRead, markRead } from './notification.repository.ts';


export function notificationRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>()
    .get('/', async (c) => {
      const { user } = requireUser(c);
      const q = parseWith(listNotificationsQuery, c.req.query());
      const before = q.before ? decodeCursor(q.before) : null;
      if (q.before && !before) throw badRequest('before: not a cursor from this API', 'before');
      const rows = await listNotifications(ctx.db, user.id, { limit: q.limit + 1, before, unreadOnly: q.unread !== undefined });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const body: NotificationListDto = {
        items: page.map(toNotificationDto),
        unread: await countUnread(ctx.db, user.id),
        nextCursor: rows.length > q.limit && last ? encodeCursor(last.created_at, last.id) : null,
      };
      return c.json(body);
    })
    .post('/read-all', async (c) => {
      const { user } = requireUser(c);
      const at = ctx.now();
      await markAllRead(ctx.db, user.id, at);
      const unread = await countUnread(ctx.db, user.id);
      ctx.notifier.readChanged(user.id, { ids: 'all', unread, readAt: at.toISOString() });
      return c.json({ unread });
    })
    .post('/:id/read', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const at = ctx.now();
      const row = await markRead(ctx.db, user.id, id, at);
      if (!row) throw notFound('No such notification');
      const unread = await countUnread(ctx.db, user.id);
      ctx.notifier.readChanged(user.id, { ids: [row.id], unread, readAt: (row.read_at ?? at).toISOString() });
      return c.json({ notification: toNotificationDto(row), unread });
    });
}
