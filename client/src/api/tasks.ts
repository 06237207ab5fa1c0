/** Tasks and the "my day" view (docs/notifications.md, HTTP: tasks). */
import type { CreateTaskBody, MyDayDto, TaskDto, TaskListDto, UpdateTaskBody } from '../../../schema/wire/tasks.ts';
import { type CreateOptions, request } from './http.ts';

export function myDay(timeZone: string): Promise<MyDayDto> {
  return request<MyDayDto>('GET', `/api/tasks/my-day?tz=${encodeURIComponent(timeZone)}`);
}

export function listTeamTasks(): Promise<TaskListDto> {
  return request<TaskListDto>('GET', '/api/tasks?scope=team&status=open&limit=200');
}

export async function getTask(id: string): Promise<TaskDto> {
  return (await request<{ task: TaskDto }>('GET', `/api/tasks/${encodeURIComponent(id)}`)).task;
}

export async function createTask(body: CreateTaskBody, opts: CreateOptions = {}): Promise<TaskDto> {
  const outbox = { kind: 'task', label: body.title } as const;
  return (await request<{ task: TaskDto }>('POST', '/api/tasks', body, { ...opts, outbox })).task;
}

export async function updateTask(id: string, body: UpdateTaskBody): Promise<TaskDto> {
  return (await request<{ task: TaskDto }>('PATCH', `/api/tasks/${encodeURIComponent(id)}`, body)).task;
}

export async function setTaskDone(id: string, done: boolean): Promise<TaskDto> {
  return (await request<{ task: TaskDto }>('POST', `/api/tasks/${encodeURIComponent(id)}/${done ? 'done' : 'reopen'}`)).task;
}
