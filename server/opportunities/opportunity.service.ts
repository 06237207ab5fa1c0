/**
 * Opportunity writes over REST. Every change is an edit of the pipeline's
 * board document through the hub (validated, stored, projected, broadcast
 * like a drag on the board); the service only resolves defaults, places the
 * card, and reads the projected row back.
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { customCardKey } from '../../schema/wire/board.ts';
import { boardDocName } from '../../schema/wire/docs.ts';
import { assertCustomRequest, assertCustomValuesOfTeam } from '../custom-fields/custom-field-values.ts';
import type { OpportunityRow } from '../../schema/tables/opportunity.table.ts';
import type { CreateOpportunityInput, UpdateOpportunityInput } from '../../schema/wire/opportunity.ts';
import type { AppContext } from '../context.ts';
import { badRequest, conflict, forbidden, notFound } from '../http/app-error.ts';
import { ensureTeamPipeline } from '../pipelines/pipeline.service.ts';
import { stageNotInPipeline } from '../pipelines/pipeline.ts';
import { findStage, listPipelines, pipelineUsedByTeam } from '../pipelines/pipeline.repository.ts';
import type { User } from '../users/user.ts';
import { can, mayAssignOwner } from '../../schema/policy/access.ts';
import { opportunityResource } from './opportunity.ts';
import { findOpportunity } from './opportunity.repository.ts';
import { compareCards, rankAfterCard, rankAtEnd } from './rank.ts';

/** An opportunity the user may see over REST, or 404. */
export async function visibleOpportunity(ctx: AppContext, user: User, id: string): Promise<OpportunityRow> {
  const row = await findOpportunity(ctx.db, id);
  if (!row || !can(user, 'read', opportunityResource(row))) throw notFound('No such opportunity');
  return row;
}

/** An opportunity the user may change (its quotes and order too): 404 when unseen, 403 when read-only. */
export async function writableOpportunity(ctx: AppContext, user: User, id: string): Promise<OpportunityRow> {
  const row = await visibleOpportunity(ctx, user, id);
  if (!can(user, 'write', opportunityResource(row))) throw forbidden('You may not change this opportunity');
  return row;
}

/** The stage ids and ranks of a board's cards in one stage, in board order, without `exceptId`. */
function stageCards(doc: Y.Doc, stageId: string, exceptId: string | null): Array<{ id: string; rank: string }> {
  const out: Array<{ id: string; rank: string }> = [];
  doc.getMap<Y.Map<unknown>>('cards').forEach((card, id) => {
    if (id !== exceptId && card.get('stageId') === stageId) out.push({ id, rank: card.get('rank') as string });
  });
  return out.sort(compareCards);
}

export async function createOpportunity(
  ctx: AppContext,
  user: User,
  input: CreateOpportunityInput,
  /** `requireCustom`: every required custom field of the team needs a value (a person's create; a lead's conversion brings what it has). */
  opts: { requireCustom?: boolean } = {},
): Promise<OpportunityRow> {
  const customer = await ctx.db
    .selectFrom('customers')
    .select(['id', 'team_id', 'archived_at'])
    .where('id', '=', input.customerId)
    .executeTakeFirst();
  if (!customer || !can(user, 'create', { type: 'opportunity', teamId: customer.team_id, ownerId: null })) {
    throw badRequest('No such customer', 'customerId');
  }
  if (customer.archived_at) throw badRequest('That customer is archived', 'customerId');
  const teamId = customer.team_id;
  await ensureTeamPipeline(ctx, teamId, user);

  let pipelineId: string;
  let stageId: string;
  if (input.stageId) {
    const stage = await findStage(ctx.db, input.stageId);
    if (!stage || stage.deletedAt !== null || !(await pipelineUsedByTeam(ctx.db, stage.pipelineId, teamId))) {
      throw stageNotInPipeline();
    }
    pipelineId = stage.pipelineId;
    stageId = stage.id;
  } else {
    const first = (await listPipelines(ctx.db, { teamId }))[0];
    const stage = first?.stages.find((s) => s.kind === 'open');
    if (!first || !stage) throw badRequest('The team has no pipeline with an open stage', 'stageId');
    pipelineId = first.id;
    stageId = stage.id;
  }

  let ownerId: string | null;
  if (input.ownerId === undefined) ownerId = user.teamId === teamId ? user.id : null;
  else ownerId = input.ownerId;
  if (!mayAssignOwner(user, { isNew: true, from: null, to: ownerId })) {
    throw forbidden('Only managers and admins assign opportunities to others');
  }

  const custom = opts.requireCustom || input.custom ? await assertCustomRequest(ctx, 'opportunity', teamId, input.custom ?? {}, opts.requireCustom === true) : {};

  const id = randomUUID();
  await ctx.hub.edit(boardDocName(pipelineId), user, (doc) => {
    const card = new Y.Map<unknown>();
    card.set('name', input.name);
    card.set('amount', input.amount);
    card.set('customerId', input.customerId);
    card.set('ownerId', ownerId);
    card.set('stageId', stageId);
    card.set('rank', rankAtEnd(stageCards(doc, stageId, null).map((c) => c.rank)));
    if (input.currency) card.set('currency', input.currency);
    if (input.expectedCloseDate !== undefined) card.set('expectedCloseDate', input.expectedCloseDate);
    if (input.lostReason !== undefined) card.set('lostReason', input.lostReason);
    for (const [key, value] of Object.entries(custom)) card.set(customCardKey(key), value);
    doc.getMap('cards').set(id, card);
  });
  const row = await findOpportunity(ctx.db, id);
  if (!row) throw conflict('The opportunity was not stored');
  return row;
}

export async function updateOpportunity(ctx: AppContext, user: User, id: string, input: UpdateOpportunityInput): Promise<OpportunityRow> {
  const row = await writableOpportunity(ctx, user, id);
  if (input.ownerId !== undefined && !mayAssignOwner(user, { isNew: false, from: row.owner_id, to: input.ownerId })) {
    throw forbidden('Only managers and admins reassign opportunities');
  }
  let targetKind: string | null = null;
  if (input.stageId !== undefined && input.stageId !== row.stage_id) {
    const stage = await findStage(ctx.db, input.stageId);
    if (!stage || stage.deletedAt !== null || stage.pipelineId !== row.pipeline_id) throw stageNotInPipeline();
    targetKind = stage.kind;
  }
  // Custom values are checked first (400 on `custom.<key>`, nothing stored); the board kind checks them again.
  if (input.custom) await assertCustomValuesOfTeam(ctx, 'opportunity', row.team_id, input.custom);
  let missing = false;
  await ctx.hub.edit(boardDocName(row.pipeline_id), user, (doc) => {
    const card = doc.getMap<Y.Map<unknown>>('cards').get(id);
    if (!(card instanceof Y.Map)) {
      missing = true;
      return;
    }
    const set = (key: string, value: unknown) => {
      if (card.get(key) !== value) card.set(key, value);
    };
    if (input.name !== undefined) set('name', input.name);
    if (input.amount !== undefined) set('amount', input.amount);
    if (input.currency !== undefined) set('currency', input.currency);
    if (input.expectedCloseDate !== undefined) set('expectedCloseDate', input.expectedCloseDate);
    if (input.ownerId !== undefined) set('ownerId', input.ownerId);
    if (input.lostReason !== undefined) set('lostReason', input.lostReason);
    for (const [key, value] of Object.entries(input.custom ?? {})) {
      const entry = customCardKey(key);
      if (value === null) {
        if (card.has(entry)) card.delete(entry);
      } else if (JSON.stringify(card.get(entry)) !== JSON.stringify(value)) card.set(entry, value);
    }
    // Reopening (back to an open or won stage) drops the lost reason unless one is given.
    if (targetKind !== null && targetKind !== 'lost' && input.lostReason === undefined && card.has('lostReason')) {
      set('lostReason', null);
    }
    const stageId = input.stageId ?? (card.get('stageId') as string);
    if (input.stageId !== undefined || input.after !== undefined) {
      const others = stageCards(doc, stageId, id);
      const rank = input.after === undefined ? rankAtEnd(others.map((c) => c.rank)) : rankAfterCard(others, input.after);
      set('stageId', stageId);
      set('rank', rank);
    }
  });
  if (missing) throw conflict('The opportunity is not on its board');
  return (await findOpportunity(ctx.db, id))!;
}
