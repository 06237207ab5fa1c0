/**
 * "Changed since the last meeting": the new deals, stage moves and amount
 * changes of a pipeline after a moment, from the opportunities, the stage
 * history and the audit trail, within the opportunities the user may read (the policy's scope).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/types.ts';
import type { PipelineChangeDto, PipelineChangesDto } from '../../schema/wire/pipeline.ts';
import type { User } from '../users/user.ts';
import { readScope } from '../../schema/policy/scope.ts';
import { inScope } from '../db/scope.ts';
import { amountOf } from './opportunity.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Changes of each type listed at most. */
export const CHANGES_MAX_PER_TYPE = 1000;

function parseChanges(raw: unknown): Record<string, unknown> {
  if (typeof raw === 'string') {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return (raw ?? {}) as Record<string, unknown>;
}

export async function pipelineChanges(db: Q, user: User, pipelineId: string, since: Date): Promise<PipelineChangesDto> {
  const scope = readScope(user, 'opportunity');
  const created = db
    .selectFrom('opportunities')
    .select(['id', 'name', 'created_at', 'created_by', 'stage_id', 'amount'])
    .where('pipeline_id', '=', pipelineId)
    .where('created_at', '>', since)
    .where(inScope(scope, { team: 'opportunities.team_id', own: 'opportunities.owner_id' }));
  const moved = db
    .selectFrom('opportunity_stage_history as h')
    .innerJoin('opportunities as o', 'o.id', 'h.opportunity_id')
    .select(['h.opportunity_id', 'o.name', 'h.entered_at', 'h.moved_by', 'h.from_stage_id', 'h.to_stage_id'])
    .where('h.pipeline_id', '=', pipelineId)
    .where('h.entered_at', '>', since)
    .where('h.from_stage_id', 'is not', null)
    .where(inScope(scope, { team: 'o.team_id', own: 'o.owner_id' }));
  const amounts = db
    .selectFrom('audit_log as a')
    .innerJoin('opportunities as o', (j) => j.on((eb) => eb(eb.cast('o.id', 'text'), '=', eb.ref('a.entity_id'))))
    .select(['o.id', 'o.name', 'a.at', 'a.actor_id', 'a.changes'])
    .where('a.entity_type', '=', 'opportunity')
    .where('a.action', '=', 'opportunity.amount')
    .where('a.at', '>', since)
    .where('o.pipeline_id', '=', pipelineId)
    .where(inScope(scope, { team: 'o.team_id', own: 'o.owner_id' }));
  const [c, m, a] = await Promise.all([
    created.orderBy('created_at').limit(CHANGES_MAX_PER_TYPE).execute(),
    moved.orderBy('h.entered_at').limit(CHANGES_MAX_PER_TYPE).execute(),
    amounts.orderBy('a.at').limit(CHANGES_MAX_PER_TYPE).execute(),
  ]);
  const items: PipelineChangeDto[] = [
    ...c.map((r): PipelineChangeDto => ({
      type: 'created',
      opportunityId: r.id,
      name: r.name,
      at: r.created_at.toISOString(),
      actorId: r.created_by,
      stageId: r.stage_id,
      amount: amountOf(r.amount),
    })),
    ...m.map((r): PipelineChangeDto => ({
      type: 'moved',
      opportunityId: r.opportunity_id,
      name: r.name,
      at: r.entered_at.toISOString(),
      actorId: r.moved_by,
      fromStageId: r.from_stage_id,
      toStageId: r.to_stage_id,
    })),
    ...a.map((r): PipelineChangeDto => {
      const pair = parseChanges(r.changes).amount as [number, number] | undefined;
      return {
        type: 'amount',
        opportunityId: r.id,
        name: r.name,
        at: r.at.toISOString(),
        actorId: r.actor_id,
        oldAmount: Number(pair?.[0] ?? 0),
        newAmount: Number(pair?.[1] ?? 0),
      };
    }),
  ].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  return { since: since.toISOString(), items, opportunityIds: [...new Set(items.map((i) => i.opportunityId))] };
}
