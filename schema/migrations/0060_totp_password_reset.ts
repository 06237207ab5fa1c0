import { type Kysely, sql } from 'kysely';

/**
 * Two-factor sign-in (TOTP) and the password life cycle.
 *
 * - `user_totp`: one row per user who started enrolment; `enabled_at` null until the first code
 *   confirmed it. `last_step` is the last time step accepted, so a code is never taken twice.
 * - `totp_recovery_codes`: ten per enrolment, only their SHA-256 stored, `used_at` once used.
 * - `password_reset_tokens`: only a SHA-256 of the token; single use, expiring, and every older
 *   unused token of the user is spent when a newer one is made.
 * - `workspace_settings`: one row (id 1) of workspace-wide security settings.
 * - `users.password_changed_at` (for the maximum password age) and `users.must_enrol_totp`
 *   (set at sign-in when the user's role requires TOTP and they have none).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('password_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('must_enrol_totp', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();

  await db.schema
    .createTable('user_totp')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('enabled_at', 'timestamptz')
    .addColumn('last_step', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('totp_recovery_codes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('totp_recovery_codes_user_idx').on('totp_recovery_codes').columns(['user_id', 'code_hash']).execute();

  await db.schema
    .createTable('password_reset_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('password_reset_tokens_user_idx').on('password_reset_tokens').column('user_id').execute();

  await db.schema
    .createTable('workspace_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey().defaultTo(1).check(sql`id = 1`))
    .addColumn('totp_required_roles', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('max_password_age_days', 'integer', (c) => c.check(sql`max_password_age_days between 1 and 3650`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`insert into workspace_settings (id) values (1)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('workspace_settings').execute();
  await db.schema.dropTable('password_reset_tokens').execute();
  await db.schema.dropTable('totp_recovery_codes').execute();
  await db.schema.dropTable('user_totp').execute();
  await db.schema.alterTable('users').dropColumn('must_enrol_totp').execute();
  await db.schema.alterTable('users').dropColumn('password_changed_at').execute();
}
