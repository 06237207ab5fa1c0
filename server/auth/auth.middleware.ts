import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppContext } from '../context.ts';
import { AppError, unauthenticated } from '../http/app-error.ts';
import type { HonoEnv } from '../http/env.ts';
import type { User } from '../users/user.ts';
import { SESSION_COOKIE } from './session.ts';
import { type Session, validateSessionToken } from './session.service.ts';

export function setSessionCookie(c: Context, ctx: AppContext, token: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: ctx.config.secureCookies,
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context, ctx: AppContext): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: ctx.config.secureCookies, httpOnly: true, sameSite: 'Lax' });
}

/** Resolves the session cookie (if any) into `c.var.auth`; a bad cookie is cleared. */
export function sessionMiddleware(ctx: AppContext): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    let auth = null;
    if (token) {
      auth = await validateSessionToken(ctx.db, token, ctx.now());
      if (!auth) clearSessionCookie(c, ctx);
      else if (auth.refreshed) setSessionCookie(c, ctx, token, auth.session.expiresAt);
    }
    c.set('auth', auth);
    await next();
  };
}

/**
 * The signed-in user; 401 without a session, 403 while a forced password change is pending, or
 * while the role requires two-factor sign-in and the user has not enrolled (`mustEnrolTotp`).
 * Routes of one's own account allow both; the enrolment routes allow only the second.
 */
export function requireUser(
  c: Context<HonoEnv>,
  opts: { allowPendingPasswordChange?: boolean; allowPendingTotpEnrolment?: boolean } = {},
): {
  user: User;
  session: Session;
} {
  const auth = c.get('auth');
  if (!auth) throw unauthenticated();
  if (auth.user.mustChangePassword && !opts.allowPendingPasswordChange) {
    throw new AppError('password_change_required', 403, 'Change your password first');
  }
  if (auth.user.mustEnrolTotp && !opts.allowPendingTotpEnrolment && !opts.allowPendingPasswordChange) {
    throw new AppError('totp_enrolment_required', 403, 'Set up two-factor sign-in first');
  }
  return auth;
}
