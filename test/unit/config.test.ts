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

describe('PGLITE_WASM_TIER', () => {
  it('defaults to the baseline compiler and takes the optimizing one', () => {
    expect(loadConfig({}).pgliteWasmTier).toBe('baseline');
    expect(loadConfig({ PGLITE_WASM_TIER: 'optimizing' }).pgliteWasmTier).toBe('optimizing');
  });

  it('refuses any other value, naming the setting and its values', () => {
    for (const bad of ['turbofan', 'BASELINE', ' ']) {
      expect(() => loadConfig({ PGLITE_WASM_TIER: bad })).toThrow(/PGLITE_WASM_TIER must be one of baseline, optimizing/);
    }
  });
});
