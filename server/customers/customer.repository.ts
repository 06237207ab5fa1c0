import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction, sql } from 'kysely';
import type { CustomerFilter, CustomerSort } from '../../schema/wire/customer-query.ts';
import type { Database } from '../../schema/types.ts';
import type { Scope } from '../../schema/policy/scope.ts';
import { inScope } from '../db/scope.ts';
import { CUSTOMER_RECORD_COLUMNS, type CustomerRecord } from './customer.ts';
import type { CustomerCursor } from './customer-cursor.ts';
import type { DuplicateKeys } from './customer-duplicates.ts';
import { parseSearch } from './customer-search.ts';
import { type ResolvedCustomerFilter, customTermConditions } from '../custom-fields/custom-field-filter.ts';

type Q = Kysely<Database> | Transaction<Database>;
type EB = ExpressionBuilder<Database, 'customers'>;

/** "Due soon": a follow-up due within this many days. */
export const FOLLOWUP_DUE_SOON_DAYS = 7;
export const DUPLICATE_CANDIDATES_MAX = 10;
export const TAG_SUGGESTIONS_MAX = 20;

/** Which customers a query may touch: one team's, or (admins) every team's (schema/policy/scope.ts). */
const SCOPE_COLUMNS = { team: 'customers.team_id', own: 'customers.owner_id' };

export function findCustomer(db: Q, id: string): Promise<CustomerRecord | undefined> {
  return db.selectFrom('customers').select(CUSTOMER_RECORD_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** A customer inside the scope; undefined for other teams' records (the caller answers 404). */
export function findCustomerInScope(db: Q, scope: Scope, id: string): Promise<CustomerRecord | undefined> {
  return db.selectFrom('customers').select(CUSTOMER_RECORD_COLUMNS).where('id', '=', id).where(inScope(scope, SCOPE_COLUMNS)).executeTakeFirst();
}

export async function setArchived(db: Q, id: string, at: Date | null): Promise<CustomerRecord | undefined> {
  return db
    .updateTable('customers')
    .set({ archived_at: at, updated_at: new Date() })
    .where('id', '=', id)
    .returning(CUSTOMER_RECORD_COLUMNS)
    .executeTakeFirst();
}

function scoped(eb: EB, scope: Scope, filter: CustomerFilter): Expression<SqlBool>[] {
  const parts: Expression<SqlBool>[] = [inScope(scope, SCOPE_COLUMNS)];
  // Those who see every team may pick one.
  if (scope.kind === 'all' && filter.teamId) parts.push(eb('customers.team_id', '=', filter.teamId));
  return parts;
}

/** The WHERE clause of a list or export: scope, search and every filter. */
export function filterConditions(eb: EB, scope: Scope, filter: ResolvedCustomerFilter, opts: { now: Date; userId: string }) {
  const parts = scoped(eb, scope, filter);
  parts.push(...customConditions(filter));
  for (const term of parseSearch(filter.q)) {
    if (term.tokens.length > 0) parts.push(sql<boolean>`customers.search_tokens @> ${sql.val(term.tokens)}::text[]`);
    parts.push(sql<boolean>`customers.search_text like lower(${term.pattern}) escape '\\'`);
  }
  const archived = filter.archived ?? 'exclude';
  switch (archived) {
    case 'exclude':
      parts.push(eb('customers.archived_at', 'is', null));
      break;
    case 'only':
      parts.push(eb('customers.archived_at', 'is not', null));
      break;
    case 'include':
      break;
    default: {
      const never: never = archived;
      throw new Error(`unknown archived mode ${never}`);
    }
  }
  if (filter.category?.length) parts.push(eb('customers.category', 'in', filter.category));
  if (filter.industry?.length) parts.push(eb('customers.industry', 'in', filter.industry));
  if (filter.ownerId?.length) {
    const ids = filter.ownerId.map((o) => (o === 'me' ? opts.userId : o)).filter((o) => o !== 'none');
    const owners: Expression<SqlBool>[] = [];
    if (ids.length) owners.push(eb('customers.owner_id', 'in', ids));
    if (filter.ownerId.includes('none')) owners.push(eb('customers.owner_id', 'is', null));
    parts.push(eb.or(owners));
  }
  if (filter.tags?.length) {
    const op = filter.tagMode === 'all' ? sql`@>` : sql`&&`;
    parts.push(sql<boolean>`customers.tags ${op} ${sql.val(filter.tags)}::text[]`);
  }
  if (filter.followup) {
    const soon = new Date(opts.now.getTime() + FOLLOWUP_DUE_SOON_DAYS * 86_400_000);
    switch (filter.followup) {
      case 'overdue':
        parts.push(eb('customers.next_followup_at', '<', opts.now));
        break;
      case 'dueSoon':
        parts.push(eb.and([eb('customers.next_followup_at', '>=', opts.now), eb('customers.next_followup_at', '<', soon)]));
        break;
      case 'scheduled':
        parts.push(eb('customers.next_followup_at', 'is not', null));
        break;
      case 'none':
        parts.push(eb('customers.next_followup_at', 'is', null));
        break;
      default: {
        const never: never = filter.followup;
        throw new Error(`unknown follow-up status ${never}`);
      }
    }
  }
  if (filter.createdFrom) parts.push(eb('customers.created_at', '>=', new Date(filter.createdFrom)));
  if (filter.createdTo) parts.push(eb('customers.created_at', '<', endOf(filter.createdTo)));
  if (filter.updatedFrom) parts.push(eb('customers.updated_at', '>=', new Date(filter.updatedFrom)));
  if (filter.updatedTo) parts.push(eb('customers.updated_at', '<', endOf(filter.updatedTo)));
  return eb.and(parts);
}

/**
 * Custom field filters: per key, any of its values (containment, GIN-indexed); a checkbox
 * filtered on false also matches customers where it was never set.
 */
function customConditions(filter: ResolvedCustomerFilter): Expression<SqlBool>[] {
  const unresolved = (raw: object | undefined, terms: unknown) => raw !== undefined && Object.keys(raw).length > 0 && !terms;
  if (unresolved(filter.custom, filter.customTerms) || unresolved(filter.contactCustom, filter.contactTerms)) {
    throw new Error('custom filters must be resolved against the definitions first (resolveCustomerFilter)');
  }
  const conditions = customTermConditions(sql.ref('customers.custom_fields'), filter.customTerms ?? []);
  const contact = customTermConditions(sql.ref('ct.custom_fields'), filter.contactTerms ?? []);
  // One active contact matches every contact filter (GIN-indexed containment on contacts.custom_fields).
  if (contact.length > 0) {
    conditions.push(
      sql<SqlBool>`exists (select 1 from contacts ct where ct.customer_id = customers.id and ct.archived_at is null and ${sql.join(contact, sql` and `)})`,
    );
  }
  return conditions;
}

/** A bare date as an upper bound includes that whole day (UTC). */
function endOf(v: string): Date {
  const d = new Date(v);
  return /^\d{4}-\d\d-\d\d$/.test(v) ? new Date(d.getTime() + 86_400_000) : d;
}

const SORT_COLUMN = {
  name: 'name',
  created: 'created_at',
  updated: 'updated_at',
} as const;

export function sortOf(sort: CustomerSort): { column: 'name' | 'created_at' | 'updated_at'; desc: boolean } {
  const desc = sort.startsWith('-');
  return { column: SORT_COLUMN[(desc ? sort.slice(1) : sort) as keyof typeof SORT_COLUMN], desc };
}

export interface ListedCustomer extends CustomerRecord {
  cursor_value: string;
}

/** One page of customers (limit + 1 rows are read to know whether another page follows). */
export async function listCustomerPage(
  db: Q,
  scope: Scope,
  filter: ResolvedCustomerFilter,
  opts: { now: Date; userId: string; sort: CustomerSort; limit: number; after?: CustomerCursor },
): Promise<{ rows: ListedCustomer[]; more: boolean }> {
  const { column, desc } = sortOf(opts.sort);
  const col = sql.ref(`customers.${column}`);
  const cursorValue =
    column === 'name' ? sql<string>`customers.name` : sql<string>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  let q = db
    .selectFrom('customers')
    .select(CUSTOMER_RECORD_COLUMNS.map((c) => `customers.${c}` as const))
    .select(cursorValue.as('cursor_value'))
    .where((eb) => filterConditions(eb, scope, filter, opts));
  if (opts.after) {
    const value = column === 'name' ? sql`${opts.after.value}` : sql`${opts.after.value}::timestamptz`;
    const op = desc ? sql`<` : sql`>`;
    q = q.where(sql<boolean>`(${col}, customers.id) ${op} (${value}, ${opts.after.id}::uuid)`);
  }
  const rows = (await q
    .orderBy(`customers.${column}`, desc ? 'desc' : 'asc')
    .orderBy('customers.id', desc ? 'desc' : 'asc')
    .limit(opts.limit + 1)
    .execute()) as ListedCustomer[];
  const more = rows.length > opts.limit;
  return { rows: more ? rows.slice(0, opts.limit) : rows, more };
}

/** Likely duplicates of `keys` in a team (archived ones too: a merge may be the answer). */
export async function findDuplicateRows(
  db: Q,
  teamId: string,
  keys: DuplicateKeys,
  excludeId?: string,
): Promise<(CustomerRecord & { name_key: string })[]> {
  if (!keys.nameKey && !keys.phoneDigits && !keys.emailNorm) return [];
  let q = db
    .selectFrom('customers')
    .select([...CUSTOMER_RECORD_COLUMNS, 'name_key'])
    .where('team_id', '=', teamId)
    .where((eb) => {
      const any = [];
      if (keys.phoneDigits) any.push(eb('phone_digits', '=', keys.phoneDigits));
      if (keys.emailNorm) any.push(eb('email_norm', '=', keys.emailNorm));
      if (keys.nameKey) any.push(eb('name_key', '=', keys.nameKey));
      return eb.or(any);
    });
  if (excludeId) q = q.where('id', '<>', excludeId);
  return q.orderBy('archived_at', 'desc').orderBy('created_at').limit(DUPLICATE_CANDIDATES_MAX).execute();
}

/** Existing customers of a team matching any of many keys at once (imports). */
export async function findDuplicateKeysIn(
  db: Q,
  teamId: string,
  keys: { nameKeys: string[]; phones: string[]; emails: string[] },
): Promise<{ id: string; name: string; name_key: string; phone_digits: string; email_norm: string }[]> {
  if (!keys.nameKeys.length && !keys.phones.length && !keys.emails.length) return [];
  return db
    .selectFrom('customers')
    .select(['id', 'name', 'name_key', 'phone_digits', 'email_norm'])
    .where('team_id', '=', teamId)
    .where('archived_at', 'is', null)
    .where((eb) =>
      eb.or([
        sql<boolean>`name_key = any(${sql.val(keys.nameKeys)}::text[])`,
        sql<boolean>`phone_digits = any(${sql.val(keys.phones)}::text[])`,
        sql<boolean>`email_norm = any(${sql.val(keys.emails)}::text[])`,
      ]),
    )
    .execute();
}

/** Existing tags of the scope starting with (or, failing that, containing) `q`, most used first. */
export async function suggestTags(db: Q, scope: Scope, q: string): Promise<{ tag: string; count: number }[]> {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
  const teamCond = sql`and ${inScope(scope, { team: 'c.team_id', own: 'c.owner_id' })}`;
  const rows = await sql<{ tag: string; count: number }>`
    select t.tag, count(*)::int as count
    from customers c, unnest(c.tags) as t(tag)
    where c.archived_at is null ${teamCond} and lower(t.tag) like ${pattern} escape '\\'
    group by t.tag
    order by (lower(t.tag) like ${`${pattern.slice(1)}`} escape '\\') desc, count(*) desc, t.tag
    limit ${TAG_SUGGESTIONS_MAX}`.execute(db);
  return rows.rows;
}

/** Keeps `contact_search` (searchable contact text) in step with a customer's contacts. */
export async function refreshContactSearch(db: Q, customerId: string): Promise<void> {
  await sql`
    update customers set contact_search = coalesce((
      select string_agg(lower(ct.name) || ' ' || lower(ct.email) || ' ' || regexp_replace(ct.phone, '\\D', '', 'g'), ' ' order by ct.created_at)
      from contacts ct where ct.customer_id = ${customerId} and ct.archived_at is null), '')
    where id = ${customerId}`.execute(db);
}
