/**
 * Checks a request's custom values (`custom: {key: value | null}`) before anything is written:
 * the value rules of schema/wire/custom-fields.ts against the active definitions of an entity
 * that apply to one team (the workspace's and that team's), and `user` values naming an active
 * member of that team. 400 naming `custom.<key>`. The live documents check again on write.
 */
import { type CustomFieldEntity, type CustomFieldRule, customValuesProblem } from '../../schema/wire/custom-fields.ts';
import type { AppContext } from '../context.ts';
import { type CustomKeyProblem, customKeyProblem } from '../customers/customer-custom-doc.ts';
import { badRequest } from '../http/app-error.ts';
import { findUserById } from '../users/user.repository.ts';
import { customFieldsOfTeam } from './custom-field.service.ts';

export async function assertCustomValuesOfTeam(
  ctx: AppContext,
  entity: CustomFieldEntity,
  teamId: string,
  values: Readonly<Record<string, unknown>>,
): Promise<void> {
  const defs = await customFieldsOfTeam(ctx, entity, teamId);
  const p = customValuesProblem(defs, values);
  if (p) throw badRequest(p.message, p.field);
  await assertUserValues(ctx, defs, teamId, values);
}

/**
 * A create's or a change's `custom` part, checked with the documents' rules (`customRequestProblem`)
 * against the definitions of `teamId`, read once; `creating`: every required field needs a value.
 * Answers the values given (a null, which clears a value, left out).
 */
export async function assertCustomRequest(
  ctx: AppContext,
  entity: CustomFieldEntity,
  teamId: string,
  values: Readonly<Record<string, unknown>>,
  creating: boolean,
): Promise<Record<string, unknown>> {
  const defs = await customFieldsOfTeam(ctx, entity, teamId);
  const p = customRequestProblem(defs, values, creating);
  if (p) throw badRequest(p.message, p.field);
  const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined));
  await assertUserValues(ctx, defs, teamId, given);
  return given;
}

/** `user` values name an active member of the team. */
async function assertUserValues(ctx: AppContext, defs: readonly CustomFieldRule[], teamId: string, values: Readonly<Record<string, unknown>>): Promise<void> {
  for (const def of defs) {
    const v = values[def.key];
    if (def.type !== 'user' || typeof v !== 'string') continue;
    const member = await findUserById(ctx.db, v);
    if (!member?.active || member.teamId !== teamId) throw badRequest(`custom.${def.key}: no such user in this team`, `custom.${def.key}`);
  }
}

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
