/**
 * Refuses text no layer below can hold — NUL and unpaired surrogates (schema/wire/safe-text.ts)
 * — once, at the edge, for every API route: in the path, in the query string (names and
 * values) and anywhere in a JSON body (keys and values). A refusal is a 400 naming the field,
 * before a route or the database sees the request. Routes that read other bodies (the CSV
 * import) check them themselves with the same rule.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { UNSAFE_TEXT_MESSAGE, type UnsafeText, fieldName, findUnsafeText, unsafeTextIn } from '../../schema/wire/safe-text.ts';
import { badRequest } from './app-error.ts';

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const refuseUnsafeText = (field: string, problem: UnsafeText) => badRequest(`${field}: ${UNSAFE_TEXT_MESSAGE[problem]}`, field);

/** Only bodies `jsonBody()` would read (validate.ts): anything else is answered 415 there. */
function isJson(c: Context): boolean {
  return (c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json');
}

export function inputGuard(): MiddlewareHandler {
  return async (c, next) => {
    const pathProblem = unsafeTextIn(c.req.path);
    if (pathProblem) throw refuseUnsafeText('path', pathProblem);
    for (const [name, values] of Object.entries(c.req.queries())) {
      const nameProblem = unsafeTextIn(name);
      if (nameProblem) throw refuseUnsafeText(fieldName([name]), nameProblem);
      for (const value of values) {
        const problem = unsafeTextIn(value);
        if (problem) throw refuseUnsafeText(name, problem);
      }
    }
    if (!BODYLESS.has(c.req.method) && isJson(c)) {
      // Hono keeps the parsed body: the route's jsonBody() reads it again without re-parsing.
      // Invalid JSON is left for jsonBody() to answer.
      const body = await c.req.json().then(
        (v: unknown) => ({ ok: true as const, v }),
        () => ({ ok: false as const }),
      );
      const found = body.ok ? findUnsafeText(body.v) : null;
      if (found) throw refuseUnsafeText(found.path.length > 0 ? fieldName(found.path) : 'body', found.problem);
    }
    await next();
  };
}
