import { type Kysely, sql } from 'kysely';

/**
 * Pipeline meetings: when a manager started presenting a board, so that the
 * next meeting can show what changed since. What happens during a meeting
 * (who follows, the focused card) lives in awareness and is never stored.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('pipeline_meetings')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('pipeline_id', 'uuid', (c) => c.notNull().references('pipelines.id'))
    .addColumn('team_id', 'uuid', (c) => c.references('teams.id'))
    .addColumn('started_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('pipeline_meetings_pipeline_idx')
    .on('pipeline_meetings')
    .columns(['pipeline_id', 'started_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('pipeline_meetings').execute();
}
