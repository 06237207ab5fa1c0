/** `/api/leads…` and `/api/reports/leads` (docs/leads.md). */
import { Hono } from 'hono';
import { convertLeadBody, createLeadBody, leadListQuery, leadReportQuery, updateLeadBody } from '../../schema/wire/lead.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import type { HonoEnv } from '../http/env.ts';
import { idempotent } from '../http/idempotency.ts';
import { jsonBody, parseWith, pathId } from '../http/validate.ts';
import { convertLead } from './lead-convert.service.ts';
import { leadReport } from './lead-report.ts';
import { createLead, getLead, getLeadHistory, listLeads, updateLead } from './lead.service.ts';

export function leadRoutes(ctx: AppContext) {
  const once = idempotent(ctx);
  return new Hono<HonoEnv>()
    .get('/', async (c) => {
      const { user } = requireUser(c);
      return c.json(await listLeads(ctx, user, parseWith(leadListQuery, c.req.query())));
    })
    .post('/', once, async (c) => {
      const { user } = requireUser(c);
      const body = await jsonBody(c, createLeadBody);
      return c.json({ lead: await createLead(ctx, user, body) }, 201);
    })
    .get('/:id', async (c) => {
      const { user } = requireUser(c);
      return c.json({ lead: await getLead(ctx, user, pathId(c)) });
    })
    .patch('/:id', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, updateLeadBody);
      return c.json({ lead: await updateLead(ctx, user, id, body) });
    })
    .get('/:id/history', async (c) => {
      const { user } = requireUser(c);
      return c.json({ items: await getLeadHistory(ctx, user, pathId(c)) });
    })
    .post('/:id/convert', once, async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, convertLeadBody);
      const result = await convertLead(ctx, user, id, body);
      switch (result.kind) {
        case 'converted': {
          const { kind: _, ...made } = result;
          return c.json(made);
        }
        case 'duplicates':
          return c.json(
            {
              error: { code: 'conflict', message: 'Likely duplicate customers exist; send confirm: true to convert anyway' },
              candidates: result.candidates,
            },
            409,
          );
        default: {
          const never: never = result;
          throw new Error(`unknown result ${JSON.stringify(never)}`);
        }
      }
    });
}

/** Mounted under `/api/reports`. */
export function leadReportRoutes(ctx: AppContext) {
  return new Hono<HonoEnv>().get('/leads', async (c) => {
    const { user } = requireUser(c);
    return c.json(await leadReport(ctx, user, parseWith(leadReportQuery, c.req.query())));
  });
}
