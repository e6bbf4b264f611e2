import { describe, expect, it } from 'vitest';
import { chooseLadder, type Rung, targetVideoBitrate } from './ladder.js';
import type { AudioStreamInfo, ProbeResult, VideoStreamInfo } from './types.js';

const stereo: AudioStreamInfo = { codec: 'aac', channels: 2, sampleRate: 48000, bitrate: null };

function source(
  width: number,
  height: number,
  video: Partial<VideoStreamInfo> = {},
  audio: AudioStreamInfo | null = stereo,
): ProbeResult {
  return {
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    durationSeconds: 10,
    bitrate: null,
    video: {
      codec: 'h264',
      width,
      height,
      fps: 30,
      variableFrameRate: false,
      bitrate: null,
      rotation: 0,
      ...video,
    },
    ...(audio ? { audio } : {}),
  };
}

/** [name, width, height, videoBitrate, audioBitrate] of each rung, for compact exact assertions. */
const summary = (rungs: Rung[]) =>
  rungs.map((r) =>
    r.kind === 'video'
      ? [r.name, r.width, r.height, r.videoBitrate, r.audioBitrate]
      : [r.name, r.audioBitrate],
  );

describe('chooseLadder', () => {
  it('gives a 1080p landscape source the full ladder', () => {
    expect(summary(chooseLadder(source(1920, 1080)))).toEqual([
      ['1080p', 1920, 1080, 4_500_000, 128_000],
      ['720p', 1280, 720, 2_449_000, 128_000],
      ['480p', 854, 480, 1_334_000, 128_000],
      ['360p', 640, 360, 866_000, 96_000],
      ['240p', 426, 240, 471_000, 96_000],
    ]);
  });

  it('sets VBV limits from the target: 1.5x peak, 2x buffer', () => {
    expect(chooseLadder(source(1920, 1080))[0]).toEqual({
      kind: 'video',
      name: '1080p',
      width: 1920,
      height: 1080,
      videoBitrate: 4_500_000,
      maxBitrate: 6_750_000,
      bufferSize: 9_000_000,
      audioBitrate: 128_000,
    });
  });

  it('never upscales and tops out at 1080p', () => {
    expect(summary(chooseLadder(source(1280, 720))).map((r) => r[0])).toEqual([
      '720p',
      '480p',
      '360p',
      '240p',
    ]);
    expect(summary(chooseLadder(source(640, 360))).map((r) => r[0])).toEqual(['360p', '240p']);
    expect(summary(chooseLadder(source(3840, 2160)))[0]).toEqual(['1080p', 1920, 1080, 4_500_000, 128_000]);
  });

  it('gives portrait sources portrait rungs, keyed on the short side (the width)', () => {
    expect(summary(chooseLadder(source(1080, 1920)))).toEqual([
      ['1080p', 1080, 1920, 4_500_000, 128_000],
      ['720p', 720, 1280, 2_449_000, 128_000],
      ['480p', 480, 854, 1_334_000, 128_000],
      ['360p', 360, 640, 866_000, 96_000],
      ['240p', 240, 426, 471_000, 96_000],
    ]);
  });

  it('rounds odd sizes to even, never past the source', () => {
    expect(summary(chooseLadder(source(241, 427)))).toEqual([['240p', 240, 426, 471_000, 96_000]]);
    expect(summary(chooseLadder(source(427, 241)))).toEqual([['240p', 426, 240, 471_000, 96_000]]);
  });

  it('keeps one rung at the source size (made even) when the source is smaller than 240', () => {
    expect(summary(chooseLadder(source(175, 99)))).toEqual([['98p', 174, 98, 123_000, 96_000]]);
    expect(summary(chooseLadder(source(99, 175)))).toEqual([['98p', 98, 174, 123_000, 96_000]]);
    expect(summary(chooseLadder(source(3, 3)))).toEqual([['2p', 2, 2, 50_000, 96_000]]);
  });

  it('keeps a step at the source size when the source is just under it (1920x1072)', () => {
    const rungs = summary(chooseLadder(source(1920, 1072)));
    expect(rungs[0]).toEqual(['1080p', 1920, 1072, 4_475_000, 128_000]);
    expect(rungs.map((r) => r[0])).toEqual(['1080p', '720p', '480p', '360p', '240p']);
  });

  it('spends more on high frame rates', () => {
    const rungs = chooseLadder(source(1920, 1080, { fps: 60 }));
    expect(rungs.map((r) => (r.kind === 'video' ? r.videoBitrate : 0))).toEqual([
      6_750_000, 3_674_000, 2_001_000, 1_299_000, 706_000,
    ]);
  });

  it('caps video bitrates at the source bitrate, but not below the floor', () => {
    const capped = chooseLadder(source(1920, 1080, { bitrate: 1_000_000 }));
    expect(capped.map((r) => (r.kind === 'video' ? r.videoBitrate : 0))).toEqual([
      1_000_000, 1_000_000, 1_000_000, 866_000, 471_000,
    ]);
    const starved = chooseLadder(source(1920, 1080, { bitrate: 50_000 }));
    expect(starved.map((r) => (r.kind === 'video' ? r.videoBitrate : 0))).toEqual([
      200_000, 200_000, 200_000, 200_000, 200_000,
    ]);
  });

  it('uses the container bitrate minus audio when the stream bitrate is unknown', () => {
    const probe = { ...source(1280, 720), bitrate: 1_628_000, audio: { ...stereo, bitrate: 128_000 } };
    expect(chooseLadder(probe).map((r) => (r.kind === 'video' ? r.videoBitrate : 0))).toEqual([
      1_500_000, 1_334_000, 866_000, 471_000,
    ]);
  });

  it('leaves audio out of rungs of a silent source', () => {
    expect(summary(chooseLadder(source(640, 360, {}, null)))).toEqual([
      ['360p', 640, 360, 866_000, null],
      ['240p', 426, 240, 471_000, null],
    ]);
  });

  it('gives an audio-only source a single audio rung', () => {
    const probe: ProbeResult = { formatName: 'mp3', durationSeconds: 200, bitrate: 320_000, audio: stereo };
    expect(chooseLadder(probe)).toEqual([{ kind: 'audio', name: 'audio', audioBitrate: 128_000 }]);
  });

  it('returns no rungs for a probe without streams', () => {
    expect(chooseLadder({ formatName: 'mp4', durationSeconds: 1, bitrate: null })).toEqual([]);
  });
});

describe('targetVideoBitrate', () => {
  it('grows slower than the pixel count and saturates at 1.5x above 30 fps', () => {
    expect(targetVideoBitrate(1920 * 1080, 30)).toBe(4_500_000);
    expect(targetVideoBitrate(1920 * 1080, 24)).toBe(4_500_000);
    expect(targetVideoBitrate(1920 * 1080, 50)).toBe(6_114_000);
    expect(targetVideoBitrate(1920 * 1080, 120)).toBe(6_750_000);
    expect(targetVideoBitrate(3840 * 2160, 30)).toBe(12_728_000);
  });
});
