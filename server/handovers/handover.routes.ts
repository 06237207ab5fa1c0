/** `POST /api/users/:id/handover`, `GET /api/handovers/:id`, `POST /api/handovers/:id/undo` (docs/team-operations.md). */
import { Hono } from 'hono';
import { handoverBody } from '../../schema/wire/handover.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import type { HonoEnv } from '../http/env.ts';
import { idempotent } from '../http/idempotency.ts';
import { jsonBody, pathId } from '../http/validate.ts';
import { getHandover, handOver, undoHandover } from './handover.service.ts';

/** Mounted under /api. */
export function handoverRoutes(ctx: AppContext) {
  const once = idempotent(ctx);
  return new Hono<HonoEnv>()
    .post('/users/:id/handover', once, async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, handoverBody);
      return c.json(await handOver(ctx, user, id, body));
    })
    .get('/handovers/:id', async (c) => {
      const { user } = requireUser(c);
      return c.json({ handover: await getHandover(ctx, user, pathId(c)) });
    })
    .post('/handovers/:id/undo', async (c) => {
      const { user } = requireUser(c);
      return c.json(await undoHandover(ctx, user, pathId(c)));
    });
}
