import type { Context } from 'hono';
import type { VideoDto } from '../../../protocol/api/videos.js';
import type { EdgeEnv } from '../app.js';
import { clientIp } from '../playback/issue.js';
import { getPolicy } from '../playback/policy.js';
import { mintPlaybackToken } from '../playback/token.js';

/**
 * Signed thumbnail URLs (`/play/<token>/thumbnail.jpg`) for the ready videos of a list, by video id.
 *
 * There is no public thumbnail URL, so the list mints a thumbnail-only playback token per video,
 * the way playback issuance would: one cached policy lookup and one HMAC at the edge. No access
 * check is repeated here on purpose: the list comes from the API, which only lists videos the
 * viewer may see, under the same rules. Tokens are minted as of the start of a time bucket, so the
 * same video gets the same URL for a while and browsers can cache the image across page views.
 * Anything missing (playback not configured, no thumbnail, origin hiccup) just means no image.
 */
export async function thumbnailUrls(c: Context<EdgeEnv>, videos: VideoDto[]): Promise<Map<string, string>> {
  const state = c.var.state;
  const ring = await state.playbackKeys?.catch(() => undefined);
  const urls = new Map<string, string>();
  if (!ring || !state.config.internalApiToken) return urls;
  const ttl = state.config.playback.ttlSeconds;
  const bucket = Math.max(60, Math.min(3600, Math.floor(ttl / 2)));
  const now = Math.floor(Date.now() / 1000);
  const issuedAt = now - (now % bucket);
  const ip = state.config.playback.bindIp ? clientIp(c) : '';
  await Promise.all(
    videos
      .filter((video) => video.state === 'ready')
      .map(async (video) => {
        try {
          const policy = await getPolicy(state, video.id);
          if (!policy?.assets?.thumbnail) return;
          const token = await mintPlaybackToken(
            ring,
            {
              videoId: video.id,
              audience: 'thumbnail',
              version: policy.assets.version,
              expiresAt: issuedAt + ttl,
              ...(ip ? { ip } : {}),
            },
            issuedAt * 1000,
          );
          urls.set(video.id, `/play/${token}/thumbnail.jpg`);
        } catch {
          // A list without one image beats a list that fails.
        }
      }),
  );
  return urls;
}
