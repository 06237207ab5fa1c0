/** Opportunities as domain code sees them, and their DTOs. */
import type { OpportunityRow, OpportunityStageHistoryRow } from '../../schema/tables/opportunity.table.ts';
import type { OpportunityDto, StageHistoryDto } from '../../schema/wire/opportunity.ts';
import type { OpportunityResource } from '../../schema/policy/access.ts';

/** numeric columns arrive as strings from both drivers. */
export const amountOf = (v: string | number): number => (typeof v === 'number' ? v : Number(v));

/** The projected custom values (jsonb: an object, or its text from a driver that does not parse it). */
export const customFieldsOf = (v: unknown): Record<string, unknown> =>
  typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : ((v ?? {}) as Record<string, unknown>);

export const toOpportunityDto = (r: OpportunityRow): OpportunityDto => ({
  id: r.id,
  pipelineId: r.pipeline_id,
  teamId: r.team_id,
  customerId: r.customer_id,
  name: r.name,
  amount: amountOf(r.amount),
  currency: r.currency,
  expectedCloseDate: r.expected_close_date,
  stageId: r.stage_id,
  ownerId: r.owner_id,
  rank: r.rank,
  status: r.status,
  lostReason: r.lost_reason,
  closedAt: r.closed_at?.toISOString() ?? null,
  custom: customFieldsOf(r.custom_fields),
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export const toStageHistoryDto = (r: OpportunityStageHistoryRow): StageHistoryDto => ({
  id: Number(r.id),
  fromStageId: r.from_stage_id,
  toStageId: r.to_stage_id,
  enteredAt: r.entered_at.toISOString(),
  leftAt: r.left_at?.toISOString() ?? null,
  movedBy: r.moved_by,
});

/** An opportunity row as the access policy (schema/policy/access.ts) sees it. */
export const opportunityResource = (r: Pick<OpportunityRow, 'team_id' | 'owner_id'>): OpportunityResource => ({
  type: 'opportunity',
  teamId: r.team_id,
  ownerId: r.owner_id,
});
