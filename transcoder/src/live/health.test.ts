import { describe, expect, it } from 'vitest';
import { StreamHealthMeter } from './health.js';

/** A 200 ms fragment of 6 frames (30 fps) at `startMs`, `size` bytes, a keyframe or not. */
const part = (startMs: number, keyframe: boolean, size = 2500) => ({
  bytes: new Uint8Array(size),
  decodeTimeSeconds: startMs / 1000,
  durationSeconds: 0.2,
  keyframe,
  samples: 6,
});

describe('StreamHealthMeter', () => {
  it('reads bitrate, frame rate and a 1 s keyframe interval off a steady stream', () => {
    const meter = new StreamHealthMeter(2);
    for (let i = 0; i < 20; i++) meter.fragment(part(i * 200, i % 5 === 0));
    expect(meter.health).toEqual({
      inputBitrate: 100_000, // 2500 bytes per 200 ms
      frameRate: 30,
      keyframeIntervalSeconds: 1,
      droppedFrames: 0,
    });
  });

  it('averages only the last window', () => {
    const meter = new StreamHealthMeter(1);
    for (let i = 0; i < 10; i++) meter.fragment(part(i * 200, false, 1000));
    for (let i = 10; i < 15; i++) meter.fragment(part(i * 200, false, 5000));
    expect(meter.health.inputBitrate).toBe(200_000);
  });

  it('counts a hole in the timeline as dropped frames, but not the seam of a restart', () => {
    const meter = new StreamHealthMeter();
    meter.fragment(part(0, true));
    meter.fragment(part(200, false));
    meter.fragment(part(1000, false)); // 600 ms missing: 18 frames
    expect(meter.health.droppedFrames).toBe(18);
    meter.restart();
    meter.fragment(part(0, true)); // a new FFmpeg starts at 0 again
    expect(meter.health.droppedFrames).toBe(18);
  });

  it('knows no keyframe interval until two keyframes, and nothing before any fragment', () => {
    const meter = new StreamHealthMeter();
    expect(meter.health).toEqual({
      inputBitrate: 0,
      frameRate: 0,
      keyframeIntervalSeconds: null,
      droppedFrames: 0,
    });
    meter.fragment(part(0, true));
    meter.fragment(part(200, false));
    expect(meter.health.keyframeIntervalSeconds).toBeNull();
    meter.fragment(part(2000, true));
    expect(meter.health.keyframeIntervalSeconds).toBe(2);
  });
});
