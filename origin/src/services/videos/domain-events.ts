import { eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { videos } from '../../../../db/schema/index.js';
import { recordEvent } from '../outbox/record.js';

/**
 * Record `video.published` for outputs just written in `tx`. A job whose preview was already
 * published republishes (its renditions are replaced); a deleted video announces nothing.
 */
export async function recordVideoPublished(
  tx: Executor,
  job: { videoId: string; previewPublishedAt: Date | null },
  stage: 'preview' | 'final',
): Promise<void> {
  const [video] = await tx
    .select({
      channelId: videos.channelId,
      privacy: videos.privacy,
      state: videos.state,
      assets: videos.assets,
    })
    .from(videos)
    .where(eq(videos.id, job.videoId));
  if (!video || video.state === 'deleted') return;
  await recordEvent(tx, {
    type: 'video.published',
    payload: {
      videoId: job.videoId,
      channelId: video.channelId,
      privacy: video.privacy,
      stage,
      republished: job.previewPublishedAt !== null,
      assetVersion: video.assets?.version ?? 0,
    },
  });
}

/** Record `video.failed` for a video `tx` just moved to `failed`. */
export async function recordVideoFailed(tx: Executor, videoId: string, reason: string): Promise<void> {
  const [video] = await tx.select({ channelId: videos.channelId }).from(videos).where(eq(videos.id, videoId));
  if (!video) return;
  await recordEvent(tx, { type: 'video.failed', payload: { videoId, channelId: video.channelId, reason } });
}
