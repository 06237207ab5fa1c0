/**
 * Exports of the opportunities a user may read (`GET /api/opportunities/export.csv|.xlsx`), with
 * the list's filters and custom field filters, streamed page by page (keyset on the id): the
 * built-in columns, then one `custom.<key>` column per opportunity field the user sees.
 */
import { sql } from 'kysely';
import { customValueText } from '../../schema/wire/custom-fields.ts';
import type { ExportOpportunitiesQuery } from '../../schema/wire/opportunity.ts';
import { readScope } from '../../schema/policy/scope.ts';
import type { AppContext } from '../context.ts';
import { type CustomFilterTerm, customTermConditions } from '../custom-fields/custom-field-filter.ts';
import { listVisibleCustomFields } from '../custom-fields/custom-field.service.ts';
import { EXPORT_PAGE_ROWS } from '../customers/customer-export.ts';
import { type ExportTable, cellPages, csvStream, xlsxStream } from '../export/table-export.ts';
import { inScope } from '../db/scope.ts';
import type { User } from '../users/user.ts';

/** The built-in columns, named as the opportunity's API fields (plus readable names beside ids). */
export const OPPORTUNITY_EXPORT_COLUMNS = [
  'id',
  'name',
  'customer',
  'customerId',
  'pipeline',
  'stage',
  'status',
  'amount',
  'currency',
  'expectedCloseDate',
  'owner',
  'lostReason',
  'closedAt',
  'createdAt',
  'updatedAt',
] as const;

export type OpportunityExportFilter = Omit<ExportOpportunitiesQuery, 'custom'> & { customTerms: readonly CustomFilterTerm[] };

interface ExportRow {
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

/** Every opportunity of the filter the user may read, page by page. */
async function* exportPages(ctx: AppContext, user: User, f: OpportunityExportFilter): AsyncGenerator<ExportRow[]> {
  const scope = readScope(user, 'opportunity');
  if (scope.kind === 'none') return;
  let after: string | null = null;
  for (;;) {
    let q = ctx.db
      .selectFrom('opportunities as o')
      .innerJoin('customers as c', 'c.id', 'o.customer_id')
      .innerJoin('pipelines as p', 'p.id', 'o.pipeline_id')
      .innerJoin('pipeline_stages as s', 's.id', 'o.stage_id')
      .leftJoin('users as u', 'u.id', 'o.owner_id')
      .select([
        'o.id',
        'o.name',
        'c.name as customer',
        'o.customer_id',
        'p.name as pipeline',
        's.name as stage',
        'o.status',
        'o.amount',
        'o.currency',
        'o.expected_close_date',
        'u.email as owner',
        'o.lost_reason',
        'o.closed_at',
        'o.created_at',
        'o.updated_at',
        'o.custom_fields',
      ])
      .where(inScope(scope, { team: 'o.team_id', own: 'o.owner_id' }));
    if (f.pipelineId) q = q.where('o.pipeline_id', '=', f.pipelineId);
    if (f.ownerId === 'none') q = q.where('o.owner_id', 'is', null);
    else if (f.ownerId) q = q.where('o.owner_id', '=', f.ownerId);
    if (f.customerId) q = q.where('o.customer_id', '=', f.customerId);
    if (f.stageId) q = q.where('o.stage_id', '=', f.stageId);
    if (f.status) q = q.where('o.status', '=', f.status);
    if (f.closeMonth) q = q.where('o.expected_close_date', 'like', `${f.closeMonth}-%`);
    if (f.customTerms.length > 0) q = q.where((eb) => eb.and(customTermConditions(sql.ref('o.custom_fields'), f.customTerms)));
    if (after) q = q.where('o.id', '>', after);
    const rows = (await q.orderBy('o.id').limit(EXPORT_PAGE_ROWS).execute()) as ExportRow[];
    if (rows.length > 0) yield rows;
    if (rows.length < EXPORT_PAGE_ROWS) return;
    after = rows[rows.length - 1]!.id;
  }
}

function customOf(r: ExportRow): Record<string, unknown> {
  const v = typeof r.custom_fields === 'string' ? (JSON.parse(r.custom_fields) as unknown) : r.custom_fields;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

async function rowWriter(ctx: AppContext, user: User) {
  const custom = await listVisibleCustomFields(ctx, user, { entity: 'opportunity' });
  return {
    header: [...OPPORTUNITY_EXPORT_COLUMNS, ...custom.map((d) => `custom.${d.key}`)],
    cells(r: ExportRow): string[] {
      const values = customOf(r);
      const builtIn: Record<(typeof OPPORTUNITY_EXPORT_COLUMNS)[number], string> = {
        id: r.id,
        name: r.name,
        customer: r.customer,
        customerId: r.customer_id,
        pipeline: r.pipeline,
        stage: r.stage,
        status: r.status,
        amount: String(Number(r.amount)),
        currency: r.currency,
        expectedCloseDate: r.expected_close_date ?? '',
        owner: r.owner ?? '',
        lostReason: r.lost_reason ?? '',
        closedAt: r.closed_at?.toISOString() ?? '',
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
      };
      return [...OPPORTUNITY_EXPORT_COLUMNS.map((c) => builtIn[c]), ...custom.map((d) => customValueText(values[d.key]))];
    },
  };
}

async function exportTable(ctx: AppContext, user: User, filter: OpportunityExportFilter): Promise<ExportTable> {
  const writer = await rowWriter(ctx, user);
  return { header: writer.header, pages: cellPages(exportPages(ctx, user, filter), (r) => writer.cells(r)) };
}

export function exportOpportunitiesCsv(ctx: AppContext, user: User, filter: OpportunityExportFilter): ReadableStream<Uint8Array> {
  return csvStream(() => exportTable(ctx, user, filter));
}

export function exportOpportunitiesXlsx(ctx: AppContext, user: User, filter: OpportunityExportFilter): ReadableStream<Uint8Array> {
  return xlsxStream('Opportunities', () => exportTable(ctx, user, filter), (err) => ctx.log.error({ err }, 'opportunity xlsx export failed'));
}
