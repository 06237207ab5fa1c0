/**
 * `/api/contracts` (create, read, change), an opportunity's contract at
 * `/api/opportunities/:id/contract`, and a customer's deals at `/api/customers/:id/contracts`
 * and `/api/customers/:id/orders`, and one quote for its printed page at `/api/quotes/:id`
 * (docs/contracts.md).
 */
import { Hono } from 'hono';
import { createContractBody, type QuotePrintDto, updateContractBody } from '../../schema/wire/contracts.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import type { HonoEnv } from '../http/env.ts';
import { idempotent } from '../http/idempotency.ts';
import { jsonBody, pathId } from '../http/validate.ts';
import { listCustomerOrders, toOrderDto } from '../opportunities/order.service.ts';
import { toQuoteDto } from '../opportunities/quote.ts';
import { findQuoteForPrint } from '../opportunities/quote.service.ts';
import { toContractDto } from './contract.ts';
import { createContract, customerContracts, opportunityContract, updateContract, visibleContract } from './contract.service.ts';

export function contractRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>()
    .post('/', idempotent(ctx), async (c) => {
      const { user } = requireUser(c);
      const body = await jsonBody(c, createContractBody);
      return c.json({ contract: toContractDto(await createContract(ctx, user, body)) }, 201);
    })
    .get('/:id', async (c) => {
      const { user } = requireUser(c);
      return c.json({ contract: toContractDto(await visibleContract(ctx, user, pathId(c))) });
    })
    .patch('/:id', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, updateContractBody);
      return c.json({ contract: toContractDto(await updateContract(ctx, user, id, body)) });
    });
}

/** The contract of an opportunity; a customer's contracts and orders (the 360° page's deals section). */
export function contractLinkRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>()
    .get('/opportunities/:id/contract', async (c) => {
      const { user } = requireUser(c);
      return c.json({ contract: toContractDto(await opportunityContract(ctx, user, pathId(c))) });
    })
    .get('/customers/:id/contracts', async (c) => {
      const { user } = requireUser(c);
      return c.json({ items: (await customerContracts(ctx, user, pathId(c))).map(toContractDto) });
    })
    .get('/customers/:id/orders', async (c) => {
      const { user } = requireUser(c);
      return c.json({ items: (await listCustomerOrders(ctx, user, pathId(c))).map(toOrderDto) });
    })
    .get('/quotes/:id', async (c) => {
      const { user } = requireUser(c);
      const { quote, opportunityName, customerName } = await findQuoteForPrint(ctx, user, pathId(c));
      return c.json({ quote: toQuoteDto(quote), opportunityName, customerName } satisfies QuotePrintDto);
    });
}
