import { and, inArray, isNotNull } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { jobs } from '../../../../db/schema/index.js';
import type { VideoProcessing } from '../../../../protocol/api/videos.js';

/**
 * Background work of ready videos, by video id: a transcode job still waiting or running after it
 * published its fast-first-play rendition is encoding the ladder. Its progress comes from the
 * runner's heartbeats. Videos with nothing in the background are absent from the map.
 */
export async function backgroundProcessing(
  db: Executor,
  videoIds: string[],
): Promise<Map<string, VideoProcessing>> {
  if (videoIds.length === 0) return new Map();
  const running = await db
    .select({ videoId: jobs.videoId, progress: jobs.progress })
    .from(jobs)
    .where(
      and(
        inArray(jobs.videoId, videoIds),
        inArray(jobs.state, ['pending', 'leased']),
        isNotNull(jobs.previewPublishedAt),
      ),
    );
  return new Map(
    running.map((job) => [
      job.videoId as string, // inArray(videoIds) above: never null
      { stage: 'ladder', progress: Math.max(0, Math.min(100, job.progress)) } as const,
    ]),
  );
}
