import { Hono } from 'hono';
import { type WorkspaceSecurityDto, updateWorkspaceSecurityBody } from '../../schema/wire/two-factor.ts';
import { WORKSPACE, can } from '../../schema/policy/access.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import { forbidden } from '../http/app-error.ts';
import type { HonoEnv } from '../http/env.ts';
import { jsonBody } from '../http/validate.ts';
import { getWorkspaceSecurity, updateWorkspaceSecurity } from './workspace-settings.repository.ts';

/** `/api/workspace/security`: two-factor sign-in required by role, and the maximum password age. Admins only. */
export function workspaceSecurityRoutes(ctx: AppContext) {
  const admin = (c: Parameters<typeof requireUser>[0]) => {
    const { user } = requireUser(c);
    if (!can(user, 'administer', WORKSPACE)) throw forbidden('Only admins change security settings');
    return user;
  };
  const dto = async (): Promise<WorkspaceSecurityDto> => ({ ...(await getWorkspaceSecurity(ctx.db)), mailConfigured: Boolean(ctx.config.smtpUrl) });
  return new Hono<HonoEnv>()
    .get('/', async (c) => {
      admin(c);
      return c.json(await dto());
    })
    .patch('/', async (c) => {
      const actor = admin(c);
      const body = await jsonBody(c, updateWorkspaceSecurityBody);
      await ctx.db.transaction().execute(async (trx) => {
        const before = await getWorkspaceSecurity(trx);
        await updateWorkspaceSecurity(trx, body, ctx.now());
        const changes: Record<string, [unknown, unknown]> = {};
        if (body.totpRequiredRoles) changes.totpRequiredRoles = [before.totpRequiredRoles, body.totpRequiredRoles];
        if (body.maxPasswordAgeDays !== undefined) changes.maxPasswordAgeDays = [before.maxPasswordAgeDays, body.maxPasswordAgeDays];
        await recordAudit(trx, { actor_id: actor.id, action: 'update', entity_type: 'workspace_security', entity_id: 'workspace', changes });
      });
      return c.json(await dto());
    });
}
