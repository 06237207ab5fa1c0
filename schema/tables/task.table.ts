import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface TaskTable {
  id: Generated<string>;
  team_id: string;
  title: string;
  description: Generated<string>;
  assignee_id: string;
  due_at: Date | null;
  customer_id: string | null;
  /** No foreign key yet: the opportunities table comes later. */
  opportunity_id: string | null;
  done_at: Date | null;
  created_by: string;
  /** When the "due soon" reminder fired (null: not yet). Reset when due_at changes. */
  due_soon_reminded_at: Date | null;
  /** When the "overdue" reminder fired (null: not yet). Reset when due_at changes. */
  overdue_reminded_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type TaskRow = Selectable<TaskTable>;
export type NewTaskRow = Insertable<TaskTable>;
export type TaskUpdate = Updateable<TaskTable>;
