/** Renaming and archiving a team (docs/team-operations.md); admins only, audited. */
import type { UpdateTeamBody } from '../../schema/wire/admin-lists.ts';
import type { TeamDto } from '../../schema/wire/user.ts';
import { WORKSPACE, can } from '../../schema/policy/access.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { AppContext } from '../context.ts';
import { conflict, forbidden, notFound } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import { findTeamById, toTeamDto, updateTeamRow } from './team.repository.ts';

export async function updateTeam(ctx: AppContext, actor: User, id: string, body: UpdateTeamBody): Promise<TeamDto> {
  if (!can(actor, 'administer', WORKSPACE)) throw forbidden('Only admins change teams');
  const before = await findTeamById(ctx.db, id);
  if (!before) throw notFound('No such team');
  const patch = {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.archived !== undefined ? { archived_at: body.archived ? (before.archived_at ?? ctx.now()) : null } : {}),
  };
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const after = (await updateTeamRow(trx, id, patch))!;
      const changes: Record<string, [unknown, unknown]> = {};
      if (before.name !== after.name) changes.name = [before.name, after.name];
      if ((before.archived_at === null) !== (after.archived_at === null)) changes.archived = [before.archived_at !== null, after.archived_at !== null];
      if (Object.keys(changes).length > 0) {
        await recordAudit(trx, { actor_id: actor.id, team_id: id, action: 'update', entity_type: 'team', entity_id: id, changes });
      }
      return toTeamDto(after);
    });
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw conflict('A team with this name exists', 'name');
    throw e;
  }
}
