import { Migrator } from 'kysely';
import { migrations } from '../../schema/migrations/index.ts';
import type { DB } from './database.ts';

/**
 * Applies every pending migration. Kysely's Migrator holds a row lock in
 * `kysely_migration_lock` for the whole run, so two processes starting at
 * once apply each migration exactly once; a second run is a no-op.
 */
export async function migrateToLatest(db: DB): Promise<string[]> {
  // Unordered: a migration added on a branch may sort before one another branch already applied.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
