/**
 * Custom field values on contacts (docs/custom-fields.md, "Contacts"). Contacts are relational
 * rows, so their values live in `contacts.custom_fields`; a request's `custom: {key: value|null}`
 * is checked with the customer document's rules (`customKeyProblem`) against the active contact
 * definitions that apply to the customer's team (the workspace's and that team's), and `user`
 * values must name an active member of that team. `null` clears a value.
 */
import type { CustomValue } from '../../schema/wire/custom-fields.ts';
import type { AppContext } from '../context.ts';
import { assertCustomRequest } from '../custom-fields/custom-field-values.ts';

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
  await assertCustomRequest(ctx, 'contact', teamId, values, creating);
}
