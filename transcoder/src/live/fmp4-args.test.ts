import { describe, expect, it } from 'vitest';
import { fragmentedMp4Output } from './fmp4-args.js';

describe('fragmentedMp4Output', () => {
  it('writes fragmented MP4 to stdout, a fragment per part and per keyframe', () => {
    expect(fragmentedMp4Output()).toEqual([
      '-f',
      'mp4',
      '-movflags',
      'empty_moov+default_base_moof+frag_keyframe',
      '-frag_duration',
      '200000',
      'pipe:1',
    ]);
    expect(fragmentedMp4Output(0.333)).toContain('333000');
  });

  it('refuses part durations LL-HLS has no use for', () => {
    for (const seconds of [0, -1, 1.5, Number.NaN])
      expect(() => fragmentedMp4Output(seconds)).toThrow(RangeError);
  });
});
