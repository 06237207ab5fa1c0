import type { CreateUserBody, UpdateProfileBody, UpdateUserBody } from '../../schema/wire/user.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { recordSecurityEvent } from '../audit/security-events.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../auth/password.ts';
import { endUserSessions } from '../auth/session.service.ts';
import type { AppContext } from '../context.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../http/app-error.ts';
import { findTeamById } from '../teams/team.repository.ts';
import type { User } from './user.ts';
import { WORKSPACE, can, needsTeam } from '../../schema/policy/access.ts';
import { countUsers, findPasswordHash, findUserById, findUserByLogin, insertUser, updateUserRow } from './user.repository.ts';

function weak(problem: string, field: string): AppError {
  return new AppError('weak_password', 400, `Password ${problem}`, field);
}

async function assertTeamExists(ctx: AppContext, teamId: string | null | undefined): Promise<void> {
  if (!teamId) return;
  const team = await findTeamById(ctx.db, teamId);
  if (!team) throw badRequest('teamId: no such team', 'teamId');
  if (team.archived_at) throw badRequest('teamId: the team is archived', 'teamId');
}

export async function createUser(ctx: AppContext, actor: User, body: CreateUserBody): Promise<User> {
  if (!can(actor, 'administer', WORKSPACE)) throw forbidden('Only admins create users');
  const problem = passwordProblem(body.password, { login: body.email, name: body.name });
  if (problem) throw weak(problem, 'password');
  await assertTeamExists(ctx, body.teamId);
  if (needsTeam(body.role) && !body.teamId) throw badRequest('teamId: managers and reps belong to a team', 'teamId');
  if (await findUserByLogin(ctx.db, body.email)) throw conflict('A user with this sign-in already exists', 'email');
  const passwordHash = await hashPassword(body.password);
  return ctx.db.transaction().execute(async (trx) => {
    const user = await insertUser(trx, {
      email: body.email,
      name: body.name,
      role: body.role,
      team_id: body.teamId ?? null,
      password_hash: passwordHash,
      must_change_password: true,
    });
    await recordAudit(trx, {
      actor_id: actor.id,
      team_id: user.teamId,
      action: 'create',
      entity_type: 'user',
      entity_id: user.id,
      changes: { email: [null, user.email], name: [null, user.name], role: [null, user.role], teamId: [null, user.teamId] },
    });
    return user;
  });
}

export async function updateUser(ctx: AppContext, actor: User, id: string, body: UpdateUserBody): Promise<User> {
  if (!can(actor, 'administer', WORKSPACE)) throw forbidden('Only admins change users');
  const before = await findUserById(ctx.db, id);
  if (!before) throw notFound('No such user');
  // An admin who demoted or deactivated themselves could leave the workspace without one.
  if (id === actor.id && (body.active === false || (body.role && !can({ ...actor, role: body.role }, 'administer', WORKSPACE)))) {
    throw badRequest('You cannot deactivate or demote yourself', body.active === false ? 'active' : 'role');
  }
  await assertTeamExists(ctx, body.teamId === before.teamId ? undefined : body.teamId);
  const role = body.role ?? before.role;
  const teamId = body.teamId === undefined ? before.teamId : body.teamId;
  if (needsTeam(role) && !teamId) throw badRequest('teamId: managers and reps belong to a team', 'teamId');
  const after = await ctx.db.transaction().execute(async (trx) => {
    const updated = await updateUserRow(trx, id, {
      role: body.role,
      team_id: body.teamId,
      active: body.active,
      name: body.name,
    });
    if (!updated) throw notFound('No such user');
    const changes: Record<string, [unknown, unknown]> = {};
    for (const key of ['role', 'teamId', 'active', 'name'] as const) {
      if (before[key] !== updated[key]) changes[key] = [before[key], updated[key]];
    }
    if (Object.keys(changes).length > 0) {
      await recordAudit(trx, { actor_id: actor.id, team_id: updated.teamId, action: 'update', entity_type: 'user', entity_id: id, changes });
    }
    return updated;
  });
  // A deactivated user is signed out everywhere at once; so is one whose role or team
  // changed, since live connections were authorised under the old ones.
  if (!after.active || before.role !== after.role || before.teamId !== after.teamId) await endUserSessions(ctx, id);
  return after;
}

export async function updateProfile(ctx: AppContext, user: User, body: UpdateProfileBody): Promise<User> {
  const updated = await updateUserRow(ctx.db, user.id, body);
  if (!updated) throw notFound('No such user');
  return updated;
}

/**
 * Changes the signed-in user's password, clears the forced change, and ends
 * every other session of theirs.
 */
export async function changePassword(
  ctx: AppContext,
  user: User,
  sessionId: string,
  currentPassword: string,
  newPassword: string,
  who: { address?: string | null; userAgent?: string | null } = {},
): Promise<void> {
  const stored = await findPasswordHash(ctx.db, user.id);
  if (!stored || !(await verifyPassword(stored, currentPassword))) {
    throw new AppError('invalid_credentials', 400, 'The current password is wrong', 'currentPassword');
  }
  if (newPassword === currentPassword) throw weak('must differ from the current one', 'newPassword');
  const problem = passwordProblem(newPassword, { login: user.email, name: user.name });
  if (problem) throw weak(problem, 'newPassword');
  const hash = await hashPassword(newPassword);
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await updateUserRow(trx, user.id, { password_hash: hash, must_change_password: false, password_changed_at: now });
    await recordSecurityEvent(trx, { kind: 'password_changed', at: now, userId: user.id, email: user.email, ...who });
  });
  await endUserSessions(ctx, user.id, sessionId);
}

/**
 * First run: with no user at all, create the admin from ADMIN_EMAIL /
 * ADMIN_PASSWORD, or with a random password returned for printing once.
 * Either way the admin must change the password at first sign-in.
 */
export async function ensureFirstAdmin(
  ctx: AppContext,
  generatePassword: () => string,
): Promise<{ email: string; password: string | null } | null> {
  if ((await countUsers(ctx.db)) > 0) return null;
  const email = (ctx.config.adminEmail ?? 'admin@tandem.local').toLowerCase();
  const password = ctx.config.adminPassword ?? generatePassword();
  try {
    await insertUser(ctx.db, {
      email,
      name: 'Administrator',
      role: 'admin',
      team_id: null,
      password_hash: await hashPassword(password),
      must_change_password: true,
    });
  } catch (e) {
    // Another process created it first.
    if ((await countUsers(ctx.db)) > 0) return null;
    throw e;
  }
  return { email, password: ctx.config.adminPassword ? null : password };
}
