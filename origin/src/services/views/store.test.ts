import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryViewStore } from './store.js';

describe('MemoryViewStore', () => {
  afterEach(() => vi.useRealTimers());

  it('counts a viewer once per window and again once it has passed', async () => {
    vi.useFakeTimers();
    const store = new MemoryViewStore();
    expect(await store.countView('v1', 'ip:a', 1000)).toBe(true);
    expect(await store.countView('v1', 'ip:a', 1000)).toBe(false);
    expect(await store.countView('v1', 'ip:b', 1000)).toBe(true);
    expect(await store.countView('v2', 'ip:a', 1000)).toBe(true);
    vi.advanceTimersByTime(1001);
    expect(await store.countView('v1', 'ip:a', 1000)).toBe(true);
    expect((await store.drain()).views).toEqual(
      new Map([
        ['v1', 3],
        ['v2', 1],
      ]),
    );
  });

  it('drains each view exactly once, and takes a failed batch back', async () => {
    const store = new MemoryViewStore();
    await store.countView('v1', 'ip:a', 60_000);
    const batch = await store.drain();
    expect((await store.drain()).views.size).toBe(0);
    await store.countView('v1', 'ip:b', 60_000);
    await store.restore(batch);
    expect((await store.drain()).views).toEqual(new Map([['v1', 2]]));
  });

  it('keeps the latest history report per user and video', async () => {
    const store = new MemoryViewStore();
    await store.recordHistory({ userId: 'u', videoId: 'v', currentTime: 10, at: 2 });
    await store.recordHistory({ userId: 'u', videoId: 'v', currentTime: 5, at: 1 });
    await store.recordHistory({ userId: 'u', videoId: 'w', currentTime: 1, at: 3 });
    const { history } = await store.drain();
    expect(history).toEqual([
      { userId: 'u', videoId: 'v', currentTime: 10, at: 2 },
      { userId: 'u', videoId: 'w', currentTime: 1, at: 3 },
    ]);
  });
});
