/** The report queries: the database counts and sums; report.ts does the rest. */
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../../schema/types.ts';
import type { ActivityCell, ForecastMonth, NewCustomersCell, ReportFilters } from '../../schema/wire/reports.ts';
import { type CustomFilterTerm, customTermConditions } from '../custom-fields/custom-field-filter.ts';
import { periodBounds } from './report.ts';

type DB = Kysely<Database>;

/**
 * The filters with their custom field terms resolved (report.routes.ts): the opportunity
 * reports' terms on `opportunities.custom_fields`, the customer reports' on `customers.custom_fields`.
 */
export type ScopedReportFilters = ReportFilters & {
  opportunityTerms?: readonly CustomFilterTerm[];
  customerTerms?: readonly CustomFilterTerm[];
};

/** Team, owner, pipeline and currency scope of opportunity queries, as one condition. */
function opportunityScope(f: ScopedReportFilters, withPipeline = true): Expression<SqlBool> {
  const parts: Expression<unknown>[] = [sql`opportunities.currency = ${f.currency}`];
  if (f.teamId) parts.push(sql`opportunities.team_id = ${f.teamId}`);
  if (f.ownerId) parts.push(sql`opportunities.owner_id = ${f.ownerId}`);
  if (withPipeline && f.pipelineId) parts.push(sql`opportunities.pipeline_id = ${f.pipelineId}`);
  parts.push(...customTermConditions(sql.ref('opportunities.custom_fields'), f.opportunityTerms ?? []));
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

/** Period, team and author scope of activity queries. */
function activityScope(f: ScopedReportFilters): Expression<SqlBool> {
  const { start, end } = periodBounds(f);
  const parts = [sql`activities.at >= ${start}`, sql`activities.at < ${end}`];
  if (f.teamId) parts.push(sql`activities.team_id = ${f.teamId}`);
  if (f.ownerId) parts.push(sql`activities.author_id = ${f.ownerId}`);
  const custom = customTermConditions(sql.ref('fc.custom_fields'), f.customerTerms ?? []);
  if (custom.length > 0) {
    parts.push(sql`exists (select 1 from customers fc where fc.id = activities.customer_id and ${sql.join(custom, sql` and `)})`);
  }
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export async function currenciesInScope(db: DB, f: ScopedReportFilters): Promise<string[]> {
  if (f.teamId) {
    // A team's few currencies, each found by one step along
    // opportunities_team_owner_cover_idx (team, currency, owner) instead of
    // reading every opportunity of the team.
    const owner = f.ownerId ? sql` and o.owner_id = ${f.ownerId}` : sql``;
    const { rows } = await sql<{ currency: string }>`
      with recursive c(currency) as (
        (select o.currency from opportunities o where o.team_id = ${f.teamId}${owner} order by o.currency limit 1)
        union all
        select (select o.currency from opportunities o where o.team_id = ${f.teamId}${owner} and o.currency > c.currency
                order by o.currency limit 1)
        from c where c.currency is not null
      )
      select currency from c where currency is not null`.execute(db);
    return rows.map((r) => r.currency);
  }
  let q = db.selectFrom('opportunities').select('currency').distinct();
  if (f.ownerId) q = q.where('owner_id', '=', f.ownerId);
  return (await q.orderBy('currency').execute()).map((r) => r.currency);
}

/**
 * For the cohort created in the period: how many opportunities got furthest to
 * each (non-lost) stage position. The cohort is grouped by the set of stages
 * each opportunity ever entered (`stages_entered`, a handful of distinct sets),
 * and each set's furthest stage is taken by the stages' current positions, as
 * the stage history would give. Opportunities that never entered a non-lost
 * stage are left out.
 */
export async function maxReachedByPosition(db: DB, f: ScopedReportFilters, pipelineId: string): Promise<Map<number, number>> {
  const { start, end } = periodBounds(f);
  const sets = db
    .selectFrom('opportunities')
    .select((eb) => ['opportunities.stages_entered', eb.fn.countAll().as('n')])
    .where('opportunities.pipeline_id', '=', pipelineId)
    .where('opportunities.created_at', '>=', start)
    .where('opportunities.created_at', '<', end)
    .where(opportunityScope(f, false))
    .groupBy('opportunities.stages_entered');
  const furthest = db
    .selectFrom(sets.as('t'))
    .select([
      sql<number | null>`(select max(s.position) from pipeline_stages s where s.id = any(t.stages_entered) and s.kind <> 'lost')`.as('maxpos'),
      't.n',
    ]);
  const rows = await db
    .selectFrom(furthest.as('r'))
    .select((eb) => ['r.maxpos', eb.fn.sum<string>('r.n').as('n')])
    .where('r.maxpos', 'is not', null)
    .groupBy('r.maxpos')
    .execute();
  return new Map(rows.map((r) => [num(r.maxpos), num(r.n)]));
}

/**
 * Mean days of the completed stays of the cohort, per stage, from each
 * opportunity's completed-stay totals (`done_stay_*`: per stage entered, the
 * summed microseconds and the number of completed stays). The sum is exact
 * and taken to seconds with six decimals, so the mean is the one
 * `avg(extract(epoch from left_at - entered_at))` over the stage history gives.
 */
export async function averageDaysInStage(db: DB, f: ScopedReportFilters, pipelineId: string): Promise<Map<string, number>> {
  const { start, end } = periodBounds(f);
  const { rows } = await sql<{ stage_id: string; days: string }>`
    select u.stage_id, (sum(u.micros)::numeric * 0.000001) / sum(u.stays) / 86400 as days
    from opportunities
    cross join lateral unnest(opportunities.done_stay_stages, opportunities.done_stay_micros, opportunities.done_stay_counts)
      as u(stage_id, micros, stays)
    where opportunities.pipeline_id = ${pipelineId}
      and opportunities.created_at >= ${start}
      and opportunities.created_at < ${end}
      and ${opportunityScope(f, false)}
    group by u.stage_id`.execute(db);
  return new Map(rows.map((r) => [r.stage_id, num(r.days)]));
}

/** Opportunities closed in the period, by outcome. */
export async function closedInPeriod(db: DB, f: ScopedReportFilters): Promise<Record<'won' | 'lost', { count: number; amount: number }>> {
  const { start, end } = periodBounds(f);
  const rows = await db
      .selectFrom('opportunities')
      .select((eb) => ['status', eb.fn.countAll().as('n'), eb.fn.sum('amount').as('amount')])
      .where('status', 'in', ['won', 'lost'])
      .where('closed_at', '>=', start)
      .where('closed_at', '<', end)
      .where(opportunityScope(f))
      .groupBy('status')
      .execute();
  const out = { won: { count: 0, amount: 0 }, lost: { count: 0, amount: 0 } };
  for (const r of rows) out[r.status as 'won' | 'lost'] = { count: num(r.n), amount: num(r.amount) };
  return out;
}

/** Open opportunities expected to close in the period, by month, with amount × stage probability. */
export async function forecastByMonth(db: DB, f: ScopedReportFilters): Promise<ForecastMonth[]> {
  const month = sql<string>`substr(opportunities.expected_close_date, 1, 7)`;
  const rows = await db
      .selectFrom('opportunities')
      .innerJoin('pipeline_stages as s', 's.id', 'opportunities.stage_id')
      .select((eb) => [
        month.as('month'),
        eb.fn.countAll().as('n'),
        eb.fn.sum('opportunities.amount').as('amount'),
        sql<string>`sum(opportunities.amount * s.probability / 100.0)`.as('weighted'),
      ])
      .where('opportunities.status', '=', 'open')
      .where('opportunities.expected_close_date', '>=', f.from)
      .where('opportunities.expected_close_date', '<=', f.to)
      .where(opportunityScope(f))
      .groupBy(month)
      .execute();
  return rows.map((r) => ({ month: r.month, count: num(r.n), amount: num(r.amount), weighted: num(r.weighted) }));
}

export interface OwnerFigures {
  wonAmount: number;
  wonDeals: number;
  openAmount: number;
}

export async function figuresByOwner(db: DB, f: ScopedReportFilters): Promise<Map<string, OwnerFigures>> {
  const { start, end } = periodBounds(f);
  const won = sql<SqlBool>`opportunities.status = 'won' and opportunities.closed_at >= ${start} and opportunities.closed_at < ${end}`;
  const rows = await db
      .selectFrom('opportunities')
      .select([
        'owner_id',
        sql<string>`coalesce(sum(amount) filter (where ${won}), 0)`.as('won_amount'),
        sql<string>`count(*) filter (where ${won})`.as('won_deals'),
        sql<string>`coalesce(sum(amount) filter (where status = 'open'), 0)`.as('open_amount'),
      ])
      .where('owner_id', 'is not', null)
      .where((eb) => eb.or([eb('status', '=', 'open'), eb.and([eb('status', '=', 'won'), eb('closed_at', '>=', start), eb('closed_at', '<', end)])]))
      .where(opportunityScope(f))
      .groupBy('owner_id')
      .execute();
  return new Map(
    rows.map((r) => [r.owner_id!, { wonAmount: num(r.won_amount), wonDeals: num(r.won_deals), openAmount: num(r.open_amount) }]),
  );
}

export async function activityCountByAuthor(db: DB, f: ScopedReportFilters): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('activities')
    .select((eb) => ['author_id', eb.fn.countAll().as('n')])
    .where('author_id', 'is not', null)
    .where(activityScope(f))
    .groupBy('author_id')
    .execute();
  return new Map(rows.map((r) => [r.author_id!, num(r.n)]));
}

const utcDay = (period: 'week' | 'month', column: Expression<Date>) =>
  sql<string>`to_char(date_trunc(${sql.lit(period)}, ${column} at time zone 'UTC'), 'YYYY-MM-DD')`;

/** A Monday, 00:00 UTC: weeks are binned from it. */
const MONDAY = '2001-01-01T00:00:00Z';

export async function activityByWeek(db: DB, f: ScopedReportFilters): Promise<ActivityCell[]> {
  // The Monday 00:00 UTC starting each activity's ISO week, by arithmetic on the
  // instant (what date_trunc('week', at at time zone 'UTC') gives, without a time
  // zone conversion per row); formatted only once per group.
  const week = sql<Date>`date_bin('7 days', activities.at, ${sql.lit(MONDAY)}::timestamptz)`;
  // Count first (from the covering index), then name the few groups.
  const counts = db
    .selectFrom('activities')
    .select((eb) => ['activities.author_id', week.as('week'), 'activities.type', eb.fn.countAll().as('n')])
    .where('activities.author_id', 'is not', null)
    .where(activityScope(f))
    .groupBy(['activities.author_id', week, 'activities.type']);
  const rows = await db
    .selectFrom(counts.as('c'))
    .innerJoin('users', 'users.id', 'c.author_id')
    .select(['c.author_id', 'users.name', sql<string>`to_char(c.week at time zone 'UTC', 'YYYY-MM-DD')`.as('week'), 'c.type', 'c.n'])
    .orderBy('c.week')
    .orderBy('users.name')
    .orderBy('c.type')
    .execute();
  return rows.map((r) => ({ userId: r.author_id!, name: r.name, week: r.week, type: r.type, count: num(r.n) }));
}

export async function newCustomers(db: DB, f: ScopedReportFilters, period: 'week' | 'month'): Promise<NewCustomersCell[]> {
  const { start, end } = periodBounds(f);
  const bucket = utcDay(period, sql.ref('created_at'));
  let q = db
    .selectFrom('customers')
    .select((eb) => [bucket.as('period'), 'source', 'category', eb.fn.countAll().as('n')])
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .groupBy([bucket, 'source', 'category'])
    .orderBy('period')
    .orderBy('source')
    .orderBy('category');
  if (f.teamId) q = q.where('team_id', '=', f.teamId);
  if (f.ownerId) q = q.where('owner_id', '=', f.ownerId);
  const custom = customTermConditions(sql.ref('customers.custom_fields'), f.customerTerms ?? []);
  if (custom.length > 0) q = q.where((eb) => eb.and(custom));
  const rows = await q.execute();
  return rows.map((r) => ({ period: r.period, source: r.source, category: r.category, count: num(r.n) }));
}

/** The people a leaderboard lists: active managers and reps in scope. */
export async function leaderboardPeople(db: DB, f: ScopedReportFilters): Promise<Array<{ id: string; name: string }>> {
  let q = db.selectFrom('users').select(['id', 'name']).where('role', 'in', ['manager', 'rep']).where('active', '=', true);
  if (f.teamId) q = q.where('team_id', '=', f.teamId);
  if (f.ownerId) q = q.where('id', '=', f.ownerId);
  return q.orderBy('name').execute();
}
