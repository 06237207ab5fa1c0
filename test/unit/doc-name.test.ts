import { describe, expect, it } from 'vitest';
import { DOC_CLOSE, boardDocName, customerDocName, isFinalDocClose, parseDocName } from '../../schema/wire/docs.ts';

const ID = '0b5e3c1a-7d2f-4c4e-9a1b-2f3e4d5c6b7a';

describe('document names', () => {
  it('parses the two kinds with a lower-case uuid', () => {
    expect(parseDocName(`customer:${ID}`)).toEqual({ kind: 'customer', id: ID });
    expect(parseDocName(`board:${ID}`)).toEqual({ kind: 'board', id: ID });
    expect(customerDocName(ID)).toBe(`customer:${ID}`);
    expect(boardDocName(ID)).toBe(`board:${ID}`);
  });

  it.each([
    ['no colon', `customer${ID}`],
    ['unknown kind', `invoice:${ID}`],
    ['upper-case id', `customer:${ID.toUpperCase()}`],
    ['not a uuid', 'customer:123'],
    ['empty id', 'customer:'],
    ['trailing text', `customer:${ID}x`],
    ['path', `customer:${ID}/x`],
    ['prototype key', `__proto__:${ID}`],
    ['too long', `customer:${ID}${'0'.repeat(100)}`],
  ])('refuses %s', (_what, name) => {
    expect(parseDocName(name)).toBeNull();
  });

  it('close codes in 4400–4499 and 1009 are final, the others transient', () => {
    expect(isFinalDocClose(DOC_CLOSE.updateRefused)).toBe(true);
    expect(isFinalDocClose(DOC_CLOSE.unauthenticated)).toBe(true);
    expect(isFinalDocClose(DOC_CLOSE.tooLarge)).toBe(true);
    expect(isFinalDocClose(DOC_CLOSE.internal)).toBe(false);
    expect(isFinalDocClose(DOC_CLOSE.recheck)).toBe(false);
    expect(isFinalDocClose(DOC_CLOSE.goingAway)).toBe(false);
  });
});
