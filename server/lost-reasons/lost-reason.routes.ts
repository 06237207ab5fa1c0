/** `/api/lost-reasons…`: the list every user reads; admins add, edit, archive and set free text (docs/team-operations.md). */
import { Hono } from 'hono';
import { z } from 'zod';
import { createLostReasonBody, lostReasonSettingsBody, updateLostReasonBody } from '../../schema/wire/admin-lists.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import type { HonoEnv } from '../http/env.ts';
import { idempotent } from '../http/idempotency.ts';
import { jsonBody, parseWith, pathId } from '../http/validate.ts';
import { createLostReason, getLostReasons, setFreeText, updateLostReason } from './lost-reason.service.ts';

const listQuery = z.object({ archived: z.enum(['true', 'false']).optional() }).strict();

export function lostReasonRoutes(ctx: AppContext) {
  const once = idempotent(ctx);
  return new Hono<HonoEnv>()
    .get('/', async (c) => {
      const { user } = requireUser(c);
      const { archived } = parseWith(listQuery, c.req.query());
      return c.json(await getLostReasons(ctx, user, archived === 'true'));
    })
    .post('/', once, async (c) => {
      const { user } = requireUser(c);
      const body = await jsonBody(c, createLostReasonBody);
      return c.json({ lostReason: await createLostReason(ctx, user, body) }, 201);
    })
    .put('/settings', async (c) => {
      const { user } = requireUser(c);
      const body = await jsonBody(c, lostReasonSettingsBody);
      return c.json(await setFreeText(ctx, user, body.freeText));
    })
    .patch('/:id', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, updateLostReasonBody);
      return c.json({ lostReason: await updateLostReason(ctx, user, id, body) });
    });
}
