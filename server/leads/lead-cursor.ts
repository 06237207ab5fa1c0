/** Opaque keyset cursors for the lead list (newest first): base64url of {created_at, id}. */
import { z } from 'zod';
import { isUuid } from '../../schema/wire/ids.ts';
import { badRequest } from '../http/app-error.ts';
import { isCursorTime } from '../http/cursor-time.ts';

export interface LeadCursor {
  /** The last row's created_at with microseconds, `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  createdAt: string;
  id: string;
}

const cursorShape = z.strictObject({ t: z.string(), i: z.string().refine(isUuid) });

export function encodeLeadCursor(c: LeadCursor): string {
  return Buffer.from(JSON.stringify({ t: c.createdAt, i: c.id })).toString('base64url');
}

/** A cursor that is not one of ours (or names a time that does not exist) is a 400 on `cursor`. */
export function decodeLeadCursor(raw: string): LeadCursor {
  const refuse = () => badRequest('cursor: not a cursor from this list', 'cursor');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  const r = cursorShape.safeParse(parsed);
  if (!r.success || !/^.{20}\d{6}Z$/.test(r.data.t) || !isCursorTime(r.data.t)) throw refuse();
  return { createdAt: r.data.t, id: r.data.i.toLowerCase() };
}
