/**
 * The password life cycle beyond a change by the user: an admin's reset (a temporary password),
 * reset links (by e-mail with SMTP, or made by an admin), and the reset itself.
 */
import type { AdminPasswordResetDto } from '../../schema/wire/two-factor.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { recordSecurityEvent } from '../audit/security-events.ts';
import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../http/app-error.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { User } from '../users/user.ts';
import { findUserById, findUserByLogin, updateUserRow } from '../users/user.repository.ts';
import { hashPassword, passwordProblem } from './password.ts';
import { hashResetToken, newResetToken, newTemporaryPassword, RESET_TOKEN_TTL_MS, resetLink } from './password-reset.ts';
import { consumeResetToken, insertResetToken, peekResetToken } from './password-reset.repository.ts';
import { endUserSessions } from './session.service.ts';

/** Who asked, for the security event. */
export interface Requester {
  address: string;
  userAgent: string | null;
}

const invalidToken = () => new AppError('invalid_token', 400, 'This reset link is not valid any more; ask for a new one', 'token');

async function makeLink(ctx: AppContext, userId: string, createdBy: string | null, baseUrl: string) {
  const token = newResetToken();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + RESET_TOKEN_TTL_MS);
  await insertResetToken(ctx.db, { tokenHash: hashResetToken(token), userId, createdBy, createdAt: now, expiresAt });
  return { link: resetLink(baseUrl, token), expiresAt };
}

/**
 * `POST /api/auth/password-reset`, after the answer has been sent: a link by e-mail to an active
 * account with that address; nothing for an unknown one. A security event either way.
 */
export async function requestPasswordReset(ctx: AppContext, mailer: Mailer | null, email: string, who: Requester, baseUrl: string): Promise<void> {
  const login = email.toLowerCase();
  const found = await findUserByLogin(ctx.db, login);
  const user = found?.user.active ? found.user : null;
  if (user && mailer) {
    const { link } = await makeLink(ctx, user.id, null, baseUrl);
    await mailer.send({
      to: user.email,
      subject: 'Reset your Tandem password',
      text: [
        `Hello ${user.name},`,
        '',
        'Someone (we hope you) asked to reset your Tandem password. Open this link within 30 minutes to choose a new one:',
        '',
        link,
        '',
        'If you did not ask, ignore this e-mail: your password stays as it is.',
      ].join('\n'),
    });
  }
  await recordSecurityEvent(ctx.db, { kind: 'password_reset_requested', at: ctx.now(), userId: user?.id, email: login, ...who });
}

/** `POST /api/auth/password-reset/confirm`: the new password, if the token still works; every session ends. */
export async function confirmPasswordReset(ctx: AppContext, token: string, newPassword: string, who: Requester): Promise<void> {
  const tokenHash = hashResetToken(token);
  const now = ctx.now();
  const userId = await peekResetToken(ctx.db, tokenHash, now);
  const user = userId ? await findUserById(ctx.db, userId) : null;
  if (!user?.active) throw invalidToken();
  // The rules first, so that a weak password does not spend the link.
  const problem = passwordProblem(newPassword, { login: user.email, name: user.name });
  if (problem) throw new AppError('weak_password', 400, `Password ${problem}`, 'newPassword');
  const hash = await hashPassword(newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    if ((await consumeResetToken(trx, tokenHash, now)) !== user.id) throw invalidToken();
    await updateUserRow(trx, user.id, { password_hash: hash, must_change_password: false, password_changed_at: now });
    await recordSecurityEvent(trx, { kind: 'password_reset', at: now, userId: user.id, email: user.email, ...who });
  });
  await endUserSessions(ctx, user.id);
  ctx.log.info({ event: 'password_reset', userId: user.id }, 'password reset through a link');
}

/**
 * An admin resets a user's password. `temporary`: a new password, shown to the admin once, to be
 * changed at the next sign-in; every session of the user ends. `link`: a one-time reset link for
 * the admin to pass on (for workspaces without SMTP); the password stays until it is used.
 */
export async function adminResetPassword(
  ctx: AppContext,
  actor: User,
  userId: string,
  mode: 'temporary' | 'link',
  who: Requester,
  baseUrl: string,
): Promise<AdminPasswordResetDto> {
  const target = await findUserById(ctx.db, userId);
  if (!target) throw notFound('No such user');
  const now = ctx.now();
  if (mode === 'link') {
    const { link, expiresAt } = await makeLink(ctx, target.id, actor.id, baseUrl);
    await ctx.db.transaction().execute(async (trx) => {
      await recordAudit(trx, { actor_id: actor.id, team_id: target.teamId, action: 'password_reset_link', entity_type: 'user', entity_id: target.id, changes: {} });
      await recordSecurityEvent(trx, { kind: 'password_reset_requested', at: now, userId: target.id, email: target.email, ...who });
    });
    return { link, expiresAt: expiresAt.toISOString() };
  }
  let temporaryPassword = newTemporaryPassword();
  while (passwordProblem(temporaryPassword, { login: target.email, name: target.name })) temporaryPassword = newTemporaryPassword();
  const hash = await hashPassword(temporaryPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await updateUserRow(trx, target.id, { password_hash: hash, must_change_password: true, password_changed_at: now });
    await recordAudit(trx, { actor_id: actor.id, team_id: target.teamId, action: 'password_reset', entity_type: 'user', entity_id: target.id, changes: { mustChangePassword: [target.mustChangePassword, true] } });
    await recordSecurityEvent(trx, { kind: 'password_reset', at: now, userId: target.id, email: target.email, ...who });
  });
  await endUserSessions(ctx, target.id);
  ctx.log.info({ event: 'password_reset', userId: target.id, by: actor.id }, 'password reset by an admin');
  return { temporaryPassword };
}
