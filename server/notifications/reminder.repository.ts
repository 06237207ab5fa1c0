/**
 * Claiming due reminders. Rows are locked with `FOR UPDATE SKIP LOCKED`, so
 * several server processes on one PostgreSQL database each take different
 * rows, and the fired state is written in the same transaction as the
 * notification: a reminder fires once, across restarts too.
 */
import { sql } from 'kysely';
import type { Trx } from './notifier.ts';

export interface DueTask {
  id: string;
  teamId: string;
  title: string;
  assigneeId: string;
  dueAt: Date;
}

/** Open tasks due before `dueSoonUntil` whose next reminder has not fired; locked for this transaction. */
export async function claimDueTasks(trx: Trx, now: Date, dueSoonUntil: Date, limit: number): Promise<DueTask[]> {
  const rows = await trx
    .selectFrom('tasks')
    .select(['id', 'team_id', 'title', 'assignee_id', 'due_at'])
    .where('done_at', 'is', null)
    .where('due_at', 'is not', null)
    .where('overdue_reminded_at', 'is', null)
    .where((eb) =>
      eb.or([eb('due_at', '<=', now), eb.and([eb('due_soon_reminded_at', 'is', null), eb('due_at', '<=', dueSoonUntil)])]),
    )
    .orderBy('due_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((r) => ({ id: r.id, teamId: r.team_id, title: r.title, assigneeId: r.assignee_id, dueAt: r.due_at! }));
}

export async function markTaskReminded(trx: Trx, id: string, kind: 'due_soon' | 'overdue', at: Date): Promise<void> {
  await trx
    .updateTable('tasks')
    .set(
      kind === 'overdue'
        ? { overdue_reminded_at: at, due_soon_reminded_at: sql<Date>`coalesce(due_soon_reminded_at, ${at})` }
        : { due_soon_reminded_at: at },
    )
    .where('id', '=', id)
    .execute();
}

export interface DueFollowup {
  customerId: string;
  teamId: string;
  name: string;
  ownerId: string;
  dueAt: Date;
}

/** Customers whose follow-up date was reached (after `since`) and not yet reminded; locked for this transaction. */
export async function claimDueFollowups(trx: Trx, now: Date, since: Date, limit: number): Promise<DueFollowup[]> {
  const rows = await trx
    .selectFrom('customers as c')
    .select(['c.id', 'c.team_id', 'c.name', 'c.owner_id', 'c.next_followup_at'])
    .where('c.next_followup_at', 'is not', null)
    .where('c.next_followup_at', '<=', now)
    .where('c.next_followup_at', '>', since)
    .where('c.archived_at', 'is', null)
    .where('c.owner_id', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('followup_reminders as r')
            .select('r.customer_id')
            .whereRef('r.customer_id', '=', 'c.id')
            .whereRef('r.due_at', '=', 'c.next_followup_at'),
        ),
      ),
    )
    .orderBy('c.next_followup_at')
    .limit(limit)
    .forUpdate('c')
    .skipLocked()
    .execute();
  return rows.map((r) => ({ customerId: r.id, teamId: r.team_id, name: r.name, ownerId: r.owner_id!, dueAt: r.next_followup_at! }));
}

/** Records that a follow-up date was reminded; false when it already was (the key forbids a second time). */
export async function markFollowupReminded(trx: Trx, customerId: string, dueAt: Date, at: Date): Promise<boolean> {
  const row = await trx
    .insertInto('followup_reminders')
    .values({ customer_id: customerId, due_at: dueAt, fired_at: at })
    .onConflict((oc) => oc.columns(['customer_id', 'due_at']).doNothing())
    .returning('customer_id')
    .executeTakeFirst();
  return row !== undefined;
}
