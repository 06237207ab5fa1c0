/** Lead rows: reads, writes and the list page. Takes `db` or a transaction first. */
import { type Kysely, type Transaction, sql } from 'kysely';
import type { Scope } from '../../schema/policy/scope.ts';
import type { LeadRow, LeadUpdate, NewLeadRow } from '../../schema/tables/lead.table.ts';
import type { Database } from '../../schema/types.ts';
import type { LeadStatus } from '../../schema/wire/lead.ts';
import { inScope } from '../db/scope.ts';
import type { LeadRecord } from './lead.ts';
import type { LeadCursor } from './lead-cursor.ts';

type Q = Kysely<Database> | Transaction<Database>;

function selectLeads(db: Q) {
  return db.selectFrom('leads').leftJoin('users as o', 'o.id', 'leads.owner_id').selectAll('leads').select('o.name as owner_name');
}

export async function findLead(db: Q, id: string): Promise<LeadRecord | undefined> {
  return selectLeads(db).where('leads.id', '=', id).executeTakeFirst();
}

export async function insertLead(db: Q, row: NewLeadRow): Promise<LeadRow> {
  return db.insertInto('leads').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateLeadRow(db: Q, id: string, patch: LeadUpdate): Promise<LeadRow> {
  return db.updateTable('leads').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/**
 * Marks the lead converted if it still has the status it was read with: the claim that makes
 * converting happen once when two people convert at the same moment. False when it changed meanwhile.
 */
export async function claimForConversion(db: Q, id: string, from: LeadStatus, by: string, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('leads')
    .set({ status: 'converted', converted_at: now, converted_by: by, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Undoes a claim whose conversion failed before anything was created. */
export async function releaseConversion(db: Q, id: string, status: LeadStatus, now: Date): Promise<void> {
  await db
    .updateTable('leads')
    .set({ status, converted_at: null, converted_by: null, updated_at: now })
    .where('id', '=', id)
    .where('customer_id', 'is', null)
    .execute();
}

export interface LeadFilter {
  q?: string;
  status?: LeadStatus[];
  source?: string;
  /** A user id, or `none`. */
  ownerId?: string;
  teamId?: string;
}

/** `%` and `_` typed by a user are literal characters, not wildcards. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One page, newest first (limit + 1 rows are read to know whether another page follows). */
export async function listLeadPage(
  db: Q,
  scope: Scope,
  filter: LeadFilter,
  opts: { limit: number; after?: LeadCursor },
): Promise<{ rows: (LeadRecord & { cursor_value: string })[]; more: boolean }> {
  let q = selectLeads(db)
    .select(sql<string>`to_char(leads.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_value'))
    .where(inScope(scope, { team: 'leads.team_id', own: 'leads.owner_id' }));
  if (filter.teamId) q = q.where('leads.team_id', '=', filter.teamId);
  if (filter.status?.length) q = q.where('leads.status', 'in', filter.status);
  if (filter.source) q = q.where(sql<boolean>`lower(leads.source) = lower(${filter.source})`);
  if (filter.ownerId === 'none') q = q.where('leads.owner_id', 'is', null);
  else if (filter.ownerId) q = q.where('leads.owner_id', '=', filter.ownerId);
  if (filter.q) {
    const like = `%${likeEscape(filter.q.toLowerCase())}%`;
    const digits = filter.q.replace(/\D/g, '');
    q = q.where((eb) =>
      eb.or([
        eb(sql`lower(leads.name)`, 'like', like),
        eb(sql`lower(leads.company)`, 'like', like),
        eb(sql`lower(leads.email)`, 'like', like),
        ...(digits.length >= 3 ? [eb(sql`regexp_replace(leads.phone, '\\D', '', 'g')`, 'like', `%${digits}%`)] : []),
      ]),
    );
  }
  if (opts.after) {
    q = q.where(sql<boolean>`(leads.created_at, leads.id) < (${opts.after.createdAt}::timestamptz, ${opts.after.id}::uuid)`);
  }
  const rows = await q.orderBy('leads.created_at', 'desc').orderBy('leads.id', 'desc').limit(opts.limit + 1).execute();
  const more = rows.length > opts.limit;
  return { rows: more ? rows.slice(0, opts.limit) : rows, more };
}

/** Leads created in [start, end) by source, within the report's team and owner. */
export async function leadCountsBySource(
  db: Q,
  f: { start: Date; end: Date; teamId: string | null; ownerId: string | null },
): Promise<Array<{ source: string; leads: number; converted: number; disqualified: number }>> {
  let q = db
    .selectFrom('leads')
    .select([
      sql<string>`lower(trim(source))`.as('source'),
      sql<string>`count(*)`.as('leads'),
      sql<string>`count(*) filter (where status = 'converted')`.as('converted'),
      sql<string>`count(*) filter (where status = 'disqualified')`.as('disqualified'),
    ])
    .where('created_at', '>=', f.start)
    .where('created_at', '<', f.end);
  if (f.teamId) q = q.where('team_id', '=', f.teamId);
  if (f.ownerId) q = q.where('owner_id', '=', f.ownerId);
  const rows = await q.groupBy(sql`lower(trim(source))`).execute();
  return rows.map((r) => ({ source: r.source, leads: Number(r.leads), converted: Number(r.converted), disqualified: Number(r.disqualified) }));
}
