/** Tasks as the HTTP API shows them. */
import { z } from 'zod';
import { isoDateTimeSchema } from './dates.ts';

export const TASK_TITLE_MAX = 200;
export const TASK_DESCRIPTION_MAX = 10_000;
export const TASKS_PAGE_DEFAULT = 50;
export const TASKS_PAGE_MAX = 200;
export const TIMEZONE_MAX = 64;

export interface TaskDto {
  id: string;
  teamId: string;
  title: string;
  description: string;
  assigneeId: string;
  /** ISO 8601, or null for a task without a due time. */
  dueAt: string | null;
  customerId: string | null;
  opportunityId: string | null;
  done: boolean;
  doneAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface TaskListDto {
  items: TaskDto[];
  nextCursor: string | null;
}

/** `GET /api/tasks/my-day`: the signed-in user's open tasks, by when they are due. */
export interface MyDayDto {
  /** IANA time zone the day was computed in. */
  timeZone: string;
  /** ISO 8601 instants bounding "today" in that zone. */
  dayStart: string;
  dayEnd: string;
  /** Due before now. Oldest first. */
  overdue: TaskDto[];
  /** Due from now to the end of today. Soonest first. */
  today: TaskDto[];
  /** Due after today, then tasks without a due time. Soonest first, capped. */
  upcoming: TaskDto[];
}

const isoDateTime = isoDateTimeSchema;
const uuid = z.uuid();

export const createTaskBody = z
  .object({
    title: z.string().trim().min(1).max(TASK_TITLE_MAX),
    description: z.string().max(TASK_DESCRIPTION_MAX).optional(),
    /** Defaults to the signed-in user. */
    assigneeId: uuid.optional(),
    dueAt: isoDateTime.nullable().optional(),
    customerId: uuid.nullable().optional(),
    opportunityId: uuid.nullable().optional(),
  })
  .strict();

export const updateTaskBody = z
  .object({
    title: z.string().trim().min(1).max(TASK_TITLE_MAX).optional(),
    description: z.string().max(TASK_DESCRIPTION_MAX).optional(),
    assigneeId: uuid.optional(),
    dueAt: isoDateTime.nullable().optional(),
    customerId: uuid.nullable().optional(),
    opportunityId: uuid.nullable().optional(),
  })
  .strict();

export const listTasksQuery = z.object({
  scope: z.enum(['mine', 'team']).default('mine'),
  status: z.enum(['open', 'done', 'all']).default('open'),
  customerId: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(TASKS_PAGE_MAX).default(TASKS_PAGE_DEFAULT),
  before: z.string().max(200).optional(),
});

export const myDayQuery = z.object({
  tz: z.string().min(1).max(TIMEZONE_MAX).default('UTC'),
});

export type CreateTaskBody = z.infer<typeof createTaskBody>;
export type UpdateTaskBody = z.infer<typeof updateTaskBody>;
export type ListTasksQuery = z.infer<typeof listTasksQuery>;
