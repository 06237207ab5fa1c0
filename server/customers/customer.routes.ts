/** `/api/customers…`, `/api/contacts/:id`, `/api/tags`, `/api/customer-categories` (docs/customers.md). */
import { Hono } from 'hono';
import { z } from 'zod';
import {
  SEARCH_MAX,
  categoriesBody,
  createContactBody,
  createCustomerBody,
  mergeBody,
  updateContactBody,
  updateCustomerBody,
} from '../../schema/wire/customer.ts';
import { customerListSchema } from '../../schema/wire/customer-query.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import { badRequest, forbidden } from '../http/app-error.ts';
import type { HonoEnv } from '../http/env.ts';
import { idempotent } from '../http/idempotency.ts';
import { jsonBody, parseWith, pathId } from '../http/validate.ts';
import { findTeamById } from '../teams/team.repository.ts';
import { WORKSPACE, can } from '../../schema/policy/access.ts';
import { readScope, scopeTeam } from '../../schema/policy/scope.ts';
import { HISTORY_LIMIT_MAX, listCustomerHistory } from './customer-audit.ts';
import { listCategories, replaceCategories } from './customer-category.repository.ts';
import { suggestTags } from './customer.repository.ts';
import {
  checkDuplicates,
  createCustomer,
  effectiveFilter,
  getCustomer,
  listCustomers,
  loadVisibleCustomer,
  setCustomerArchived,
  updateCustomer,
} from './customer.service.ts';
import { mergeCustomers, previewMerge } from './customer-merge.service.ts';
import { archiveContact, createContact, getContacts, updateContact } from './contact.service.ts';
import { customerQueryObject, queryObject } from './customer-query-params.ts';
import { customerTransferRoutes } from './customer-transfer.routes.ts';
import { customerBulkRoutes } from './customer-bulk.routes.ts';


const duplicatesQuery = z
  .object({
    name: z.string().max(SEARCH_MAX * 2).optional(),
    phone: z.string().max(SEARCH_MAX).optional(),
    email: z.string().max(SEARCH_MAX * 3).optional(),
    teamId: z.string().uuid().optional(),
  })
  .strict();

const mergePreviewQuery = z.object({ sourceId: z.string().uuid() }).strict();

const historyQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(HISTORY_LIMIT_MAX).optional(),
    before: z.coerce.number().int().min(1).optional(),
  })
  .strict();

export function customerRoutes(ctx: AppContext) {
  const once = idempotent(ctx);
  return new Hono<HonoEnv>()
    .route('/', customerTransferRoutes(ctx))
    .route('/', customerBulkRoutes(ctx))
    .get('/', async (c) => {
      const { user } = requireUser(c);
      const query = parseWith(customerListSchema, customerQueryObject(c));
      return c.json(await listCustomers(ctx, user, { ...query, ...effectiveFilter(user, query) }));
    })
    .post('/', once, async (c) => {
      const { user } = requireUser(c);
      const body = await jsonBody(c, createCustomerBody);
      const result = await createCustomer(ctx, user, body, { requireCustom: true });
      switch (result.kind) {
        case 'created':
          return c.json({ customer: result.customer }, 201);
        case 'duplicates':
          return c.json(
            {
              error: { code: 'conflict', message: 'Likely duplicates exist; send confirm: true to create anyway' },
              candidates: result.candidates,
            },
            409,
          );
        default: {
          const never: never = result;
          throw new Error(`unknown result ${never}`);
        }
      }
    })
    .get('/duplicates', async (c) => {
      const { user } = requireUser(c);
      const q = parseWith(duplicatesQuery, queryObject(c));
      return c.json({ candidates: await checkDuplicates(ctx, user, q) });
    })
    .get('/:id', async (c) => {
      const { user } = requireUser(c);
      return c.json({ customer: await getCustomer(ctx, user, pathId(c)) });
    })
    .patch('/:id', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, updateCustomerBody);
      return c.json({ customer: await updateCustomer(ctx, user, id, body) });
    })
    .post('/:id/archive', async (c) => {
      const { user } = requireUser(c);
      return c.json({ customer: await setCustomerArchived(ctx, user, pathId(c), true) });
    })
    .post('/:id/restore', async (c) => {
      const { user } = requireUser(c);
      return c.json({ customer: await setCustomerArchived(ctx, user, pathId(c), false) });
    })
    .post('/:id/merge', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, mergeBody);
      return c.json({ customer: await mergeCustomers(ctx, user, id, body) });
    })
    .get('/:id/merge-preview', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const { sourceId } = parseWith(mergePreviewQuery, queryObject(c));
      return c.json({ preview: await previewMerge(ctx, user, id, sourceId) });
    })
    .get('/:id/history', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const q = parseWith(historyQuery, queryObject(c));
      const customer = await loadVisibleCustomer(ctx, user, id);
      const limit = q.limit ?? 50;
      const items = await listCustomerHistory(ctx.db, customer, limit, q.before);
      const last = items[items.length - 1];
      return c.json({ items, nextBefore: items.length === limit && last && last.id > 0 ? last.id : null });
    })
    .get('/:id/contacts', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const includeArchived = c.req.query('archived') === 'include';
      return c.json({ items: await getContacts(ctx, user, id, includeArchived) });
    })
    .post('/:id/contacts', once, async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, createContactBody);
      return c.json({ contact: await createContact(ctx, user, id, body) }, 201);
    });
}

export function contactRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>()
    .patch('/:id', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, updateContactBody);
      return c.json({ contact: await updateContact(ctx, user, id, body) });
    })
    .delete('/:id', async (c) => {
      const { user } = requireUser(c);
      return c.json({ contact: await archiveContact(ctx, user, pathId(c)) });
    });
}

const tagQuery = z.object({ q: z.string().trim().max(40).optional() }).strict();
const teamQuery = z.object({ teamId: z.string().uuid().optional() }).strict();

/** `/api/tags` and `/api/customer-categories`. */
export function customerSettingsRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>()
    .get('/tags', async (c) => {
      const { user } = requireUser(c);
      const { q } = parseWith(tagQuery, queryObject(c));
      const scope = readScope(user, 'customer');
      return c.json({ items: scope.kind === 'none' ? [] : await suggestTags(ctx.db, scope, q ?? '') });
    })
    .get('/customer-categories', async (c) => {
      const { user } = requireUser(c);
      const { teamId } = parseWith(teamQuery, queryObject(c));
      // Admins name a team; others read their own team's.
      const scope = readScope(user, 'team');
      const team = scope.kind === 'all' ? teamId : scopeTeam(scope);
      if (!team) throw badRequest('teamId: say which team', 'teamId');
      return c.json({ items: await listCategories(ctx.db, team) });
    })
    .put('/customer-categories', async (c) => {
      const { user } = requireUser(c);
      if (!can(user, 'administer', WORKSPACE)) throw forbidden('Only admins change the categories');
      const body = await jsonBody(c, categoriesBody);
      if (!body.teamId) throw badRequest('teamId: say which team', 'teamId');
      if (!(await findTeamById(ctx.db, body.teamId))) throw badRequest('teamId: no such team', 'teamId');
      const keys = body.categories.map((x) => x.key);
      if (new Set(keys).size !== keys.length) throw badRequest('categories: keys must be unique', 'categories');
      await ctx.db.transaction().execute((trx) => replaceCategories(trx, body.teamId!, body.categories));
      return c.json({ items: await listCategories(ctx.db, body.teamId) });
    });
}
