/**
 * Checks a request's custom values (`custom: {key: value | null}`) before anything is written:
 * the value rules of schema/wire/custom-fields.ts against the active definitions of an entity
 * that apply to one team (the workspace's and that team's), and `user` values naming an active
 * member of that team. 400 naming `custom.<key>`. The live documents check again on write.
 */
import { type CustomFieldEntity, customValuesProblem } from '../../schema/wire/custom-fields.ts';
import type { AppContext } from '../context.ts';
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
  for (const def of defs) {
    const v = values[def.key];
    if (def.type !== 'user' || typeof v !== 'string') continue;
    const member = await findUserById(ctx.db, v);
    if (!member?.active || member.teamId !== teamId) throw badRequest(`custom.${def.key}: no such user in this team`, `custom.${def.key}`);
  }
}
