/** Customers and contacts as the HTTP API shows them (docs/customers.md gives the routes). */
import { z } from 'zod';
import { CUSTOMER_FIELD_MAX, TAGS_MAX, TAG_MAX_CHARS } from './docs.ts';
import { isSafeLink } from './links.ts';

export const CUSTOMER_KINDS = ['company', 'person'] as const;
export type CustomerKindDto = (typeof CUSTOMER_KINDS)[number];

/** The categories a team starts with; admins may replace a team's list. */
export const DEFAULT_CATEGORIES: readonly CategoryDto[] = [
  { key: 'potential', label: 'Potential', labelZh: '潜在客户' },
  { key: 'intent', label: 'Intent', labelZh: '意向客户' },
  { key: 'closed-won', label: 'Closed won', labelZh: '成交客户' },
  { key: 'vip', label: 'VIP', labelZh: 'VIP 客户' },
];

/** Field lengths are the live document's (schema/wire/docs.ts), so REST and documents agree. */
export const CUSTOMER_NAME_MAX = CUSTOMER_FIELD_MAX.name;
export const SHORT_TEXT_MAX = 200;
export const EMAIL_MAX = CUSTOMER_FIELD_MAX.email;
export const PHONE_MAX = CUSTOMER_FIELD_MAX.phone;
export const TAG_MAX = TAG_MAX_CHARS;
export const TAGS_PER_CUSTOMER_MAX = TAGS_MAX;
export const CATEGORY_KEY_MAX = CUSTOMER_FIELD_MAX.category;
export const CATEGORIES_MAX = 30;
export const SEARCH_MAX = 100;
export const LIST_LIMIT_MAX = 200;
export const LIST_LIMIT_DEFAULT = 50;

/** The document's scalar fields (DESIGN.md: getMap('fields')), in form order. */
export const CUSTOMER_FIELDS = [
  'name',
  'kind',
  'industry',
  'size',
  'phone',
  'email',
  'address',
  'website',
  'source',
  'decisionMakers',
  'needs',
  'category',
  'ownerId',
] as const;
export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

export interface CategoryDto {
  key: string;
  /** The English label (and the label for a team that gave no Chinese one). */
  label: string;
  /** The Chinese label; empty: `label` is shown. */
  labelZh?: string;
  /** `#rrggbb`, or null/absent for the default colour. */
  color?: string | null;
}

export const CATEGORY_COLOR_PATTERN = /^#[0-9a-f]{6}$/;

export interface CustomerDto {
  id: string;
  teamId: string;
  kind: CustomerKindDto;
  name: string;
  industry: string;
  size: string;
  phone: string;
  email: string;
  address: string;
  website: string;
  source: string;
  decisionMakers: string;
  needs: string;
  category: string;
  ownerId: string | null;
  tags: string[];
  nextFollowupAt: string | null;
  archivedAt: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  importId: string | null;
  /** Custom field values by key (docs/custom-fields.md). */
  custom: Record<string, unknown>;
}

export interface ContactDto {
  id: string;
  customerId: string;
  name: string;
  title: string;
  phone: string;
  email: string;
  decisionMaker: boolean;
  /** Contact custom field values by key (docs/custom-fields.md, "Contacts"). */
  custom: Record<string, unknown>;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DuplicateCandidateDto {
  id: string;
  name: string;
  phone: string;
  email: string;
  ownerId: string | null;
  archived: boolean;
  /** Why it looks like the same customer. */
  reasons: ('phone' | 'email' | 'name')[];
}

export interface HistoryEntryDto {
  id: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  /** field → [old, new]; other actions carry their own details. */
  changes: Record<string, unknown>;
}

export interface CustomerListDto {
  items: CustomerDto[];
  nextCursor: string | null;
}

// ---- validation ----------------------------------------------------------------

/** A phone number: digits with the usual separators, 3–20 digits. */
export const PHONE_PATTERN = /^\+?[0-9(][0-9 ()./-]*$/;
export const PHONE_DIGITS_MIN = 3;
export const PHONE_DIGITS_MAX = 20;

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

export const phoneSchema = text(PHONE_MAX).refine(
  (s) => {
    if (s === '') return true;
    const digits = s.replace(/\D/g, '').length;
    return PHONE_PATTERN.test(s) && digits >= PHONE_DIGITS_MIN && digits <= PHONE_DIGITS_MAX;
  },
  { message: 'must be a phone number (digits, spaces, + ( ) - . /)' },
);

export const emailSchema = text(EMAIL_MAX).refine((s) => s === '' || /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;.]+$/.test(s), {
  message: 'must be an e-mail address',
});

/** http(s), mailto, tel or a bare domain (schema/wire/links.ts): never `javascript:` and the like. */
export const websiteSchema = text(CUSTOMER_FIELD_MAX.website).refine((s) => s === '' || isSafeLink(s), {
  message: 'must be a web address (example.com, or an http, https, mailto or tel link)',
});

export const tagSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(TAG_MAX, `must be at most ${TAG_MAX} characters`)
  .refine((s) => !/[,\n\r\t]/.test(s), { message: 'must not contain commas or line breaks' });

export const tagsSchema = z
  .array(tagSchema)
  .max(TAGS_PER_CUSTOMER_MAX, `at most ${TAGS_PER_CUSTOMER_MAX} tags`)
  .transform((tags) => [...new Set(tags)]);

export const categoryKeySchema = z.string().trim().min(1).max(CATEGORY_KEY_MAX);

/** Fields a create or a patch may carry (all optional here; create requires name). */
const fieldShape = {
  kind: z.enum(CUSTOMER_KINDS),
  industry: text(CUSTOMER_FIELD_MAX.industry),
  size: text(CUSTOMER_FIELD_MAX.size),
  phone: phoneSchema,
  email: emailSchema,
  address: text(CUSTOMER_FIELD_MAX.address),
  website: websiteSchema,
  source: text(CUSTOMER_FIELD_MAX.source),
  decisionMakers: text(CUSTOMER_FIELD_MAX.decisionMakers),
  needs: text(CUSTOMER_FIELD_MAX.needs),
  category: categoryKeySchema,
  ownerId: z.string().uuid().nullable(),
  tags: tagsSchema,
};

const nameSchema = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(CUSTOMER_NAME_MAX, `must be at most ${CUSTOMER_NAME_MAX} characters`);

export const createCustomerBody = z
  .object({
    name: nameSchema,
    ...Object.fromEntries(Object.entries(fieldShape).map(([k, v]) => [k, v.optional()])),
    /** Admins only: the team the customer belongs to. */
    teamId: z.string().uuid().optional(),
    /** Create although likely duplicates exist. */
    confirm: z.boolean().optional(),
    custom: z.lazy(() => customValuesSchema).optional(),
  })
  .strict() as z.ZodType<CreateCustomerBody>;

export interface CustomerFieldValues {
  kind?: CustomerKindDto;
  industry?: string;
  size?: string;
  phone?: string;
  email?: string;
  address?: string;
  website?: string;
  source?: string;
  decisionMakers?: string;
  needs?: string;
  category?: string;
  ownerId?: string | null;
  tags?: string[];
}

export interface CreateCustomerBody extends CustomerFieldValues {
  name: string;
  teamId?: string;
  confirm?: boolean;
  /** Custom field values by key (null or absent: none); every required field of the team needs one. */
  custom?: Record<string, unknown>;
}

export interface UpdateCustomerBody extends CustomerFieldValues {
  name?: string;
  /** Custom field values by key; null clears one (checked against the definitions by the service). */
  custom?: Record<string, unknown>;
}

/** At most this many custom values in one request (well above the fields one scope may define). */
export const CUSTOM_VALUES_PER_REQUEST_MAX = 200;

/** A body's `custom` part: key → value (null clears); the values are checked against the definitions. */
const customValuesSchema = z
  .record(z.string().max(40), z.unknown())
  .refine((r) => Object.keys(r).length <= CUSTOM_VALUES_PER_REQUEST_MAX, `at most ${CUSTOM_VALUES_PER_REQUEST_MAX} values`);

export const updateCustomerBody = z
  .object({
    name: nameSchema.optional(),
    ...Object.fromEntries(Object.entries(fieldShape).map(([k, v]) => [k, v.optional()])),
    custom: customValuesSchema.optional(),
  })
  .strict() as z.ZodType<UpdateCustomerBody>;

export const createContactBody = z
  .object({
    name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(SHORT_TEXT_MAX),
    title: text(SHORT_TEXT_MAX).optional(),
    phone: phoneSchema.optional(),
    email: emailSchema.optional(),
    decisionMaker: z.boolean().optional(),
    /** Contact custom values by key; null clears one (checked against the team's contact fields). */
    custom: customValuesSchema.optional(),
  })
  .strict();
export type CreateContactBody = z.infer<typeof createContactBody>;

export const updateContactBody = createContactBody.partial().strict();
export type UpdateContactBody = z.infer<typeof updateContactBody>;

export const mergeBody = z
  .object({
    sourceId: z.string().uuid(),
    /** For each field, which record's value survives (default: the target's). */
    fields: z.partialRecord(z.enum(CUSTOMER_FIELDS), z.enum(['target', 'source'])).optional(),
    /**
     * For each custom field (by key), which record's value survives; default: the target's,
     * or the source's where the target has none (a merge loses no custom value by default).
     */
    custom: z
      .record(z.string().max(40), z.enum(['target', 'source']))
      .refine((r) => Object.keys(r).length <= CUSTOM_VALUES_PER_REQUEST_MAX, `at most ${CUSTOM_VALUES_PER_REQUEST_MAX} values`)
      .optional(),
  })
  .strict();
export type MergeBody = z.infer<typeof mergeBody>;

/** What merging `sourceId` into a customer would move (`GET /api/customers/:id/merge-preview?sourceId=`). */
export interface MergePreviewDto {
  contacts: number;
  opportunities: number;
  followups: number;
  /** Open tasks (done ones move too, uncounted). */
  tasks: number;
}

export const categoriesBody = z
  .object({
    teamId: z.string().uuid().optional(),
    categories: z
      .array(
        z
          .object({
            key: categoryKeySchema.regex(/^[a-z0-9-]+$/, 'use a-z, 0-9 and -'),
            label: text(SHORT_TEXT_MAX).min(1),
            labelZh: text(SHORT_TEXT_MAX).optional(),
            color: z.string().regex(CATEGORY_COLOR_PATTERN, 'a colour as #rrggbb (lower case)').nullable().optional(),
          })
          .strict(),
      )
      .min(1)
      .max(CATEGORIES_MAX),
  })
  .strict();
