import { Hono } from 'hono';
import type { LoginFailureReason } from '../../schema/wire/security-events.ts';
import { loginBody } from '../../schema/wire/user.ts';
import { recordSecurityEvent, type SecurityEvent } from '../audit/security-events.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../http/app-error.ts';
import { clientAddress, userAgent } from '../http/client-address.ts';
import type { HonoEnv } from '../http/env.ts';
import { jsonBody } from '../http/validate.ts';
import { toUserDto } from '../users/user.ts';
import { findUserByLogin } from '../users/user.repository.ts';
import { afterSignIn } from './sign-in-checks.ts';
import { checkSecondFactor } from './two-factor.service.ts';
import { clearSessionCookie, requireUser, setSessionCookie } from './auth.middleware.ts';
import { dummyPasswordHash, verifyPassword } from './password.ts';
import { SignInLimits } from './sign-in-limits.ts';
import { createSession, endSession, endUserSessions } from './session.service.ts';

export function authRoutes(ctx: AppContext) {
  const limits = SignInLimits.for(ctx.config, ctx.log);
  const invalid = () => new AppError('invalid_credentials', 401, 'Wrong e-mail or password');
  /** A security event that could not be stored is logged; the answer to the sign-in stays the same. */
  const note = (event: SecurityEvent) =>
    recordSecurityEvent(ctx.db, event).catch((err: unknown) => ctx.log.error({ err, event: event.kind }, 'security event not stored'));

  return new Hono<HonoEnv>()
    .post('/login', async (c) => {
      const body = await jsonBody(c, loginBody);
      const at = ctx.now();
      const login = body.email.toLowerCase();
      const who = { at, email: login, address: clientAddress(c, ctx.config.trustProxy), userAgent: userAgent(c) };

      const admission = await limits.admit(login, who.address, at.getTime());
      if (!admission.ok) {
        const retryAfterSeconds = Math.max(1, Math.ceil(admission.waitMs / 1000));
        if (limits.shouldReport(admission.limit, admission.key, at.getTime())) {
          const found = await findUserByLogin(ctx.db, login);
          await note({ ...who, kind: 'login_throttled', userId: found?.user.id, limit: admission.limit, retryAfterSeconds });
        }
        ctx.log.info({ event: 'login_throttled', limit: admission.limit }, 'sign-in refused: too many attempts');
        throw new AppError('rate_limited', 429, 'Too many sign-in attempts; try again later', undefined, {
          'Retry-After': String(retryAfterSeconds),
        });
      }

      const found = await findUserByLogin(ctx.db, login);
      // Verify against a dummy hash for unknown accounts so both failures take as long.
      const ok = await verifyPassword(found?.passwordHash ?? (await dummyPasswordHash()), body.password);
      if (!found || !ok || !found.user.active) {
        const reason: LoginFailureReason = !found ? 'unknown_login' : !ok ? 'wrong_password' : 'deactivated';
        await note({ ...who, kind: 'login_failed', userId: found?.user.id, reason });
        ctx.log.info({ event: 'login_failed' }, 'sign-in refused');
        throw invalid();
      }
      // The password was right. Only now, past the limits, may the answer say a code is needed;
      // a wrong code counts as a failure like a wrong password.
      const second = await checkSecondFactor(ctx.db, found.user.id, body.code, at);
      if (second === 'missing') {
        await limits.released(admission.attempt);
        throw new AppError('totp_required', 401, 'Enter the code from your authenticator app', 'code');
      }
      if (second === 'invalid') {
        await note({ ...who, kind: 'totp_failed', userId: found.user.id });
        ctx.log.info({ event: 'totp_failed' }, 'sign-in refused: wrong second factor');
        throw new AppError('totp_invalid', 401, 'That code is not right', 'code');
      }
      await limits.succeeded(admission.attempt);
      const user = await afterSignIn(ctx.db, found.user, second === 'ok', at);
      const { token, session } = await createSession(ctx.db, user.id, at);
      setSessionCookie(c, ctx, token, session.expiresAt);
      ctx.log.info({ event: 'login', userId: user.id }, 'signed in');
      return c.json({ user: toUserDto(user) });
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
