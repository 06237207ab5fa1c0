/** The contact custom value rules (server/customers/contact-custom.ts), by example. */
import { describe, expect, it } from 'vitest';
import type { CustomFieldRule } from '../../schema/wire/custom-fields.ts';
import { contactCustomChanges, mergeContactCustom } from '../../server/customers/contact-custom.ts';
import { customRequestProblem } from '../../server/custom-fields/custom-field-values.ts';

const label = (en: string) => ({ en, zh: en });
const RULES: CustomFieldRule[] = [
  { key: 'role', type: 'select', required: false, label: label('Role'), options: [{ value: 'champion', label: label('Champion') }] },
  { key: 'level', type: 'number', required: true, label: label('Level'), options: [] },
];

describe('customRequestProblem', () => {
  it('accepts valid values, and null to clear an optional one', () => {
    expect(customRequestProblem(RULES, { role: 'champion', level: 2 }, true)).toBeNull();
    expect(customRequestProblem(RULES, { role: null }, false)).toBeNull();
  });

  it('names the key of a bad option, an unknown key, a missing or cleared required value', () => {
    expect(customRequestProblem(RULES, { role: 'ceo', level: 1 }, true)?.field).toBe('custom.role');
    expect(customRequestProblem(RULES, { ghost: 1 }, false)?.field).toBe('custom.ghost');
    expect(customRequestProblem(RULES, { role: 'champion' }, true)?.field).toBe('custom.level');
    expect(customRequestProblem(RULES, { level: null }, false)?.field).toBe('custom.level');
    // A change that does not name a required field leaves it alone.
    expect(customRequestProblem(RULES, { role: 'champion' }, false)).toBeNull();
    // Removing the value of a field that no longer exists is a cleanup.
    expect(customRequestProblem(RULES, { ghost: null }, false)).toBeNull();
  });
});

describe('mergeContactCustom and contactCustomChanges', () => {
  it('replaces named keys, removes nulls, keeps the rest; the history lists what changed', () => {
    const before = { role: 'champion', level: 1, old: 'x' };
    const after = mergeContactCustom(before, { level: 3, old: null });
    expect(after).toEqual({ role: 'champion', level: 3 });
    expect(contactCustomChanges(before, after)).toEqual({ 'custom.level': [1, 3], 'custom.old': ['x', null] });
    expect(contactCustomChanges(after, after)).toEqual({});
  });
});
