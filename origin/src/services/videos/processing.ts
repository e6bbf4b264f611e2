import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { jobs } from '../../../../db/schema/index.js';
import type { VideoProcessing } from '../../../../protocol/api/videos.js';
import { JOB_KINDS } from '../../../../protocol/runner.js';

/**
 * Background work of ready videos, by video id: a transcode job still waiting or running after it
 * published its fast-first-play rendition is encoding the ladder. Its progress comes from the
 * runner's heartbeats. One that gave up shows as `failed` with its reason, so the owner sees it
 * (the video itself stays ready). Videos with nothing in the background are absent from the map.
 */
export async function backgroundProcessing(
  db: Executor,
  videoIds: string[],
): Promise<Map<string, VideoProcessing>> {
  if (videoIds.length === 0) return new Map();
  const running = await db
    .select({ videoId: jobs.videoId, progress: jobs.progress, state: jobs.state, error: jobs.error })
    .from(jobs)
    .where(
      and(
        inArray(jobs.videoId, videoIds),
        inArray(jobs.state, ['pending', 'leased', 'failed']),
        eq(jobs.kind, JOB_KINDS.transcode),
        isNotNull(jobs.previewPublishedAt),
      ),
    );
  const background = new Map<string, VideoProcessing>();
  // A running ladder (a retry) wins over an older failed one.
  for (const job of running.sort((a, b) => Number(a.state !== 'failed') - Number(b.state !== 'failed'))) {
    const progress = Math.max(0, Math.min(100, job.progress));
    background.set(
      job.videoId as string, // inArray(videoIds) above: never null
      job.state === 'failed'
        ? { stage: 'failed', progress, error: job.error ?? 'The full ladder could not be encoded' }
        : { stage: 'ladder', progress },
    );
  }
  return background;
}
