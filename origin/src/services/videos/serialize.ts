import { asc, inArray } from 'drizzle-orm';
import { type channels, renditions, type videos } from '../../../../db/schema/index.js';
import type { VideoDto } from '../../../../protocol/api/videos.js';
import { COMMENTS_POLICY_IDS } from '../../../../protocol/comment-enums.js';
import type { ServiceContext } from '../context.js';
import { ratingCounts } from '../reactions/counts.js';
import { backgroundProcessing, transcodeRetries } from './processing.js';

export type VideoRow = typeof videos.$inferSelect;
export type VideoWithChannel = { video: VideoRow; channel: typeof channels.$inferSelect };

/** Serialize videos, loading renditions and background work of the ready ones in one query each. */
export async function toVideoDtos(ctx: ServiceContext, rows: VideoWithChannel[]): Promise<VideoDto[]> {
  const readyIds = rows.filter((r) => r.video.state === 'ready').map((r) => r.video.id);
  const retryable = rows.filter((r) => r.video.state !== 'deleted').map((r) => r.video.id);
  const [ladder, processing, retries, counts] = await Promise.all([
    readyIds.length
      ? ctx.db
          .select()
          .from(renditions)
          .where(inArray(renditions.videoId, readyIds))
          .orderBy(asc(renditions.height), asc(renditions.bitrate))
      : [],
    backgroundProcessing(ctx.db, readyIds),
    transcodeRetries(ctx.db, retryable),
    ratingCounts(
      ctx.db,
      rows.map((r) => r.video.id),
    ),
  ]);
  return rows.map(({ video, channel }) => {
    const dto: VideoDto = {
      id: video.id,
      channel: { id: channel.id, handle: channel.handle, displayName: channel.displayName },
      title: video.title,
      description: video.description,
      privacy: video.privacy,
      commentsPolicy: { ...COMMENTS_POLICY_IDS[video.commentsPolicy] },
      state: video.state,
      progress: video.progress,
      durationSeconds: video.durationSeconds,
      likes: counts.get(video.id)?.likes ?? 0,
      dislikes: counts.get(video.id)?.dislikes ?? 0,
      tags: video.tags,
      views: video.views,
      createdAt: video.createdAt.toISOString(),
      updatedAt: video.updatedAt.toISOString(),
    };
    // The hub is this origin's memory: another origin answers without health (docs/adr/0012-live-hub.md).
    if (video.state === 'live') dto.live = ctx.liveHub.facts(video.id) ?? { viewers: 0, health: null };
    const retry = retries.get(video.id);
    if (retry) dto.retries = retry;
    if (video.state === 'failed') dto.error = video.error ?? 'Processing failed for an unknown reason';
    if (video.state === 'ready') {
      dto.renditions = ladder
        .filter((r) => r.videoId === video.id)
        .map((r) => ({
          width: r.width,
          height: r.height,
          bitrate: r.bitrate,
          ...(r.codecs ? { codecs: r.codecs } : {}),
        }));
      const background = processing.get(video.id);
      if (background) dto.processing = background;
    }
    return dto;
  });
}

export async function toVideoDto(ctx: ServiceContext, row: VideoWithChannel): Promise<VideoDto> {
  const [dto] = await toVideoDtos(ctx, [row]);
  return dto as VideoDto;
}
