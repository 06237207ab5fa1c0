/**
 * Two-factor sign-in: enrolment (a key, confirmed by a first code, then ten recovery codes shown
 * once), the check at sign-in, disabling, and an admin's reset. The key is never returned after
 * enrolment and never logged; recovery codes are stored as hashes only.
 */
import type { RecoveryCodesDto, TotpEnrolmentDto, TotpStatusDto } from '../../schema/wire/two-factor.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { AppContext } from '../context.ts';
import type { DB } from '../db/database.ts';
import { AppError, conflict, notFound } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import { findPasswordHash, findUserById, updateUserRow } from '../users/user.repository.ts';
import { getWorkspaceSecurity } from '../workspace/workspace-settings.repository.ts';
import { verifyPassword } from './password.ts';
import { hashRecoveryCode, isTotpShaped, matchingStep, newRecoveryCodes, newTotpSecret, totpUri } from './totp.ts';
import {
  claimStep,
  countUnusedRecoveryCodes,
  deleteTotp,
  findTotp,
  replaceRecoveryCodes,
  upsertPendingTotp,
  useRecoveryCode,
} from './two-factor.repository.ts';

/** The second factor at sign-in: not enrolled, accepted, not given, or wrong (or replayed). */
export type SecondFactor = 'none' | 'ok' | 'missing' | 'invalid';

const lastStepOf = (v: string | number | bigint | null): bigint | null => (v === null ? null : BigInt(v));

export async function totpStatus(db: DB, user: User): Promise<TotpStatusDto> {
  const totp = await findTotp(db, user.id);
  const settings = await getWorkspaceSecurity(db);
  return {
    enabled: Boolean(totp?.enabled_at),
    recoveryCodesLeft: totp?.enabled_at ? await countUnusedRecoveryCodes(db, user.id) : 0,
    required: settings.totpRequiredRoles.includes(user.role),
  };
}

/** Whether the user has an enabled key. */
export async function hasTotp(db: DB, userId: string): Promise<boolean> {
  return Boolean((await findTotp(db, userId))?.enabled_at);
}

/** Starts enrolment: a new key, shown now and never again once confirmed. */
export async function startEnrolment(ctx: AppContext, user: User): Promise<TotpEnrolmentDto> {
  const secret = newTotpSecret();
  if (!(await upsertPendingTotp(ctx.db, user.id, secret, ctx.now()))) {
    throw conflict('Two-factor sign-in is already on; turn it off first', 'code');
  }
  return { secret, uri: totpUri(secret, user.email) };
}

/** The first code confirms the key: two-factor sign-in is on, and ten recovery codes are made. */
export async function confirmEnrolment(ctx: AppContext, user: User, code: string): Promise<RecoveryCodesDto> {
  const now = ctx.now();
  const pending = await findTotp(ctx.db, user.id);
  if (!pending || pending.enabled_at) throw conflict('Start enrolment first', 'code');
  const step = matchingStep(pending.secret, code, now, lastStepOf(pending.last_step));
  if (step === null) throw new AppError('totp_invalid', 400, 'That code is not right; check the time on your phone', 'code');
  const recoveryCodes = newRecoveryCodes();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await claimStep(trx, user.id, step, { enable: now }))) throw conflict('Enrolment was already confirmed', 'code');
    await replaceRecoveryCodes(trx, user.id, recoveryCodes.map(hashRecoveryCode));
    if (user.mustEnrolTotp) await updateUserRow(trx, user.id, { must_enrol_totp: false });
    await recordAudit(trx, { actor_id: user.id, team_id: user.teamId, action: 'totp_enabled', entity_type: 'user', entity_id: user.id, changes: {} });
  });
  ctx.log.info({ event: 'totp_enabled', userId: user.id }, 'two-factor sign-in enabled');
  return { recoveryCodes };
}

/**
 * Checks a sign-in's second factor. A TOTP code is taken once (its step is claimed); a recovery
 * code is spent. Both are atomic, so two requests with the same code cannot both pass.
 */
export async function checkSecondFactor(db: DB, userId: string, code: string | undefined, now: Date): Promise<SecondFactor> {
  const totp = await findTotp(db, userId);
  if (!totp?.enabled_at) return 'none';
  if (!code) return 'missing';
  if (isTotpShaped(code)) {
    const step = matchingStep(totp.secret, code, now, lastStepOf(totp.last_step));
    return step !== null && (await claimStep(db, userId, step)) ? 'ok' : 'invalid';
  }
  return (await useRecoveryCode(db, userId, hashRecoveryCode(code), now)) ? 'ok' : 'invalid';
}

/** Turns two-factor sign-in off, with a current code (or a recovery code) or the password. */
export async function disableTotp(ctx: AppContext, user: User, proof: { code?: string; password?: string }): Promise<void> {
  let ok = false;
  if (proof.code !== undefined) ok = (await checkSecondFactor(ctx.db, user.id, proof.code, ctx.now())) === 'ok';
  else if (proof.password !== undefined) {
    const stored = await findPasswordHash(ctx.db, user.id);
    ok = stored !== null && (await verifyPassword(stored, proof.password));
  }
  if (!ok) throw new AppError('totp_invalid', 400, 'That code or password is not right', proof.code !== undefined ? 'code' : 'password');
  await ctx.db.transaction().execute(async (trx) => {
    await deleteTotp(trx, user.id);
    await recordAudit(trx, { actor_id: user.id, team_id: user.teamId, action: 'totp_disabled', entity_type: 'user', entity_id: user.id, changes: {} });
  });
}

/** An admin removes a user's second factor (a lost phone); audited. */
export async function resetUserTotp(ctx: AppContext, actor: User, userId: string): Promise<void> {
  const target = await findUserById(ctx.db, userId);
  if (!target) throw notFound('No such user');
  await ctx.db.transaction().execute(async (trx) => {
    const removed = await deleteTotp(trx, userId);
    await recordAudit(trx, {
      actor_id: actor.id,
      team_id: target.teamId,
      action: 'totp_reset',
      entity_type: 'user',
      entity_id: userId,
      changes: { totp: [removed, false] },
    });
  });
  ctx.log.info({ event: 'totp_reset', userId, by: actor.id }, 'two-factor sign-in reset by an admin');
}
