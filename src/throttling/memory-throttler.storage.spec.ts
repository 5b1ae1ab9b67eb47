import { describe, expect, it } from 'vitest';
import { MemoryThrottlerStorage } from './memory-throttler.storage.js';

describe('MemoryThrottlerStorage', () => {
  it('counts hits per key in a window and blocks past the limit', async () => {
    const storage = new MemoryThrottlerStorage();
    for (let i = 1; i <= 3; i++) expect(await storage.increment('a', 60_000, 3, 0, 'default')).toMatchObject({ totalHits: i, isBlocked: false });
    const blocked = await storage.increment('a', 60_000, 3, 0, 'default');
    expect(blocked).toMatchObject({ totalHits: 4, isBlocked: true });
    expect(blocked.timeToBlockExpire).toBeGreaterThan(0);
    expect(await storage.increment('b', 60_000, 3, 0, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('starts a fresh window once the previous one has ended', async () => {
    const storage = new MemoryThrottlerStorage();
    await storage.increment('a', 1, 1, 0, 'default');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await storage.increment('a', 1, 1, 0, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
  });
});
