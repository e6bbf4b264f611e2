import { and, count, desc, eq, lte } from 'drizzle-orm';
import { channels, videos, watchHistory, watchHistoryPauses } from '../../../../db/schema/index.js';
import type { PageQuery } from '../../../../protocol/api/list.js';
import { type AddViewInput, AddViewInputSchema, type HistoryPage } from '../../../../protocol/api/views.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { NotFoundError, UnauthorizedError } from '../../lib/errors.js';
import { offsetPage, pageOffset } from '../../lib/offset-cursor.js';
import type { ServiceContext } from '../context.js';
import { decideVideoAccess } from '../videos/access.js';
import { listableConditions, loadVideo } from '../videos/read.js';
import { toVideoDtos } from '../videos/serialize.js';

/**
 * A viewer watched a video: counted once per viewer (the user, else the client address) and window.
 * Reads the video to apply its privacy (a private video of someone else stays a 404) but writes
 * nothing to the database: the counter's flush does, in batches.
 */
export async function addView(
  ctx: ServiceContext,
  input: { videoId: string; viewer: Viewer | undefined; ip: string; body: AddViewInput },
): Promise<void> {
  const body = AddViewInputSchema.parse(input.body);
  const { video, channel } = await loadVideo(ctx, input.videoId);
  const access = decideVideoAccess({ privacy: video.privacy, ownerId: channel.ownerId }, input.viewer, {
    given: false,
  });
  // A password video's link holder may count a view: counting reveals nothing the link did not.
  if (access === 'not_found') throw new NotFoundError('Video');
  if (access === 'auth_required') throw new UnauthorizedError('Sign in to watch this video');
  const viewerKey = input.viewer ? `user:${input.viewer.userId}` : `ip:${input.ip}`;
  // On air, every report is also a heartbeat of the live's viewer count (held by the live hub).
  if (video.state === 'live') ctx.liveHub.markViewer(video.id, viewerKey);
  await ctx.views.record({
    videoId: video.id,
    viewerKey,
    userId: input.viewer?.userId,
    currentTime: body.currentTime,
  });
}

/** The user's history, last watched first, without videos they may no longer see. */
export async function listHistory(
  ctx: ServiceContext,
  viewer: Viewer,
  query: PageQuery,
): Promise<HistoryPage> {
  const offset = pageOffset(query);
  const where = and(eq(watchHistory.userId, viewer.userId), ...listableConditions(viewer));
  const from = () =>
    ctx.db
      .select({ video: videos, channel: channels, history: watchHistory })
      .from(watchHistory)
      .innerJoin(videos, eq(videos.id, watchHistory.videoId))
      .innerJoin(channels, eq(channels.id, videos.channelId));
  const [rows, [total], enabled] = await Promise.all([
    from().where(where).orderBy(desc(watchHistory.watchedAt)).limit(query.count).offset(offset),
    ctx.db
      .select({ n: count() })
      .from(watchHistory)
      .innerJoin(videos, eq(videos.id, watchHistory.videoId))
      .innerJoin(channels, eq(channels.id, videos.channelId))
      .where(where),
    isHistoryEnabled(ctx, viewer.userId),
  ]);
  const dtos = await toVideoDtos(ctx, rows);
  const data = dtos.map((dto, i) => {
    const history = (rows[i] as (typeof rows)[number]).history;
    return {
      ...dto,
      userHistory: { currentTime: history.currentTime },
      watchedAt: history.watchedAt.toISOString(),
    };
  });
  return { ...offsetPage(data, total?.n ?? 0, offset), videosHistoryEnabled: enabled };
}

/**
 * Forget what the user watched: everything, or before `beforeDate` (PeerTube's `remove`), or one
 * video. Reports still pending in the counter are flushed first, so they do not come back afterwards.
 */
export async function clearHistory(
  ctx: ServiceContext,
  viewer: Viewer,
  only: { beforeDate?: Date | undefined; videoId?: string | undefined } = {},
): Promise<void> {
  await ctx.views.flush();
  const conditions = [eq(watchHistory.userId, viewer.userId)];
  if (only.beforeDate) conditions.push(lte(watchHistory.watchedAt, only.beforeDate));
  if (only.videoId) conditions.push(eq(watchHistory.videoId, only.videoId));
  await ctx.db.delete(watchHistory).where(and(...conditions));
}

export async function isHistoryEnabled(ctx: ServiceContext, userId: string): Promise<boolean> {
  const [paused] = await ctx.db
    .select()
    .from(watchHistoryPauses)
    .where(eq(watchHistoryPauses.userId, userId));
  return !paused;
}

/** Pause (nothing more is recorded) or resume the user's history; pausing keeps what is there. */
export async function setHistoryEnabled(
  ctx: ServiceContext,
  viewer: Viewer,
  enabled: boolean,
): Promise<void> {
  if (enabled) {
    await ctx.db.delete(watchHistoryPauses).where(eq(watchHistoryPauses.userId, viewer.userId));
  } else {
    await ctx.db.insert(watchHistoryPauses).values({ userId: viewer.userId }).onConflictDoNothing();
  }
}
