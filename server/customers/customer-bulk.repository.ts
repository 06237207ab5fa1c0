/**
 * Creating many customers at once (create, imports, demo data, benchmarks): the projection
 * rows and their documents' first snapshots in multi-row inserts, inside the caller's
 * transaction. See customer-initial-doc.ts for why the snapshot is written here.
 */
import type { Transaction } from 'kysely';
import { customerDocName } from '../../schema/wire/docs.ts';
import type { Database } from '../../schema/types.ts';
import type { InitialCustomerState } from './customer-initial-doc.ts';

/** Rows per INSERT statement: well below PostgreSQL's 65,535 bind parameters (≈30 per row). */
export const BULK_INSERT_ROWS = 1000;

export async function insertInitialCustomers(trx: Transaction<Database>, items: InitialCustomerState[], now: Date): Promise<void> {
  for (let i = 0; i < items.length; i += BULK_INSERT_ROWS) {
    const chunk = items.slice(i, i + BULK_INSERT_ROWS);
    await trx
      .insertInto('customers')
      .values(chunk.map((x) => x.row))
      .execute();
    await trx
      .insertInto('doc_snapshots')
      .values(chunk.map((x) => ({ doc_name: customerDocName(x.row.id), state: x.state, last_update_id: 0, updated_at: now })))
      .execute();
  }
}
