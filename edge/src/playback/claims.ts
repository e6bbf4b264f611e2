import type { Context } from 'hono';
import type { EdgeEnv } from '../app.js';
import type { Audience, PlaybackClaims } from './token.js';

/** The client's address as Cloudflare reports it (workerd sets it in dev too); '' when unknown. */
export const clientIp = (c: Context<EdgeEnv>): string => c.req.header('cf-connecting-ip') ?? '';

/**
 * The claims of a playback token for this request, with the edge's configured lifetime, address
 * binding and country rules. Every place that mints tokens (issuance, list thumbnails) uses it, so
 * they can never disagree about what a token allows.
 */
export function playbackClaims(
  c: Context<EdgeEnv>,
  video: { id: string; version: number },
  audience: Audience,
  now: number,
): PlaybackClaims {
  const { playback } = c.var.state.config;
  const ip = clientIp(c);
  return {
    videoId: video.id,
    audience,
    version: video.version,
    expiresAt: Math.floor(now / 1000) + playback.ttlSeconds,
    ...(playback.bindIp && ip ? { ip } : {}),
    ...(playback.countries ? { countries: playback.countries } : {}),
  };
}
