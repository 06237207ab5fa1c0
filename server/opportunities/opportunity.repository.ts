/** Reading opportunities and their stage history (the board projection writes them). */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { OpportunityRow, OpportunityStageHistoryRow } from '../../schema/tables/opportunity.table.ts';
import type { Database } from '../../schema/types.ts';
import type { Scope } from '../../schema/policy/scope.ts';
import { type CustomFilterTerm, customTermConditions } from '../custom-fields/custom-field-filter.ts';
import { inScope } from '../db/scope.ts';

type Q = Kysely<Database> | Transaction<Database>;

const SCOPE_COLUMNS = { team: 'opportunities.team_id', own: 'opportunities.owner_id' };

/** Opportunities listed at most per request. */
export const OPPORTUNITIES_LIST_MAX = 5000;

export interface OpportunityFilter {
  /** The rows the reader may see (schema/policy/scope.ts). */
  scope: Scope;
  pipelineId?: string;
  ownerId?: string;
  customerId?: string;
  stageId?: string;
  status?: 'open' | 'won' | 'lost';
  /** YYYY-MM */
  closeMonth?: string;
  limit?: number;
}

export function listOpportunities(db: Q, f: OpportunityFilter): Promise<OpportunityRow[]> {
  let q = db.selectFrom('opportunities').selectAll().where(inScope(f.scope, SCOPE_COLUMNS));
  if (f.pipelineId) q = q.where('pipeline_id', '=', f.pipelineId);
  if (f.ownerId) q = q.where('owner_id', '=', f.ownerId);
  if (f.customerId) q = q.where('customer_id', '=', f.customerId);
  if (f.stageId) q = q.where('stage_id', '=', f.stageId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.closeMonth) q = q.where('expected_close_date', 'like', `${f.closeMonth}-%`);
  return q
    .orderBy('pipeline_id')
    .orderBy('stage_id')
    // Board order compares ranks code unit by code unit, whatever the database collation.
    .orderBy(sql`rank collate "C"`)
    .orderBy('id')
    .limit(Math.min(f.limit ?? OPPORTUNITIES_LIST_MAX, OPPORTUNITIES_LIST_MAX))
    .execute();
}

export function findOpportunity(db: Q, id: string): Promise<OpportunityRow | undefined> {
  return db.selectFrom('opportunities').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listStageHistory(db: Q, opportunityId: string): Promise<OpportunityStageHistoryRow[]> {
  return db
    .selectFrom('opportunity_stage_history')
    .selectAll()
    .where('opportunity_id', '=', opportunityId)
    .orderBy('entered_at')
    .orderBy('id')
    .execute();
}

/**
 * Count of a pipeline's opportunities per stage (for the funnel), and the summed amount of
 * those in `currency` (amounts in different currencies are never added up), by the database.
 */
export async function listPipelineAmounts(
  db: Q,
  pipelineId: string,
  scope: Scope,
  currency: string,
  custom: readonly CustomFilterTerm[] = [],
): Promise<Array<{ stage_id: string; count: number; amount: string }>> {
  const q = db
    .selectFrom('opportunities')
    .select((eb) => [
      'stage_id',
      eb.fn.countAll<string>().as('count'),
      sql<string>`coalesce(sum(opportunities.amount) filter (where opportunities.currency = ${currency}), 0)`.as('amount'),
    ])
    .where('pipeline_id', '=', pipelineId)
    .where(inScope(scope, SCOPE_COLUMNS))
    .where((eb) => eb.and(customTermConditions(sql.ref('opportunities.custom_fields'), custom)))
    .groupBy('stage_id');
  return (await q.execute()).map((r) => ({ stage_id: r.stage_id, count: Number(r.count), amount: r.amount }));
}

/** The currencies of a pipeline's opportunities in scope, sorted. */
export async function listPipelineCurrencies(db: Q, pipelineId: string, scope: Scope): Promise<string[]> {
  const rows = await db
    .selectFrom('opportunities')
    .select('currency')
    .distinct()
    .where('pipeline_id', '=', pipelineId)
    .where(inScope(scope, SCOPE_COLUMNS))
    .orderBy('currency')
    .execute();
  return rows.map((r) => r.currency);
}
