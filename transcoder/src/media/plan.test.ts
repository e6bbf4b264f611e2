import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESET, parsePreset, planThumbnail, planTranscode, X264_PRESETS } from './plan.js';
import type { ProbeResult } from './types.js';

const landscape: ProbeResult = {
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  durationSeconds: 10,
  bitrate: null,
  video: {
    index: 0,
    codec: 'h264',
    width: 640,
    height: 360,
    fps: 30,
    variableFrameRate: false,
    bitrate: null,
    rotation: 0,
  },
  audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 44_100, bitrate: null },
};

describe('planTranscode', () => {
  it('plans rungs, rates, stream selectors and image outputs from the probe', () => {
    expect(planTranscode(landscape, { input: '/in/source', outDir: '/out' })).toEqual({
      input: '/in/source',
      outDir: '/out',
      preset: 'veryfast',
      segmentSeconds: 4,
      videoInput: '0:0',
      audioInput: '0:1',
      frameRate: { num: 30, den: 1 },
      rungs: [
        {
          kind: 'video',
          name: '360p',
          width: 640,
          height: 360,
          videoBitrate: 866_000,
          maxBitrate: 1_299_000,
          bufferSize: 1_732_000,
          audioBitrate: 96_000,
        },
        {
          kind: 'video',
          name: '240p',
          width: 426,
          height: 240,
          videoBitrate: 471_000,
          maxBitrate: 706_500,
          bufferSize: 942_000,
          audioBitrate: 96_000,
        },
      ],
      audio: { channels: 2, sampleRate: 44_100 },
      thumbnail: { startSeconds: 1, frames: 25, width: 640, height: 360 },
      storyboard: { intervalSeconds: 1, count: 10, columns: 10, rows: 1, tileWidth: 160, tileHeight: 90 },
    });
  });

  it('passes the preset and segment length through', () => {
    const plan = planTranscode(landscape, {
      input: '/a',
      outDir: '/b',
      preset: 'ultrafast',
      segmentSeconds: 2,
    });
    expect([plan.preset, plan.segmentSeconds]).toEqual(['ultrafast', 2]);
  });

  it('selects the first streams by type when the probe has no indexes', () => {
    const { video, audio } = landscape;
    if (!video || !audio) throw new Error('fixture');
    const { index: _v, ...videoNoIndex } = video;
    const { index: _a, ...audioNoIndex } = audio;
    const plan = planTranscode(
      { ...landscape, video: videoNoIndex, audio: audioNoIndex },
      { input: '/a', outDir: '/b' },
    );
    expect([plan.videoInput, plan.audioInput]).toEqual(['0:v:0', '0:a:0']);
  });

  it('plans an audio-only transcode without video, frame rate or images', () => {
    const { video: _video, ...audioOnly } = landscape;
    const plan = planTranscode(audioOnly, { input: '/a', outDir: '/b' });
    expect(plan).toMatchObject({
      videoInput: null,
      audioInput: '0:1',
      frameRate: null,
      rungs: [{ kind: 'audio', name: 'audio', audioBitrate: 128_000 }],
      thumbnail: null,
      storyboard: null,
    });
  });

  it('can leave the images out', () => {
    const plan = planTranscode(landscape, { input: '/a', outDir: '/b', images: false });
    expect([plan.thumbnail, plan.storyboard]).toEqual([null, null]);
  });

  it('refuses relative paths and % in the output directory', () => {
    expect(() => planTranscode(landscape, { input: 'a.mp4', outDir: '/b' })).toThrow('absolute');
    expect(() => planTranscode(landscape, { input: '/a', outDir: 'out' })).toThrow('absolute');
    expect(() => planTranscode(landscape, { input: '/a', outDir: '/tmp/100%v' })).toThrow('%');
  });
});

describe('planThumbnail', () => {
  it('starts at 10% and caps the poster at 720 on the short side', () => {
    expect(planThumbnail(60, 1920, 1080)).toEqual({ startSeconds: 6, frames: 25, width: 1280, height: 720 });
    expect(planThumbnail(3.3333, 1080, 1920)).toEqual({
      startSeconds: 0.333,
      frames: 25,
      width: 720,
      height: 1280,
    });
    expect(planThumbnail(10, 426, 240)).toEqual({ startSeconds: 1, frames: 25, width: 426, height: 240 });
  });
});

describe('parsePreset', () => {
  it('accepts known presets and refuses anything else', () => {
    for (const preset of Object.values(X264_PRESETS)) expect(parsePreset(preset)).toBe(preset);
    expect(DEFAULT_PRESET).toBe('veryfast');
    expect(() => parsePreset('placebo; rm -rf /')).toThrow('unknown x264 preset');
  });
});
