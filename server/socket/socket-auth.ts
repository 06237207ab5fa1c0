/**
 * The Socket.IO handshake: Origin first (before any Socket.IO packet, in
 * `allowRequest`), then the session cookie (in an `io.use` middleware).
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseCookies } from 'hono/utils/cookie';
import { SESSION_COOKIE } from '../auth/session.ts';
import { type ValidSession, validateSessionToken } from '../auth/session.service.ts';
import type { AppContext } from '../context.ts';
import { originAllowed, ownOriginsOf } from '../http/origin-check.ts';

/** `allowRequest` for the engine: refuses a foreign Origin with HTTP 403. */
export function socketOriginCheck(allowedOrigins: string[]) {
  return (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => {
    const secFetchSite = req.headers['sec-fetch-site'];
    const ok = originAllowed(
      {
        origin: req.headers.origin,
        secFetchSite: typeof secFetchSite === 'string' ? secFetchSite : undefined,
      },
      ownOriginsOf(req.headers.host),
      allowedOrigins,
    );
    callback(ok ? null : 'bad_origin', ok);
  };
}

export type HandshakeResult =
  | { kind: 'ok'; auth: ValidSession; token: string }
  | { kind: 'refused'; code: 'unauthenticated' | 'password_change_required'; message: string };

/** Resolves the cookie header of a handshake into a session. */
export async function authenticateHandshake(ctx: AppContext, cookieHeader: string | undefined): Promise<HandshakeResult> {
  const token = cookieHeader ? parseCookies(cookieHeader, SESSION_COOKIE)[SESSION_COOKIE] : undefined;
  if (!token) return { kind: 'refused', code: 'unauthenticated', message: 'Sign in first' };
  const auth = await validateSessionToken(ctx.db, token, ctx.now());
  if (!auth) return { kind: 'refused', code: 'unauthenticated', message: 'The session has ended; sign in again' };
  if (auth.user.mustChangePassword) {
    return { kind: 'refused', code: 'password_change_required', message: 'Change your password first' };
  }
  return { kind: 'ok', auth, token };
}

/** An error for `next(err)` in a Socket.IO middleware: the client sees `connect_error` with `message` = code. */
export function handshakeError(code: string, message: string): Error & { data: { code: string; message: string } } {
  const err = new Error(code) as Error & { data: { code: string; message: string } };
  err.data = { code, message };
  return err;
}
