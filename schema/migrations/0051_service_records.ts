import { type Kysely, sql } from 'kysely';

/**
 * After-sales feedback and service records: one row per complaint, request, feedback,
 * maintenance job or visit of a customer, in the customer's team. `resolved_at` is set when a
 * record is resolved (or closed) and cleared when it is reopened; `satisfaction` (1–5) only
 * exists once it is resolved or closed. The indexes serve the customer's list, the team queue
 * (by status and due date) and the report (resolved in a period).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('service_records')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('customer_id', 'uuid', (c) => c.notNull().references('customers.id'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('complaint', 'request', 'feedback', 'maintenance', 'visit')`))
    .addColumn('channel', 'text', (c) => c.notNull().defaultTo('other').check(sql`channel in ('phone', 'email', 'visit', 'chat', 'other')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'in_progress', 'resolved', 'closed')`))
    .addColumn('assignee_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('due_at', 'timestamptz')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolution', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('satisfaction', 'smallint', (c) => c.check(sql`satisfaction between 1 and 5`))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('service_records_resolved_when_done', sql`(status in ('resolved', 'closed')) = (resolved_at is not null)`)
    .addCheckConstraint('service_records_rated_when_done', sql`satisfaction is null or status in ('resolved', 'closed')`)
    .execute();
  await sql`create index service_records_customer_idx on service_records (customer_id, created_at)`.execute(db);
  await sql`create index service_records_queue_idx on service_records (team_id, status, due_at, created_at)`.execute(db);
  await sql`create index service_records_resolved_idx on service_records (team_id, resolved_at)`.execute(db);
  await sql`create index service_records_assignee_idx on service_records (assignee_id, status)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('service_records').execute();
}
