/**
 * Exports of the opportunities a user may read (`GET /api/opportunities/export.csv|.xlsx`), with
 * the list's filters and custom field filters, streamed page by page (keyset on the id): the
 * built-in columns, then one `custom.<key>` column per opportunity field the user sees.
 */
import { customValueText } from '../../schema/wire/custom-fields.ts';
import type { ExportOpportunitiesQuery } from '../../schema/wire/opportunity.ts';
import { readScope } from '../../schema/policy/scope.ts';
import type { AppContext } from '../context.ts';
import type { CustomFilterTerm } from '../custom-fields/custom-field-filter.ts';
import { listVisibleCustomFields } from '../custom-fields/custom-field.service.ts';
import { EXPORT_PAGE_ROWS } from '../customers/customer-export.ts';
import { type ExportTable, cellPages, csvStream, xlsxStream } from '../export/table-export.ts';
import { customFieldsOf } from './opportunity.ts';
import { type OpportunityExportRow, listOpportunityExportPage } from './opportunity.repository.ts';
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

/** Every opportunity of the filter the user may read, page by page (keyset on the id). */
async function* exportPages(ctx: AppContext, user: User, f: OpportunityExportFilter): AsyncGenerator<OpportunityExportRow[]> {
  const scope = readScope(user, 'opportunity');
  if (scope.kind === 'none') return;
  let after: string | null = null;
  for (;;) {
    const rows = await listOpportunityExportPage(ctx.db, { ...f, scope }, after, EXPORT_PAGE_ROWS);
    if (rows.length > 0) yield rows;
    if (rows.length < EXPORT_PAGE_ROWS) return;
    after = rows[rows.length - 1]!.id;
  }
}

async function rowWriter(ctx: AppContext, user: User) {
  const custom = await listVisibleCustomFields(ctx, user, { entity: 'opportunity' });
  return {
    header: [...OPPORTUNITY_EXPORT_COLUMNS, ...custom.map((d) => `custom.${d.key}`)],
    cells(r: OpportunityExportRow): string[] {
      const values = customFieldsOf(r.custom_fields);
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
