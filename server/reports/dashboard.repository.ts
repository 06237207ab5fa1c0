/** The start page's queries: the signed-in user's own work. */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../schema/types.ts';

type DB = Kysely<Database>;

export const DASHBOARD_LIST_LIMIT = 10;

export async function myOpenByStage(db: DB, ownerId: string, currency: string) {
  return db
    .selectFrom('opportunities')
    .innerJoin('pipeline_stages as s', 's.id', 'opportunities.stage_id')
    .select((eb) => [
      's.id as stageId',
      's.name',
      's.name_zh as nameZh',
      's.position',
      eb.fn.countAll<string>().as('count'),
      eb.fn.sum<string>('opportunities.amount').as('amount'),
      sql<string>`sum(opportunities.amount * s.probability / 100.0)`.as('weighted'),
    ])
    .where('opportunities.owner_id', '=', ownerId)
    .where('opportunities.status', '=', 'open')
    .where('opportunities.currency', '=', currency)
    .groupBy(['s.id', 's.name', 's.name_zh', 's.position'])
    .orderBy('s.position')
    .execute();
}

export async function myWonSince(db: DB, ownerId: string, currency: string, since: Date) {
  return db
    .selectFrom('opportunities')
    .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.sum<string>('amount').as('amount')])
    .where('owner_id', '=', ownerId)
    .where('status', '=', 'won')
    .where('currency', '=', currency)
    .where('closed_at', '>=', since)
    .executeTakeFirstOrThrow();
}

/** Open tasks of the user due before `until` (overdue ones included), soonest first. */
export function myTasksDueBefore(db: DB, userId: string, until: Date) {
  return db
    .selectFrom('tasks')
    .leftJoin('customers', 'customers.id', 'tasks.customer_id')
    .select(['tasks.id', 'tasks.title', 'tasks.due_at as dueAt', 'tasks.customer_id as customerId', 'customers.name as customerName'])
    .where('tasks.assignee_id', '=', userId)
    .where('tasks.done_at', 'is', null)
    .where('tasks.due_at', '<', until)
    .orderBy('tasks.due_at')
    .limit(DASHBOARD_LIST_LIMIT)
    .execute();
}

/** Customers the user owns whose next follow-up date has passed. */
export function myOverdueFollowups(db: DB, ownerId: string, now: Date) {
  return db
    .selectFrom('customers')
    .select(['id as customerId', 'name', 'next_followup_at as nextFollowupAt'])
    .where('owner_id', '=', ownerId)
    .where('archived_at', 'is', null)
    .where('next_followup_at', '<', now)
    .orderBy('next_followup_at')
    .limit(DASHBOARD_LIST_LIMIT)
    .execute();
}

/** The latest follow-ups on customers the user owns, by anyone. */
export function recentActivityOnMyCustomers(db: DB, ownerId: string) {
  return db
    .selectFrom('activities')
    .innerJoin('customers', 'customers.id', 'activities.customer_id')
    .leftJoin('users', 'users.id', 'activities.author_id')
    .select([
      'activities.id',
      'activities.customer_id as customerId',
      'customers.name as customerName',
      'activities.type',
      'activities.at',
      'activities.excerpt',
      'users.name as authorName',
    ])
    .where('customers.owner_id', '=', ownerId)
    .orderBy('activities.at', 'desc')
    .limit(DASHBOARD_LIST_LIMIT)
    .execute();
}
