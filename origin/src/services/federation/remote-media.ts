import { eq } from 'drizzle-orm';
import { videos } from '../../../../db/schema/index.js';
import { NotFoundError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { mediaUrlForViewers } from './media-proxy.js';

/**
 * Where a mirrored remote video plays from: its instance's HLS (and thumbnail), which the player
 * opens directly; or, with the media proxy on (`FEDERATION_MEDIA_PROXY`), the edge's signed proxy
 * paths, so viewers never contact the other instance. 404 for a local video, which plays through
 * playback issuance instead, and for media of a host that is not a known peer while the proxy is on.
 */
export async function remoteVideoMedia(ctx: ServiceContext, videoId: string) {
  const [row] = await ctx.db
    .select({ remoteUrl: videos.remoteUrl, media: videos.remoteMedia })
    .from(videos)
    .where(eq(videos.id, videoId));
  if (!row?.remoteUrl || !row.media) throw new NotFoundError('Remote video');
  const secret = ctx.config.federation?.mediaProxySecret;
  const known = new Map<string, Promise<boolean>>();
  const hls = await mediaUrlForViewers(ctx.db, secret, row.media.hls, known);
  if (!hls) throw new NotFoundError('Remote video');
  const thumbnail = row.media.thumbnail
    ? ((await mediaUrlForViewers(ctx.db, secret, row.media.thumbnail, known)) ?? null)
    : null;
  return { url: row.remoteUrl, hls, thumbnail };
}
