/**
 * The customer list query: search, filters and sort, as URL parameters of
 * `GET /api/customers` and `GET /api/customers/export.csv`, and as the body of a saved filter.
 */
import { z } from 'zod';
import { isoDateSchema, isoDateTimeSchema } from './dates.ts';
import { CUSTOM_FIELD_KEY } from './custom-fields.ts';
import { isUuid } from './ids.ts';
import { CATEGORY_KEY_MAX, LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, SEARCH_MAX, SHORT_TEXT_MAX, TAG_MAX } from './customer.ts';

export const SORTS = ['name', '-name', 'created', '-created', 'updated', '-updated'] as const;
export type CustomerSort = (typeof SORTS)[number];

export const FOLLOWUP_STATUSES = ['overdue', 'dueSoon', 'scheduled', 'none'] as const;
export type FollowupStatus = (typeof FOLLOWUP_STATUSES)[number];

export const ARCHIVED_MODES = ['exclude', 'include', 'only'] as const;
export type ArchivedMode = (typeof ARCHIVED_MODES)[number];

export const LIST_VALUES_MAX = 20;
export const CUSTOM_FILTER_VALUE_MAX = 200;
/** The URL prefix of custom field filters: `custom.<key>=<value>`. */
export const CUSTOM_FILTER_PREFIX = 'custom.';
/** The URL prefix of contact custom field filters: `contact.custom.<key>=<value>` (customers with such a contact). */
export const CONTACT_CUSTOM_FILTER_PREFIX = 'contact.custom.';

/**
 * URL parameters with `custom.<key>` folded into `custom: {key: value}` and
 * `contact.custom.<key>` into `contactCustom` (the shape the schema reads).
 */
export function foldCustomParams(params: Record<string, string | string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const custom: Record<string, string | string[]> = {};
  const contactCustom: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(params)) {
    if (k.startsWith(CUSTOM_FILTER_PREFIX)) custom[k.slice(CUSTOM_FILTER_PREFIX.length)] = v;
    else if (k.startsWith(CONTACT_CUSTOM_FILTER_PREFIX)) contactCustom[k.slice(CONTACT_CUSTOM_FILTER_PREFIX.length)] = v;
    else out[k] = v;
  }
  if (Object.keys(custom).length > 0) out.custom = custom;
  if (Object.keys(contactCustom).length > 0) out.contactCustom = contactCustom;
  return out;
}

/** "a,b,c" (or an array, for saved filters) → trimmed, non-empty, de-duplicated values. */
const list = (item: z.ZodString) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => [...new Set((Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))])
    .pipe(z.array(item).max(LIST_VALUES_MAX, `at most ${LIST_VALUES_MAX} values`));

const instant = isoDateTimeSchema.or(isoDateSchema);

/** Custom field filters: key → values. */
const customFilterValues = z
  .record(z.string().regex(CUSTOM_FIELD_KEY, 'must be a custom field key'), list(z.string().max(CUSTOM_FILTER_VALUE_MAX)))
  .refine((r) => Object.keys(r).length <= LIST_VALUES_MAX, `at most ${LIST_VALUES_MAX} custom fields`);

export const customerFilterSchema = z
  .object({
    q: z.string().trim().max(SEARCH_MAX, `must be at most ${SEARCH_MAX} characters`).optional(),
    category: list(z.string().max(CATEGORY_KEY_MAX)).optional(),
    industry: list(z.string().max(SHORT_TEXT_MAX)).optional(),
    /** User ids, or `none` for customers without an owner, or `me`. */
    ownerId: list(z.string().refine((v) => v === 'none' || v === 'me' || isUuid(v), 'must be user ids, "me" or "none"')).optional(),
    tags: list(z.string().max(TAG_MAX)).optional(),
    tagMode: z.enum(['any', 'all']).optional(),
    followup: z.enum(FOLLOWUP_STATUSES).optional(),
    createdFrom: instant.optional(),
    createdTo: instant.optional(),
    updatedFrom: instant.optional(),
    updatedTo: instant.optional(),
    archived: z.enum(ARCHIVED_MODES).optional(),
    sort: z.enum(SORTS).optional(),
    /** Admins: one team's customers only. */
    teamId: z.string().uuid().optional(),
    /**
     * Custom fields (`custom.<key>=a,b` in a URL): key → values, any of which matches; keys
     * combine with AND. Typed against the definitions by the service (docs/custom-fields.md).
     */
    custom: customFilterValues.optional(),
    /**
     * Contact custom fields (`contact.custom.<key>=a,b` in a URL): customers with an active
     * contact whose values match, each key by any of its values, keys combined with AND.
     */
    contactCustom: customFilterValues.optional(),
  })
  .strict();
export type CustomerFilter = z.infer<typeof customerFilterSchema>;

export const customerListSchema = customerFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(LIST_LIMIT_MAX).optional(),
  cursor: z.string().max(500).optional(),
});
export type CustomerListQuery = z.infer<typeof customerListSchema>;

export { LIST_LIMIT_DEFAULT };

export const SAVED_FILTER_NAME_MAX = 80;
export const SAVED_FILTERS_PER_USER_MAX = 50;

export const savedFilterBody = z
  .object({
    name: z.string().trim().min(1, 'is required').max(SAVED_FILTER_NAME_MAX),
    query: customerFilterSchema,
  })
  .strict();

export interface SavedFilterDto {
  id: string;
  name: string;
  query: CustomerFilter;
  createdAt: string;
}
