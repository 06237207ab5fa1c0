/** `POST /api/customers/bulk` and `GET /api/customers/count` (docs/team-operations.md, docs/customers.md). */
import { Hono } from 'hono';
import { CUSTOMER_COUNT_CAP, type CustomerCountDto, customerBulkBody } from '../../schema/wire/handover.ts';
import { customerFilterSchema } from '../../schema/wire/customer-query.ts';
import { readScope } from '../../schema/policy/scope.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import { resolveCustomerFilter } from '../custom-fields/custom-field-filter.ts';
import type { HonoEnv } from '../http/env.ts';
import { idempotent } from '../http/idempotency.ts';
import { jsonBody, parseWith } from '../http/validate.ts';
import { bulkEditCustomers } from './customer-bulk-edit.service.ts';
import { customerQueryObject } from './customer-query-params.ts';
import { countMatching } from './customer-selection.repository.ts';
import { effectiveFilter } from './customer.service.ts';

/** Mounted under /api/customers, before the `/:id` routes. */
export function customerBulkRoutes(ctx: AppContext) {
  const once = idempotent(ctx);
  return new Hono<HonoEnv>()
    .get('/count', async (c) => {
      const { user } = requireUser(c);
      const filter = await resolveCustomerFilter(ctx, user, effectiveFilter(user, parseWith(customerFilterSchema, customerQueryObject(c))));
      const scope = readScope(user, 'customer');
      const n = scope.kind === 'none' ? 0 : await countMatching(ctx.db, scope, filter, { now: ctx.now(), userId: user.id, cap: CUSTOMER_COUNT_CAP });
      const body: CustomerCountDto = { count: Math.min(n, CUSTOMER_COUNT_CAP), capped: n > CUSTOMER_COUNT_CAP };
      return c.json(body);
    })
    .post('/bulk', once, async (c) => {
      const { user } = requireUser(c);
      const body = await jsonBody(c, customerBulkBody);
      return c.json(await bulkEditCustomers(ctx, user, body));
    });
}
