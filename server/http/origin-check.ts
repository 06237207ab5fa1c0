import type { MiddlewareHandler } from 'hono';
import { AppError } from './app-error.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * True when a request comes from our own pages: its Origin is the server's
 * own origin or an allowed one, or (browsers that omit Origin) it carries
 * `Sec-Fetch-Site: same-origin`. Used for HTTP and for WebSocket upgrades.
 */
export function originAllowed(
  headers: { origin?: string | null; secFetchSite?: string | null; host?: string | null },
  ownOrigins: string[],
  allowed: string[],
): boolean {
  const origin = headers.origin;
  if (origin) return ownOrigins.includes(origin) || allowed.includes(origin);
  return headers.secFetchSite === 'same-origin';
}

/** The origins a request's own URL stands for (http and https: a TLS proxy may sit in front). */
export function ownOriginsOf(host: string | null | undefined): string[] {
  return host ? [`http://${host}`, `https://${host}`] : [];
}

/**
 * CSRF defence for every state-changing request, JSON included (Hono's
 * csrf() only checks form content types).
 */
export function originCheck(allowed: string[]): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method)) {
      const ok = originAllowed(
        { origin: c.req.header('origin'), secFetchSite: c.req.header('sec-fetch-site') },
        ownOriginsOf(c.req.header('host') ?? new URL(c.req.url).host),
        allowed,
      );
      if (!ok) throw new AppError('bad_origin', 403, 'Cross-origin request refused');
    }
    await next();
  };
}
