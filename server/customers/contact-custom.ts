/**
 * Custom field values on contacts (docs/custom-fields.md, "Contacts"). Contacts are relational
 * rows, so their values live in `contacts.custom_fields`; a request's `custom: {key: value|null}`
 * is checked with the customer document's rules (`customKeyProblem`) against the active contact
 * definitions that apply to the customer's team (the workspace's and that team's), and `user`
 * values must name an active member of that team. `null` clears a value.
 */
import type { CustomFieldRule, CustomValue } from '../../schema/wire/custom-fields.ts';
import type { AppContext } from '../context.ts';
import { customFieldsOfTeam } from '../custom-fields/custom-field.service.ts';
import { assertCustomValuesOfTeam } from '../custom-fields/custom-field-values.ts';
import { badRequest } from '../http/app-error.ts';
import { type CustomKeyProblem, customKeyProblem } from './customer-custom-doc.ts';

/**
 * The first problem of a request's values, or null. `creating`: a required field must be given
 * (on a change, a required value may not be cleared, as `customKeyProblem` says).
 */
export function customRequestProblem(
  rules: readonly CustomFieldRule[],
  values: Readonly<Record<string, unknown>>,
  creating: boolean,
): CustomKeyProblem | null {
  const byKey = new Map(rules.map((r) => [r.key, r]));
  for (const [key, value] of Object.entries(values)) {
    const p = customKeyProblem(byKey, key, value === null ? undefined : value);
    if (p) return p;
  }
  if (creating) {
    for (const r of rules) {
      const v = values[r.key];
      if (r.required && (v === undefined || v === null)) return { status: 400, field: `custom.${r.key}`, message: `${r.label.en}: is required` };
    }
  }
  return null;
}

/** The stored values after a request's values: null removes a key, anything else replaces it. */
export function mergeContactCustom(before: Readonly<Record<string, unknown>>, values: Readonly<Record<string, unknown>>): Record<string, CustomValue> {
  const out: Record<string, unknown> = { ...before };
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined) delete out[key];
    else out[key] = value;
  }
  return out as Record<string, CustomValue>;
}

/** The `custom.<key>: [old, new]` entries of the history for what changed. */
export function contactCustomChanges(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[key] ?? null;
    const b = after[key] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[`custom.${key}`] = [a, b];
  }
  return changes;
}

/**
 * Checks a request's values for a contact of a customer of `teamId` (400 naming `custom.<key>`,
 * before anything is written); `user` values are active members of the team.
 */
export async function assertContactCustomValues(
  ctx: AppContext,
  teamId: string,
  values: Readonly<Record<string, unknown>>,
  creating: boolean,
): Promise<void> {
  const rules = await customFieldsOfTeam(ctx, 'contact', teamId);
  const p = customRequestProblem(rules, values, creating);
  if (p) throw badRequest(p.message, p.field);
  // The values given (a cleared one needs no check): user fields name active members of the team.
  const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined));
  await assertCustomValuesOfTeam(ctx, 'contact', teamId, given);
}
