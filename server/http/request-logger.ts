import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';

/** One log line per request: method, path (no query string), status, time. Never headers or bodies. */
export function requestLogger(log: Logger): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    await next();
    log.debug(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - start) },
      'request',
    );
  };
}
