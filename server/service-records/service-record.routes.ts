/**
 * `/api/service-records` (create, the team queue, one record, change), a customer's records
 * at `/api/customers/:id/service-records`, and the service report at `/api/reports/service`.
 */
import { Hono } from 'hono';
import {
  createServiceRecordBody,
  serviceQueueQuery,
  serviceReportQuery,
  updateServiceRecordBody,
} from '../../schema/wire/service-records.ts';
import { requireUser } from '../auth/auth.middleware.ts';
import type { AppContext } from '../context.ts';
import type { HonoEnv } from '../http/env.ts';
import { idempotent } from '../http/idempotency.ts';
import { jsonBody, parseWith, pathId } from '../http/validate.ts';
import { toServiceRecordDto } from './service-record.ts';
import {
  createServiceRecord,
  customerServiceRecords,
  getServiceRecord,
  serviceQueue,
  serviceReport,
  updateServiceRecord,
} from './service-record.service.ts';

/** Mounted at `/api`. */
export function serviceRecordRoutes(ctx: AppContext) {
  const once = idempotent(ctx);
  return new Hono<HonoEnv>()
    .post('/service-records', once, async (c) => {
      const { user } = requireUser(c);
      const body = await jsonBody(c, createServiceRecordBody);
      return c.json({ serviceRecord: toServiceRecordDto(await createServiceRecord(ctx, user, body)) }, 201);
    })
    .get('/service-records', async (c) => {
      const { user } = requireUser(c);
      return c.json(await serviceQueue(ctx, user, parseWith(serviceQueueQuery, c.req.query())));
    })
    .get('/service-records/:id', async (c) => {
      const { user } = requireUser(c);
      return c.json({ serviceRecord: toServiceRecordDto(await getServiceRecord(ctx, user, pathId(c))) });
    })
    .patch('/service-records/:id', async (c) => {
      const { user } = requireUser(c);
      const id = pathId(c);
      const body = await jsonBody(c, updateServiceRecordBody);
      return c.json({ serviceRecord: toServiceRecordDto(await updateServiceRecord(ctx, user, id, body)) });
    })
    .get('/customers/:id/service-records', async (c) => {
      const { user } = requireUser(c);
      const rows = await customerServiceRecords(ctx, user, pathId(c));
      return c.json({ items: rows.map(toServiceRecordDto) });
    })
    .get('/reports/service', async (c) => {
      const { user } = requireUser(c);
      return c.json(await serviceReport(ctx, user, parseWith(serviceReportQuery, c.req.query())));
    });
}
