import type { Context } from 'hono';
import type { z } from 'zod';
import { isUuid } from '../../schema/wire/ids.ts';
import { AppError, badRequest } from './app-error.ts';

/** Reads a JSON body and validates it; a bad body is a 400 naming the field at fault. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new AppError('bad_request', 415, 'Send a JSON body (Content-Type: application/json)');
  }
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new AppError('bad_request', 400, 'The body is not valid JSON');
  }
  return parseWith(schema, raw);
}

export function parseWith<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || undefined;
  throw badRequest(field ? `${field}: ${issue?.message}` : (issue?.message ?? 'Invalid input'), field);
}

/**
 * A record id from the path (`/:id`, `/:quoteId`): a UUID in the standard form, lower-cased,
 * or a 400 naming the parameter. Checked before any query, where the uuid cast would fail.
 */
export function pathId(c: Context, name = 'id'): string {
  const raw = c.req.param(name);
  if (!isUuid(raw)) throw badRequest(`${name}: must be an id (a UUID)`, name);
  return raw.toLowerCase();
}
