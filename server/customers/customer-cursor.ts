/** Opaque keyset cursors for the customer list: base64url of {sort, last value, last id}. */
import { z } from 'zod';
import type { CustomerSort } from '../../schema/wire/customer-query.ts';
import { isUuid } from '../../schema/wire/ids.ts';
import { isSafeText } from '../../schema/wire/safe-text.ts';
import { badRequest } from '../http/app-error.ts';
import { isCursorTime } from '../http/cursor-time.ts';

export interface CustomerCursor {
  sort: CustomerSort;
  /** The sort column's value of the last row (a name, or a timestamp with microseconds). */
  value: string;
  id: string;
}

const cursorShape = z.object({
  s: z.string(),
  v: z.string().max(400).refine(isSafeText),
  i: z.string().refine(isUuid),
});

export function encodeCursor(c: CustomerCursor): string {
  return Buffer.from(JSON.stringify({ s: c.sort, v: c.value, i: c.id })).toString('base64url');
}

/** A cursor from another sort, or not one of ours at all, is a 400 on `cursor`. */
export function decodeCursor(raw: string, sort: CustomerSort): CustomerCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('cursor: not a cursor from this list', 'cursor');
  }
  const r = cursorShape.safeParse(parsed);
  if (!r.success) throw badRequest('cursor: not a cursor from this list', 'cursor');
  if (r.data.s !== sort) throw badRequest('cursor: it belongs to another sort order', 'cursor');
  // A time that does not parse (9999-99-99T99:99:99.999999Z) would fail the timestamp cast.
  if (sort !== 'name' && sort !== '-name' && !(/^.{20}\d{6}Z$/.test(r.data.v) && isCursorTime(r.data.v))) {
    throw badRequest('cursor: not a cursor from this list', 'cursor');
  }
  return { sort, value: r.data.v, id: r.data.i.toLowerCase() };
}
