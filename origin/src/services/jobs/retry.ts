import { and, desc, eq } from 'drizzle-orm';
import { jobs, videos } from '../../../../db/schema/index.js';
import { JOB_KINDS, JOB_STATES } from '../../../../protocol/runner.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { transitionVideo } from '../videos/lifecycle.js';

export interface RetriedJob {
  videoId: string;
  jobId: string;
  state: 'pending';
}

/**
 * An admin retries a video's failed transcode (after an operator freed the disk, fixed storage
 * permissions or credentials): the job goes back on the queue with a fresh attempt budget and is
 * offered at once. A failed video goes back to `queued`; one playable from its fast-first-play
 * rendition stays ready while its ladder is redone.
 */
export async function retryVideoProcessing(
  ctx: ServiceContext,
  input: { actor: Viewer; videoId: string },
): Promise<RetriedJob> {
  if (input.actor.role !== 'admin') throw new ForbiddenError('Only an admin can retry processing');
  const retried = await ctx.db.transaction(async (tx) => {
    const [video] = await tx
      .select({ id: videos.id, state: videos.state })
      .from(videos)
      .where(eq(videos.id, input.videoId));
    if (!video || video.state === 'deleted') throw new NotFoundError('No such video');
    const [job] = await tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.videoId, video.id), eq(jobs.kind, JOB_KINDS.transcode)))
      .orderBy(desc(jobs.createdAt))
      .limit(1)
      .for('update');
    if (!job || job.state !== JOB_STATES.failed)
      throw new ConflictError('This video has no failed processing to retry');
    await tx
      .update(jobs)
      .set({
        state: JOB_STATES.pending,
        attempts: 0,
        runAfter: new Date(),
        runnerId: null,
        leaseExpiresAt: null,
        finishedAt: null,
        error: `Retried by an admin after: ${job.error ?? 'a failure'}`.slice(0, 500),
      })
      .where(eq(jobs.id, job.id));
    if (video.state === 'failed') await transitionVideo(tx, video.id, 'queued');
    return { videoId: video.id, jobId: job.id, state: 'pending' as const };
  });
  ctx.jobSignals.available();
  return retried;
}
