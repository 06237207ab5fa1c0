import type { Kysely, Transaction } from 'kysely';
import type { UserTotpRow } from '../../schema/tables/two-factor.table.ts';
import type { Database } from '../../schema/types.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function findTotp(db: Q, userId: string): Promise<UserTotpRow | null> {
  return (await db.selectFrom('user_totp').selectAll().where('user_id', '=', userId).executeTakeFirst()) ?? null;
}

/** Starts (or restarts) enrolment with a new key; an enabled key is not replaced. */
export async function upsertPendingTotp(db: Q, userId: string, secret: string, now: Date): Promise<boolean> {
  const rows = await db
    .insertInto('user_totp')
    .values({ user_id: userId, secret, enabled_at: null, last_step: null, created_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret, created_at: now, last_step: null }).where('user_totp.enabled_at', 'is', null))
    .returning('user_id')
    .execute();
  return rows.length > 0;
}

/**
 * Takes `step` as the last one used, only if it is later than the last one used: two requests
 * with the same code cannot both pass. Enables the key when `enable`.
 */
export async function claimStep(db: Q, userId: string, step: bigint, opts: { enable?: Date } = {}): Promise<boolean> {
  let q = db
    .updateTable('user_totp')
    .set({ last_step: step.toString(), ...(opts.enable ? { enabled_at: opts.enable } : {}) })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step.toString())]));
  q = opts.enable ? q.where('enabled_at', 'is', null) : q.where('enabled_at', 'is not', null);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteTotp(db: Q, userId: string): Promise<boolean> {
  await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
  const r = await db.deleteFrom('user_totp').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function replaceRecoveryCodes(db: Q, userId: string, hashes: string[]): Promise<void> {
  await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('totp_recovery_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null })))
    .execute();
}

/** Marks an unused recovery code used; false when there is none (wrong, or used already). */
export async function useRecoveryCode(db: Q, userId: string, hash: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('totp_recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function countUnusedRecoveryCodes(db: Q, userId: string): Promise<number> {
  const r = await db
    .selectFrom('totp_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
