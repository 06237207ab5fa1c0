/** `/api/teams/:id…`: one team — rename or archive it (admins), list its members (docs/team-operations.md). */
import { Hono } from 'hono';
import { updateTeamBody } from '../../schema/wire/admin-lists.ts';
import { can } from '../../schema/policy/access.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import { notFound } from '../http/app-error.ts';
import type { HonoEnv } from '../http/env.ts';
import { jsonBody, pathId } from '../http/validate.ts';
import { toUserDto } from '../users/user.ts';
import { listUsers } from '../users/user.repository.ts';
import { findTeamById } from './team.repository.ts';
import { updateTeam } from './team.service.ts';

export function teamRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>()
    .patch('/teams/:id', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, updateTeamBody);
      return c.json({ team: await updateTeam(ctx, user, id, body) });
    })
    .get('/teams/:id/members', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      // Another team's existence is not told: the same 404 as a missing one.
      if (!can(user, 'read', { type: 'team', id }) || !(await findTeamById(ctx.db, id))) throw notFound('No such team');
      return c.json({ items: (await listUsers(ctx.db, { kind: 'team', teamId: id })).map(toUserDto) });
    });
}
