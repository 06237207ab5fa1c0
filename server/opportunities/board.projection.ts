/**
 * The relational projection of a board: one `opportunities` row per card and
 * a stage-history row per stay in a stage, written in the transaction that
 * stores the board's updates. It compares the given cards (the whole board,
 * or the cards updates touched since the last projection) with their stored
 * rows and writes only what differs, so projecting the same state twice
 * changes nothing.
 */
import type { Transaction } from 'kysely';
import type { StageKind } from '../../schema/wire/board.ts';
import type { Database } from '../../schema/types.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { User } from '../users/user.ts';
import { type BoardProjection, closeState, type ProjectedCard } from './board-doc.ts';
import { amountOf, customFieldsOf } from './opportunity.ts';

type Trx = Transaction<Database>;

/** New cards are inserted this many rows per statement. */
const INSERT_CHUNK = 500;

/** An owner change the projection wrote; the caller turns it into an assignment notification. */
export interface OwnerChange {
  opportunityId: string;
  teamId: string;
  name: string;
  previousOwnerId: string | null;
  ownerId: string | null;
}

/** An opportunity the projection inserted or changed (beyond its rank), for the live lists. */
export interface WrittenOpportunity {
  id: string;
  teamId: string;
  customerId: string;
  ownerId: string | null;
  previousOwnerId?: string | null;
}

/** An opportunity that entered a won stage (server/contracts/won-customer.ts). */
export interface WonOpportunity {
  opportunityId: string;
  customerId: string;
  teamId: string;
  ownerId: string | null;
}

export interface ProjectionResult {
  inserted: number;
  updated: number;
  moves: number;
  ownerChanges: OwnerChange[];
  written: WrittenOpportunity[];
  wins: WonOpportunity[];
}

export async function projectBoard(
  trx: Trx,
  pipelineId: string,
  board: BoardProjection,
  user: User | null,
  now: Date,
): Promise<ProjectionResult> {
  const result: ProjectionResult = { inserted: 0, updated: 0, moves: 0, ownerChanges: [], written: [], wins: [] };
  if (board.cards.length === 0) return result;
  const stageRows = await trx.selectFrom('pipeline_stages').select(['id', 'kind']).where('pipeline_id', '=', pipelineId).execute();
  const kindOf = new Map<string, StageKind>(stageRows.map((s) => [s.id, s.kind]));
  const rows = await trx
    .selectFrom('opportunities')
    .select([
      'id',
      'team_id',
      'name',
      'amount',
      'currency',
      'expected_close_date',
      'stage_id',
      'owner_id',
      'customer_id',
      'rank',
      'status',
      'lost_reason',
      'closed_at',
      'custom_fields',
    ])
    .where('pipeline_id', '=', pipelineId)
    .$if(board.scope === 'touched', (q) => q.where('id', 'in', board.cards.map((c) => c.id)))
    .execute();
  const stored = new Map(rows.map((r) => [r.id, r]));
  const actorId = user?.id ?? null;

  const fresh = board.cards.filter((c) => !stored.has(c.id));
  if (fresh.length > 0) {
    const customers = await trx
      .selectFrom('customers')
      .select(['id', 'team_id'])
      .where('id', 'in', [...new Set(fresh.map((c) => c.customerId))])
      .execute();
    const teamOf = new Map(customers.map((c) => [c.id, c.team_id]));
    const rows = fresh.flatMap((card) => {
      const teamId = teamOf.get(card.customerId);
      const kind = kindOf.get(card.stageId);
      if (!teamId || !kind) return [];
      const close = closeState(kind, null, now);
      return [
        {
          id: card.id,
          team_id: teamId,
          pipeline_id: pipelineId,
          customer_id: card.customerId,
          name: card.name,
          amount: card.amount,
          currency: card.currency,
          expected_close_date: card.expectedCloseDate,
          stage_id: card.stageId,
          owner_id: card.ownerId,
          rank: card.rank,
          status: close.status,
          lost_reason: card.lostReason,
          closed_at: close.closedAt,
          custom_fields: JSON.stringify(card.custom),
          created_by: actorId,
          created_at: now,
          updated_at: now,
        },
      ];
    });
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const inserted = await trx
        .insertInto('opportunities')
        .values(chunk)
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .execute();
      // An id that belongs to an opportunity of another board is skipped: that board owns it.
      const done = new Set(inserted.map((r) => r.id));
      const added = chunk.filter((r) => done.has(r.id));
      if (added.length === 0) continue;
      await trx
        .insertInto('opportunity_stage_history')
        .values(
          added.map((r) => ({
            opportunity_id: r.id,
            pipeline_id: pipelineId,
            from_stage_id: null,
            to_stage_id: r.stage_id,
            entered_at: now,
            left_at: null,
            moved_by: actorId,
          })),
        )
        .execute();
      await trx
        .insertInto('audit_log')
        .values(
          added.map((r) => ({
            actor_id: actorId,
            team_id: r.team_id,
            action: 'opportunity.create',
            entity_type: 'opportunity',
            entity_id: r.id,
            changes: JSON.stringify({ pipelineId, name: r.name, amount: r.amount, stageId: r.stage_id, ownerId: r.owner_id }),
          })),
        )
        .execute();
      result.inserted += added.length;
      for (const r of added) {
        result.written.push({ id: r.id, teamId: r.team_id, customerId: r.customer_id, ownerId: r.owner_id });
        if (r.status === 'won') result.wins.push({ opportunityId: r.id, customerId: r.customer_id, teamId: r.team_id, ownerId: r.owner_id });
        if (r.owner_id) result.ownerChanges.push({ opportunityId: r.id, teamId: r.team_id, name: r.name, previousOwnerId: null, ownerId: r.owner_id });
      }
    }
  }

  for (const card of board.cards) {
    const row = stored.get(card.id);
    if (!row) continue;
    const before = {
      name: row.name,
      amount: amountOf(row.amount),
      currency: row.currency,
      expectedCloseDate: row.expected_close_date,
      stageId: row.stage_id,
      ownerId: row.owner_id,
      customerId: row.customer_id,
      rank: row.rank,
      lostReason: row.lost_reason,
      custom: customFieldsOf(row.custom_fields),
    };
    const diff = changedKeys(before, card);
    const customDiff = changedCustomKeys(before.custom, card.custom);
    if (diff.length === 0 && customDiff.length === 0) continue;
    const kind = kindOf.get(card.stageId);
    if (!kind) continue;
    const close = closeState(kind, { status: row.status, closedAt: row.closed_at }, now);
    await trx
      .updateTable('opportunities')
      .set({
        name: card.name,
        amount: card.amount,
        currency: card.currency,
        expected_close_date: card.expectedCloseDate,
        stage_id: card.stageId,
        owner_id: card.ownerId,
        customer_id: card.customerId,
        rank: card.rank,
        status: close.status,
        lost_reason: card.lostReason,
        closed_at: close.closedAt,
        ...(customDiff.length > 0 ? { custom_fields: JSON.stringify(card.custom) } : {}),
        updated_at: now,
      })
      .where('id', '=', card.id)
      .execute();
    result.updated++;
    if (close.status === 'won' && row.status !== 'won') {
      result.wins.push({ opportunityId: card.id, customerId: card.customerId, teamId: row.team_id, ownerId: card.ownerId });
    }
    if (customDiff.length > 0 || diff.some((k) => k !== 'rank')) {
      result.written.push({
        id: card.id,
        teamId: row.team_id,
        customerId: card.customerId,
        ownerId: card.ownerId,
        ...(before.ownerId !== card.ownerId ? { previousOwnerId: before.ownerId } : {}),
      });
    }
    const audited: Record<string, [unknown, unknown]> = {};
    for (const k of diff) if (k !== 'rank') audited[k] = [before[k], card[k]];
    for (const k of customDiff) audited[`custom.${k}`] = [before.custom[k] ?? null, card.custom[k] ?? null];

    if (before.stageId !== card.stageId) {
      await trx
        .updateTable('opportunity_stage_history')
        .set({ left_at: now })
        .where('opportunity_id', '=', card.id)
        .where('left_at', 'is', null)
        .execute();
      await trx
        .insertInto('opportunity_stage_history')
        .values({
          opportunity_id: card.id,
          pipeline_id: pipelineId,
          from_stage_id: before.stageId,
          to_stage_id: card.stageId,
          entered_at: now,
          left_at: null,
          moved_by: actorId,
        })
        .execute();
      result.moves++;
    }
    if (before.ownerId !== card.ownerId) {
      result.ownerChanges.push({
        opportunityId: card.id,
        teamId: row.team_id,
        name: card.name,
        previousOwnerId: before.ownerId,
        ownerId: card.ownerId,
      });
    }
    if (Object.keys(audited).length > 0) {
      // `opportunity.amount` entries feed "changed since the last meeting".
      const action = 'amount' in audited ? 'opportunity.amount' : 'opportunity.update';
      await recordAudit(trx, {
        actor_id: actorId,
        team_id: row.team_id,
        action,
        entity_type: 'opportunity',
        entity_id: card.id,
        changes: { pipelineId, ...audited },
      });
    }
  }
  return result;
}

type Comparable = Omit<ProjectedCard, 'id' | 'custom'>;
const COMPARED: ReadonlyArray<keyof Comparable> = [
  'name',
  'amount',
  'currency',
  'expectedCloseDate',
  'stageId',
  'ownerId',
  'customerId',
  'rank',
  'lostReason',
];

/** The custom field keys whose values differ between the stored row and the card (values are JSON scalars or lists). */
export function changedCustomKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)).sort();
}

/** The keys whose values differ between the stored row and the card. */
export function changedKeys(before: Comparable, card: Comparable): Array<keyof Comparable> {
  return COMPARED.filter((k) => before[k] !== card[k]);
}
