/** Export rules, pure: the columns, and the guard against spreadsheet formula injection. */
import type { CustomerRecord } from './customer.ts';

/** Export columns; the headers are the import's field names, so an export imports back. */
export const EXPORT_COLUMNS = [
  'id',
  'name',
  'kind',
  'category',
  'industry',
  'size',
  'phone',
  'email',
  'address',
  'website',
  'source',
  'decisionMakers',
  'needs',
  'tags',
  'owner',
  'nextFollowupAt',
  'createdAt',
  'updatedAt',
  'archivedAt',
] as const;

/** Rows read per query while streaming an export. */
export const EXPORT_PAGE_ROWS = 1000;

/**
 * A cell a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a
 * leading apostrophe (OWASP "CSV injection"). The import removes it again.
 */
export function escapeFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export function exportCells(r: CustomerRecord, ownerEmail: (id: string | null) => string): string[] {
  const cells: Record<(typeof EXPORT_COLUMNS)[number], string> = {
    id: r.id,
    name: r.name,
    kind: r.kind,
    category: r.category,
    industry: r.industry,
    size: r.size,
    phone: r.phone,
    email: r.email,
    address: r.address,
    website: r.website,
    source: r.source,
    decisionMakers: r.decision_makers,
    needs: r.needs,
    tags: r.tags.join(', '),
    owner: ownerEmail(r.owner_id),
    nextFollowupAt: r.next_followup_at?.toISOString() ?? '',
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    archivedAt: r.archived_at?.toISOString() ?? '',
  };
  return EXPORT_COLUMNS.map((c) => cells[c]);
}
