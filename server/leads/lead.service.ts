/** Lead use cases: capture, read, list, work (status, owner, details), history. */
import { readScope } from '../../schema/policy/scope.ts';
import type { HistoryEntryDto } from '../../schema/wire/customer.ts';
import { type CreateLeadBody, LEAD_LIST_LIMIT_DEFAULT, type LeadDto, type LeadListDto, type LeadListQuery, type UpdateLeadBody } from '../../schema/wire/lead.ts';
import type { AppContext } from '../context.ts';
import { badRequest, forbidden, notFound } from '../http/app-error.ts';
import { withNotifications } from '../notifications/notifier.ts';
import { findTeamById } from '../teams/team.repository.ts';
import { findUserById } from '../users/user.repository.ts';
import type { User } from '../users/user.ts';
import { type LeadRecord, assertLeadOwnerChange, leadChanges, mayReadLead, mayWriteLead, nextStatus, teamForNewLead, toLeadDto } from './lead.ts';
import { listLeadHistory, recordLeadAudit } from './lead-audit.ts';
import { decodeLeadCursor, encodeLeadCursor } from './lead-cursor.ts';
import { notifyLeadAssignment } from './lead-notification.ts';
import { findLead, insertLead, listLeadPage, updateLeadRow } from './lead.repository.ts';

/** A lead the user may see, or 404 (another team's id looks exactly like a missing one). */
export async function loadVisibleLead(ctx: AppContext, user: User, id: string): Promise<LeadRecord> {
  const row = await findLead(ctx.db, id);
  if (!row || !mayReadLead(user, row)) throw notFound('No such lead');
  return row;
}

/** A lead the user may change: 404 when unseen, 403 when read-only. */
export async function loadWritableLead(ctx: AppContext, user: User, id: string): Promise<LeadRecord> {
  const row = await loadVisibleLead(ctx, user, id);
  if (!mayWriteLead(user, row)) throw forbidden('You may not change this lead');
  return row;
}

export async function getLead(ctx: AppContext, user: User, id: string): Promise<LeadDto> {
  return toLeadDto(await loadVisibleLead(ctx, user, id));
}

export async function getLeadHistory(ctx: AppContext, user: User, id: string): Promise<HistoryEntryDto[]> {
  await loadVisibleLead(ctx, user, id);
  return listLeadHistory(ctx.db, id);
}

export async function listLeads(ctx: AppContext, user: User, query: LeadListQuery): Promise<LeadListDto> {
  const scope = readScope(user, 'customer');
  if (scope.kind === 'none') return { items: [], nextCursor: null };
  const limit = query.limit ?? LEAD_LIST_LIMIT_DEFAULT;
  const after = query.cursor ? decodeLeadCursor(query.cursor) : undefined;
  const { rows, more } = await listLeadPage(
    ctx.db,
    scope,
    {
      q: query.q || undefined,
      status: query.status,
      source: query.source || undefined,
      ownerId: query.ownerId === 'me' ? user.id : query.ownerId,
      // Only those who see every team pick one; the scope limits the others.
      teamId: scope.kind === 'all' ? query.teamId : undefined,
    },
    { limit, after },
  );
  const last = rows[rows.length - 1];
  return { items: rows.map(toLeadDto), nextCursor: more && last ? encodeLeadCursor({ createdAt: last.cursor_value, id: last.id }) : null };
}

/** An owner must be an active member of the lead's team. */
async function assertOwnerInTeam(ctx: AppContext, teamId: string, ownerId: string | null | undefined): Promise<void> {
  if (!ownerId) return;
  const owner = await findUserById(ctx.db, ownerId);
  if (!owner?.active || owner.teamId !== teamId) throw badRequest('ownerId: no such user in this team', 'ownerId');
}

export async function createLead(ctx: AppContext, user: User, body: CreateLeadBody): Promise<LeadDto> {
  const teamId = teamForNewLead(user, body.teamId);
  if (teamId !== user.teamId && !(await findTeamById(ctx.db, teamId))) throw badRequest('teamId: no such team', 'teamId');
  // The owner defaults to the creator when the lead goes to the creator's own team.
  const ownerId = body.ownerId !== undefined ? body.ownerId : user.teamId === teamId ? user.id : null;
  assertLeadOwnerChange(user, undefined, ownerId);
  await assertOwnerInTeam(ctx, teamId, ownerId);
  const { status, reason } = nextStatus({ status: 'new', reason: '' }, { status: body.status, reason: body.disqualifiedReason });
  const now = ctx.now();
  const id = await withNotifications(ctx.db, async (trx, queue) => {
    const row = await insertLead(trx, {
      team_id: teamId,
      name: body.name,
      company: body.company ?? '',
      phone: body.phone ?? '',
      email: body.email ?? '',
      source: body.source ?? '',
      note: body.note ?? '',
      owner_id: ownerId,
      status,
      disqualified_reason: reason,
      created_by: user.id,
      created_at: now,
      updated_at: now,
    });
    await recordLeadAudit(trx, { actorId: user.id, teamId, leadId: row.id, action: 'create', changes: leadChanges(undefined, row), at: now });
    queue.add(await notifyLeadAssignment(ctx, trx, { actorId: user.id, recipientId: ownerId, lead: { id: row.id, name: row.name, teamId } }));
    return row.id;
  });
  return toLeadDto((await findLead(ctx.db, id))!);
}

export async function updateLead(ctx: AppContext, user: User, id: string, body: UpdateLeadBody): Promise<LeadDto> {
  const before = await loadWritableLead(ctx, user, id);
  const { status, reason } = nextStatus(
    { status: before.status, reason: before.disqualified_reason },
    { status: body.status, reason: body.disqualifiedReason },
  );
  assertLeadOwnerChange(user, before.owner_id, body.ownerId);
  if (body.ownerId !== before.owner_id) await assertOwnerInTeam(ctx, before.team_id, body.ownerId);
  const now = ctx.now();
  await withNotifications(ctx.db, async (trx, queue) => {
    const after = await updateLeadRow(trx, id, {
      name: body.name,
      company: body.company,
      phone: body.phone,
      email: body.email,
      source: body.source,
      note: body.note,
      owner_id: body.ownerId,
      status,
      disqualified_reason: reason,
      updated_at: now,
    });
    const changes = leadChanges(before, after);
    if (Object.keys(changes).length === 0) return;
    await recordLeadAudit(trx, { actorId: user.id, teamId: before.team_id, leadId: id, action: 'update', changes, at: now });
    if (body.ownerId !== undefined) {
      queue.add(
        await notifyLeadAssignment(ctx, trx, {
          actorId: user.id,
          recipientId: after.owner_id,
          previousRecipientId: before.owner_id,
          lead: { id, name: after.name, teamId: after.team_id },
        }),
      );
    }
  });
  return toLeadDto((await findLead(ctx.db, id))!);
}
