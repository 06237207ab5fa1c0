import { describe, expect, it } from 'vitest';
import { computeFunnel } from '../../server/opportunities/funnel.ts';

const stages = [
  { id: 's2', name: 'Proposal', nameZh: '方案制定', kind: 'open' as const, probability: 50, position: 1 },
  { id: 's1', name: 'Initial contact', nameZh: '初步接触', kind: 'open' as const, probability: 10, position: 0 },
  { id: 'won', name: 'Won', nameZh: null, kind: 'won' as const, probability: 100, position: 2 },
  { id: 'lost', name: 'Lost', nameZh: null, kind: 'lost' as const, probability: 0, position: 3 },
];

describe('the funnel', () => {
  it('lists every stage in board order with count and amount, empty stages included', () => {
    const f = computeFunnel(stages, [
      { stageId: 's1', amount: 0.1 },
      { stageId: 's1', amount: 0.2 },
      { stageId: 'won', amount: 1000 },
      { stageId: 'lost', amount: 5 },
    ]);
    expect(f.stages.map((s) => [s.stageId, s.count, s.amount])).toEqual([
      ['s1', 2, 0.3],
      ['s2', 0, 0],
      ['won', 1, 1000],
      ['lost', 1, 5],
    ]);
    expect(f.stages[0]).toMatchObject({ name: 'Initial contact', nameZh: '初步接触', probability: 10, kind: 'open' });
  });

  it('leaves out opportunities of unknown (deleted) stages and handles no data', () => {
    expect(computeFunnel(stages, [{ stageId: 'gone', amount: 9 }]).stages.every((s) => s.count === 0)).toBe(true);
    expect(computeFunnel([], []).stages).toEqual([]);
  });

  it('sums large amounts exactly to the cent', () => {
    const many = Array.from({ length: 1000 }, () => ({ stageId: 's2', amount: 1234567.89 }));
    expect(computeFunnel(stages, many).stages.find((s) => s.stageId === 's2')!.amount).toBe(1234567890);
  });
});
