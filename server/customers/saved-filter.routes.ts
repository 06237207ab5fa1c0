/** `/api/saved-filters`: each user's named customer-list queries (private to that user). */
import { Hono } from 'hono';
import { SAVED_FILTERS_PER_USER_MAX, savedFilterBody } from '../../schema/wire/customer-query.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import { conflict, notFound } from '../http/app-error.ts';
import type { HonoEnv } from '../http/env.ts';
import { idempotent } from '../http/idempotency.ts';
import { jsonBody, pathId } from '../http/validate.ts';
import { countSavedFilters, deleteSavedFilter, insertSavedFilter, listSavedFilters, toSavedFilterDto } from './saved-filter.repository.ts';


export function savedFilterRoutes(ctx: AppContext) {
  const once = idempotent(ctx);
  return new Hono<HonoEnv>()
    .get('/', async (c) => {
      const { user } = requireUser(c);
      return c.json({ items: (await listSavedFilters(ctx.db, user.id)).map(toSavedFilterDto) });
    })
    .post('/', once, async (c) => {
      const { user } = requireUser(c);
      const body = await jsonBody(c, savedFilterBody);
      if ((await countSavedFilters(ctx.db, user.id)) >= SAVED_FILTERS_PER_USER_MAX) {
        throw conflict(`You can keep at most ${SAVED_FILTERS_PER_USER_MAX} saved filters`);
      }
      const row = await insertSavedFilter(ctx.db, user.id, body.name, body.query);
      if (!row) throw conflict('You already have a saved filter with this name', 'name');
      return c.json({ savedFilter: toSavedFilterDto(row) }, 201);
    })
    .delete('/:id', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      if (!(await deleteSavedFilter(ctx.db, user.id, id))) throw notFound('No such saved filter');
      return c.body(null, 204);
    });
}
