import { Hono } from 'hono';
import { confirmTotpBody, disableTotpBody } from '../../schema/wire/two-factor.ts';
import type { AppContext } from '../context.ts';
import type { HonoEnv } from '../http/env.ts';
import { jsonBody } from '../http/validate.ts';
import { requireUser } from './auth.middleware.ts';
import { confirmEnrolment, disableTotp, startEnrolment, totpStatus } from './two-factor.service.ts';

/** `/api/me/totp`: the signed-in user's two-factor sign-in. Open while enrolment is required. */
export function twoFactorRoutes(ctx: AppContext) {
  const me = (c: Parameters<typeof requireUser>[0]) => requireUser(c, { allowPendingTotpEnrolment: true }).user;
  return new Hono<HonoEnv>()
    .get('/', async (c) => c.json(await totpStatus(ctx.db, me(c))))
    .post('/enrol', async (c) => c.json(await startEnrolment(ctx, me(c))))
    .post('/confirm', async (c) => {
      const user = me(c);
      const body = await jsonBody(c, confirmTotpBody);
      return c.json(await confirmEnrolment(ctx, user, body.code));
    })
    .post('/disable', async (c) => {
      const user = me(c);
      const body = await jsonBody(c, disableTotpBody);
      await disableTotp(ctx, user, body);
      return c.body(null, 204);
    });
}
