/**
 * The customers a list's filter matches, counted or read whole: the list's match count and the
 * selection of a bulk edit ("all N matching"). The same WHERE clause as the list
 * (`filterConditions`), so the count, the list and a bulk edit always agree.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/types.ts';
import type { Scope } from '../../schema/policy/scope.ts';
import { inScope } from '../db/scope.ts';
import type { ResolvedCustomerFilter } from '../custom-fields/custom-field-filter.ts';
import { CUSTOMER_RECORD_COLUMNS, type CustomerRecord } from './customer.ts';
import { filterConditions } from './customer.repository.ts';

type Q = Kysely<Database> | Transaction<Database>;

const SCOPE_COLUMNS = { team: 'customers.team_id', own: 'customers.owner_id' };

/** How many customers match; counting stops at `cap` + 1 so a huge list costs no more than that. */
export async function countMatching(db: Q, scope: Scope, filter: ResolvedCustomerFilter, opts: { now: Date; userId: string; cap: number }): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('customers')
        .select('customers.id')
        .where((w) => filterConditions(w, scope, filter, opts))
        .limit(opts.cap + 1)
        .as('m'),
    )
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The matching customers (at most `limit`), in id order. */
export function selectMatching(
  db: Q,
  scope: Scope,
  filter: ResolvedCustomerFilter,
  opts: { now: Date; userId: string; limit: number },
): Promise<CustomerRecord[]> {
  return db
    .selectFrom('customers')
    .select(CUSTOMER_RECORD_COLUMNS.map((c) => `customers.${c}` as const))
    .where((eb) => filterConditions(eb, scope, filter, opts))
    .orderBy('customers.id')
    .limit(opts.limit)
    .execute() as Promise<CustomerRecord[]>;
}

/** These customers, of those inside the scope. */
export async function selectByIds(db: Q, scope: Scope, ids: readonly string[]): Promise<CustomerRecord[]> {
  const out: CustomerRecord[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    out.push(
      ...(await db
        .selectFrom('customers')
        .select(CUSTOMER_RECORD_COLUMNS)
        .where('id', 'in', ids.slice(i, i + 1000))
        .where(inScope(scope, SCOPE_COLUMNS))
        .orderBy('id')
        .execute()),
    );
  }
  return out;
}
