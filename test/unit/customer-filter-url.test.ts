/**
 * The customer list's filter in the address bar (client/src/customers/customer-filter-url.ts) and
 * the server's reading of the same parameters (foldCustomParams): custom and contact custom
 * filters survive the round trip, each under its own prefix.
 */
import { describe, expect, it } from 'vitest';
import { customerFilterSchema, foldCustomParams } from '../../schema/wire/customer-query.ts';
import { filterFromSearch, searchFromFilter } from '../../client/src/customers/customer-filter-url.ts';

describe('customer filter URL', () => {
  it('custom.<key> and contact.custom.<key> round-trip through the address bar and parse on the server', () => {
    const filter = { q: '华为', tags: ['vip'], custom: { tier: ['gold', 'silver'] }, contactCustom: { role: ['champion'] } };
    const search = searchFromFilter(filter);
    const params = new URLSearchParams(search);
    expect(params.get('custom.tier')).toBe('gold,silver');
    expect(params.get('contact.custom.role')).toBe('champion');
    expect(filterFromSearch(search)).toEqual(filter);
    const onServer = customerFilterSchema.parse(foldCustomParams(Object.fromEntries(params)));
    expect(onServer).toMatchObject({ custom: { tier: ['gold', 'silver'] }, contactCustom: { role: ['champion'] } });
  });

  it('a contact key that is not a key is refused by the schema', () => {
    expect(customerFilterSchema.safeParse(foldCustomParams({ 'contact.custom.Bad Key': 'x' })).success).toBe(false);
  });
});
