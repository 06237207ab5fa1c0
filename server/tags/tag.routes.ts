/** `/api/admin/tags…`: the workspace's tags with their usage; rename, merge, delete (admins; docs/team-operations.md). */
import { Hono } from 'hono';
import { tagDeleteBody, tagMergeBody, tagRenameBody } from '../../schema/wire/admin-lists.ts';
import { WORKSPACE, can } from '../../schema/policy/access.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import { forbidden } from '../http/app-error.ts';
import type { HonoEnv } from '../http/env.ts';
import { jsonBody } from '../http/validate.ts';
import { listTagUsage } from './tag.repository.ts';
import { retag } from './tag.service.ts';

export function tagAdminRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>()
    .get('/tags', async (c) => {
      const { user } = requireUser(c);
      if (!can(user, 'administer', WORKSPACE)) throw forbidden('Only admins manage tags');
      return c.json({ items: await listTagUsage(ctx.db) });
    })
    .post('/tags/rename', async (c) => {
      const { user } = requireUser(c);
      if (!can(user, 'administer', WORKSPACE)) throw forbidden('Only admins manage tags');
      const body = await jsonBody(c, tagRenameBody);
      return c.json(await retag(ctx, user, { kind: 'rename', from: body.from, to: body.to }));
    })
    .post('/tags/merge', async (c) => {
      const { user } = requireUser(c);
      if (!can(user, 'administer', WORKSPACE)) throw forbidden('Only admins manage tags');
      const body = await jsonBody(c, tagMergeBody);
      return c.json(await retag(ctx, user, { kind: 'merge', tags: body.tags, into: body.into }));
    })
    .post('/tags/delete', async (c) => {
      const { user } = requireUser(c);
      if (!can(user, 'administer', WORKSPACE)) throw forbidden('Only admins manage tags');
      const body = await jsonBody(c, tagDeleteBody);
      return c.json(await retag(ctx, user, { kind: 'delete', tag: body.tag }));
    });
}
