/**
 * Custom field filters (`custom.<key>=a,b`) of the customer list and the reports: each key
 * typed against the definitions of its entity that the user sees, so that the repositories can
 * ask `custom_fields @> {"key": value}` (GIN-indexed). An unknown key or a value the field
 * cannot hold is a 400 naming `custom.<key>`.
 */
import { type Expression, type SqlBool, sql } from 'kysely';
import { type CustomFieldEntity, type CustomValue, customFilterValue } from '../../schema/wire/custom-fields.ts';
import type { CustomerFilter } from '../../schema/wire/customer-query.ts';
import type { AppContext } from '../context.ts';
import { badRequest } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import { listVisibleCustomFields } from './custom-field.service.ts';

/** One key's filter: the stored values any of which matches. */
export interface CustomFilterTerm {
  key: string;
  values: CustomValue[];
}

/** A filter whose custom parts are resolved (the repository refuses an unresolved one). */
export type ResolvedCustomerFilter = CustomerFilter & { customTerms?: readonly CustomFilterTerm[]; contactTerms?: readonly CustomFilterTerm[] };

export async function resolveCustomerFilter<F extends CustomerFilter>(ctx: AppContext, user: User, filter: F): Promise<F & ResolvedCustomerFilter> {
  return {
    ...filter,
    customTerms: await resolveCustomTerms(ctx, user, 'customer', filter.custom),
    contactTerms: await resolveCustomTerms(ctx, user, 'contact', filter.contactCustom, undefined, 'contact.custom.'),
  };
}

/**
 * Types the raw filter values (`key → ["a", "b"]`) of one entity by the definitions the user
 * sees (admins: those that apply to `teamId` when given).
 */
export async function resolveCustomTerms(
  ctx: AppContext,
  user: User,
  entity: CustomFieldEntity,
  custom: Readonly<Record<string, readonly string[]>> | undefined,
  teamId?: string,
  /** How the request names these filters (in errors): `custom.` or `contact.custom.`. */
  prefix = 'custom.',
): Promise<CustomFilterTerm[]> {
  if (!custom || Object.keys(custom).length === 0) return [];
  const defs = new Map((await listVisibleCustomFields(ctx, user, { entity, ...(teamId ? { teamId } : {}) })).map((d) => [d.key, d]));
  const customTerms: CustomFilterTerm[] = [];
  for (const [key, raws] of Object.entries(custom)) {
    const def = defs.get(key);
    if (!def) throw badRequest(`${prefix}${key}: no such custom field`, `${prefix}${key}`);
    const values: CustomValue[] = [];
    for (const raw of raws) {
      const v = customFilterValue(def, raw);
      if (v === null) throw badRequest(`${prefix}${key}: ${JSON.stringify(raw)} is not a value of this field`, `${prefix}${key}`);
      values.push(v);
    }
    if (values.length > 0) customTerms.push({ key, values });
  }
  return customTerms;
}

/**
 * The SQL of resolved terms over a `custom_fields` jsonb column: per key, any of its values
 * (containment, GIN-indexed); a checkbox filtered on false also matches rows where it was never set.
 */
export function customTermConditions(column: Expression<unknown>, terms: readonly CustomFilterTerm[]): Expression<SqlBool>[] {
  return terms.map(({ key, values }) =>
    sql<SqlBool>`(${sql.join(
      values.map((v) =>
        v === false ? sql`not (${column} @> ${JSON.stringify({ [key]: true })}::jsonb)` : sql`${column} @> ${JSON.stringify({ [key]: v })}::jsonb`,
      ),
      sql` or `,
    )})`,
  );
}
