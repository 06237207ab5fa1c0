import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { DEFAULT_HEAP_GROWTH_PERCENT } from '../../server/heap.ts';

describe('HEAP_GROWTH_PERCENT', () => {
  it('defaults to the heap growth the hub benchmark was measured with, and takes 0 for V8’s own', () => {
    expect(loadConfig({}).heapGrowthPercent).toBe(DEFAULT_HEAP_GROWTH_PERCENT);
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0);
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '50' }).heapGrowthPercent).toBe(50);
  });

  it('refuses what is not a whole percentage from 0 to 1000, naming the setting', () => {
    for (const bad of ['-1', '2.5', 'ten', '1001']) {
      expect(() => loadConfig({ HEAP_GROWTH_PERCENT: bad })).toThrow(/HEAP_GROWTH_PERCENT/);
    }
  });
});
