import { type Kysely, sql } from 'kysely';

/**
 * Quote → order → contract.
 * - `contracts`: one per opportunity, in the opportunity's team and customer; the number is
 *   unique in the workspace. `renewal_reminded_at` is written with the renewal reminder, so it
 *   fires once across nodes (the partial index serves the scheduler's scan).
 * - `orders.status` becomes the fulfilment chain confirmed → delivered → invoiced → paid, or
 *   cancelled (active → confirmed, fulfilled → delivered).
 * - `workspace_settings.won_sets_customer_category`: winning a deal makes its customer a won
 *   customer (on by default).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contracts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('opportunity_id', 'uuid', (c) => c.notNull().unique().references('opportunities.id'))
    .addColumn('customer_id', 'uuid', (c) => c.notNull().references('customers.id'))
    .addColumn('number', 'text', (c) => c.notNull().unique().check(sql`char_length(number) between 1 and 60`))
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('value', sql`numeric(16, 2)`, (c) => c.notNull().check(sql`value >= 0`))
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('CNY'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'expired', 'terminated')`))
    .addColumn('renewal_remind_at', 'timestamptz')
    .addColumn('renewal_reminded_at', 'timestamptz')
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('contracts_term_in_order', sql`starts_at <= ends_at`)
    .execute();
  await sql`create index contracts_customer_idx on contracts (customer_id, signed_at desc)`.execute(db);
  await sql`create index contracts_renewal_due_idx on contracts (renewal_remind_at) where renewal_reminded_at is null and renewal_remind_at is not null`.execute(db);

  await sql`alter table orders drop constraint orders_status_check`.execute(db);
  await sql`update orders set status = case status when 'active' then 'confirmed' when 'fulfilled' then 'delivered' else status end`.execute(db);
  await sql`alter table orders alter column status set default 'confirmed'`.execute(db);
  await sql`alter table orders add constraint orders_status_check check (status in ('confirmed', 'delivered', 'invoiced', 'paid', 'cancelled'))`.execute(db);

  await sql`alter table workspace_settings add column won_sets_customer_category boolean not null default true`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table workspace_settings drop column won_sets_customer_category`.execute(db);
  await sql`alter table orders drop constraint orders_status_check`.execute(db);
  await sql`update orders set status = case status when 'confirmed' then 'active' when 'cancelled' then 'cancelled' else 'fulfilled' end`.execute(db);
  await sql`alter table orders alter column status set default 'active'`.execute(db);
  await sql`alter table orders add constraint orders_status_check check (status in ('active', 'fulfilled', 'cancelled'))`.execute(db);
  await db.schema.dropTable('contracts').execute();
}
