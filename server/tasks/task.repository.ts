import { type Kysely, sql, type Transaction } from 'kysely';
import type { NewTaskRow, TaskRow, TaskUpdate } from '../../schema/tables/task.table.ts';
import type { Database } from '../../schema/types.ts';
import type { Scope } from '../../schema/policy/scope.ts';
import { inScope } from '../db/scope.ts';

type Q = Kysely<Database> | Transaction<Database>;

export function insertTask(db: Q, row: NewTaskRow): Promise<TaskRow> {
  return db.insertInto('tasks').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findTaskById(db: Q, id: string, opts: { forUpdate?: boolean } = {}): Promise<TaskRow | null> {
  let q = db.selectFrom('tasks').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return (await q.executeTakeFirst()) ?? null;
}

export async function updateTaskRow(db: Q, id: string, patch: TaskUpdate, now: Date): Promise<TaskRow> {
  return db
    .updateTable('tasks')
    .set({ ...patch, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface TaskFilter {
  /** The tasks listed (schema/policy/scope.ts). */
  scope: Scope;
  assigneeId?: string;
  status: 'open' | 'done' | 'all';
  customerId?: string;
  limit: number;
  offset: number;
}

/** Open tasks soonest due first (no due time last); done tasks most recently done first. */
export function listTasks(db: Q, f: TaskFilter): Promise<TaskRow[]> {
  let q = db.selectFrom('tasks').selectAll().where(inScope(f.scope, { team: 'tasks.team_id', own: 'tasks.assignee_id' }));
  if (f.assigneeId) q = q.where('assignee_id', '=', f.assigneeId);
  if (f.customerId) q = q.where('customer_id', '=', f.customerId);
  if (f.status === 'open') q = q.where('done_at', 'is', null);
  if (f.status === 'done') q = q.where('done_at', 'is not', null).orderBy('done_at', 'desc');
  q = q.orderBy(sql`due_at asc nulls last`).orderBy('id');
  return q.limit(f.limit).offset(f.offset).execute();
}

export function listOpenTasksOfAssignee(db: Q, assigneeId: string, limit: number): Promise<TaskRow[]> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('assignee_id', '=', assigneeId)
    .where('done_at', 'is', null)
    .orderBy(sql`due_at asc nulls last`)
    .orderBy('id')
    .limit(limit)
    .execute();
}
