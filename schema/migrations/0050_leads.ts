import { type Kysely, sql } from 'kysely';

/**
 * Leads (销售线索): people or companies captured before they are customers. A lead belongs to a
 * team, may have an owner, and moves through new → contacted → qualified, or disqualified (with
 * a reason), until it is converted into a customer (with a contact and maybe an opportunity),
 * which it then links to. Searched by name, company, phone and e-mail; listed newest first.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('leads')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('company', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('owner_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('new').check(sql`status in ('new', 'contacted', 'qualified', 'disqualified', 'converted')`),
    )
    .addColumn('disqualified_reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('customer_id', 'uuid', (c) => c.references('customers.id'))
    .addColumn('contact_id', 'uuid')
    .addColumn('opportunity_id', 'uuid')
    .addColumn('converted_at', 'timestamptz')
    .addColumn('converted_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index leads_team_created_idx on leads (team_id, created_at desc, id desc)`.execute(db);
  await sql`create index leads_team_status_idx on leads (team_id, status)`.execute(db);
  await sql`create index leads_owner_idx on leads (owner_id)`.execute(db);
  await sql`create index leads_customer_idx on leads (customer_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('leads').execute();
}
