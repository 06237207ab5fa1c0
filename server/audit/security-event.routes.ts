/** `/api/admin/security-events`: the security events, for admins only. */
import { Hono } from 'hono';
import { can, WORKSPACE } from '../../schema/policy/access.ts';
import { listSecurityEventsQuery, type SecurityEventDto, type SecurityEventListDto } from '../../schema/wire/security-events.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import { badRequest, forbidden } from '../http/app-error.ts';
import type { HonoEnv } from '../http/env.ts';
import { parseWith } from '../http/validate.ts';
import { decodeSecurityCursor, encodeSecurityCursor, listSecurityEvents, toSecurityEventDto } from './security-events.ts';

export function securityEventRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>().get('/security-events', async (c) => {
    const { user } = requireUser(c);
    // Before the query is read: a refusal says nothing about what the query would have found.
    if (!can(user, 'administer', WORKSPACE)) throw forbidden('Only admins see security events');
    const q = parseWith(listSecurityEventsQuery, c.req.query());
    const before = q.cursor ? decodeSecurityCursor(q.cursor) : null;
    if (q.cursor && !before) throw badRequest('cursor: not a cursor from this API', 'cursor');
    const rows = await listSecurityEvents(ctx.db, { limit: q.limit + 1, before, kind: q.kind });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const body: SecurityEventListDto = {
      items: page.map(toSecurityEventDto).filter((e): e is SecurityEventDto => e !== null),
      nextCursor: rows.length > q.limit && last ? encodeSecurityCursor(last) : null,
    };
    return c.json(body);
  });
}
