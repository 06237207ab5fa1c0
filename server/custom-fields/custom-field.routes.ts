/** `/api/custom-fields` (docs/custom-fields.md): everyone reads what applies to them; admins change. */
import { Hono } from 'hono';
import { createCustomFieldBody, customFieldListQuery, updateCustomFieldBody } from '../../schema/wire/custom-fields.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import type { HonoEnv } from '../http/env.ts';
import { idempotent } from '../http/idempotency.ts';
import { jsonBody, parseWith, pathId } from '../http/validate.ts';
import { queryObject } from '../customers/customer-query-params.ts';
import { archiveCustomField, changeCustomField, createCustomField, listVisibleCustomFields } from './custom-field.service.ts';

export function customFieldRoutes(ctx: AppContext) {
  const once = idempotent(ctx);
  return new Hono<HonoEnv>()
    .get('/', async (c) => {
      const { user } = requireUser(c);
      const q = parseWith(customFieldListQuery, queryObject(c));
      return c.json({ items: await listVisibleCustomFields(ctx, user, q) });
    })
    .post('/', once, async (c) => {
      const { user } = requireUser(c);
      const body = await jsonBody(c, createCustomFieldBody);
      return c.json({ field: await createCustomField(ctx, user, body) }, 201);
    })
    .patch('/:id', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, updateCustomFieldBody);
      return c.json({ field: await changeCustomField(ctx, user, id, body) });
    })
    .post('/:id/archive', async (c) => {
      const { user } = requireUser(c);
      return c.json({ field: await archiveCustomField(ctx, user, pathId(c), true) });
    })
    .post('/:id/restore', async (c) => {
      const { user } = requireUser(c);
      return c.json({ field: await archiveCustomField(ctx, user, pathId(c), false) });
    });
}
