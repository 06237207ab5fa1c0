/**
 * Task use cases. Each opens one transaction; an assignment notification is
 * stored in it and delivered only after it commits.
 */
import type { TaskRow, TaskUpdate } from '../../schema/tables/task.table.ts';
import type { CreateTaskBody, UpdateTaskBody } from '../../schema/wire/tasks.ts';
import type { AppContext } from '../context.ts';
import { AppError, badRequest, forbidden, notFound } from '../http/app-error.ts';
import { notifyAssignment } from '../notifications/assignment.ts';
import { notifyMentions } from '../notifications/mention.service.ts';
import { type Trx, withNotifications } from '../notifications/notifier.ts';
import { sendRecordChanges } from '../notifications/record-events.ts';
import type { User } from '../users/user.ts';
import { can } from '../../schema/policy/access.ts';
import { type Scope, homeScope, readScope } from '../../schema/policy/scope.ts';
import { taskResource } from './task.ts';
import { findTaskById, insertTask, updateTaskRow } from './task.repository.ts';

/** The assignee must be an active member of the task's team. */
async function checkAssignee(trx: Trx, teamId: string, assigneeId: string): Promise<void> {
  const u = await trx.selectFrom('users').select(['team_id', 'active']).where('id', '=', assigneeId).executeTakeFirst();
  if (!u?.active || u.team_id !== teamId) throw badRequest('assigneeId: no active member of this team has that id', 'assigneeId');
}

/** A linked customer must belong to the task's team. */
async function checkCustomer(trx: Trx, teamId: string, customerId: string): Promise<void> {
  const c = await trx.selectFrom('customers').select('team_id').where('id', '=', customerId).executeTakeFirst();
  if (!c || c.team_id !== teamId) throw badRequest('customerId: no customer of this team has that id', 'customerId');
}

/** The team a new task belongs to: the creator's; an admin's task follows its customer or assignee. */
async function teamForNewTask(trx: Trx, user: User, body: CreateTaskBody): Promise<string> {
  const scope = readScope(user, 'task');
  if (scope.kind === 'team') return scope.teamId;
  if (scope.kind !== 'all') throw forbidden('Join a team first');
  if (body.customerId) {
    const c = await trx.selectFrom('customers').select('team_id').where('id', '=', body.customerId).executeTakeFirst();
    if (!c) throw badRequest('customerId: no such customer', 'customerId');
    return c.team_id;
  }
  if (body.assigneeId && body.assigneeId !== user.id) {
    const u = await trx.selectFrom('users').select('team_id').where('id', '=', body.assigneeId).executeTakeFirst();
    if (!u?.team_id) throw badRequest('assigneeId: no team member has that id', 'assigneeId');
    return u.team_id;
  }
  if (!user.teamId) throw badRequest('assigneeId: assign the task to a member of a team', 'assigneeId');
  return user.teamId;
}

function mentionEntity(task: TaskRow) {
  return { type: 'task' as const, id: task.id, name: task.title };
}

/** Tells the task's readers (its team, admins) after commit; `previous` when it changed hands. */
function taskChanged(ctx: AppContext, task: TaskRow, previous?: TaskRow): void {
  sendRecordChanges(ctx.notifier, [
    {
      entity: 'task',
      id: task.id,
      teamId: task.team_id,
      ownerId: task.assignee_id,
      customerId: task.customer_id,
      archived: task.done_at !== null,
      ...(previous && previous.assignee_id !== task.assignee_id ? { previousOwnerId: previous.assignee_id } : {}),
    },
  ]);
}

export async function createTask(ctx: AppContext, user: User, body: CreateTaskBody): Promise<TaskRow> {
  const task = await createTaskRow(ctx, user, body);
  taskChanged(ctx, task);
  return task;
}

async function createTaskRow(ctx: AppContext, user: User, body: CreateTaskBody): Promise<TaskRow> {
  return withNotifications(ctx.db, async (trx, queue) => {
    const teamId = await teamForNewTask(trx, user, body);
    const assigneeId = body.assigneeId ?? user.id;
    if (!can(user, 'create', { type: 'task', teamId, assigneeId, createdBy: user.id })) throw forbidden('You can only create tasks in your own team');
    await checkAssignee(trx, teamId, assigneeId);
    if (body.customerId) await checkCustomer(trx, teamId, body.customerId);
    const task = await insertTask(trx, {
      team_id: teamId,
      title: body.title,
      description: body.description ?? '',
      assignee_id: assigneeId,
      due_at: body.dueAt ? new Date(body.dueAt) : null,
      customer_id: body.customerId ?? null,
      opportunity_id: body.opportunityId ?? null,
      done_at: null,
      created_by: user.id,
      due_soon_reminded_at: null,
      overdue_reminded_at: null,
      created_at: ctx.now(),
      updated_at: ctx.now(),
    });
    queue.add(
      await notifyAssignment(ctx, trx, {
        actorId: user.id,
        recipientId: assigneeId,
        teamId,
        entity: { type: 'task', id: task.id, name: task.title },
      }),
    );
    queue.add(await notifyMentions(ctx, trx, { actorId: user.id, teamId, text: task.description, entity: mentionEntity(task) }));
    return task;
  });
}

/** The task if the user may see it (404 otherwise) and change it (403 otherwise), locked for this transaction. */
async function editableTask(trx: Trx, user: User, id: string): Promise<TaskRow> {
  const task = await findTaskById(trx, id, { forUpdate: true });
  if (!task || !can(user, 'read', taskResource(task))) throw notFound('No such task');
  if (!can(user, 'write', taskResource(task))) throw forbidden('Only the assignee, the creator or a manager can change this task');
  return task;
}

export async function updateTask(ctx: AppContext, user: User, id: string, body: UpdateTaskBody): Promise<TaskRow> {
  let before: TaskRow | undefined;
  const updated = await withNotifications(ctx.db, async (trx, queue) => {
    const task = await editableTask(trx, user, id);
    before = task;
    const patch: TaskUpdate = {};
    if (body.title !== undefined) patch.title = body.title;
    if (body.description !== undefined) patch.description = body.description;
    if (body.opportunityId !== undefined) patch.opportunity_id = body.opportunityId;
    if (body.assigneeId !== undefined && body.assigneeId !== task.assignee_id) {
      if (!can(user, 'reassign', taskResource(task))) throw forbidden('Only the assignee, the creator or a manager can reassign this task');
      await checkAssignee(trx, task.team_id, body.assigneeId);
      patch.assignee_id = body.assigneeId;
    }
    if (body.customerId !== undefined && body.customerId !== task.customer_id) {
      if (body.customerId) await checkCustomer(trx, task.team_id, body.customerId);
      patch.customer_id = body.customerId;
    }
    if (body.dueAt !== undefined) {
      const due = body.dueAt ? new Date(body.dueAt) : null;
      if ((due?.getTime() ?? null) !== (task.due_at?.getTime() ?? null)) {
        // A new due time gets its own reminders.
        patch.due_at = due;
        patch.due_soon_reminded_at = null;
        patch.overdue_reminded_at = null;
      }
    }
    if (Object.keys(patch).length === 0) return task;
    const updated = await updateTaskRow(trx, id, patch, ctx.now());
    if (patch.assignee_id) {
      queue.add(
        await notifyAssignment(ctx, trx, {
          actorId: user.id,
          recipientId: updated.assignee_id,
          previousRecipientId: task.assignee_id,
          teamId: updated.team_id,
          entity: { type: 'task', id: updated.id, name: updated.title },
        }),
      );
    }
    if (patch.description !== undefined) {
      queue.add(
        await notifyMentions(ctx, trx, {
          actorId: user.id,
          teamId: updated.team_id,
          text: updated.description,
          previousText: task.description,
          entity: mentionEntity(updated),
        }),
      );
    }
    return updated;
  });
  if (before && updated !== before) taskChanged(ctx, updated, before);
  return updated;
}

export async function setTaskDone(ctx: AppContext, user: User, id: string, done: boolean): Promise<TaskRow> {
  let changed = false;
  const task = await ctx.db.transaction().execute(async (trx) => {
    const task = await editableTask(trx, user, id);
    if ((task.done_at !== null) === done) return task;
    changed = true;
    return updateTaskRow(trx, id, { done_at: done ? ctx.now() : null }, ctx.now());
  });
  if (changed) taskChanged(ctx, task);
  return task;
}

/** What the task list covers: the user's own team (an admin without a team sees all teams). */
export function taskListScope(user: User): Scope {
  const scope = homeScope(user, 'task');
  if (scope.kind === 'none') throw new AppError('forbidden', 403, 'Join a team first');
  return scope;
}
