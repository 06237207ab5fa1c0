import { Hono } from 'hono';
import { WORKSPACE, can } from '../../schema/policy/access.ts';
import { updateWorkspaceDealsBody, type WorkspaceDealsDto } from '../../schema/wire/contracts.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import { forbidden } from '../http/app-error.ts';
import type { HonoEnv } from '../http/env.ts';
import { jsonBody } from '../http/validate.ts';
import { getWonSetsCustomerCategory, setWonSetsCustomerCategory } from './workspace-settings.repository.ts';

/** `/api/workspace/deals`: the rules of won deals (docs/contracts.md). Admins only. */
export function workspaceDealsRoutes(ctx: AppContext) {
  const admin = (c: Parameters<typeof requireUser>[0]) => {
    const { user } = requireUser(c);
    if (!can(user, 'administer', WORKSPACE)) throw forbidden('Only admins change workspace settings');
    return user;
  };
  return new Hono<HonoEnv>()
    .get('/', async (c) => {
      admin(c);
      return c.json({ wonSetsCustomerCategory: await getWonSetsCustomerCategory(ctx.db) } satisfies WorkspaceDealsDto);
    })
    .patch('/', async (c) => {
      const actor = admin(c);
      const body = await jsonBody(c, updateWorkspaceDealsBody);
      await ctx.db.transaction().execute(async (trx) => {
        const before = await getWonSetsCustomerCategory(trx);
        await setWonSetsCustomerCategory(trx, body.wonSetsCustomerCategory, ctx.now());
        await recordAudit(trx, {
          actor_id: actor.id,
          action: 'update',
          entity_type: 'workspace_deals',
          entity_id: 'workspace',
          changes: { wonSetsCustomerCategory: [before, body.wonSetsCustomerCategory] },
        });
      });
      return c.json({ wonSetsCustomerCategory: body.wonSetsCustomerCategory } satisfies WorkspaceDealsDto);
    });
}
