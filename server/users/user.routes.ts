import { Hono } from 'hono';
import {
  changePasswordBody,
  createTeamBody,
  createUserBody,
  updateProfileBody,
  updateUserBody,
} from '../../schema/wire/user.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import { conflict, forbidden, notFound } from '../http/app-error.ts';
import { clientAddress, userAgent } from '../http/client-address.ts';
import type { HonoEnv } from '../http/env.ts';
import { idempotent } from '../http/idempotency.ts';
import { jsonBody, pathId } from '../http/validate.ts';
import { insertTeam, listTeams, toTeamDto } from '../teams/team.repository.ts';
import { WORKSPACE, can } from '../../schema/policy/access.ts';
import { readScope } from '../../schema/policy/scope.ts';
import { toUserDto } from './user.ts';
import { findUserById, listUsers } from './user.repository.ts';
import { changePassword, createUser, updateProfile, updateUser } from './user.service.ts';


/** `/api/me…`: the signed-in user's own account. */
export function meRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>()
    .get('/', (c) => {
      const { user } = requireUser(c, { allowPendingPasswordChange: true });
      return c.json({ user: toUserDto(user) });
    })
    .patch('/', async (c) => {
      const { user } = requireUser(c, { allowPendingPasswordChange: true });
      const body = await jsonBody(c, updateProfileBody);
      return c.json({ user: toUserDto(await updateProfile(ctx, user, body)) });
    })
    .post('/password', async (c) => {
      const { user, session } = requireUser(c, { allowPendingPasswordChange: true });
      const body = await jsonBody(c, changePasswordBody);
      await changePassword(ctx, user, session.id, body.currentPassword, body.newPassword, {
        address: clientAddress(c, ctx.config.trustProxy),
        userAgent: userAgent(c),
      });
      return c.body(null, 204);
    });
}

/** `/api/users` and `/api/teams`: administration. */
export function userRoutes(ctx: AppContext) {
  const once = idempotent(ctx);
  return new Hono<HonoEnv>()
    .get('/users', async (c) => {
      const { user } = requireUser(c);
      return c.json({ items: (await listUsers(ctx.db, readScope(user, 'user'))).map(toUserDto) });
    })
    .get('/users/:id', async (c) => {
      const { user } = requireUser(c);
      const target = await findUserById(ctx.db, pathId(c));
      if (!target || !can(user, 'read', { type: 'user', id: target.id, teamId: target.teamId })) throw notFound('No such user');
      return c.json({ user: toUserDto(target) });
    })
    .post('/users', once, async (c) => {
      const { user } = requireUser(c);
      if (!can(user, 'administer', WORKSPACE)) throw forbidden('Only admins create users');
      const body = await jsonBody(c, createUserBody);
      return c.json({ user: toUserDto(await createUser(ctx, user, body)) }, 201);
    })
    .patch('/users/:id', async (c) => {
      const { user } = requireUser(c);
      if (!can(user, 'administer', WORKSPACE)) throw forbidden('Only admins change users');
      const id = pathId(c);
      const body = await jsonBody(c, updateUserBody);
      return c.json({ user: toUserDto(await updateUser(ctx, user, id, body)) });
    })
    .get('/teams', async (c) => {
      const { user } = requireUser(c);
      const teams = (await listTeams(ctx.db)).filter((t) => can(user, 'read', { type: 'team', id: t.id }));
      return c.json({ items: teams.map(toTeamDto) });
    })
    .post('/teams', once, async (c) => {
      const { user } = requireUser(c);
      if (!can(user, 'administer', WORKSPACE)) throw forbidden('Only admins create teams');
      const body = await jsonBody(c, createTeamBody);
      try {
        return c.json({ team: toTeamDto(await insertTeam(ctx.db, body.name)) }, 201);
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw conflict('A team with this name exists', 'name');
        throw e;
      }
    });
}
