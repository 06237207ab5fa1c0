/**
 * Custom fields (docs/custom-fields.md): definitions that admins keep per workspace or per
 * team, and the rules a value of each type follows. The value rules are pure and shared by
 * the customer document kind (values in `getMap('custom')` by key), the REST routes, the
 * import and the client's form, so that all of them agree on what is a valid value.
 */
import { z } from 'zod';
import { isUuid } from './ids.ts';
import { isSafeLink } from './links.ts';

export const CUSTOM_FIELD_ENTITIES = ['customer', 'contact', 'opportunity'] as const;
export type CustomFieldEntity = (typeof CUSTOM_FIELD_ENTITIES)[number];

export const CUSTOM_FIELD_TYPES = [
  'text',
  'longText',
  'number',
  'currency',
  'date',
  'select',
  'multiSelect',
  'user',
  'checkbox',
  'url',
] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** A field's key: its stable name in documents, filters (`custom.<key>`) and exports. */
export const CUSTOM_FIELD_KEY = /^[a-z][a-z0-9_]{0,39}$/;
/** An option's stored value. */
export const CUSTOM_OPTION_VALUE = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export const CUSTOM_LABEL_MAX = 80;
export const CUSTOM_HELP_MAX = 300;
export const CUSTOM_OPTIONS_MAX = 100;
/** Active fields of one entity in one scope (the workspace, or one team). */
export const CUSTOM_FIELDS_MAX = 100;
export const CUSTOM_TEXT_MAX = 500;
export const CUSTOM_LONG_TEXT_MAX = 10_000;
export const CUSTOM_URL_MAX = 2048;
/** Numbers beyond this lose integer precision in JSON and in JavaScript. */
export const CUSTOM_NUMBER_ABS_MAX = 1e15;

export interface LocalizedText {
  en: string;
  zh: string;
}

export interface CustomFieldOptionDto {
  value: string;
  label: LocalizedText;
}

export interface CustomFieldDto {
  id: string;
  entity: CustomFieldEntity;
  key: string;
  /** null: the whole workspace; else the one team that uses it. */
  teamId: string | null;
  type: CustomFieldType;
  label: LocalizedText;
  help: LocalizedText;
  options: CustomFieldOptionDto[];
  /** ISO 4217 code of a currency field (CNY by default). */
  currency: string | null;
  required: boolean;
  position: number;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What the value rules need of a definition. */
export type CustomFieldRule = Pick<CustomFieldDto, 'key' | 'type' | 'options' | 'required' | 'label'>;

/** Values as they are stored: JSON scalars, or a list of option values. */
export type CustomValue = string | number | boolean | string[];

// ---- values --------------------------------------------------------------------------

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDate(v: string): boolean {
  if (!DATE.test(v)) return false;
  const ms = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === v && v >= '0001-01-01';
}

/** http(s) only: a custom URL is opened as a web page (isSafeLink also refuses scripts and spaces). */
export function isWebLink(v: string): boolean {
  return v.length <= CUSTOM_URL_MAX && /^https?:\/\//i.test(v) && isSafeLink(v);
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= CUSTOM_NUMBER_ABS_MAX;

/**
 * Why `value` is not a valid value of the field, or null when it is. `undefined` and `null`
 * clear the value: refused for a required field (a value once given is not taken away).
 */
export function customValueProblem(def: CustomFieldRule, value: unknown): string | null {
  if (value === undefined || value === null) return def.required ? 'is required' : null;
  switch (def.type) {
    case 'text':
      return typeof value === 'string' && value.length <= CUSTOM_TEXT_MAX ? null : `must be text of at most ${CUSTOM_TEXT_MAX} characters`;
    case 'longText':
      return typeof value === 'string' && value.length <= CUSTOM_LONG_TEXT_MAX
        ? null
        : `must be text of at most ${CUSTOM_LONG_TEXT_MAX} characters`;
    case 'number':
      return isFiniteNumber(value) ? null : 'must be a number';
    case 'currency':
      return isFiniteNumber(value) && Math.round(value * 100) / 100 === value ? null : 'must be an amount with at most two decimals';
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? null : 'must be a date (YYYY-MM-DD)';
    case 'select':
      return typeof value === 'string' && def.options.some((o) => o.value === value) ? null : 'must be one of the options';
    case 'multiSelect': {
      if (!Array.isArray(value) || value.length > def.options.length) return 'must be a list of the options';
      const seen = new Set<string>();
      for (const v of value) {
        if (typeof v !== 'string' || seen.has(v) || !def.options.some((o) => o.value === v)) return 'must be a list of distinct options';
        seen.add(v);
      }
      return def.required && value.length === 0 ? 'is required' : null;
    }
    case 'user':
      return isUuid(value) && value === value.toLowerCase() ? null : 'must be a user id';
    case 'checkbox':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'url':
      return typeof value === 'string' && isWebLink(value) ? null : 'must be an http or https address';
    default: {
      const never: never = def.type;
      return `unknown type ${String(never)}`;
    }
  }
}

/** Checks a set of values (a REST body): the first problem as `{field, message}`, field `custom.<key>`. */
export function customValuesProblem(
  defs: readonly CustomFieldRule[],
  values: Record<string, unknown>,
): { field: string; message: string } | null {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  for (const [key, value] of Object.entries(values)) {
    const def = byKey.get(key);
    const field = `custom.${key}`;
    if (!def) return { field, message: `${field}: no such custom field` };
    const p = customValueProblem(def, value);
    if (p) return { field, message: `${field}: ${p}` };
  }
  return null;
}

/** A filter value from a URL (`custom.<key>=<value>`) as the JSON value stored, or null when it cannot match the type. */
export function customFilterValue(def: CustomFieldRule, raw: string): CustomValue | null {
  switch (def.type) {
    case 'checkbox':
      return raw === 'true' ? true : raw === 'false' ? false : null;
    case 'number':
    case 'currency': {
      const n = Number(raw);
      return raw.trim() !== '' && isFiniteNumber(n) ? n : null;
    }
    case 'multiSelect':
      return def.options.some((o) => o.value === raw) ? [raw] : null;
    case 'select':
      return def.options.some((o) => o.value === raw) ? raw : null;
    case 'text':
    case 'longText':
    case 'date':
    case 'user':
    case 'url':
      return raw;
    default: {
      const never: never = def.type;
      return never;
    }
  }
}

/** No value: unset, null, an empty text or an empty list (a checkbox's false is a value). */
export const isEmptyCustomValue = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** A value as text (exports, lists): lists joined by ", ", booleans as true/false. */
export function customValueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  return String(value);
}

// ---- definitions -----------------------------------------------------------------------

const label = (max: number, required: boolean) => {
  const s = z.string().trim().max(max, `must be at most ${max} characters`);
  return required ? s.min(1, 'is required') : s;
};

export const localizedLabelSchema = z.object({ en: label(CUSTOM_LABEL_MAX, true), zh: label(CUSTOM_LABEL_MAX, true) }).strict();
export const localizedHelpSchema = z.object({ en: label(CUSTOM_HELP_MAX, false), zh: label(CUSTOM_HELP_MAX, false) }).strict();

export const customOptionSchema = z
  .object({
    value: z.string().regex(CUSTOM_OPTION_VALUE, 'must be lower-case letters, digits, - or _ (at most 40)'),
    label: localizedLabelSchema,
  })
  .strict();

const optionsSchema = z
  .array(customOptionSchema)
  .max(CUSTOM_OPTIONS_MAX, `at most ${CUSTOM_OPTIONS_MAX} options`)
  .refine((opts) => new Set(opts.map((o) => o.value)).size === opts.length, 'option values must be unique');

export const isSelectType = (t: CustomFieldType): boolean => t === 'select' || t === 'multiSelect';

export const createCustomFieldBody = z
  .object({
    entity: z.enum(CUSTOM_FIELD_ENTITIES),
    key: z.string().regex(CUSTOM_FIELD_KEY, 'must start with a letter: lower-case letters, digits and _ (at most 40)'),
    type: z.enum(CUSTOM_FIELD_TYPES),
    label: localizedLabelSchema,
    help: localizedHelpSchema.optional(),
    options: optionsSchema.optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be a currency code such as CNY').optional(),
    required: z.boolean().optional(),
    /** Omitted or null: the whole workspace. */
    teamId: z.string().uuid().nullable().optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (isSelectType(b.type) && (b.options?.length ?? 0) === 0) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'a select field needs at least one option' });
    }
    if (!isSelectType(b.type) && b.options && b.options.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'only select fields have options' });
    }
    if (b.currency && b.type !== 'currency') ctx.addIssue({ code: 'custom', path: ['currency'], message: 'only currency fields have a currency' });
  });
export type CreateCustomFieldBody = z.infer<typeof createCustomFieldBody>;

/** Entity, key, type and team never change: values and filters depend on them. */
export const updateCustomFieldBody = z
  .object({
    label: localizedLabelSchema.optional(),
    help: localizedHelpSchema.optional(),
    options: optionsSchema.optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be a currency code such as CNY').optional(),
    required: z.boolean().optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export type UpdateCustomFieldBody = z.infer<typeof updateCustomFieldBody>;

export const customFieldListQuery = z
  .object({
    entity: z.enum(CUSTOM_FIELD_ENTITIES),
    /** Admins: archived fields too (the settings screen). */
    archived: z.enum(['exclude', 'include']).optional(),
    /** Admins: the fields that apply to one team (workspace + that team's); without it, all. */
    teamId: z.string().uuid().optional(),
  })
  .strict();

/** `customFields:changed`: definitions of an entity changed; open pages refetch them. */
export interface CustomFieldsChangedDto {
  entity: CustomFieldEntity;
  /** The team whose fields changed, or null for workspace fields. */
  teamId: string | null;
}
