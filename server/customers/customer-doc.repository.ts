/** The lookups a customer document needs: its record's team and state, and its owners. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/types.ts';
import type { CustomerAccessRow } from './customer-doc.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function findCustomerAccessRow(db: Q, id: string): Promise<CustomerAccessRow | null> {
  const row = await db.selectFrom('customers').select(['team_id', 'archived_at']).where('id', '=', id).executeTakeFirst();
  return row ? { teamId: row.team_id, archivedAt: row.archived_at } : null;
}

/** True when `userId` is an active user of the customer's team (a possible owner). */
export async function isActiveTeamMemberOfCustomer(db: Q, customerId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .innerJoin('customers', 'customers.team_id', 'users.team_id')
    .select('users.id')
    .where('customers.id', '=', customerId)
    .where('users.id', '=', userId)
    .where('users.active', '=', true)
    .executeTakeFirst();
  return row !== undefined;
}
