import { describe, expect, it } from 'vitest';
import { compareCards, isValidRank, rankAfterCard, rankAtEnd, rankBetween, sortCards } from '../../server/opportunities/rank.ts';

describe('fractional ranks', () => {
  it('accepts keys the library produces and refuses malformed ones', () => {
    for (const good of ['a0', 'a1', 'a0V', 'Zz', 'b00', rankBetween('a0', 'a1')]) expect([good, isValidRank(good)]).toEqual([good, true]);
    for (const bad of ['', 'a', 'a10', 'a0 ', 'a0é', '0', 'A', 123, null, 'a'.padEnd(257, 'V')]) {
      expect([bad, isValidRank(bad)]).toEqual([bad, false]);
    }
  });

  it('generates keys strictly between neighbours, at the ends, and never throws on a tie', () => {
    const mid = rankBetween('a0', 'a1');
    expect('a0' < mid && mid < 'a1').toBe(true);
    expect(rankBetween(null, 'a0') < 'a0').toBe(true);
    expect(rankBetween('a0', null) > 'a0').toBe(true);
    expect(rankBetween('a1', 'a1') > 'a1').toBe(true);
    expect(rankAtEnd([])).toBe('a0');
    expect(rankAtEnd(['a0', 'a3', 'a1']) > 'a3').toBe(true);
  });

  it('orders by rank in code-unit order, then id, whatever the locale', () => {
    const cards = [
      { id: 'b', rank: 'a1' },
      { id: 'a', rank: 'a1' },
      { id: 'c', rank: 'Zz' },
      { id: 'd', rank: 'a0' },
    ];
    expect(sortCards(cards).map((c) => c.id)).toEqual(['c', 'd', 'a', 'b']);
    expect(compareCards({ id: 'x', rank: 'a0' }, { id: 'x', rank: 'a0' })).toBe(0);
  });

  it('places a card after a given card, at the top, or at the end when the anchor is gone', () => {
    const column = [
      { id: 'p', rank: 'a0' },
      { id: 'q', rank: 'a1' },
    ];
    const afterP = rankAfterCard(column, 'p');
    expect('a0' < afterP && afterP < 'a1').toBe(true);
    expect(rankAfterCard(column, null) < 'a0').toBe(true);
    expect(rankAfterCard(column, 'gone') > 'a1').toBe(true);
    expect(rankAfterCard([], null)).toBe('a0');
  });

  it('keeps 1,000 successive drops into the same gap valid and ordered', () => {
    let lo = 'a0';
    const hi = 'a1';
    for (let i = 0; i < 1000; i++) {
      const r = rankBetween(lo, hi);
      expect(lo < r && r < hi && isValidRank(r)).toBe(true);
      lo = r;
    }
  });
});
