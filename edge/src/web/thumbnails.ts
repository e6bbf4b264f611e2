import type { Context } from 'hono';
import type { VideoDto } from '../../../protocol/api/videos.js';
import { playbackPath } from '../../../protocol/media.js';
import { clientIp, type EdgeEnv } from '../context.js';
import { playbackClaims } from '../playback/claims.js';
import { getPolicy } from '../playback/policy.js';
import { mintPlaybackToken } from '../playback/token.js';

/**
 * Signed thumbnail URLs (`/play/<token>/<poster>`) for the ready videos of a list, by video id.
 *
 * There is no public thumbnail URL, so the list mints a thumbnail-only playback token per video,
 * the way playback issuance would: one cached policy lookup and one HMAC at the edge. No access
 * check is repeated here on purpose: the list comes from the API, which only lists videos the
 * viewer may see, under the same rules. The image itself is served from the edge cache, whose keys
 * leave the token out. Anything missing (playback not configured, no thumbnail, origin hiccup)
 * just means no image.
 */
export async function thumbnailUrls(c: Context<EdgeEnv>, videos: VideoDto[]): Promise<Map<string, string>> {
  const state = c.var.state;
  const ring = await state.playbackKeys?.catch(() => undefined);
  const urls = new Map<string, string>();
  if (!ring || !state.config.internalApiToken) return urls;
  const now = Date.now();
  const ip = clientIp(c);
  await Promise.all(
    videos
      .filter((video) => video.state === 'ready')
      .map(async (video) => {
        try {
          const policy = await getPolicy(state, video.id);
          const path = policy?.assets?.thumbnail && playbackPath('thumbnail', policy.assets.thumbnail);
          if (!policy?.assets || !path || policy.ownerSuspended) return;
          const claims = playbackClaims({
            playback: state.config.playback,
            video: { id: video.id, version: policy.assets.version, revocation: policy.revocation },
            audience: 'thumbnail',
            now,
            ip,
          });
          const token = await mintPlaybackToken(ring, claims, now);
          urls.set(video.id, `/play/${token}/${path}`);
        } catch {
          // A list without one image beats a list that fails.
        }
      }),
  );
  return urls;
}
