import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, deliveryBackoffMs } from './backoff.js';

describe('deliveryBackoffMs', () => {
  it('doubles from the base after each failed attempt', () => {
    expect([1, 2, 3, 4].map((n) => deliveryBackoffMs(n))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    expect(deliveryBackoffMs(11)).toBe(DEFAULT_BACKOFF.maxMs);
    expect(deliveryBackoffMs(10_000)).toBe(DEFAULT_BACKOFF.maxMs);
    expect(deliveryBackoffMs(3, { baseMs: 100, maxMs: 250 })).toBe(250);
  });
});
