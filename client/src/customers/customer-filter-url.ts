/** The customer list's filter in the address bar, so a reload or a shared link keeps it. */
import { CONTACT_CUSTOM_FILTER_PREFIX, CUSTOM_FILTER_PREFIX, type CustomerFilter } from '../../../schema/wire/customer-query.ts';
import { filterParams } from '../api/customers.ts';

const LIST_KEYS = ['category', 'industry', 'ownerId', 'tags'] as const;
const TEXT_KEYS = ['q', 'tagMode', 'followup', 'createdFrom', 'createdTo', 'updatedFrom', 'updatedTo', 'archived', 'sort'] as const;

/** Reads a filter from URL parameters; unknown keys are ignored (the server validates values). */
export function filterFromSearch(search: string): CustomerFilter {
  const params = new URLSearchParams(search);
  const filter: Record<string, unknown> = {};
  for (const key of LIST_KEYS) {
    const v = params.get(key);
    if (v) filter[key] = v.split(',').map((s) => s.trim()).filter(Boolean);
  }
  for (const key of TEXT_KEYS) {
    const v = params.get(key);
    if (v) filter[key] = v;
  }
  const custom: Record<string, string[]> = {};
  const contactCustom: Record<string, string[]> = {};
  const values = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const [key, v] of params) {
    if (!v) continue;
    if (key.startsWith(CUSTOM_FILTER_PREFIX)) custom[key.slice(CUSTOM_FILTER_PREFIX.length)] = values(v);
    else if (key.startsWith(CONTACT_CUSTOM_FILTER_PREFIX)) contactCustom[key.slice(CONTACT_CUSTOM_FILTER_PREFIX.length)] = values(v);
  }
  if (Object.keys(custom).length > 0) filter.custom = custom;
  if (Object.keys(contactCustom).length > 0) filter.contactCustom = contactCustom;
  return filter as CustomerFilter;
}

export function searchFromFilter(filter: CustomerFilter): string {
  const query = filterParams(filter).toString();
  return query ? `?${query}` : '';
}

/** Filters other than the keyword and the sort: how many are set (for the "Filters (n)" button). */
export function activeFilterCount(filter: CustomerFilter): number {
  const { q: _q, sort: _sort, tagMode: _tagMode, ...rest } = filter;
  return Object.values(rest).filter((v) => v !== undefined && v !== '' && (!Array.isArray(v) || v.length > 0)).length;
}
