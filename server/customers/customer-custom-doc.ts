/**
 * The `custom` root of a customer document (docs/custom-fields.md): custom field key → value,
 * checked against the definitions that apply to the customer (the workspace's and its team's,
 * not archived). Pure: the document kind loads the definitions and passes them in.
 */
import type * as Y from 'yjs';
import {
  CUSTOM_FIELD_KEY,
  type CustomFieldRule,
  type CustomValue,
  customValueProblem,
} from '../../schema/wire/custom-fields.ts';

/** The definitions that apply to one customer, by key. */
export type CustomRules = ReadonlyMap<string, CustomFieldRule>;

export interface CustomKeyProblem {
  status: 400;
  field: string;
  message: string;
}

/**
 * Why the value of `key` after an update is refused, or null. Removing the value of a key
 * with no active definition (unknown, archived) is allowed: it only cleans up.
 */
export function customKeyProblem(rules: CustomRules, key: string, value: unknown): CustomKeyProblem | null {
  const field = `custom.${key}`;
  const def = rules.get(key);
  if (!def) return value === undefined ? null : { status: 400, field, message: `${field}: no such custom field (unknown or archived)` };
  const p = customValueProblem(def, value);
  return p ? { status: 400, field, message: `${def.label.en}: ${p}` } : null;
}

/** The stored values of the `custom` map as plain JSON, for the projection (anything else is skipped). */
export function readCustomValues(custom: Y.Map<unknown>): Record<string, CustomValue> {
  return customValuesOf(custom.entries());
}

/** `readCustomValues` of the map's entries, in its order. */
export function customValuesOf(entries: Iterable<[string, unknown]>): Record<string, CustomValue> {
  const out: Record<string, CustomValue> = {};
  for (const [key, value] of entries) {
    if (!CUSTOM_FIELD_KEY.test(key)) continue;
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) out[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[key] = [...value] as string[];
  }
  return out;
}
