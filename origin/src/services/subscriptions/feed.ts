import { and, count, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import { channelFollows, channels, videos } from '../../../../db/schema/index.js';
import type { Page, PageQuery } from '../../../../protocol/api/list.js';
import type { VideoDto } from '../../../../protocol/api/videos.js';
import type { VideoState } from '../../../../protocol/video.js';
import type { Viewer } from '../../auth/access-tokens.js';
import type { ServiceContext } from '../context.js';
import { listablePrivacies } from '../videos/access.js';
import { seqPage } from '../videos/read.js';
import { toVideoDtos } from '../videos/serialize.js';
import { pageWindow } from './page.js';

/** A feed lists what can be watched: playable videos and lives on air, not uploads in progress. */
const FEED_STATES: VideoState[] = ['ready', 'live'];

/**
 * New videos of the channels the caller subscribes to, newest first. Only what the caller may find
 * in listings (`listablePrivacies`: unlisted, password and private videos of others never appear),
 * serialised like `/api/v1/videos` items.
 */
export async function subscriptionFeed(
  ctx: ServiceContext,
  viewer: Viewer,
  query: Partial<PageQuery>,
): Promise<Page<VideoDto>> {
  const window = pageWindow(query);
  const conditions: SQL[] = [inArray(videos.state, FEED_STATES)];
  const privacies = listablePrivacies(viewer);
  if (privacies !== 'all') {
    conditions.push(or(inArray(videos.privacy, privacies), eq(channels.ownerId, viewer.userId)) as SQL);
  }
  const where = and(...conditions);
  const followed = and(
    eq(channelFollows.channelId, videos.channelId),
    eq(channelFollows.followerId, viewer.userId),
  );
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select({ video: videos, channel: channels })
      .from(videos)
      .innerJoin(channelFollows, followed)
      .innerJoin(channels, eq(channels.id, videos.channelId))
      .where(window.before === undefined ? where : and(where, lt(videos.seq, window.before)))
      .orderBy(desc(videos.seq))
      .limit(window.limit)
      .offset(window.offset),
    ctx.db
      .select({ n: count() })
      .from(videos)
      .innerJoin(channelFollows, followed)
      .innerJoin(channels, eq(channels.id, videos.channelId))
      .where(where),
  ]);
  const { page, nextCursor } = seqPage(rows, window.count, (r) => r.video.seq);
  return { total: Number(total?.n ?? 0), data: await toVideoDtos(ctx, page), nextCursor };
}
