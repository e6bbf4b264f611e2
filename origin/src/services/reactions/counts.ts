import { inArray } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { videoRatingCounts } from '../../../../db/schema/index.js';

/** Likes and dislikes of each video (0 and 0 when nobody rated it), in one query. */
export async function ratingCounts(
  db: Executor,
  videoIds: string[],
): Promise<Map<string, { likes: number; dislikes: number }>> {
  if (videoIds.length === 0) return new Map();
  const rows = await db.select().from(videoRatingCounts).where(inArray(videoRatingCounts.videoId, videoIds));
  return new Map(rows.map((r) => [r.videoId, { likes: r.likes, dislikes: r.dislikes }]));
}
