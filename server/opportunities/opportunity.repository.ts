/** Reading opportunities and their stage history (the board projection writes them). */
import { type Expression, expressionBuilder, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
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
  /** A user's id, or `none` for unowned opportunities. */
  ownerId?: string;
  customerId?: string;
  stageId?: string;
  status?: 'open' | 'won' | 'lost';
  /** YYYY-MM */
  closeMonth?: string;
  /** Resolved custom field filters (custom-field-filter.ts). */
  customTerms?: readonly CustomFilterTerm[];
  limit?: number;
}

/** The list's and the export's filters as conditions on `opportunities`. */
function filterConditions(f: OpportunityFilter): Expression<SqlBool>[] {
  const eb = expressionBuilder<Database, 'opportunities'>();
  const parts: Expression<SqlBool>[] = [inScope(f.scope, SCOPE_COLUMNS)];
  if (f.pipelineId) parts.push(eb('opportunities.pipeline_id', '=', f.pipelineId));
  if (f.ownerId === 'none') parts.push(eb('opportunities.owner_id', 'is', null));
  else if (f.ownerId) parts.push(eb('opportunities.owner_id', '=', f.ownerId));
  if (f.customerId) parts.push(eb('opportunities.customer_id', '=', f.customerId));
  if (f.stageId) parts.push(eb('opportunities.stage_id', '=', f.stageId));
  if (f.status) parts.push(eb('opportunities.status', '=', f.status));
  if (f.closeMonth) parts.push(eb('opportunities.expected_close_date', 'like', `${f.closeMonth}-%`));
  parts.push(...customTermConditions(sql.ref('opportunities.custom_fields'), f.customTerms ?? []));
  return parts;
}

export function listOpportunities(db: Q, f: OpportunityFilter): Promise<OpportunityRow[]> {
  return db
    .selectFrom('opportunities')
    .selectAll()
    .where((eb) => eb.and(filterConditions(f)))
    .orderBy('pipeline_id')
    .orderBy('stage_id')
    // Board order compares ranks code unit by code unit, whatever the database collation.
    .orderBy(sql`rank collate "C"`)
    .orderBy('id')
    .limit(Math.min(f.limit ?? OPPORTUNITIES_LIST_MAX, OPPORTUNITIES_LIST_MAX))
    .execute();
}

/** An exported opportunity: its row with the names of its customer, pipeline, stage and owner. */
export interface OpportunityExportRow {
  id: string;
  name: string;
  customer: string;
  customer_id: string;
  pipeline: string;
  stage: string;
  status: string;
  amount: string | number;
  currency: string;
  expected_close_date: string | null;
  owner: string | null;
  lost_reason: string | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  custom_fields: unknown;
}

/** One page of an export: the filter's opportunities after id `after`, in id order. */
export async function listOpportunityExportPage(db: Q, f: OpportunityFilter, after: string | null, limit: number): Promise<OpportunityExportRow[]> {
  let q = db
    .selectFrom('opportunities')
    .innerJoin('customers as c', 'c.id', 'opportunities.customer_id')
    .innerJoin('pipelines as p', 'p.id', 'opportunities.pipeline_id')
    .innerJoin('pipeline_stages as s', 's.id', 'opportunities.stage_id')
    .leftJoin('users as u', 'u.id', 'opportunities.owner_id')
    .select([
      'opportunities.id',
      'opportunities.name',
      'c.name as customer',
      'opportunities.customer_id',
      'p.name as pipeline',
      's.name as stage',
      'opportunities.status',
      'opportunities.amount',
      'opportunities.currency',
      'opportunities.expected_close_date',
      'u.email as owner',
      'opportunities.lost_reason',
      'opportunities.closed_at',
      'opportunities.created_at',
      'opportunities.updated_at',
      'opportunities.custom_fields',
    ])
    .where((eb) => eb.and(filterConditions(f)));
  if (after) q = q.where('opportunities.id', '>', after);
  return (await q.orderBy('opportunities.id').limit(limit).execute()) as OpportunityExportRow[];
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
