import { type Kysely, sql } from 'kysely';

/**
 * Activities: the follow-ups of customer documents as rows (timeline filters
 * and reports), plus the indexes the reports read by.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('activities')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('customer_id', 'uuid', (c) => c.notNull().references('customers.id'))
    /** The follow-up's id inside the customer document. */
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('next_at', 'timestamptz')
    .addColumn('outcome', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('excerpt', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('activities_customer_source_key', ['customer_id', 'source_id'])
    .execute();
  await sql`create index activities_team_at_idx on activities (team_id, at)`.execute(db);
  await sql`create index activities_author_at_idx on activities (author_id, at)`.execute(db);

  await sql`create index opportunities_team_closed_idx on opportunities (team_id, status, closed_at)`.execute(db);
  await sql`create index opportunities_team_close_month_idx on opportunities (team_id, status, expected_close_date)`.execute(db);
  await sql`create index opportunities_pipeline_created_idx on opportunities (pipeline_id, created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index opportunities_pipeline_created_idx`.execute(db);
  await sql`drop index opportunities_team_close_month_idx`.execute(db);
  await sql`drop index opportunities_team_closed_idx`.execute(db);
  await db.schema.dropTable('activities').execute();
}
