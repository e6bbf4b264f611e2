import { describe, expect, it } from 'vitest';
import { audioBitrate, chooseFrameRate, outputChannels, outputSampleRate } from './ladder.js';
import type { AudioStreamInfo } from './types.js';

const stereo: AudioStreamInfo = { codec: 'aac', channels: 2, sampleRate: 48000, bitrate: null };

describe('audio settings', () => {
  it('uses 128k/96k for stereo and half for mono, capped at the source but not below 32k', () => {
    expect(audioBitrate(stereo, true)).toBe(128_000);
    expect(audioBitrate(stereo, false)).toBe(96_000);
    expect(audioBitrate({ ...stereo, channels: 1 }, true)).toBe(64_000);
    expect(audioBitrate({ ...stereo, bitrate: 64_000 }, true)).toBe(64_000);
    expect(audioBitrate({ ...stereo, bitrate: 16_000 }, true)).toBe(32_000);
  });

  it('downmixes surround to stereo and keeps 44.1 kHz, else 48 kHz', () => {
    expect(outputChannels({ ...stereo, channels: 6 })).toBe(2);
    expect(outputChannels({ ...stereo, channels: 1 })).toBe(1);
    expect(outputSampleRate({ ...stereo, sampleRate: 44_100 })).toBe(44_100);
    expect(outputSampleRate({ ...stereo, sampleRate: 96_000 })).toBe(48_000);
    expect(outputSampleRate({ ...stereo, sampleRate: 22_050 })).toBe(48_000);
  });
});

describe('chooseFrameRate', () => {
  it('snaps near-standard rates to their exact fractions', () => {
    expect(chooseFrameRate(29.97, false)).toEqual({ num: 30000, den: 1001 });
    expect(chooseFrameRate(23.976, false)).toEqual({ num: 24000, den: 1001 });
    expect(chooseFrameRate(59.94, false)).toEqual({ num: 60000, den: 1001 });
    expect(chooseFrameRate(30, false)).toEqual({ num: 30, den: 1 });
    expect(chooseFrameRate(25.1, false)).toEqual({ num: 25, den: 1 });
  });

  it('divides rates above 60 by a whole number and trims 61-63 to 60', () => {
    expect(chooseFrameRate(120, false)).toEqual({ num: 60, den: 1 });
    expect(chooseFrameRate(100, false)).toEqual({ num: 50, den: 1 });
    expect(chooseFrameRate(144, false)).toEqual({ num: 48, den: 1 });
    expect(chooseFrameRate(240, false)).toEqual({ num: 60, den: 1 });
    expect(chooseFrameRate(61, false)).toEqual({ num: 60, den: 1 });
  });

  it('keeps unusual low rates exactly', () => {
    expect(chooseFrameRate(15, false)).toEqual({ num: 15, den: 1 });
    expect(chooseFrameRate(12.5, false)).toEqual({ num: 25, den: 2 });
    expect(chooseFrameRate(0.5, false)).toEqual({ num: 1, den: 1 });
  });

  it('rounds variable rates up to the next standard rate', () => {
    expect(chooseFrameRate(22.5, true)).toEqual({ num: 24000, den: 1001 });
    expect(chooseFrameRate(29.6, true)).toEqual({ num: 30000, den: 1001 });
    expect(chooseFrameRate(50, true)).toEqual({ num: 50, den: 1 });
    expect(chooseFrameRate(10, true)).toEqual({ num: 24000, den: 1001 });
  });

  it('defaults to 30 when the rate is unknown', () => {
    expect(chooseFrameRate(Number.NaN, false)).toEqual({ num: 30, den: 1 });
    expect(chooseFrameRate(0, true)).toEqual({ num: 30000, den: 1001 });
  });
});
