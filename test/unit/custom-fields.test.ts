/**
 * The custom value rules (schema/wire/custom-fields.ts) and the document's `custom` check
 * (server/customers/customer-custom-doc.ts): examples, then properties over generated
 * definitions and values — the validator never throws, and whatever it accepts conforms to
 * the field's type.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  CUSTOM_FIELD_TYPES,
  CUSTOM_LONG_TEXT_MAX,
  CUSTOM_TEXT_MAX,
  type CustomFieldRule,
  customFilterValue,
  customValueProblem,
  customValuesProblem,
} from '../../schema/wire/custom-fields.ts';
import { isUuid } from '../../schema/wire/ids.ts';
import { customKeyProblem, readCustomValues } from '../../server/customers/customer-custom-doc.ts';

const rule = (type: CustomFieldRule['type'], extra: Partial<CustomFieldRule> = {}): CustomFieldRule => ({
  key: 'k',
  type,
  options: [],
  required: false,
  label: { en: 'K', zh: '键' },
  ...extra,
});
const opts = (...values: string[]) => values.map((value) => ({ value, label: { en: value, zh: value } }));

describe('examples', () => {
  it('accepts and refuses what each type says', () => {
    expect(customValueProblem(rule('select', { options: opts('a', 'b') }), 'a')).toBeNull();
    expect(customValueProblem(rule('select', { options: opts('a', 'b') }), 'c')).not.toBeNull();
    expect(customValueProblem(rule('number'), '3')).not.toBeNull();
    expect(customValueProblem(rule('number'), Number.NaN)).not.toBeNull();
    expect(customValueProblem(rule('currency'), 12.5)).toBeNull();
    expect(customValueProblem(rule('currency'), 12.505)).not.toBeNull();
    expect(customValueProblem(rule('url'), 'https://a.example')).toBeNull();
    expect(customValueProblem(rule('url'), 'javascript:alert(1)//a.example')).not.toBeNull();
    expect(customValueProblem(rule('url'), 'a.example')).not.toBeNull();
    expect(customValueProblem(rule('date'), '2026-02-29')).not.toBeNull();
    expect(customValueProblem(rule('date'), '2028-02-29')).toBeNull();
    expect(customValueProblem(rule('checkbox'), 'true')).not.toBeNull();
    expect(customValueProblem(rule('multiSelect', { options: opts('a', 'b') }), ['b', 'a'])).toBeNull();
    expect(customValueProblem(rule('multiSelect', { options: opts('a', 'b') }), ['a', 'a'])).not.toBeNull();
    expect(customValueProblem(rule('text', { required: true }), null)).toBe('is required');
    expect(customValueProblem(rule('text'), undefined)).toBeNull();
  });

  it('a REST body: the first bad key named custom.<key>', () => {
    const defs = [rule('number', { key: 'seats' }), rule('text', { key: 'note' })];
    expect(customValuesProblem(defs, { note: 'x', seats: 'y' })?.field).toBe('custom.seats');
    expect(customValuesProblem(defs, { other: 1 })?.field).toBe('custom.other');
    expect(customValuesProblem(defs, { note: 'x', seats: 2 })).toBeNull();
  });

  it('the document check: unknown keys refused, their removal allowed', () => {
    const rules = new Map([['seats', rule('number', { key: 'seats' })]]);
    expect(customKeyProblem(rules, 'seats', 3)).toBeNull();
    expect(customKeyProblem(rules, 'gone', 'x')?.field).toBe('custom.gone');
    expect(customKeyProblem(rules, 'gone', undefined)).toBeNull();
  });

  it('filter values typed by the definition', () => {
    expect(customFilterValue(rule('checkbox'), 'true')).toBe(true);
    expect(customFilterValue(rule('checkbox'), 'yes')).toBeNull();
    expect(customFilterValue(rule('number'), '12')).toBe(12);
    expect(customFilterValue(rule('number'), '')).toBeNull();
    expect(customFilterValue(rule('multiSelect', { options: opts('a') }), 'a')).toEqual(['a']);
  });
});

const optionValue = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,6}$/);
const definition: fc.Arbitrary<CustomFieldRule> = fc.record({
  key: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
  type: fc.constantFrom(...CUSTOM_FIELD_TYPES),
  options: fc.uniqueArray(optionValue, { maxLength: 6 }).map((vs) => opts(...vs)),
  required: fc.boolean(),
  label: fc.constant({ en: 'F', zh: '字' }),
});
/** Values of every shape, biased towards the near-valid (option values, dates, links, uuids). */
const anyValue = fc.oneof(
  fc.anything(),
  fc.string(),
  fc.string({ maxLength: CUSTOM_TEXT_MAX + 20 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  optionValue,
  fc.array(optionValue, { maxLength: 4 }),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.webUrl(),
  fc.uuid(),
  fc.constantFrom('javascript:alert(1)', 'https://a.example', 'ftp://a.example', '2026-02-30', 'NaN', ''),
);

describe('properties', () => {
  it('never throws, and an accepted value conforms to its type', () => {
    fc.assert(
      fc.property(definition, anyValue, (def, value) => {
        const problem = customValueProblem(def, value);
        expect(problem === null || typeof problem === 'string').toBe(true);
        if (problem !== null) return;
        if (value === null || value === undefined) {
          expect(def.required).toBe(false);
          return;
        }
        const optionValues = def.options.map((o) => o.value);
        switch (def.type) {
          case 'text':
            expect(typeof value === 'string' && value.length <= CUSTOM_TEXT_MAX).toBe(true);
            break;
          case 'longText':
            expect(typeof value === 'string' && value.length <= CUSTOM_LONG_TEXT_MAX).toBe(true);
            break;
          case 'number':
          case 'currency':
            expect(typeof value === 'number' && Number.isFinite(value)).toBe(true);
            break;
          case 'date':
            expect(typeof value === 'string' && !Number.isNaN(Date.parse(value as string))).toBe(true);
            break;
          case 'select':
            expect(optionValues).toContain(value);
            break;
          case 'multiSelect':
            expect(Array.isArray(value)).toBe(true);
            expect(new Set(value as string[]).size).toBe((value as string[]).length);
            for (const v of value as string[]) expect(optionValues).toContain(v);
            break;
          case 'user':
            expect(isUuid(value)).toBe(true);
            break;
          case 'checkbox':
            expect(typeof value).toBe('boolean');
            break;
          case 'url':
            expect(typeof value === 'string' && /^https?:\/\//i.test(value as string)).toBe(true);
            break;
          default:
            throw new Error(`untested type ${def.type}`);
        }
        // What is accepted survives a trip through the document and its projection unchanged.
        const doc = new Y.Doc();
        doc.getMap('custom').set(def.key, value);
        expect(readCustomValues(doc.getMap('custom'))[def.key]).toEqual(value);
        doc.destroy();
      }),
      { numRuns: 3000 },
    );
  });

  it('a set of values is accepted exactly when each value is', () => {
    fc.assert(
      fc.property(fc.uniqueArray(definition, { selector: (d) => d.key, maxLength: 5 }), fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), anyValue, { maxKeys: 5 }), (defs, values) => {
        const byKey = new Map(defs.map((d) => [d.key, d]));
        const expected = Object.entries(values).every(([k, v]) => {
          const d = byKey.get(k);
          return d !== undefined && customValueProblem(d, v) === null;
        });
        expect(customValuesProblem(defs, values) === null).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
