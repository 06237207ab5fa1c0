import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  checkCardValue,
  checkLostReason,
  checkRoleRules,
  checkWholeCard,
  closeState,
  readBoard,
  stageEntryMatches,
} from '../../server/opportunities/board-doc.ts';
import { quoteTotals, canChangeQuoteStatus } from '../../server/opportunities/quote.ts';
import { planInsert, planReorder } from '../../server/pipelines/pipeline.ts';

const uuid = '0b5e3c1a-1111-4222-8333-444455556666';
const card = { name: 'Deal', amount: 10, customerId: uuid, ownerId: null, stageId: uuid, rank: 'a0' };

describe('board card rules', () => {
  it('checks each value by key', () => {
    expect(checkCardValue('amount', 0)).toBeNull();
    expect(checkCardValue('amount', 12.34)).toBeNull();
    for (const bad of [-1, 12.345, Number.NaN, Number.POSITIVE_INFINITY, 2e12, '1']) expect(checkCardValue('amount', bad)?.field).toBe('amount');
    expect(checkCardValue('ownerId', null)).toBeNull();
    expect(checkCardValue('ownerId', 'x')?.field).toBe('ownerId');
    expect(checkCardValue('expectedCloseDate', '2026-02-29')?.field).toBe('expectedCloseDate');
    expect(checkCardValue('expectedCloseDate', '2028-02-29')).toBeNull();
    expect(checkCardValue('currency', 'usd')?.field).toBe('currency');
    expect(checkCardValue('name', ' ')?.field).toBe('name');
    expect(checkCardValue('rank', 'a0')).toBeNull();
  });

  it('checks a whole card: required keys, unknown keys', () => {
    expect(checkWholeCard(card)).toBeNull();
    const { rank: _r, ...noRank } = card;
    expect(checkWholeCard(noRank)?.field).toBe('rank');
    expect(checkWholeCard({ ...card, colour: 'red' })?.field).toBe('colour');
  });

  it('lets reps own new cards but not give them away or reassign', () => {
    const rep = { id: 'me', role: 'rep' as const };
    const fresh = { id: 'c', isNew: true, changed: new Map<never, unknown>([['ownerId' as never, undefined]]) };
    expect(checkRoleRules(rep, fresh, 'me')).toBeNull();
    expect(checkRoleRules(rep, fresh, null)).toBeNull();
    expect(checkRoleRules(rep, fresh, 'other')?.status).toBe(403);
    const moved = { id: 'c', isNew: false, changed: new Map<never, unknown>([['ownerId' as never, 'me']]) };
    expect(checkRoleRules(rep, moved, 'other')?.status).toBe(403);
    expect(checkRoleRules({ id: 'm', role: 'manager' }, moved, 'other')).toBeNull();
  });

  it('requires a reason in lost stages only', () => {
    expect(checkLostReason('lost', '')?.field).toBe('lostReason');
    expect(checkLostReason('lost', 'Budget cut')).toBeNull();
    expect(checkLostReason('open', undefined)).toBeNull();
  });

  it('records the close time when entering won or lost, keeps it while staying, clears it on reopen', () => {
    const t1 = new Date('2026-01-01T00:00:00Z');
    const t2 = new Date('2026-02-01T00:00:00Z');
    expect(closeState('won', null, t1)).toEqual({ status: 'won', closedAt: t1 });
    expect(closeState('won', { status: 'won', closedAt: t1 }, t2)).toEqual({ status: 'won', closedAt: t1 });
    expect(closeState('lost', { status: 'won', closedAt: t1 }, t2)).toEqual({ status: 'lost', closedAt: t2 });
    expect(closeState('open', { status: 'lost', closedAt: t1 }, t2)).toEqual({ status: 'open', closedAt: null });
  });

  it('compares stage mirror entries with the stored stages', () => {
    const stored = { name: 'Won', nameZh: '赢单', probability: 100, kind: 'won' as const, position: 5 };
    expect(stageEntryMatches({ ...stored }, stored)).toBe(true);
    expect(stageEntryMatches({ ...stored, name: 'Hacked' }, stored)).toBe(false);
    expect(stageEntryMatches({ ...stored, extra: 1 }, stored)).toBe(false);
    expect(stageEntryMatches(undefined, null)).toBe(true);
    expect(stageEntryMatches({ ...stored }, null)).toBe(false);
  });

  it('reads cards with defaults for the optional keys', () => {
    const doc = new Y.Doc();
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(card)) m.set(k, v);
    doc.getMap('cards').set(uuid, m);
    expect(readBoard(doc, 'CNY').cards).toEqual([{ id: uuid, ...card, currency: 'CNY', expectedCloseDate: null, lostReason: null, custom: {} }]);
    // Custom values (`custom.<key>` entries) are read by field key; other entries are not custom values.
    m.set('custom.tier', 'gold');
    m.set('custom.products', ['crm', 'erp']);
    expect(readBoard(doc, 'CNY').cards[0]!.custom).toEqual({ tier: 'gold', products: ['crm', 'erp'] });
    m.delete('custom.tier');
    m.delete('custom.products');
    // Amounts are read as the database stores them (two decimals), so the projection sees no change twice.
    m.set('amount', 0.1 + 0.2);
    expect(readBoard(doc, 'CNY').cards[0]!.amount).toBe(0.3);
  });
});

describe('pipeline stage plans', () => {
  it('inserts at a position, clamped', () => {
    const live = [{ id: 'a' }, { id: 'b' }];
    expect(planInsert(live, 1)).toEqual({ positions: new Map([['a', 0], ['b', 2]]), at: 1 });
    expect(planInsert(live, 99).at).toBe(2);
    expect(planInsert(live, undefined).at).toBe(2);
  });

  it('reorders only with every stage exactly once', () => {
    const live = [{ id: 'a' }, { id: 'b' }];
    expect(planReorder(live, ['b', 'a'])).toEqual(new Map([['b', 0], ['a', 1]]));
    expect(() => planReorder(live, ['a'])).toThrow();
    expect(() => planReorder(live, ['a', 'a'])).toThrow();
    expect(() => planReorder(live, ['a', 'b', 'c'])).toThrow();
  });
});

describe('quote totals', () => {
  it('computes line totals, discounts, tax and total to the cent', () => {
    const q = quoteTotals(
      [
        { description: 'A', quantity: 3, unitPrice: 0.1 },
        { description: 'B', quantity: 2, unitPrice: 19.99, discountPercent: 15 },
      ],
      6,
    );
    expect(q.items.map((i) => i.lineTotal)).toEqual([0.3, 33.98]);
    expect(q).toMatchObject({ subtotal: 34.28, tax: 2.06, total: 36.34 });
    expect(quoteTotals([], 13)).toMatchObject({ subtotal: 0, tax: 0, total: 0 });
  });

  it('allows status changes along draft → sent → accepted/rejected, and back to draft', () => {
    expect(canChangeQuoteStatus('draft', 'sent')).toBe(true);
    expect(canChangeQuoteStatus('draft', 'accepted')).toBe(false);
    expect(canChangeQuoteStatus('sent', 'rejected')).toBe(true);
    expect(canChangeQuoteStatus('accepted', 'rejected')).toBe(false);
    expect(canChangeQuoteStatus('rejected', 'draft')).toBe(true);
  });
});
