import type { Context } from 'hono';
import { foldCustomParams } from '../../schema/wire/customer-query.ts';

/** URL parameters as an object: a repeated key becomes an array. */
export function queryObject(c: Context): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, values] of Object.entries(c.req.queries())) out[k] = values.length === 1 ? values[0]! : values;
  return out;
}

/** The customer list's URL parameters, `custom.<key>=…` folded into `custom` (schema/wire/customer-query.ts). */
export function customerQueryObject(c: Context): Record<string, unknown> {
  return foldCustomParams(queryObject(c));
}
