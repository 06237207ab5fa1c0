/**
 * Exports of the filtered customer list (and of its customers' contacts), streamed: pages of EXPORT_PAGE_ROWS are read with
 * the list's keyset cursor and written out, so 100,000 rows never sit in memory at once.
 */
import type { CustomerRecord } from './customer.ts';
import type { ContactRow } from '../../schema/tables/customer.table.ts';
import { customValueText } from '../../schema/wire/custom-fields.ts';
import { IMPORT_CONTACT_CUSTOM_PREFIX, IMPORT_CONTACT_FIELDS } from '../../schema/wire/customer-import.ts';
import type { ResolvedCustomerFilter } from '../custom-fields/custom-field-filter.ts';
import { listVisibleCustomFields } from '../custom-fields/custom-field.service.ts';
import { customFieldsOf } from './customer.ts';
import type { AppContext } from '../context.ts';
import type { User } from '../users/user.ts';
import type { CustomerCursor } from './customer-cursor.ts';
import { EXPORT_COLUMNS, EXPORT_PAGE_ROWS, exportCells } from './customer-export.ts';
import { type ExportTable, cellPages, csvStream, xlsxStream } from '../export/table-export.ts';
import { listCustomerPage } from './customer.repository.ts';
import { listActiveContactsOf } from './contact.repository.ts';
import { readScope } from '../../schema/policy/scope.ts';
import { inScope } from '../db/scope.ts';

/** Every row of the filter, page by page. */
async function* exportPages(ctx: AppContext, user: User, filter: ResolvedCustomerFilter): AsyncGenerator<CustomerRecord[]> {
  const scope = readScope(user, 'customer');
  if (scope.kind === 'none') return;
  const sort = filter.sort ?? '-updated';
  let after: CustomerCursor | undefined;
  for (;;) {
    const { rows, more } = await listCustomerPage(ctx.db, scope, filter, { now: ctx.now(), userId: user.id, sort, limit: EXPORT_PAGE_ROWS, after });
    if (rows.length > 0) yield rows;
    const last = rows[rows.length - 1];
    if (!more || !last) return;
    after = { sort, value: last.cursor_value, id: last.id };
  }
}

async function ownerEmails(ctx: AppContext, user: User): Promise<(id: string | null) => string> {
  const users = await ctx.db
    .selectFrom('users')
    .select(['id', 'email'])
    .where(inScope(readScope(user, 'user'), { team: 'users.team_id', own: 'users.id' }))
    .execute();
  const map = new Map(users.map((u) => [u.id, u.email]));
  return (id) => (id ? (map.get(id) ?? '') : '');
}

/**
 * The row writer of an export: the built-in columns, then one `custom.<key>` column per
 * custom field the user sees (active ones, in their order).
 */
async function exportRowWriter(ctx: AppContext, user: User) {
  const owner = await ownerEmails(ctx, user);
  const custom = await listVisibleCustomFields(ctx, user, { entity: 'customer' });
  return {
    header: [...EXPORT_COLUMNS, ...custom.map((d) => `custom.${d.key}`)],
    cells(r: CustomerRecord): string[] {
      const values = customFieldsOf(r);
      return [...exportCells(r, owner), ...custom.map((d) => customValueText(values[d.key]))];
    },
  };
}

async function exportTable(ctx: AppContext, user: User, filter: ResolvedCustomerFilter): Promise<ExportTable> {
  const writer = await exportRowWriter(ctx, user);
  return { header: writer.header, pages: cellPages(exportPages(ctx, user, filter), (r) => writer.cells(r)) };
}

/**
 * The contacts export: one row per active contact of the filter's customers, in the list's
 * order. A row reads as the import reads one (the customer's `id` and `name`, then the
 * contact's `contact.*` columns and one `contact.custom.<key>` per contact field the user sees),
 * so a sheet edited in Excel imports back (matched by name, a contact of a name the customer
 * already has is not added twice).
 */
async function contactExportTable(ctx: AppContext, user: User, filter: ResolvedCustomerFilter): Promise<ExportTable> {
  const custom = await listVisibleCustomFields(ctx, user, { entity: 'contact' });
  async function* pages(): AsyncGenerator<string[][]> {
    for await (const customers of exportPages(ctx, user, filter)) {
      const byCustomer = new Map<string, ContactRow[]>();
      for (const c of await listActiveContactsOf(ctx.db, customers.map((c) => c.id))) {
        byCustomer.set(c.customer_id, [...(byCustomer.get(c.customer_id) ?? []), c]);
      }
      const rows: string[][] = [];
      for (const customer of customers) {
        for (const c of byCustomer.get(customer.id) ?? []) {
          const values = customFieldsOf(c);
          rows.push([customer.id, customer.name, c.name, c.title, c.phone, c.email, ...custom.map((d) => customValueText(values[d.key]))]);
        }
      }
      if (rows.length > 0) yield rows;
    }
  }
  return { header: ['id', 'name', ...IMPORT_CONTACT_FIELDS, ...custom.map((d) => `${IMPORT_CONTACT_CUSTOM_PREFIX}${d.key}`)], pages: pages() };
}

export function exportContactsCsv(ctx: AppContext, user: User, filter: ResolvedCustomerFilter): ReadableStream<Uint8Array> {
  return csvStream(() => contactExportTable(ctx, user, filter));
}

export function exportContactsXlsx(ctx: AppContext, user: User, filter: ResolvedCustomerFilter): ReadableStream<Uint8Array> {
  return xlsxStream('Contacts', () => contactExportTable(ctx, user, filter), (err) => ctx.log.error({ err }, 'xlsx export failed'));
}

export function exportCsv(ctx: AppContext, user: User, filter: ResolvedCustomerFilter): ReadableStream<Uint8Array> {
  return csvStream(() => exportTable(ctx, user, filter));
}

export function exportXlsx(ctx: AppContext, user: User, filter: ResolvedCustomerFilter): ReadableStream<Uint8Array> {
  return xlsxStream('Customers', () => exportTable(ctx, user, filter), (err) => ctx.log.error({ err }, 'xlsx export failed'));
}
