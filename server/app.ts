/** The composition root of the HTTP API: middleware and routes, nothing else. */
import { existsSync } from 'node:fs';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { sql } from 'kysely';
import { sessionMiddleware } from './auth/auth.middleware.ts';
import { ATTACHMENT_UPLOAD_PATH, attachmentBodyLimit, attachmentRoutes } from './attachments/attachment.routes.ts';
import { securityEventRoutes } from './audit/security-event.routes.ts';
import { accountAdminRoutes } from './auth/account-admin.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { passwordResetRoutes } from './auth/password-reset.routes.ts';
import { twoFactorRoutes } from './auth/two-factor.routes.ts';
import { workspaceSecurityRoutes } from './workspace/workspace-security.routes.ts';
import { workspaceDealsRoutes } from './workspace/workspace-deals.routes.ts';
import type { AppContext } from './context.ts';
import { contactRoutes, customerRoutes, customerSettingsRoutes } from './customers/customer.routes.ts';
import { CUSTOMER_IMPORT_PATH, importBodyLimit, importRoutes } from './customers/customer-transfer.routes.ts';
import { savedFilterRoutes } from './customers/saved-filter.routes.ts';
import { customFieldRoutes } from './custom-fields/custom-field.routes.ts';
import { AppError, fromHttpException } from './http/app-error.ts';
import type { HonoEnv } from './http/env.ts';
import { inputGuard } from './http/input-guard.ts';
import { leadReportRoutes, leadRoutes } from './leads/lead.routes.ts';
import { originCheck } from './http/origin-check.ts';
import { requestLogger } from './http/request-logger.ts';
import { securityHeaders } from './http/security-headers.ts';
import { notificationRoutes } from './notifications/notification.routes.ts';
import { customerDealRoutes, opportunityRoutes } from './opportunities/opportunity.routes.ts';
import { contractLinkRoutes, contractRoutes } from './contracts/contract.routes.ts';
import { pipelineRoutes } from './pipelines/pipeline.routes.ts';
import { funnelRoutes } from './reports/funnel.routes.ts';
import { dashboardRoutes } from './reports/dashboard.routes.ts';
import { reportRoutes } from './reports/report.routes.ts';
import { serviceRecordRoutes } from './service-records/service-record.routes.ts';
import { taskRoutes } from './tasks/task.routes.ts';
import { meRoutes, userRoutes } from './users/user.routes.ts';
import { handoverRoutes } from './handovers/handover.routes.ts';
import { docAccessRoutes } from './realtime/doc-access.routes.ts';
import { lostReasonRoutes } from './lost-reasons/lost-reason.routes.ts';
import { tagAdminRoutes } from './tags/tag.routes.ts';
import { teamRoutes } from './teams/team.routes.ts';

export const CLIENT_DIST = 'dist/client';

export function createApp(ctx: AppContext) {
  const app = new Hono<HonoEnv>();
  // First, so that every answer carries them: pages, files, the API and its errors.
  app.use(securityHeaders({ https: ctx.config.secureCookies }));

  app.onError((err, c) => {
    if (err instanceof AppError) {
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
      return c.json(err.toBody(), err.status);
    }
    // Hono's own refusals (its middleware and helpers) in the same shape as ours.
    if (err instanceof HTTPException && err.status < 500) return c.json(fromHttpException(err).toBody(), err.status);
    ctx.log.error({ err }, 'unhandled error');
    return c.json({ error: { code: 'internal', message: 'Something went wrong on our side' } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404));

  app.get('/healthz', (c) => c.json({ ok: true }));
  // Ready: the database answers and, with several nodes, Redis is connected. A node that lost
  // Redis keeps serving the clients it has, but should not be sent new ones.
  app.get('/readyz', async (c) => {
    const database = await sql`select 1`.execute(ctx.db).then(
      () => 'ok' as const,
      () => 'down' as const,
    );
    const bus = ctx.hub.busConnected;
    const checks = { database, ...(bus === null ? {} : { redis: bus ? ('ok' as const) : ('down' as const) }) };
    const ok = Object.values(checks).every((v) => v === 'ok');
    return c.json({ ok, checks }, ok ? 200 : 503);
  });

  const api = new Hono<HonoEnv>();
  api.use(requestLogger(ctx.log));
  const limitBody = bodyLimit({
    maxSize: ctx.config.maxBodyBytes,
    onError: () => {
      throw new AppError('payload_too_large', 413, `The body is larger than ${ctx.config.maxBodyBytes} bytes`);
    },
  });
  // Customer imports carry files: a larger cap there. Both before anything reads the body.
  // Attachments carry files up to 25 MB: their own cap (ATTACHMENT_MAX_BYTES), also before anything reads the body.
  const fileBodyLimits = new Map([
    [CUSTOMER_IMPORT_PATH, importBodyLimit],
    [ATTACHMENT_UPLOAD_PATH, attachmentBodyLimit],
  ]);
  api.use((c, next) => ((c.req.method === 'POST' && fileBodyLimits.get(c.req.path)) || limitBody)(c, next));
  api.use(originCheck(ctx.config.allowedOrigins));
  api.use(inputGuard());
  api.use(sessionMiddleware(ctx));
  api.route('/auth', authRoutes(ctx));
  api.route('/auth/password-reset', passwordResetRoutes(ctx));
  api.route('/me/totp', twoFactorRoutes(ctx));
  api.route('/me', meRoutes(ctx));
  api.route('/', userRoutes(ctx));
  api.route('/', handoverRoutes(ctx));
  api.route('/', accountAdminRoutes(ctx));
  api.route('/', teamRoutes(ctx));
  api.route('/admin', tagAdminRoutes(ctx));
  api.route('/lost-reasons', lostReasonRoutes(ctx));
  api.route('/workspace/security', workspaceSecurityRoutes(ctx));
  api.route('/workspace/deals', workspaceDealsRoutes(ctx));
  api.route('/admin', securityEventRoutes(ctx));
  api.route('/customers', customerRoutes(ctx));
  api.route('/contacts', contactRoutes(ctx));
  api.route('/saved-filters', savedFilterRoutes(ctx));
  api.route('/custom-fields', customFieldRoutes(ctx));
  api.route('/imports', importRoutes(ctx));
  api.route('/', customerSettingsRoutes(ctx));
  api.route('/notifications', notificationRoutes(ctx));
  api.route('/tasks', taskRoutes(ctx));
  api.route('/pipelines', pipelineRoutes(ctx));
  api.route('/opportunities', opportunityRoutes(ctx));
  api.route('/', customerDealRoutes(ctx));
  api.route('/contracts', contractRoutes(ctx));
  api.route('/', contractLinkRoutes(ctx));
  api.route('/', serviceRecordRoutes(ctx));
  api.route('/', attachmentRoutes(ctx));
  api.route('/reports', funnelRoutes(ctx));
  api.route('/reports', reportRoutes(ctx));
  api.route('/leads', leadRoutes(ctx));
  api.route('/reports', leadReportRoutes(ctx));
  api.route('/dashboard', dashboardRoutes(ctx));
  api.route('/docs', docAccessRoutes(ctx));
  api.all('*', () => {
    throw new AppError('not_found', 404, 'No such API route');
  });
  app.route('/api', api);

  // The built client, with index.html for every other path (client-side routing).
  if (existsSync(CLIENT_DIST)) {
    app.use('/*', serveStatic({ root: CLIENT_DIST }));
    app.get('*', serveStatic({ path: `${CLIENT_DIST}/index.html` }));
  }
  return app;
}

export type App = ReturnType<typeof createApp>;
