/** The lookups a customer document needs: its record's team and state, and its owners. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/types.ts';
import { isUuid } from '../../schema/wire/ids.ts';
import type { CustomerAccessRow } from './customer-doc.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** The access rows of several customers in one query; null for an id with no customer. */
export async function findCustomerAccessRows(db: Q, ids: readonly string[]): Promise<Map<string, CustomerAccessRow | null>> {
  const out = new Map<string, CustomerAccessRow | null>(ids.map((id) => [id, null]));
  // Ids come from document names: only well-formed ones reach the uuid column.
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return out;
  const rows = await db.selectFrom('customers').select(['id', 'team_id', 'archived_at']).where('id', 'in', valid).execute();
  for (const r of rows) out.set(r.id, { teamId: r.team_id, archivedAt: r.archived_at });
  return out;
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
