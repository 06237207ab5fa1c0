/** Task rules: mapping, permissions, "my day". Pure: `now` is passed in. */
import type { TaskRow } from '../../schema/tables/task.table.ts';
import type { TaskDto } from '../../schema/wire/tasks.ts';
import type { TaskResource } from '../../schema/policy/access.ts';

export function toTaskDto(r: TaskRow): TaskDto {
  return {
    id: r.id,
    teamId: r.team_id,
    title: r.title,
    description: r.description,
    assigneeId: r.assignee_id,
    dueAt: r.due_at ? r.due_at.toISOString() : null,
    customerId: r.customer_id,
    opportunityId: r.opportunity_id,
    done: r.done_at !== null,
    doneAt: r.done_at ? r.done_at.toISOString() : null,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * A task as the access policy (schema/policy/access.ts) sees it: everyone in the
 * task's team reads it (admins every team's); its assignee, its creator, the team's
 * managers and admins change it; other reps of the team see it read-only.
 */
export const taskResource = (t: Pick<TaskRow, 'team_id' | 'assignee_id' | 'created_by'>): TaskResource => ({
  type: 'task',
  teamId: t.team_id,
  assigneeId: t.assignee_id,
  createdBy: t.created_by,
});

/** True for an IANA time zone name the runtime knows. */
export function isValidTimeZone(tz: string): boolean {
  if (!/^[A-Za-z0-9_+\-/]+$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function zonedParts(instant: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The UTC instant of local midnight starting the given calendar day in the zone. */
function zonedMidnight(year: number, month: number, day: number, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, day);
  const first = naive - offsetAt(naive, timeZone);
  return naive - offsetAt(first, timeZone);
}

/** [start, end) of the calendar day containing `now` in `timeZone`. */
export function dayBounds(now: Date, timeZone: string): { start: Date; end: Date } {
  const p = zonedParts(now.getTime(), timeZone);
  return {
    start: new Date(zonedMidnight(p.year, p.month, p.day, timeZone)),
    end: new Date(zonedMidnight(p.year, p.month, p.day + 1, timeZone)),
  };
}

export const MY_DAY_SECTION_MAX = 200;
export const MY_DAY_UPCOMING_MAX = 50;

/**
 * Sorts open tasks into overdue (due before now), today (due from now to the
 * end of the local day) and upcoming (later, then no due time).
 */
export function bucketMyDay<T extends { dueAt: Date | null }>(
  tasks: T[],
  now: Date,
  dayEnd: Date,
): { overdue: T[]; today: T[]; upcoming: T[] } {
  const byDue = (a: T, b: T) => (a.dueAt?.getTime() ?? Number.POSITIVE_INFINITY) - (b.dueAt?.getTime() ?? Number.POSITIVE_INFINITY);
  const sorted = [...tasks].sort(byDue);
  const overdue: T[] = [];
  const today: T[] = [];
  const upcoming: T[] = [];
  for (const t of sorted) {
    const due = t.dueAt?.getTime();
    if (due === undefined || due >= dayEnd.getTime()) upcoming.push(t);
    else if (due < now.getTime()) overdue.push(t);
    else today.push(t);
  }
  return {
    overdue: overdue.slice(0, MY_DAY_SECTION_MAX),
    today: today.slice(0, MY_DAY_SECTION_MAX),
    upcoming: upcoming.slice(0, MY_DAY_UPCOMING_MAX),
  };
}
