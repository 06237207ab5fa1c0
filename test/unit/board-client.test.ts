/**
 * The board client's pure rules: columns, filters and order; ranks for a
 * drop; the keyboard map; awareness parsing for presence and meeting mode;
 * quote totals agreeing with the server's.
 */
import { describe, expect, it } from 'vitest';
import { keyAction, type Lifted } from '../../client/src/pipeline/board-keyboard.ts';
import { buildColumns, type CardView, closeMonths, mergeStages, NO_FILTERS, nextTarget, type StageView } from '../../client/src/pipeline/board-model.ts';
import { compareCards, rankAtIndex } from '../../client/src/pipeline/board-order.ts';
import { distinctPeople, findPresenter, initials, type Peer, parsePresence } from '../../client/src/pipeline/board-presence.ts';
import { quoteTotals as clientTotals } from '../../client/src/pipeline/quote-totals.ts';
import { quoteTotals as serverTotals } from '../../server/opportunities/quote.ts';
import { compareCards as serverCompare } from '../../server/opportunities/rank.ts';

const stage = (id: string, position: number, kind: StageView['kind'] = 'open'): StageView => ({
  id,
  name: `Stage ${id}`,
  nameZh: null,
  probability: 50,
  kind,
  position,
});
const card = (id: string, stageId: string, rank: string, extra: Partial<CardView> = {}): CardView => ({
  id,
  name: `Deal ${id}`,
  amount: 100,
  customerId: 'c',
  ownerId: 'u1',
  stageId,
  rank,
  expectedCloseDate: '2026-12-01',
  ...extra,
});

const stages = [stage('s1', 0), stage('s2', 1), stage('s3', 2, 'lost')];

describe('columns', () => {
  it('groups cards by stage in rank order, ties broken by id, with counts and sums', () => {
    const cols = buildColumns(stages, [card('b', 's1', 'a1'), card('a', 's1', 'a1'), card('c', 's1', 'a0', { amount: 0.1 }), card('d', 's2', 'a0', { amount: 0.2 })], NO_FILTERS);
    expect(cols.map((c) => c.cards.map((x) => x.id))).toEqual([['c', 'a', 'b'], ['d'], []]);
    expect(cols[0]!.count).toBe(3);
    expect(cols[0]!.amount).toBe(200.1);
    expect(cols[1]!.amount).toBe(0.2);
  });

  it('orders exactly as the server does (code units, not locale)', () => {
    const cards = [card('x', 's1', 'Zz'), card('y', 's1', 'a0'), card('w', 's1', 'a0V')];
    expect([...cards].sort(compareCards).map((c) => c.id)).toEqual([...cards].sort(serverCompare).map((c) => c.id));
  });

  it('filters by owner (or unowned) and by close month; leaves out cards of unknown stages', () => {
    const cards = [
      card('a', 's1', 'a0', { ownerId: 'u1', expectedCloseDate: '2026-11-30' }),
      card('b', 's1', 'a1', { ownerId: 'u2', expectedCloseDate: '2026-12-01' }),
      card('c', 's2', 'a0', { ownerId: null, expectedCloseDate: null }),
      card('d', 'gone', 'a0'),
    ];
    const ids = (f: typeof NO_FILTERS) => buildColumns(stages, cards, f).flatMap((c) => c.cards.map((x) => x.id));
    expect(ids(NO_FILTERS)).toEqual(['a', 'b', 'c']);
    expect(ids({ ownerId: 'u2', closeMonth: null })).toEqual(['b']);
    expect(ids({ ownerId: 'none', closeMonth: null })).toEqual(['c']);
    expect(ids({ ownerId: null, closeMonth: '2026-11' })).toEqual(['a']);
    expect(closeMonths(cards)).toEqual(['2026-11', '2026-12']);
  });

  it('prefers the document’s stage mirror (live renames) and sorts by position', () => {
    const mirror = new Map([
      ['s2', { name: 'Renamed', nameZh: '改名', probability: 40, kind: 'open' as const, position: 0 }],
      ['s1', { name: 'First', nameZh: null, probability: 10, kind: 'open' as const, position: 1 }],
    ]);
    expect(mergeStages(mirror, stages).map((s) => s.name)).toEqual(['Renamed', 'First']);
    expect(mergeStages(new Map(), stages).map((s) => s.id)).toEqual(['s1', 's2', 's3']);
  });
});

describe('ranks for a drop', () => {
  it('lands between its neighbours, at either end, and after a tie', () => {
    const others = [{ rank: 'a0' }, { rank: 'a1' }];
    const top = rankAtIndex(others, 0);
    const mid = rankAtIndex(others, 1);
    const end = rankAtIndex(others, 2);
    expect(top < 'a0').toBe(true);
    expect(mid > 'a0' && mid < 'a1').toBe(true);
    expect(end > 'a1').toBe(true);
    expect(rankAtIndex([], 0)).toBe('a0');
    // Two cards that share a rank: the new one goes after it, without throwing.
    expect(rankAtIndex([{ rank: 'a1' }, { rank: 'a1' }], 1) > 'a1').toBe(true);
    expect(rankAtIndex(others, 99) > 'a1').toBe(true);
  });
});

describe('the keyboard map', () => {
  const cols = buildColumns(stages, [card('a', 's1', 'a0'), card('b', 's1', 'a1'), card('c', 's2', 'a0')], NO_FILTERS);

  it('moves focus between cards when nothing is picked up', () => {
    expect(keyAction('ArrowDown', 'a', null, cols)).toEqual({ type: 'focus', cardId: 'b' });
    expect(keyAction('ArrowUp', 'a', null, cols)).toBeNull();
    expect(keyAction('ArrowRight', 'b', null, cols)).toEqual({ type: 'focus', cardId: 'c' });
    // The lost column is empty: no further right.
    expect(keyAction('ArrowRight', 'c', null, cols)).toBeNull();
    expect(keyAction('Enter', 'a', null, cols)).toEqual({ type: 'open' });
    expect(keyAction('x', 'a', null, cols)).toBeNull();
  });

  it('picks up, moves across columns and positions (clamped), drops or cancels', () => {
    const lift = keyAction(' ', 'b', null, cols);
    expect(lift).toEqual({ type: 'lift', at: { column: 0, index: 1 } });
    let lifted: Lifted = { cardId: 'b', origin: { column: 0, index: 1 }, target: { column: 0, index: 1 } };
    const step = (key: string) => {
      const a = keyAction(key, 'b', lifted, cols);
      if (a?.type === 'retarget') lifted = { ...lifted, target: a.target };
      return a;
    };
    step('ArrowRight');
    expect(lifted.target).toEqual({ column: 1, index: 1 });
    step('ArrowRight');
    step('ArrowRight');
    expect(lifted.target).toEqual({ column: 2, index: 0 });
    step('ArrowLeft');
    step('Home');
    expect(lifted.target).toEqual({ column: 1, index: 0 });
    step('End');
    expect(lifted.target).toEqual({ column: 1, index: 1 });
    expect(keyAction(' ', 'b', lifted, cols)).toEqual({ type: 'drop', target: { column: 1, index: 1 } });
    expect(keyAction('Enter', 'b', lifted, cols)).toEqual({ type: 'drop', target: { column: 1, index: 1 } });
    expect(keyAction('Escape', 'b', lifted, cols)).toEqual({ type: 'cancel' });
  });

  it('counts positions without the moving card', () => {
    // Moving `a` down within its own column: one other card, so two slots (0 and 1).
    expect(nextTarget(cols, 'a', { column: 0, index: 0 }, 'down')).toEqual({ column: 0, index: 1 });
    expect(nextTarget(cols, 'a', { column: 0, index: 1 }, 'down')).toEqual({ column: 0, index: 1 });
  });
});

describe('presence through awareness', () => {
  const state = (over: Record<string, unknown> = {}) => ({ user: { id: 'u1', name: 'Mei', role: 'manager' }, presenting: true, focusedCardId: 'card-1', filters: { ownerId: 'u2', closeMonth: '2026-12' }, ...over });

  it('reads a well-formed state and refuses junk', () => {
    expect(parsePresence(state())).toEqual({
      user: { id: 'u1', name: 'Mei', role: 'manager' },
      presenting: true,
      focusedCardId: 'card-1',
      filters: { ownerId: 'u2', closeMonth: '2026-12' },
    });
    expect(parsePresence(null)).toBeNull();
    expect(parsePresence({ user: { id: '', name: 'x' } })).toBeNull();
    expect(parsePresence({ user: { id: 'u', name: 'x'.repeat(500) } })).toBeNull();
    expect(parsePresence(state({ filters: { ownerId: 42, closeMonth: '12/2026' } }))?.filters).toEqual({ ownerId: null, closeMonth: null });
  });

  it('never lets a rep present, and picks one presenter the same way on every board', () => {
    expect(parsePresence(state({ user: { id: 'u3', name: 'Ravi', role: 'rep' } }))?.presenting).toBe(false);
    const peer = (clientId: number, id: string, presenting: boolean): Peer => ({ ...parsePresence(state({ user: { id, name: id, role: 'manager' }, presenting }))!, clientId });
    const peers = [peer(9, 'b', true), peer(3, 'a', true), peer(5, 'c', false)];
    expect(findPresenter(peers, 'z')?.clientId).toBe(3);
    expect(findPresenter(peers, 'a')?.clientId).toBe(9);
    // Two tabs of one person show one avatar.
    expect(distinctPeople([...peers, peer(11, 'c', false)]).map((p) => p.user.id)).toEqual(['a', 'b', 'c']);
    expect(initials('Mei Wang')).toBe('MW');
    expect(initials('王小明')).toBe('小明');
  });
});

describe('quote totals', () => {
  it('match the server’s arithmetic', () => {
    const items = [
      { description: 'Licences', quantity: 3, unitPrice: 1999.99, discountPercent: 12.5 },
      { description: 'Setup', quantity: 1, unitPrice: 500, discountPercent: 0 },
      { description: 'Hours', quantity: 7.5, unitPrice: 333.33, discountPercent: 3 },
    ];
    const server = serverTotals(items, 13);
    expect(clientTotals(items, 13)).toEqual({ subtotal: server.subtotal, tax: server.tax, total: server.total });
  });
});
