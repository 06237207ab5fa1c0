import type { DB } from '../db/database.ts';
import type { User } from '../users/user.ts';
import { updateUserRow } from '../users/user.repository.ts';
import { getWorkspaceSecurity } from '../workspace/workspace-settings.repository.ts';
import { passwordExpired } from './password-reset.ts';

/**
 * What the workspace asks of a user who just signed in: a password past the maximum age must be
 * changed, and a role that requires two-factor sign-in sends a user without it to enrol. Both
 * flags are stored, so every request until then is held (requireUser).
 */
export async function afterSignIn(db: DB, user: User, usedSecondFactor: boolean, now: Date): Promise<User> {
  const settings = await getWorkspaceSecurity(db);
  const mustChangePassword = user.mustChangePassword || passwordExpired(user.passwordChangedAt, settings.maxPasswordAgeDays, now);
  const mustEnrolTotp = !usedSecondFactor && settings.totpRequiredRoles.includes(user.role);
  if (mustChangePassword === user.mustChangePassword && mustEnrolTotp === user.mustEnrolTotp) return user;
  return (await updateUserRow(db, user.id, { must_change_password: mustChangePassword, must_enrol_totp: mustEnrolTotp })) ?? user;
}
