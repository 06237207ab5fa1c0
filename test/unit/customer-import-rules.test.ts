/** Property tests of the import's row rules: parsing a record, custom values, and the update merge. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CustomFieldRule } from '../../schema/wire/custom-fields.ts';
import type { ImportFieldMode } from '../../schema/wire/customer-import.ts';
import { customCellValue, mergeUpdate, resolveMapping, rowToBody, rowToLead } from '../../server/customers/customer-import.ts';
import { openStream } from '../../server/customers/import-source.ts';

const HEADERS = ['客户名称', '电话', '邮箱', '负责人邮箱', '区域', '联系人', '跟进内容', '跟进时间', '标签'];
const REGION: CustomFieldRule = {
  key: 'region',
  type: 'select',
  required: false,
  label: { en: 'Region', zh: '区域' },
  options: [
    { value: 'north', label: { en: 'North', zh: '华北' } },
    { value: 'south', label: { en: 'South', zh: '华南' } },
  ],
};
const mapping = resolveMapping(HEADERS, undefined, 'customers', [REGION]);
const cell = fc.oneof(fc.string(), fc.constantFrom('', ' ', '华南', 'north', '2026-01-02', 'a@b.example', '=1+1', "'=x", '13800000000'));
const row = fc.array(cell, { minLength: 0, maxLength: HEADERS.length + 2 });
const NOW = new Date('2026-05-01T00:00:00Z');

describe('import row rules', () => {
  it('map the Chinese headers, the owner e-mail and a custom field by its label', () => {
    expect(Object.fromEntries([...mapping].map(([f, i]) => [f, HEADERS[i]]))).toMatchObject({
      name: '客户名称',
      owner: '负责人邮箱',
      'custom.region': '区域',
      'contact.name': '联系人',
      'followup.text': '跟进内容',
    });
  });

  it('never throw, and either give a valid customer or name a mapped field (or the row) with a reason', () => {
    fc.assert(
      fc.property(row, (cells) => {
        const out = rowToBody(cells, HEADERS.length, mapping, [REGION], NOW);
        if (out.ok) {
          expect(out.body.name.trim()).toBe(out.body.name);
          expect(out.body.name.length).toBeGreaterThan(0);
          if (out.custom.region !== undefined) expect(['north', 'south']).toContain(out.custom.region);
          if (out.followup) expect(Number.isNaN(Date.parse(out.followup.at))).toBe(false);
        } else {
          expect(out.reason.length).toBeGreaterThan(0);
          const known = new Set<string>(['row', 'name', 'phone', 'email', 'tags', 'owner', ...[...mapping.keys()]]);
          expect(known.has(out.field) || out.field.startsWith('contact.') || out.field.startsWith('followup.')).toBe(true);
        }
        if (cells.length !== HEADERS.length) expect(out).toMatchObject({ ok: false, field: 'row' });
      }),
      { numRuns: 500 },
    );
  });

  it('give leads the same guarantees', () => {
    const leadMap = resolveMapping(['姓名', '公司', '邮箱'], undefined, 'leads');
    fc.assert(
      fc.property(fc.array(cell, { minLength: 3, maxLength: 3 }), (cells) => {
        const out = rowToLead(cells, 3, leadMap);
        if (out.ok) expect(out.body.name.length).toBeGreaterThan(0);
        else expect(['row', 'name', 'company', 'email']).toContain(out.field);
      }),
    );
  });

  it('accept a select cell by value or by label, and nothing else', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const v = customCellValue(REGION, s);
        if (v.ok) expect(['north', 'south']).toContain(v.value);
      }),
    );
    expect(customCellValue(REGION, '华北')).toEqual({ ok: true, value: 'north' });
    expect(customCellValue(REGION, 'South')).toEqual({ ok: true, value: 'south' });
  });

  it('merge an update as the modes say, recording exactly what it replaces', () => {
    const value = fc.oneof(fc.constant(''), fc.constant(null), fc.string({ minLength: 1, maxLength: 5 }));
    const mode = fc.constantFrom<ImportFieldMode>('overwrite', 'fillEmpty', 'skip');
    fc.assert(
      fc.property(value, value, mode, (now, next, m) => {
        const { change, previous } = mergeUpdate(
          { fields: { industry: now }, tags: [], custom: {} },
          { fields: { industry: next }, custom: {} },
          () => m,
        );
        const changed = 'industry' in change.fields;
        expect(Object.keys(previous)).toEqual(changed ? ['industry'] : []);
        if (changed) {
          expect(previous.industry).toBe(now);
          expect(change.fields.industry).toBe(next);
        }
        // An empty cell never clears; skip never writes; fillEmpty never replaces a value.
        if (!next || m === 'skip' || (m === 'fillEmpty' && now)) expect(changed).toBe(false);
        if (m === 'overwrite' && next && next !== now) expect(changed).toBe(true);
      }),
    );
  });

  it('read any CSV text without throwing anything but a 400 on the file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        try {
          const src = await openStream([new TextEncoder().encode(`name,phone\n${text}`)], { kind: 'csv', encoding: 'utf-8' });
          for await (const r of src.records) expect(r.line).toBeGreaterThan(1);
        } catch (e) {
          expect(e).toMatchObject({ status: 400, field: 'file' });
        }
      }),
      { numRuns: 200 },
    );
  });
});
