import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { jobs } from '../../../../db/schema/index.js';
import type { VideoProcessing, VideoRetries } from '../../../../protocol/api/videos.js';
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

/**
 * Retries of videos' transcodes, by video id: the latest transcode job of each video, when it
 * failed at least once and has not succeeded since. `nextAttemptAt` is when a waiting job may run
 * again (the backoff); null while an attempt runs and once it gave up. Videos whose transcode
 * never failed are absent.
 */
export async function transcodeRetries(db: Executor, videoIds: string[]): Promise<Map<string, VideoRetries>> {
  if (videoIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([jobs.videoId], {
      videoId: jobs.videoId,
      state: jobs.state,
      attempts: jobs.attempts,
      maxAttempts: jobs.maxAttempts,
      runAfter: jobs.runAfter,
      failures: jobs.attemptFailures,
    })
    .from(jobs)
    .where(and(inArray(jobs.videoId, videoIds), eq(jobs.kind, JOB_KINDS.transcode)))
    .orderBy(jobs.videoId, desc(jobs.createdAt));
  const retries = new Map<string, VideoRetries>();
  for (const row of rows) {
    if (row.failures.length === 0 || !['pending', 'leased', 'failed'].includes(row.state)) continue;
    retries.set(row.videoId as string, {
      attempt: row.attempts,
      maxAttempts: row.maxAttempts,
      nextAttemptAt: row.state === 'pending' ? row.runAfter.toISOString() : null,
      failures: row.failures,
    });
  }
  return retries;
}
