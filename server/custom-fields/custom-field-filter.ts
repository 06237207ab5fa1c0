/**
 * The customer list's custom field filters (`custom.<key>=a,b`): each key typed against the
 * definitions the user sees, so that the repository can ask `custom_fields @> {"key": value}`
 * (GIN-indexed). An unknown key or a value the field cannot hold is a 400 naming `custom.<key>`.
 */
import { type CustomValue, customFilterValue } from '../../schema/wire/custom-fields.ts';
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

/** A filter whose custom part is resolved (the repository refuses an unresolved one). */
export type ResolvedCustomerFilter = CustomerFilter & { customTerms?: readonly CustomFilterTerm[] };

export async function resolveCustomerFilter<F extends CustomerFilter>(ctx: AppContext, user: User, filter: F): Promise<F & ResolvedCustomerFilter> {
  if (!filter.custom || Object.keys(filter.custom).length === 0) return { ...filter, customTerms: [] };
  const defs = new Map((await listVisibleCustomFields(ctx, user, { entity: 'customer' })).map((d) => [d.key, d]));
  const customTerms: CustomFilterTerm[] = [];
  for (const [key, raws] of Object.entries(filter.custom)) {
    const def = defs.get(key);
    if (!def) throw badRequest(`custom.${key}: no such custom field`, `custom.${key}`);
    const values: CustomValue[] = [];
    for (const raw of raws) {
      const v = customFilterValue(def, raw);
      if (v === null) throw badRequest(`custom.${key}: ${JSON.stringify(raw)} is not a value of this field`, `custom.${key}`);
      values.push(v);
    }
    if (values.length > 0) customTerms.push({ key, values });
  }
  return { ...filter, customTerms };
}
