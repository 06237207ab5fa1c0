import type { Kysely, Transaction } from 'kysely';
import type { Scope } from '../../schema/policy/scope.ts';
import type { ContractRow } from '../../schema/tables/contract.table.ts';
import type { Database } from '../../schema/types.ts';
import { inScope } from '../db/scope.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** A customer's page lists at most this many contracts (or orders), newest first. */
export const CUSTOMER_DEALS_MAX = 500;

export async function findContract(db: Q, id: string): Promise<ContractRow | null> {
  return (await db.selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function findOpportunityContract(db: Q, opportunityId: string): Promise<ContractRow | null> {
  return (await db.selectFrom('contracts').selectAll().where('opportunity_id', '=', opportunityId).executeTakeFirst()) ?? null;
}

export async function listCustomerContracts(db: Q, customerId: string, scope: Scope): Promise<ContractRow[]> {
  return db
    .selectFrom('contracts')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where(inScope(scope, { team: 'contracts.team_id' }))
    .orderBy('signed_at', 'desc')
    .orderBy('id')
    .limit(CUSTOMER_DEALS_MAX)
    .execute();
}
