import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../server/customers/customer-cursor.ts';
import { duplicateKeys, nameKey } from '../../server/customers/customer-duplicates.ts';
import { escapeFormula } from '../../server/customers/customer-export.ts';
import { resolveMapping, rowToBody, unescapeCell } from '../../server/customers/customer-import.ts';
import { openStream } from '../../server/customers/import-source.ts';
import { parseSearch, termTokens, textTokens } from '../../server/customers/customer-search.ts';
import { type TestContext, createTestContext } from '../helpers/context.ts';

const NAMES = [
  'Acme Co., Ltd.',
  'ACME ltd',
  'Tesco',
  'Foo Inc',
  '华为技术有限公司',
  '华为技术股份有限公司',
  '（北京）科技公司',
  'Company',
  '  Spaces   Everywhere  LLC ',
  'Müller GmbH',
  'O’Brien & Sons, Inc.',
  '阿里巴巴集团',
  'x',
];

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('duplicate keys', () => {
  it('strip case, spaces, punctuation and company suffixes', () => {
    expect(nameKey('Acme Co., Ltd.')).toBe('acme');
    expect(nameKey('ACME ltd')).toBe('acme');
    expect(nameKey('Tesco')).toBe('tesco');
    expect(nameKey('华为技术有限公司')).toBe('华为技术');
    expect(nameKey('华为技术股份有限公司')).toBe('华为技术');
    expect(nameKey('Company')).toBe('company');
    expect(duplicateKeys({ phone: '12-34' }).phoneDigits).toBeNull();
    expect(duplicateKeys({ phone: '+86 (10) 5555-0000', email: ' A@B.example ' })).toMatchObject({ phoneDigits: '861055550000', emailNorm: 'a@b.example' });
  });

  it('agree with the database function tandem_name_key', async () => {
    for (const name of NAMES) {
      const r = await sql<{ k: string }>`select tandem_name_key(${name}) as k`.execute(t.ctx.db);
      expect(r.rows[0]!.k, name).toBe(nameKey(name));
    }
  });
});

describe('search tokens', () => {
  it('ask only for tokens the stored text holds, for every substring', async () => {
    const texts = ['华为技术有限公司 huawei 13812345678', 'Acme Widgets GmbH sales@acme.example'];
    for (const text of texts) {
      const r = await sql<{ t: string[] }>`select tandem_search_tokens(${text}) as t`.execute(t.ctx.db);
      const stored = new Set(r.rows[0]!.t);
      expect(new Set(textTokens(text))).toEqual(stored);
      const chars = [...text.toLowerCase()];
      for (let i = 0; i < chars.length; i++) {
        for (let j = i + 1; j <= Math.min(chars.length, i + 6); j++) {
          for (const token of termTokens(chars.slice(i, j).join(''))) expect(stored.has(token), token).toBe(true);
        }
      }
    }
  });

  it('splits terms, escapes LIKE and turns phone-shaped terms into digits', () => {
    expect(parseSearch('  华为   5678 ')).toEqual([
      { pattern: '%华为%', tokens: ['华为'] },
      { pattern: '%5678%', tokens: ['567', '678'] },
    ]);
    expect(parseSearch('138-1234')[0]!.pattern).toBe('%1381234%');
    expect(parseSearch('50%_off\\')[0]!.pattern).toBe('%50\\%\\_off\\\\%');
    expect(parseSearch('')).toEqual([]);
  });
});

describe('cursors', () => {
  it('round-trip and refuse other sorts and forgeries', () => {
    const c = { sort: '-updated' as const, value: '2025-01-01T00:00:00.123456Z', id: '00000000-0000-4000-8000-000000000000' };
    expect(decodeCursor(encodeCursor(c), '-updated')).toEqual(c);
    expect(() => decodeCursor(encodeCursor(c), 'name')).toThrow(/another sort/);
    expect(() => decodeCursor(encodeCursor({ ...c, value: 'now()' }), '-updated')).toThrow(/not a cursor/);
    expect(() => decodeCursor('%%%', 'name')).toThrow(/not a cursor/);
  });
});

describe('CSV rules', () => {
  it('escape formula cells and undo it on import', () => {
    for (const cell of ['=1+1', '+86 10', '-5', '@SUM(A1)', '\tx', '\rx']) {
      expect(escapeFormula(cell)).toBe(`'${cell}`);
      expect(unescapeCell(escapeFormula(cell))).toBe(cell);
    }
    expect(escapeFormula('plain')).toBe('plain');
    expect(unescapeCell("'quoted")).toBe("'quoted");
  });

  it('parse a BOM, quoted newlines and CRLF, and map recognised headers', async () => {
    const source = await openStream([new TextEncoder().encode('\uFEFFName,电话\r\n"Multi\r\nLine Co",123456\r\nOther,\r\n')], { kind: 'csv', encoding: 'utf-8' });
    const csv = { headers: source.headers, records: [] as { line: number; cells: string[] }[] };
    for await (const r of source.records) csv.records.push(r);
    expect(csv.headers).toEqual(['Name', '电话']);
    expect(csv.records.map((r) => r.cells)).toEqual([
      ['Multi\r\nLine Co', '123456'],
      ['Other', ''],
    ]);
    const mapping = resolveMapping(csv.headers, undefined);
    expect([...mapping]).toEqual([
      ['name', 0],
      ['phone', 1],
    ]);
    expect(rowToBody(csv.records[0]!.cells, 2, mapping)).toMatchObject({ ok: true, body: { name: 'Multi\r\nLine Co', phone: '123456' } });
    expect(rowToBody(['Only one'], 2, mapping)).toMatchObject({ ok: false, field: 'row' });
  });
});
