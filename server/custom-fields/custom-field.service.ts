/**
 * Custom field definitions: who sees which, admins' changes, and the `customFields:changed`
 * event that makes open pages refetch them (docs/custom-fields.md).
 */
import { WORKSPACE, can, isAdmin } from '../../schema/policy/access.ts';
import {
  CUSTOM_FIELDS_MAX,
  type CreateCustomFieldBody,
  type CustomFieldDto,
  type CustomFieldEntity,
  type UpdateCustomFieldBody,
  isSelectType,
} from '../../schema/wire/custom-fields.ts';
import type { AppContext } from '../context.ts';
import { badRequest, conflict, forbidden, notFound } from '../http/app-error.ts';
import { findTeamById, listTeams } from '../teams/team.repository.ts';
import type { User } from '../users/user.ts';
import {
  countActiveFields,
  findCustomField,
  insertCustomField,
  listCustomFields,
  nextPosition,
  setCustomFieldArchived,
  toCustomFieldDto,
  updateCustomField,
} from './custom-field.repository.ts';

function assertAdmin(user: User): void {
  if (!can(user, 'administer', WORKSPACE)) throw forbidden('Only admins change custom fields');
}

/**
 * The definitions a user sees: admins every team's (or those applying to `teamId`), archived
 * ones on request; others the workspace's and their own team's, active ones only.
 */
export async function listVisibleCustomFields(
  ctx: AppContext,
  user: User,
  q: { entity: CustomFieldEntity; archived?: 'exclude' | 'include'; teamId?: string },
): Promise<CustomFieldDto[]> {
  const admin = isAdmin(user);
  const teams = admin ? (q.teamId ?? 'all') : user.teamId;
  const rows = await listCustomFields(ctx.db, q.entity, { teams, archived: admin && q.archived === 'include' });
  return rows.map(toCustomFieldDto);
}

/** The active definitions that apply to records of one team (for checking values and filters). */
export async function customFieldsOfTeam(ctx: AppContext, entity: CustomFieldEntity, teamId: string | null): Promise<CustomFieldDto[]> {
  return (await listCustomFields(ctx.db, entity, { teams: teamId, archived: false })).map(toCustomFieldDto);
}

export async function createCustomField(ctx: AppContext, user: User, body: CreateCustomFieldBody): Promise<CustomFieldDto> {
  assertAdmin(user);
  const teamId = body.teamId ?? null;
  if (teamId && !(await findTeamById(ctx.db, teamId))) throw badRequest('teamId: no such team', 'teamId');
  if ((await countActiveFields(ctx.db, body.entity, teamId)) >= CUSTOM_FIELDS_MAX) {
    throw conflict(`At most ${CUSTOM_FIELDS_MAX} active custom fields per ${body.entity} and scope`);
  }
  const position = body.position ?? (await nextPosition(ctx.db, body.entity));
  const row = await insertCustomField(ctx.db, { ...body, position }, user.id);
  if (!row) throw conflict(`key: the key ${body.key} is already used by another ${body.entity} field (archived ones too)`, 'key');
  await announce(ctx, row.entity, row.team_id);
  return toCustomFieldDto(row);
}

export async function changeCustomField(ctx: AppContext, user: User, id: string, body: UpdateCustomFieldBody): Promise<CustomFieldDto> {
  assertAdmin(user);
  const before = await findCustomField(ctx.db, id);
  if (!before) throw notFound('No such custom field');
  if (body.options && !isSelectType(before.type)) throw badRequest('options: only select fields have options', 'options');
  if (body.options && body.options.length === 0) throw badRequest('options: a select field needs at least one option', 'options');
  if (body.currency && before.type !== 'currency') throw badRequest('currency: only currency fields have a currency', 'currency');
  const row = (await updateCustomField(ctx.db, id, body, ctx.now()))!;
  await announce(ctx, row.entity, row.team_id);
  return toCustomFieldDto(row);
}

/** Archives (or restores) a field: its values stay in the documents, but it is no longer shown or accepted. */
export async function archiveCustomField(ctx: AppContext, user: User, id: string, archived: boolean): Promise<CustomFieldDto> {
  assertAdmin(user);
  const before = await findCustomField(ctx.db, id);
  if (!before) throw notFound('No such custom field');
  if ((before.archived_at !== null) === archived) return toCustomFieldDto(before);
  if (!archived && (await countActiveFields(ctx.db, before.entity, before.team_id)) >= CUSTOM_FIELDS_MAX) {
    throw conflict(`At most ${CUSTOM_FIELDS_MAX} active custom fields per ${before.entity} and scope`);
  }
  const row = (await setCustomFieldArchived(ctx.db, id, archived, ctx.now()))!;
  await announce(ctx, row.entity, row.team_id);
  return toCustomFieldDto(row);
}

/** Tells the teams concerned (one, or all for a workspace field) to refetch the definitions. */
async function announce(ctx: AppContext, entity: CustomFieldEntity, teamId: string | null): Promise<void> {
  const teams = teamId ? [teamId] : (await listTeams(ctx.db)).map((t) => t.id);
  for (const t of teams) ctx.notifier.teamEvent(t, 'customFields:changed', { entity, teamId });
}
