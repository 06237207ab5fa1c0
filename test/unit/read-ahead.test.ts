import { describe, expect, it } from 'vitest';
import { readAhead } from '../../server/customers/import-job.ts';

/** A source that records when each item is asked for and whether it was closed. */
function source(items: number[], failAt: number | null = null) {
  const asked: number[] = [];
  let closed = false;
  async function* gen() {
    try {
      for (const [i, x] of items.entries()) {
        asked.push(i);
        await new Promise((r) => setTimeout(r, 1));
        if (i === failAt) throw new Error(`item ${i} failed`);
        yield x;
      }
    } finally {
      closed = true;
    }
  }
  return { iterable: gen(), asked, isClosed: () => closed };
}

describe('readAhead', () => {
  it('yields every item in order, the next one asked for while the caller holds the current one', async () => {
    const s = source([10, 20, 30]);
    const seen: number[] = [];
    const askedWhenSeen: number[] = [];
    for await (const x of readAhead(s.iterable)) {
      seen.push(x);
      // Let the read-ahead run while the caller "works".
      await new Promise((r) => setTimeout(r, 5));
      askedWhenSeen.push(s.asked.length);
    }
    expect(seen).toEqual([10, 20, 30]);
    // While holding item k (0-based), item k+1 had been asked for already (bounded by the source's length).
    expect(askedWhenSeen).toEqual([2, 3, 3]);
    expect(s.isClosed()).toBe(true);
  });

  it('a failure read ahead reaches the caller at the next item, not as an unhandled rejection', async () => {
    const s = source([1, 2, 3], 1);
    const seen: number[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(
        (async () => {
          for await (const x of readAhead(s.iterable)) {
            seen.push(x);
            await new Promise((r) => setTimeout(r, 10));
          }
        })(),
      ).rejects.toThrow('item 1 failed');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(seen).toEqual([1]);
    expect(unhandled).toEqual([]);
  });

  it('a caller that stops early closes the source', async () => {
    const s = source([1, 2, 3, 4]);
    for await (const x of readAhead(s.iterable)) {
      if (x === 2) break;
    }
    expect(s.isClosed()).toBe(true);
    // At most one item beyond the last one taken was read.
    expect(s.asked.length).toBeLessThanOrEqual(3);
  });
});
