/**
 * Creating many customers at once (create, imports, demo data, benchmarks): the projection
 * rows and their documents' first snapshots in multi-row inserts, inside the caller's
 * transaction. See customer-initial-doc.ts for why the snapshot is written here.
 */
import { sql, type Transaction } from 'kysely';
import { customerDocName } from '../../schema/wire/docs.ts';
import type { Database } from '../../schema/types.ts';
import { PROJECTED_COLUMN_TYPES } from './customer.projection.ts';
import type { InitialCustomerState } from './customer-initial-doc.ts';

/** Rows per INSERT statement: well below PostgreSQL's 65,535 bind parameters (≈30 per row). */
export const BULK_INSERT_ROWS = 1000;

export async function insertInitialCustomers(trx: Transaction<Database>, items: InitialCustomerState[], now: Date): Promise<void> {
  for (let i = 0; i < items.length; i += BULK_INSERT_ROWS) {
    const chunk = items.slice(i, i + BULK_INSERT_ROWS);
    await insertRows(
      trx,
      chunk.map((x) => x.row),
    );
    await trx
      .insertInto('doc_snapshots')
      .values(chunk.map((x) => ({ doc_name: customerDocName(x.row.id), state: x.state, last_update_id: 0, updated_at: now })))
      .execute();
  }
}

/** The SQL type of each column of a new customer's row; `custom_fields` comes as JSON text. */
const ROW_COLUMN_TYPES: Record<string, string> = {
  ...PROJECTED_COLUMN_TYPES,
  custom_fields: 'text',
  id: 'uuid',
  team_id: 'uuid',
  created_by: 'uuid',
  import_id: 'uuid',
  name: 'text',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
};

/**
 * The rows in one INSERT, their values passed as one JSON array (typed by `jsonb_to_recordset`):
 * a thousand rows of thirty columns as bind parameters cost more to build and send than the
 * insert costs the database. Every row has the columns of the first.
 */
async function insertRows(trx: Transaction<Database>, rows: ReadonlyArray<InitialCustomerState['row']>): Promise<void> {
  const columns = Object.keys(rows[0]!);
  for (const c of columns) if (!(c in ROW_COLUMN_TYPES)) throw new Error(`No SQL type for customers.${c}`);
  await sql`
    insert into customers (${sql.join(columns.map((c) => sql.ref(c)))})
    select ${sql.join(columns.map((c) => (c === 'custom_fields' ? sql`v.custom_fields::jsonb` : sql.ref(`v.${c}`))))}
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(${sql.join(columns.map((c) => sql`${sql.ref(c)} ${sql.raw(ROW_COLUMN_TYPES[c]!)}`))})
  `.execute(trx);
}
