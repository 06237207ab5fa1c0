import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import { loginBody } from '../../schema/wire/user.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../http/app-error.ts';
import type { HonoEnv } from '../http/env.ts';
import { jsonBody } from '../http/validate.ts';
import { toUserDto } from '../users/user.ts';
import { findUserByLogin } from '../users/user.repository.ts';
import { clearSessionCookie, requireUser, setSessionCookie } from './auth.middleware.ts';
import { dummyPasswordHash, verifyPassword } from './password.ts';
import { rateLimitFor } from './rate-limit.ts';
import { createSession, endSession, endUserSessions } from './session.service.ts';

/** Failed sign-ins allowed per account, and attempts per address, in one window (across all nodes with REDIS_URL). */
export const LOGIN_ACCOUNT_LIMIT = { max: 5, windowMs: 15 * 60 * 1000 };
export const LOGIN_ADDRESS_LIMIT = { max: 30, windowMs: 15 * 60 * 1000 };

function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

export function authRoutes(ctx: AppContext) {
  const perAccount = rateLimitFor(ctx.config, ctx.log, 'login-account', LOGIN_ACCOUNT_LIMIT);
  const perAddress = rateLimitFor(ctx.config, ctx.log, 'login-address', LOGIN_ADDRESS_LIMIT);
  const invalid = () => new AppError('invalid_credentials', 401, 'Wrong e-mail or password');

  return new Hono<HonoEnv>()
    .post('/login', async (c) => {
      const body = await jsonBody(c, loginBody);
      const now = ctx.now().getTime();
      const account = body.email.toLowerCase();
      const address = clientAddress(c, ctx.config.trustProxy);
      const wait = Math.max(...(await Promise.all([perAccount.retryAfter(account, now), perAddress.retryAfter(address, now)])));
      if (wait > 0) {
        throw new AppError('rate_limited', 429, 'Too many sign-in attempts; try again later', undefined, {
          'Retry-After': String(Math.ceil(wait / 1000)),
        });
      }
      await perAddress.hit(address, now);
      const found = await findUserByLogin(ctx.db, account);
      // Verify against a dummy hash for unknown accounts so both failures take as long.
      const ok = await verifyPassword(found?.passwordHash ?? (await dummyPasswordHash()), body.password);
      if (!found || !ok || !found.user.active) {
        await perAccount.hit(account, now);
        ctx.log.info({ event: 'login_failed' }, 'sign-in refused');
        throw invalid();
      }
      await perAccount.reset(account);
      const { token, session } = await createSession(ctx.db, found.user.id, ctx.now());
      setSessionCookie(c, ctx, token, session.expiresAt);
      ctx.log.info({ event: 'login', userId: found.user.id }, 'signed in');
      return c.json({ user: toUserDto(found.user) });
    })
    .post('/logout', async (c) => {
      const auth = c.get('auth');
      if (auth) await endSession(ctx, auth.session.id);
      clearSessionCookie(c, ctx);
      return c.body(null, 204);
    })
    .post('/logout-all', async (c) => {
      const { user } = requireUser(c, { allowPendingPasswordChange: true });
      await endUserSessions(ctx, user.id);
      clearSessionCookie(c, ctx);
      return c.body(null, 204);
    });
}
