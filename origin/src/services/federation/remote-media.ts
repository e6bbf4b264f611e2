import { eq } from 'drizzle-orm';
import { videos } from '../../../../db/schema/index.js';
import { NotFoundError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';

/**
 * Where a mirrored remote video plays from: its instance's HLS (and thumbnail), which the player
 * opens directly. 404 for a local video, which plays through playback issuance instead.
 */
export async function remoteVideoMedia(ctx: ServiceContext, videoId: string) {
  const [row] = await ctx.db
    .select({ remoteUrl: videos.remoteUrl, media: videos.remoteMedia })
    .from(videos)
    .where(eq(videos.id, videoId));
  if (!row?.remoteUrl || !row.media) throw new NotFoundError('Remote video');
  return { url: row.remoteUrl, hls: row.media.hls, thumbnail: row.media.thumbnail ?? null };
}
