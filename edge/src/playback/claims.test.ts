import { describe, expect, it } from 'vitest';
import { playbackClaims } from './claims.js';

const video = { id: '0b6f1c5e-8a4d-4c3b-9e2f-7a1d5c6b8e90', version: 3, revocation: 7 };
const NOW = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const base = { ttlSeconds: 14_400, bindIp: false, countries: undefined };

describe('playbackClaims', () => {
  it('carries the video, audience, version and an expiry ttlSeconds after now (whole seconds)', () => {
    expect(playbackClaims({ playback: base, video, audience: 'hls', now: NOW, ip: '198.51.100.7' })).toEqual({
      videoId: video.id,
      audience: 'hls',
      version: 3,
      revocation: 7,
      expiresAt: Math.floor(NOW / 1000) + 14_400,
    });
  });

  it('binds the client address only when configured and known', () => {
    const playback = { ...base, bindIp: true };
    expect(playbackClaims({ playback, video, audience: 'thumbnail', now: NOW, ip: '2001:db8::1' })).toEqual({
      videoId: video.id,
      audience: 'thumbnail',
      version: 3,
      revocation: 7,
      expiresAt: Math.floor(NOW / 1000) + 14_400,
      ip: '2001:db8::1',
    });
    expect(playbackClaims({ playback, video, audience: 'hls', now: NOW, ip: '' })).not.toHaveProperty('ip');
  });

  it('writes the configured country rules into every audience', () => {
    const countries = { allow: ['DE', 'FR'], deny: ['FR'] };
    for (const audience of ['hls', 'thumbnail', 'storyboard'] as const) {
      expect(
        playbackClaims({
          playback: { ...base, ttlSeconds: 60, countries },
          video,
          audience,
          now: NOW,
          ip: '',
        }),
      ).toEqual({
        videoId: video.id,
        audience,
        version: 3,
        revocation: 7,
        expiresAt: Math.floor(NOW / 1000) + 60,
        countries: { allow: ['DE', 'FR'], deny: ['FR'] },
      });
    }
  });

  it('marks a live video, and only a live one, so serving never needs its policy', () => {
    const live = { ...video, version: 1_767_225_600_000, live: true };
    expect(playbackClaims({ playback: base, video: live, audience: 'hls', now: NOW, ip: '' })).toMatchObject({
      live: true,
      version: 1_767_225_600_000,
    });
    expect(playbackClaims({ playback: base, video, audience: 'hls', now: NOW, ip: '' })).not.toHaveProperty(
      'live',
    );
  });
});
