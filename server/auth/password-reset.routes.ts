import { Hono } from 'hono';
import { passwordResetConfirmBody, passwordResetRequestBody } from '../../schema/wire/two-factor.ts';
import type { AppContext } from '../context.ts';
import { clientAddress, userAgent } from '../http/client-address.ts';
import type { HonoEnv } from '../http/env.ts';
import { jsonBody } from '../http/validate.ts';
import { smtpMailer } from '../mail/mailer.ts';
import type { BackoffRule } from './backoff.ts';
import { confirmPasswordReset, requestPasswordReset } from './password-reset.service.ts';
import { backoffFor } from './rate-limit.ts';

const MINUTE_MS = 60_000;
/** Reset mail per account asked for: 3 free, then one an hour apart at most (no mail bombing). */
export const RESET_MAIL_LIMIT: BackoffRule = { free: 3, baseDelayMs: MINUTE_MS, maxDelayMs: 60 * MINUTE_MS, forgetMs: 60 * MINUTE_MS };

/**
 * `/api/auth/password-reset`. The request is answered 202 at once, the same for every address:
 * the lookup, the token and the mail happen afterwards, so neither the answer nor its timing
 * tells whether an account exists.
 */
export function passwordResetRoutes(ctx: AppContext) {
  const mailer = ctx.config.smtpUrl ? smtpMailer(ctx.config.smtpUrl, ctx.config.mailFrom) : null;
  const perAccount = backoffFor(ctx.config, ctx.log, 'password-reset', RESET_MAIL_LIMIT);
  return new Hono<HonoEnv>()
    .post('/', async (c) => {
      const body = await jsonBody(c, passwordResetRequestBody);
      const who = { address: clientAddress(c, ctx.config.trustProxy), userAgent: userAgent(c) };
      const email = body.email.toLowerCase();
      void (async () => {
        const admitted = await perAccount.take(email, ctx.now().getTime());
        if (!admitted.ok) return;
        await requestPasswordReset(ctx, mailer, email, who, ctx.config.publicUrl);
      })().catch((err: unknown) => ctx.log.error({ err }, 'password reset mail not sent'));
      return c.json({ ok: true }, 202);
    })
    .post('/confirm', async (c) => {
      const body = await jsonBody(c, passwordResetConfirmBody);
      const who = { address: clientAddress(c, ctx.config.trustProxy), userAgent: userAgent(c) };
      await confirmPasswordReset(ctx, body.token, body.newPassword, who);
      return c.body(null, 204);
    });
}
