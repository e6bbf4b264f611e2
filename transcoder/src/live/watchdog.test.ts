import { describe, expect, it } from 'vitest';
import { retryDelayMs, StallWatchdog } from './watchdog.js';

function clock() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('the live watchdog', () => {
  it('is stalled after 3 s without a fragment, not before', () => {
    const c = clock();
    const dog = new StallWatchdog(c.now);
    c.advance(2999);
    expect(dog.stalled()).toBe(false);
    c.advance(1);
    expect(dog.stalled()).toBe(true);
  });

  it('counts from the last fragment', () => {
    const c = clock();
    const dog = new StallWatchdog(c.now, 3000);
    c.advance(2500);
    dog.fragment();
    c.advance(2500);
    expect(dog.stalled()).toBe(false);
    expect(dog.silentMs).toBe(2500);
    c.advance(500);
    expect(dog.stalled()).toBe(true);
  });

  it('gives a restarted FFmpeg a full period for its first fragment', () => {
    const c = clock();
    const dog = new StallWatchdog(c.now, 3000);
    c.advance(5000);
    expect(dog.stalled()).toBe(true);
    dog.started();
    expect(dog.restarted()).toBe(1);
    c.advance(2000);
    expect(dog.stalled()).toBe(false);
    expect(dog.restarted()).toBe(2);
    expect(dog.restarts).toBe(2);
  });

  it('retries a pull quickly at first, then every 2 s at most', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map(retryDelayMs)).toEqual([0, 250, 500, 1000, 2000, 2000, 2000]);
  });
});
