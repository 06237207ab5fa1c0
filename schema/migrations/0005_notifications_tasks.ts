import { type Kysely, sql } from 'kysely';

/**
 * Tasks, notifications and the fire-once state of reminders.
 * `tasks.opportunity_id` has no foreign key: the opportunities table comes later.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tasks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('assignee_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('due_at', 'timestamptz')
    .addColumn('customer_id', 'uuid', (c) => c.references('customers.id'))
    .addColumn('opportunity_id', 'uuid')
    .addColumn('done_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('due_soon_reminded_at', 'timestamptz')
    .addColumn('overdue_reminded_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('tasks_team_idx').on('tasks').columns(['team_id', 'due_at']).execute();
  await db.schema.createIndex('tasks_assignee_idx').on('tasks').columns(['assignee_id', 'due_at']).execute();
  await db.schema.createIndex('tasks_customer_idx').on('tasks').column('customer_id').execute();
  // The reminder scheduler scans open tasks with a due time whose reminders have not all fired.
  await db.schema
    .createIndex('tasks_reminder_idx')
    .on('tasks')
    .column('due_at')
    .where(sql.ref('done_at'), 'is', null)
    .where(sql.ref('overdue_reminded_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('recipient_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('team_id', 'uuid', (c) => c.references('teams.id'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('assignment', 'mention', 'reminder')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('link', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'uuid')
    .addColumn('actor_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('read_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('notifications_recipient_idx')
    .on('notifications')
    .columns(['recipient_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('notifications_unread_idx')
    .on('notifications')
    .column('recipient_id')
    .where(sql.ref('read_at'), 'is', null)
    .execute();

  // One row per follow-up date that has been reminded: the key makes a second firing impossible.
  await db.schema
    .createTable('followup_reminders')
    .addColumn('customer_id', 'uuid', (c) => c.notNull().references('customers.id'))
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('fired_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('followup_reminders_pkey', ['customer_id', 'due_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('followup_reminders').execute();
  await db.schema.dropTable('notifications').execute();
  await db.schema.dropTable('tasks').execute();
}
