/**
 * Record ids: UUIDs written the standard way (8-4-4-4-12 hexadecimal digits). The one pattern
 * for server, client and tests; an id that fails it never reaches SQL (where the uuid cast
 * would fail with a 500).
 */
import { z } from 'zod';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID_PATTERN.test(v);

/**
 * An id as the app writes it: lower case. Live documents hold ids as text (document names,
 * owners, card keys), where `ABC…` and `abc…` would be two different values.
 */
export const isCanonicalUuid = (v: unknown): v is string => isUuid(v) && v === v.toLowerCase();

/** An id in a URL or a body: the standard pattern, lower-cased (ids compare as text in the app). */
export const uuidSchema = z
  .string()
  .regex(UUID_PATTERN, 'must be an id (a UUID)')
  .transform((s) => s.toLowerCase());
