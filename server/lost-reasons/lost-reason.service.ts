/** The admin-managed list of reasons a deal is lost (docs/team-operations.md); audited. */
import type { CreateLostReasonBody, LostReasonDto, LostReasonListDto, UpdateLostReasonBody } from '../../schema/wire/admin-lists.ts';
import { LOST_REASONS_MAX } from '../../schema/wire/admin-lists.ts';
import { WORKSPACE, can } from '../../schema/policy/access.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { AppContext } from '../context.ts';
import { badRequest, forbidden, notFound } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import {
  countLostReasons,
  findLostReason,
  getLostReasonFreeText,
  insertLostReason,
  listLostReasons,
  setLostReasonFreeText,
  toLostReasonDto,
  updateLostReasonRow,
} from './lost-reason.repository.ts';

const ENTITY = 'lost-reason';

function assertAdmin(actor: User): void {
  if (!can(actor, 'administer', WORKSPACE)) throw forbidden('Only admins change the lost reasons');
}

/** Everyone reads the list (the lost dialog offers it); archived entries only for admins who ask. */
export async function getLostReasons(ctx: AppContext, actor: User, archived: boolean): Promise<LostReasonListDto> {
  const rows = await listLostReasons(ctx.db, { archived: archived && can(actor, 'administer', WORKSPACE) });
  return { items: rows.map(toLostReasonDto), freeText: await getLostReasonFreeText(ctx.db) };
}

export async function createLostReason(ctx: AppContext, actor: User, body: CreateLostReasonBody): Promise<LostReasonDto> {
  assertAdmin(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const n = await countLostReasons(trx);
    if (n >= LOST_REASONS_MAX) throw badRequest(`labelEn: at most ${LOST_REASONS_MAX} lost reasons`, 'labelEn');
    const row = await insertLostReason(trx, { label_en: body.labelEn, label_zh: body.labelZh, position: n, created_by: actor.id });
    await recordAudit(trx, {
      actor_id: actor.id,
      team_id: null,
      action: 'create',
      entity_type: ENTITY,
      entity_id: row.id,
      changes: { labelEn: [null, row.label_en], labelZh: [null, row.label_zh] },
    });
    return toLostReasonDto(row);
  });
}

export async function updateLostReason(ctx: AppContext, actor: User, id: string, body: UpdateLostReasonBody): Promise<LostReasonDto> {
  assertAdmin(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await findLostReason(trx, id);
    if (!before) throw notFound('No such lost reason');
    const after = (await updateLostReasonRow(trx, id, {
      ...(body.labelEn !== undefined ? { label_en: body.labelEn } : {}),
      ...(body.labelZh !== undefined ? { label_zh: body.labelZh } : {}),
      ...(body.position !== undefined ? { position: body.position } : {}),
      ...(body.archived !== undefined ? { archived_at: body.archived ? (before.archived_at ?? ctx.now()) : null } : {}),
      updated_at: ctx.now(),
    }))!;
    const changes: Record<string, [unknown, unknown]> = {};
    if (before.label_en !== after.label_en) changes.labelEn = [before.label_en, after.label_en];
    if (before.label_zh !== after.label_zh) changes.labelZh = [before.label_zh, after.label_zh];
    if (before.position !== after.position) changes.position = [before.position, after.position];
    if ((before.archived_at === null) !== (after.archived_at === null)) changes.archived = [before.archived_at !== null, after.archived_at !== null];
    if (Object.keys(changes).length > 0) {
      await recordAudit(trx, { actor_id: actor.id, team_id: null, action: 'update', entity_type: ENTITY, entity_id: id, changes });
    }
    return toLostReasonDto(after);
  });
}

export async function setFreeText(ctx: AppContext, actor: User, freeText: boolean): Promise<LostReasonListDto> {
  assertAdmin(actor);
  await ctx.db.transaction().execute(async (trx) => {
    const before = await getLostReasonFreeText(trx);
    await setLostReasonFreeText(trx, freeText, ctx.now());
    if (before !== freeText) {
      await recordAudit(trx, {
        actor_id: actor.id,
        team_id: null,
        action: 'update',
        entity_type: 'workspace',
        entity_id: 'lost-reasons',
        changes: { freeText: [before, freeText] },
      });
    }
  });
  return getLostReasons(ctx, actor, true);
}
