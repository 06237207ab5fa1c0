/**
 * `GET /api/docs/:name` → `{name, access}`: whether the signed-in user may
 * open a live document, and whether to write. Browsers cannot read the HTTP
 * status of a refused WebSocket upgrade, so the client asks here first and
 * shows 401/403/404 as such instead of retrying forever.
 */
import { Hono } from 'hono';
import type { DocAccessDto } from '../../schema/wire/docs.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { HonoEnv } from '../http/env.ts';
import type { DocHub } from './hub.ts';

export function docAccessRoutes(ctx: { hub: Pick<DocHub, 'authorize'> }) {
  return new Hono<HonoEnv>().get('/:name', async (c) => {
    const { user } = requireUser(c);
    const target = await ctx.hub.authorize(c.req.param('name'), user);
    const body: DocAccessDto = { name: target.name, access: target.access };
    return c.json(body);
  });
}
