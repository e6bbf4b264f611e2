import type { EdgeConfig } from '../env.js';
import type { Audience, PlaybackClaims } from './token.js';

/**
 * The claims of a playback token, with the edge's configured lifetime, address binding and country
 * rules. Every place that mints tokens (issuance, list thumbnails) uses it, so they can never
 * disagree about what a token allows. Pure: `now` is Unix milliseconds, `ip` is '' when unknown.
 */
export function playbackClaims(input: {
  playback: Pick<EdgeConfig['playback'], 'ttlSeconds' | 'bindIp' | 'countries'>;
  /**
   * `revocation`: the video's revocation epoch from its (fresh) policy; `live` when it is on air
   * (then `version` is the live session's start).
   */
  video: { id: string; version: number; revocation: number; live?: boolean };
  audience: Audience;
  now: number;
  ip: string;
}): PlaybackClaims {
  const { playback, video, audience, now, ip } = input;
  return {
    videoId: video.id,
    audience,
    version: video.version,
    revocation: video.revocation,
    ...(video.live ? { live: true as const } : {}),
    expiresAt: Math.floor(now / 1000) + playback.ttlSeconds,
    ...(playback.bindIp && ip ? { ip } : {}),
    ...(playback.countries ? { countries: playback.countries } : {}),
  };
}
