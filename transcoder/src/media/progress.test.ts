import { describe, expect, it } from 'vitest';
import { createProgressParser } from './progress.js';

const block = (us: number | string, progress = 'continue') =>
  `frame=10\nfps=0.00\nout_time_us=${us}\nout_time_ms=${us}\nout_time=00:00:00.000000\nprogress=${progress}\n`;

describe('createProgressParser', () => {
  it('turns out_time_us into percent of the probed duration', () => {
    const seen: number[] = [];
    const feed = createProgressParser(10, (p) => seen.push(p));
    feed(block(1_000_000));
    feed(block(2_500_000));
    feed(block(5_000_000));
    expect(seen).toEqual([10, 25, 50]);
  });

  it('copes with lines split across chunks', () => {
    const seen: number[] = [];
    const feed = createProgressParser(4, (p) => seen.push(p));
    const text = block(1_000_000) + block(3_000_000);
    for (const char of text) feed(char);
    expect(seen).toEqual([25, 75]);
  });

  it('never goes backwards, skips tiny steps and unknown times, and stops below 100', () => {
    const seen: number[] = [];
    const feed = createProgressParser(100, (p) => seen.push(p));
    feed(block(50_000_000));
    feed(block(40_000_000));
    feed(block(50_200_000));
    feed(block('N/A'));
    feed(block(-9_223_372_036));
    feed(block(120_000_000, 'end'));
    feed(block(130_000_000, 'end'));
    expect(seen).toEqual([50, 99]);
  });

  it('reports nothing when the duration is unknown', () => {
    const seen: number[] = [];
    createProgressParser(0, (p) => seen.push(p))(block(1_000_000));
    expect(seen).toEqual([]);
  });

  it('honours a custom step and ceiling', () => {
    const seen: number[] = [];
    const feed = createProgressParser(10, (p) => seen.push(p), { step: 20, ceiling: 90 });
    for (let s = 1; s <= 10; s++) feed(block(s * 1_000_000));
    expect(seen).toEqual([20, 40, 60, 80, 90]);
  });
});
