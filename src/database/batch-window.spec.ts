import { describe, expect, it } from 'vitest';
import { BatchWindow } from './batch-window.js';

/** A flush that records each batch it is given and doubles every item, failing on negative ones. */
function recorder(options: { delayMs?: number } = {}) {
  const batches: number[][] = [];
  const window = new BatchWindow<number, number>(async (items) => {
    batches.push(items);
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    return items.map((item) => (item < 0 ? { status: 'rejected', reason: new Error(`bad ${item}`) } : { status: 'fulfilled', value: item * 2 }));
  });
  return { batches, window };
}

describe('BatchWindow', () => {
  it('hands the items submitted together to one flush and answers each with its own outcome', async () => {
    const { batches, window } = recorder();
    const results = await Promise.allSettled([window.submit(1), window.submit(-2), window.submit(3)]);
    expect(batches).toEqual([[1, -2, 3]]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('bad -2') },
      { status: 'fulfilled', value: 6 },
    ]);
  });

  it('flushes one batch at a time; what arrives meanwhile becomes the next batch', async () => {
    const { batches, window } = recorder({ delayMs: 20 });
    const first = window.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 5)); // the first batch is being flushed
    const later = [window.submit(2), window.submit(3)];
    expect(batches).toEqual([[1]]);
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('fails every item of a batch whose flush throws, and keeps working afterwards', async () => {
    let fail = true;
    const window = new BatchWindow<number, number>(async (items) => {
      if (fail) throw new Error('database gone');
      return items.map((value) => ({ status: 'fulfilled' as const, value }));
    });
    const failed = await Promise.allSettled([window.submit(1), window.submit(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await window.submit(3)).toBe(3);
  });

  it(`splits a burst larger than ${BatchWindow.MAX_BATCH} items into bounded batches`, async () => {
    const { batches, window } = recorder();
    const items = Array.from({ length: BatchWindow.MAX_BATCH + 10 }, (_, i) => i);
    expect(await Promise.all(items.map((item) => window.submit(item)))).toEqual(items.map((item) => item * 2));
    expect(batches.map((batch) => batch.length)).toEqual([BatchWindow.MAX_BATCH, 10]);
  });
});
