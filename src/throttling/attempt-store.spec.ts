import { describe, expect, it } from 'vitest';
import { type LockoutPolicy, MemoryAttemptStore } from './attempt-store.js';

const POLICY: LockoutPolicy = { threshold: 3, baseLockMs: 2_000, maxLockMs: 10_000, windowMs: 60_000 };
const T0 = 1_000_000;

describe('MemoryAttemptStore', () => {
  it('locks past the threshold with a doubling back-off, capped, and forgets after the window', async () => {
    const store = new MemoryAttemptStore();
    expect(await store.recordFailure('k', POLICY, T0)).toEqual({ failures: 1, lockedUntil: 0 });
    await store.recordFailure('k', POLICY, T0);
    expect((await store.recordFailure('k', POLICY, T0)).lockedUntil).toBe(T0 + 2_000);
    expect((await store.recordFailure('k', POLICY, T0)).lockedUntil).toBe(T0 + 4_000);
    for (let i = 0; i < 5; i++) await store.recordFailure('k', POLICY, T0);
    expect((await store.get('k', T0)).lockedUntil).toBe(T0 + 10_000);
    expect(await store.get('k', T0 + 60_001)).toEqual({ failures: 0, lockedUntil: 0 });
  });

  it('clears one key without touching another', async () => {
    const store = new MemoryAttemptStore();
    await store.recordFailure('a', POLICY, T0);
    await store.recordFailure('b', POLICY, T0);
    await store.clear('a');
    expect((await store.get('a', T0)).failures).toBe(0);
    expect((await store.get('b', T0)).failures).toBe(1);
  });

  it('counts a fixed window that keeps the end its first failure gave it', async () => {
    const store = new MemoryAttemptStore();
    expect(await store.peekWindow('w', T0)).toEqual({ count: 0, endsAt: 0 });
    expect(await store.countInWindow('w', 3_600_000, T0)).toEqual({ count: 1, endsAt: T0 + 3_600_000 });
    expect(await store.countInWindow('w', 3_600_000, T0 + 1_000_000)).toEqual({ count: 2, endsAt: T0 + 3_600_000 });
    expect(await store.peekWindow('w', T0 + 3_599_999)).toEqual({ count: 2, endsAt: T0 + 3_600_000 });
    expect(await store.peekWindow('w', T0 + 3_600_000)).toEqual({ count: 0, endsAt: 0 });
    expect(await store.countInWindow('w', 3_600_000, T0 + 3_600_000)).toEqual({ count: 1, endsAt: T0 + 7_200_000 });
  });

  it('holds at most `max` entries: a flood of distinct keys pushes out the least recently used', async () => {
    const store = new MemoryAttemptStore(1_000);
    for (let i = 0; i < 5_000; i++) await store.recordFailure(`flood-${i}`, POLICY, T0);
    expect(store.size).toBe(1_000);
    expect((await store.get('flood-4999', T0)).failures).toBe(1);
    expect((await store.get('flood-0', T0)).failures).toBe(0);
  });
});

describe('MemoryAttemptStore windows', () => {
  it('are kept apart from lockout counters: a flood of lockout keys never pushes a window out', async () => {
    const store = new MemoryAttemptStore(100);
    await store.countInWindow('cap', 3_600_000, T0);
    for (let i = 0; i < 1_000; i++) await store.recordFailure(`flood-${i}`, POLICY, T0);
    expect(await store.peekWindow('cap', T0)).toEqual({ count: 1, endsAt: T0 + 3_600_000 });
  });
});
