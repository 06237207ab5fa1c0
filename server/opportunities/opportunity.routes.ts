/** `/api/opportunities…`: opportunities with their stage history, quotes and order. */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import {
  createOpportunityBody,
  createOrderBody,
  createQuoteBody,
  exportOpportunitiesQuery,
  listOpportunitiesQuery,
  updateOpportunityBody,
  updateOrderBody,
  updateQuoteBody,
} from '../../schema/wire/opportunity.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import type { HonoEnv } from '../http/env.ts';
import type { User } from '../users/user.ts';
import { readScope } from '../../schema/policy/scope.ts';
import { idempotent } from '../http/idempotency.ts';
import { jsonBody, parseWith, pathId } from '../http/validate.ts';
import { resolveCustomTerms } from '../custom-fields/custom-field-filter.ts';
import { customerQueryObject } from '../customers/customer-query-params.ts';
import { XLSX_CONTENT_TYPE, downloadResponse, fileStamp } from '../export/table-export.ts';
import { type OpportunityExportFilter, exportOpportunitiesCsv, exportOpportunitiesXlsx } from './opportunity-export.service.ts';
import { toOpportunityDto, toStageHistoryDto } from './opportunity.ts';
import { listOpportunities, listStageHistory } from './opportunity.repository.ts';
import { createOpportunity, updateOpportunity, visibleOpportunity } from './opportunity.service.ts';
import { createOrder, findOrder, listCustomerOrders, toOrderDto, updateOrder } from './order.service.ts';
import { toQuoteDto } from './quote.ts';
import { createQuote, listCustomerQuotes, listQuotes, updateQuote } from './quote.service.ts';

const customerQuery = z.strictObject({ customerId: z.string().uuid() });

export function opportunityRoutes(ctx: AppContext) {
  const once = idempotent(ctx);
  /** The export's filter: the list's, with `custom.<key>` typed by the opportunity fields the user sees. */
  const exportFilter = async (c: Context<HonoEnv>, user: User): Promise<OpportunityExportFilter> => {
    const { custom, ...q } = parseWith(exportOpportunitiesQuery, customerQueryObject(c));
    return { ...q, customTerms: await resolveCustomTerms(ctx, user, 'opportunity', custom) };
  };
  return new Hono<HonoEnv>()
    .get('/', async (c) => {
      const { user } = requireUser(c);
      const q = parseWith(listOpportunitiesQuery, c.req.query());
      const scope = readScope(user, 'opportunity');
      if (scope.kind === 'none') return c.json({ items: [] });
      const rows = await listOpportunities(ctx.db, { ...q, scope });
      return c.json({ items: rows.map(toOpportunityDto) });
    })
    .get('/export.csv', async (c) => {
      const { user } = requireUser(c);
      return downloadResponse(exportOpportunitiesCsv(ctx, user, await exportFilter(c, user)), 'text/csv; charset=utf-8', `opportunities-${fileStamp(ctx.now())}.csv`);
    })
    .get('/export.xlsx', async (c) => {
      const { user } = requireUser(c);
      return downloadResponse(exportOpportunitiesXlsx(ctx, user, await exportFilter(c, user)), XLSX_CONTENT_TYPE, `opportunities-${fileStamp(ctx.now())}.xlsx`);
    })
    .post('/', once, async (c) => {
      const { user } = requireUser(c);
      const body = await jsonBody(c, createOpportunityBody);
      return c.json({ opportunity: toOpportunityDto(await createOpportunity(ctx, user, body, { requireCustom: true })) }, 201);
    })
    .get('/:id', async (c) => {
      const { user } = requireUser(c);
      const row = await visibleOpportunity(ctx, user, pathId(c));
      const history = await listStageHistory(ctx.db, row.id);
      return c.json({ opportunity: toOpportunityDto(row), stageHistory: history.map(toStageHistoryDto) });
    })
    .patch('/:id', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, updateOpportunityBody);
      return c.json({ opportunity: toOpportunityDto(await updateOpportunity(ctx, user, id, body)) });
    })
    .get('/:id/history', async (c) => {
      const { user } = requireUser(c);
      const row = await visibleOpportunity(ctx, user, pathId(c));
      return c.json({ items: (await listStageHistory(ctx.db, row.id)).map(toStageHistoryDto) });
    })
    .get('/:id/quotes', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      return c.json({ items: (await listQuotes(ctx, user, id)).map(toQuoteDto) });
    })
    .post('/:id/quotes', once, async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, createQuoteBody);
      return c.json({ quote: toQuoteDto(await createQuote(ctx, user, id, body)) }, 201);
    })
    .patch('/:id/quotes/:quoteId', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const quoteId = pathId(c, 'quoteId');
      const body = await jsonBody(c, updateQuoteBody);
      return c.json({ quote: toQuoteDto(await updateQuote(ctx, user, id, quoteId, body)) });
    })
    .get('/:id/order', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      return c.json({ order: toOrderDto(await findOrder(ctx, user, id)) });
    })
    .post('/:id/order', once, async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, createOrderBody);
      return c.json({ order: toOrderDto(await createOrder(ctx, user, id, body)) }, 201);
    })
    .patch('/:id/order', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, updateOrderBody);
      return c.json({ order: toOrderDto(await updateOrder(ctx, user, id, body)) });
    });
}

/** `/api/quotes?customerId=` and `/api/orders?customerId=`: for the customer's 360° page. */
export function customerDealRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>()
    .get('/quotes', async (c) => {
      const { user } = requireUser(c);
      const { customerId } = parseWith(customerQuery, c.req.query());
      return c.json({ items: (await listCustomerQuotes(ctx, user, customerId)).map(toQuoteDto) });
    })
    .get('/orders', async (c) => {
      const { user } = requireUser(c);
      const { customerId } = parseWith(customerQuery, c.req.query());
      return c.json({ items: (await listCustomerOrders(ctx, user, customerId)).map(toOrderDto) });
    });
}
