import { Hono } from 'hono';
import { adminPasswordResetBody } from '../../schema/wire/two-factor.ts';
import { WORKSPACE, can } from '../../schema/policy/access.ts';
import type { AppContext } from '../context.ts';
import { badRequest, forbidden } from '../http/app-error.ts';
import { clientAddress, userAgent } from '../http/client-address.ts';
import type { HonoEnv } from '../http/env.ts';
import { jsonBody, pathId } from '../http/validate.ts';
import { requireUser } from './auth.middleware.ts';
import { adminResetPassword } from './password-reset.service.ts';
import { resetUserTotp } from './two-factor.service.ts';

/** One's own password and second factor are changed in Settings, with proof (the password or a code). */
function notSelf(actorId: string, id: string): string {
  if (id === actorId) throw badRequest('id: use your own settings for your own account', 'id');
  return id;
}

/** `/api/users/:id/password-reset` and `/api/users/:id/totp/reset`: an admin's help with a locked-out account. */
export function accountAdminRoutes(ctx: AppContext) {
  const admin = (c: Parameters<typeof requireUser>[0]) => {
    const { user } = requireUser(c);
    if (!can(user, 'administer', WORKSPACE)) throw forbidden('Only admins reset accounts');
    return user;
  };
  return new Hono<HonoEnv>()
    .post('/users/:id/password-reset', async (c) => {
      const actor = admin(c);
      const id = notSelf(actor.id, pathId(c));
      const body = await jsonBody(c, adminPasswordResetBody);
      const who = { address: clientAddress(c, ctx.config.trustProxy), userAgent: userAgent(c) };
      return c.json(await adminResetPassword(ctx, actor, id, body.mode, who, ctx.config.publicUrl));
    })
    .post('/users/:id/totp/reset', async (c) => {
      const actor = admin(c);
      await resetUserTotp(ctx, actor, notSelf(actor.id, pathId(c)));
      return c.body(null, 204);
    });
}
