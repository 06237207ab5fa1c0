/** The bound on the lists kept for offline use (client/src/offline/kept-lists.ts): the least recently fetched go first. */
import { describe, expect, it } from 'vitest';
import { KEPT_LISTS_MAX, keptListsOverflow } from '../../client/src/offline/kept-lists.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 9, minute)).toISOString();

describe('keptListsOverflow', () => {
  it('drops nothing up to the bound', () => {
    const kept = Array.from({ length: KEPT_LISTS_MAX }, (_, i) => ({ key: `customers?q=${i}`, savedAt: at(i) }));
    expect(keptListsOverflow(kept, KEPT_LISTS_MAX)).toEqual([]);
    expect(keptListsOverflow([], 0)).toEqual([]);
  });

  it('drops the least recently saved past the bound, whatever the order given', () => {
    const kept = [
      { key: 'tasks:mine', savedAt: at(30) },
      { key: 'customers', savedAt: at(10) },
      { key: 'customers?q=acme', savedAt: at(20) },
      { key: 'tasks:team', savedAt: at(5) },
    ];
    expect(keptListsOverflow(kept, 2)).toEqual(['tasks:team', 'customers']);
    expect(keptListsOverflow(kept, 3)).toEqual(['tasks:team']);
  });

  it('breaks ties by key, so the same lists always keep the same answers', () => {
    const kept = [
      { key: 'b', savedAt: at(1) },
      { key: 'a', savedAt: at(1) },
      { key: 'c', savedAt: at(2) },
    ];
    expect(keptListsOverflow(kept, 1)).toEqual(['a', 'b']);
  });
});
