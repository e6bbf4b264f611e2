import { describe, expect, it } from 'vitest';
import { isWebCompatible } from './compat.js';
import type { ProbeResult } from './types.js';

const phone: ProbeResult = {
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  durationSeconds: 30,
  bitrate: 16_000_000,
  video: {
    codec: 'h264',
    profile: 'High',
    pixFmt: 'yuv420p',
    width: 1920,
    height: 1080,
    fps: 30,
    variableFrameRate: true,
    bitrate: 15_800_000,
    rotation: 0,
  },
  audio: { codec: 'aac', profile: 'LC', channels: 2, sampleRate: 48_000, bitrate: 192_000 },
};
const withVideo = (video: Partial<NonNullable<ProbeResult['video']>>): ProbeResult => ({
  ...phone,
  video: { ...(phone.video as NonNullable<ProbeResult['video']>), ...video },
});
const withAudio = (audio: Partial<NonNullable<ProbeResult['audio']>>): ProbeResult => ({
  ...phone,
  audio: { ...(phone.audio as NonNullable<ProbeResult['audio']>), ...audio },
});

describe('isWebCompatible', () => {
  it('accepts 8-bit H.264 with AAC or no audio in MP4/MOV/MKV', () => {
    expect(isWebCompatible(phone)).toBe(true);
    expect(isWebCompatible({ ...phone, formatName: 'matroska,webm' })).toBe(true);
    const { audio: _audio, ...silent } = phone;
    expect(isWebCompatible(silent)).toBe(true);
    expect(isWebCompatible(withAudio({ profile: 'HE-AAC' }))).toBe(true);
    expect(isWebCompatible(withVideo({ profile: 'Constrained Baseline' }))).toBe(true);
  });

  it('refuses other codecs, profiles and pixel formats', () => {
    expect(isWebCompatible(withVideo({ codec: 'hevc', profile: 'Main' }))).toBe(false);
    expect(isWebCompatible(withVideo({ profile: 'High 10', pixFmt: 'yuv420p10le' }))).toBe(false);
    expect(isWebCompatible(withVideo({ profile: 'High 4:2:2', pixFmt: 'yuv422p' }))).toBe(false);
    expect(isWebCompatible(withVideo({ pixFmt: 'yuvj420p' }))).toBe(false);
    const { profile: _profile, ...video } = phone.video as NonNullable<ProbeResult['video']>;
    expect(isWebCompatible({ ...phone, video })).toBe(false);
  });

  it('refuses audio browsers may not play', () => {
    expect(isWebCompatible(withAudio({ codec: 'mp3', profile: undefined }))).toBe(false);
    expect(isWebCompatible(withAudio({ codec: 'opus', profile: undefined }))).toBe(false);
    expect(isWebCompatible(withAudio({ channels: 6 }))).toBe(false);
    expect(isWebCompatible(withAudio({ profile: 'Main' }))).toBe(false);
  });

  it('refuses rotated, oversized, audio-only sources and containers needing bitstream filters', () => {
    expect(isWebCompatible(withVideo({ rotation: 90, width: 1080, height: 1920 }))).toBe(false);
    expect(isWebCompatible(withVideo({ width: 7680, height: 4320 }))).toBe(false);
    const { video: _video, ...audioOnly } = phone;
    expect(isWebCompatible(audioOnly)).toBe(false);
    expect(isWebCompatible({ ...phone, formatName: 'mpegts' })).toBe(false);
    expect(isWebCompatible({ ...phone, formatName: 'flv' })).toBe(false);
  });
});
