import { type Kysely, sql } from 'kysely';

/**
 * Pipelines and their stages, the teams using them, opportunities (the
 * relational projection of `board:<pipelineId>` documents) with their stage
 * history, quotes, and orders/contracts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('pipelines')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_zh', 'text')
    .addColumn('is_default', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('archived_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('pipeline_teams')
    .addColumn('pipeline_id', 'uuid', (c) => c.notNull().references('pipelines.id').onDelete('cascade'))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('pipeline_teams_pk', ['pipeline_id', 'team_id'])
    .execute();
  await db.schema.createIndex('pipeline_teams_team_idx').on('pipeline_teams').column('team_id').execute();

  await db.schema
    .createTable('pipeline_stages')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('pipeline_id', 'uuid', (c) => c.notNull().references('pipelines.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_zh', 'text')
    .addColumn('probability', 'integer', (c) => c.notNull().check(sql`probability between 0 and 100`))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('open').check(sql`kind in ('open', 'won', 'lost')`))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('pipeline_stages_pipeline_idx').on('pipeline_stages').columns(['pipeline_id', 'position']).execute();

  await db.schema
    .createTable('opportunities')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('pipeline_id', 'uuid', (c) => c.notNull().references('pipelines.id'))
    .addColumn('customer_id', 'uuid', (c) => c.notNull().references('customers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('amount', sql`numeric(16, 2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('CNY'))
    .addColumn('expected_close_date', 'text')
    .addColumn('stage_id', 'uuid', (c) => c.notNull().references('pipeline_stages.id'))
    .addColumn('owner_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('rank', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'won', 'lost')`))
    .addColumn('lost_reason', 'text')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('opportunities_pipeline_idx').on('opportunities').columns(['pipeline_id', 'stage_id']).execute();
  await db.schema.createIndex('opportunities_team_idx').on('opportunities').columns(['team_id', 'updated_at']).execute();
  await db.schema.createIndex('opportunities_customer_idx').on('opportunities').column('customer_id').execute();
  await db.schema.createIndex('opportunities_owner_idx').on('opportunities').column('owner_id').execute();

  await db.schema
    .createTable('opportunity_stage_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('opportunity_id', 'uuid', (c) => c.notNull().references('opportunities.id'))
    .addColumn('pipeline_id', 'uuid', (c) => c.notNull().references('pipelines.id'))
    .addColumn('from_stage_id', 'uuid', (c) => c.references('pipeline_stages.id'))
    .addColumn('to_stage_id', 'uuid', (c) => c.notNull().references('pipeline_stages.id'))
    .addColumn('entered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('left_at', 'timestamptz')
    .addColumn('moved_by', 'uuid', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('opportunity_stage_history_opp_idx')
    .on('opportunity_stage_history')
    .columns(['opportunity_id', 'entered_at'])
    .execute();
  await db.schema
    .createIndex('opportunity_stage_history_pipeline_idx')
    .on('opportunity_stage_history')
    .columns(['pipeline_id', 'entered_at'])
    .execute();

  await db.schema
    .createTable('quotes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('opportunity_id', 'uuid', (c) => c.notNull().references('opportunities.id'))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('customer_id', 'uuid', (c) => c.notNull().references('customers.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('draft').check(sql`status in ('draft', 'sent', 'accepted', 'rejected')`),
    )
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('CNY'))
    .addColumn('items', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('tax_percent', sql`numeric(5, 2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('subtotal', sql`numeric(16, 2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('tax', sql`numeric(16, 2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('total', sql`numeric(16, 2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('valid_until', 'text')
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('quotes_opportunity_idx').on('quotes').column('opportunity_id').execute();
  await db.schema.createIndex('quotes_customer_idx').on('quotes').column('customer_id').execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('opportunity_id', 'uuid', (c) => c.notNull().unique().references('opportunities.id'))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('customer_id', 'uuid', (c) => c.notNull().references('customers.id'))
    .addColumn('contract_number', 'text', (c) => c.notNull())
    .addColumn('amount', sql`numeric(16, 2)`, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('CNY'))
    .addColumn('signed_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active', 'fulfilled', 'cancelled')`),
    )
    .addColumn('quote_id', 'uuid', (c) => c.references('quotes.id'))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('orders_team_contract_key')
    .on('orders')
    .columns(['team_id', 'contract_number'])
    .unique()
    .execute();
  await db.schema.createIndex('orders_customer_idx').on('orders').column('customer_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('orders').execute();
  await db.schema.dropTable('quotes').execute();
  await db.schema.dropTable('opportunity_stage_history').execute();
  await db.schema.dropTable('opportunities').execute();
  await db.schema.dropTable('pipeline_stages').execute();
  await db.schema.dropTable('pipeline_teams').execute();
  await db.schema.dropTable('pipelines').execute();
}
