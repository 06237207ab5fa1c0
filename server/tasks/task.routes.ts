/** `/api/tasks`: tasks of the signed-in user's team. */
import { Hono } from 'hono';
import {
  createTaskBody,
  listTasksQuery,
  type MyDayDto,
  myDayQuery,
  type TaskListDto,
  updateTaskBody,
} from '../../schema/wire/tasks.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import { badRequest, notFound } from '../http/app-error.ts';
import type { HonoEnv } from '../http/env.ts';
import { idempotent } from '../http/idempotency.ts';
import { jsonBody, parseWith, pathId } from '../http/validate.ts';
import { can } from '../../schema/policy/access.ts';
import { bucketMyDay, dayBounds, isValidTimeZone, taskResource, toTaskDto } from './task.ts';
import { findTaskById, listOpenTasksOfAssignee, listTasks } from './task.repository.ts';
import { createTask, setTaskDone, taskListScope, updateTask } from './task.service.ts';

/** Open tasks read for "my day"; more than this is not a day's work. */
const MY_DAY_FETCH_MAX = 1000;
const OFFSET_CURSOR = /^\d{1,7}$/;

export function taskRoutes(ctx: AppContext) {
  const once = idempotent(ctx);
  return new Hono<HonoEnv>()
    .get('/', async (c) => {
      const { user } = requireUser(c);
      const q = parseWith(listTasksQuery, c.req.query());
      if (q.before !== undefined && !OFFSET_CURSOR.test(q.before)) throw badRequest('before: not a cursor from this API', 'before');
      const offset = q.before ? Number(q.before) : 0;
      const rows = await listTasks(ctx.db, {
        scope: taskListScope(user),
        assigneeId: q.scope === 'mine' ? user.id : undefined,
        status: q.status,
        customerId: q.customerId,
        limit: q.limit + 1,
        offset,
      });
      const body: TaskListDto = {
        items: rows.slice(0, q.limit).map(toTaskDto),
        nextCursor: rows.length > q.limit ? String(offset + q.limit) : null,
      };
      return c.json(body);
    })
    .get('/my-day', async (c) => {
      const { user } = requireUser(c);
      const { tz } = parseWith(myDayQuery, c.req.query());
      if (!isValidTimeZone(tz)) throw badRequest('tz: not a known IANA time zone', 'tz');
      const now = ctx.now();
      const { start, end } = dayBounds(now, tz);
      const rows = await listOpenTasksOfAssignee(ctx.db, user.id, MY_DAY_FETCH_MAX);
      const buckets = bucketMyDay(
        rows.map((r) => ({ dueAt: r.due_at, row: r })),
        now,
        end,
      );
      const body: MyDayDto = {
        timeZone: tz,
        dayStart: start.toISOString(),
        dayEnd: end.toISOString(),
        overdue: buckets.overdue.map((t) => toTaskDto(t.row)),
        today: buckets.today.map((t) => toTaskDto(t.row)),
        upcoming: buckets.upcoming.map((t) => toTaskDto(t.row)),
      };
      return c.json(body);
    })
    .post('/', once, async (c) => {
      const { user } = requireUser(c);
      const body = await jsonBody(c, createTaskBody);
      return c.json({ task: toTaskDto(await createTask(ctx, user, body)) }, 201);
    })
    .get('/:id', async (c) => {
      const { user } = requireUser(c);
      const task = await findTaskById(ctx.db, pathId(c));
      if (!task || !can(user, 'read', taskResource(task))) throw notFound('No such task');
      return c.json({ task: toTaskDto(task) });
    })
    .patch('/:id', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, updateTaskBody);
      return c.json({ task: toTaskDto(await updateTask(ctx, user, id, body)) });
    })
    .post('/:id/done', async (c) => {
      const { user } = requireUser(c);
      return c.json({ task: toTaskDto(await setTaskDone(ctx, user, pathId(c), true)) });
    })
    .post('/:id/reopen', async (c) => {
      const { user } = requireUser(c);
      return c.json({ task: toTaskDto(await setTaskDone(ctx, user, pathId(c), false)) });
    });
}
