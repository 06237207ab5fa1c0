import { type Kysely, sql } from 'kysely';

/**
 * Team operations that move many records at once — handing a user's book over to colleagues,
 * and bulk edits of the customer list — with their progress and what each one changed, so that
 * it can be undone. `handover_changes` keeps, per record and field, the value before and the
 * value the operation wrote: undo restores `before` only where the record still holds `after`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('handovers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('handover', 'bulk')`))
    .addColumn('team_id', 'uuid', (c) => c.references('teams.id'))
    .addColumn('actor_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('from_user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('running').check(sql`status in ('running', 'done', 'failed', 'undone')`))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('counts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('undone_at', 'timestamptz')
    .execute();
  await sql`create index handovers_team_idx on handovers (team_id, created_at desc)`.execute(db);
  await db.schema
    .createTable('handover_changes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('handover_id', 'uuid', (c) => c.notNull().references('handovers.id').onDelete('cascade'))
    .addColumn('entity_type', 'text', (c) => c.notNull().check(sql`entity_type in ('customer', 'opportunity', 'task', 'service_record')`))
    .addColumn('entity_id', 'uuid', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull().check(sql`field in ('owner', 'category', 'tags', 'archived')`))
    .addColumn('before', 'jsonb', (c) => c.notNull())
    .addColumn('after', 'jsonb', (c) => c.notNull())
    .execute();
  await sql`create index handover_changes_handover_idx on handover_changes (handover_id, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('handover_changes').execute();
  await db.schema.dropTable('handovers').execute();
}
