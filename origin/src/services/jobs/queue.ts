import { and, asc, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { jobs } from '../../../../db/schema/index.js';
import { JOB_KINDS } from '../../../../protocol/runner.js';
import type { ServiceContext } from '../context.js';
import { setVideoProgress, transitionVideo } from '../videos/lifecycle.js';

export type JobRow = typeof jobs.$inferSelect;

/** Queue a transcode of the video's source. Call inside the transaction that queues the video. */
export async function enqueueTranscode(tx: Executor, videoId: string, maxAttempts: number): Promise<JobRow> {
  const [job] = await tx.insert(jobs).values({ videoId, kind: JOB_KINDS.transcode, maxAttempts }).returning();
  return job as JobRow;
}

/** Seconds to wait before retry number `attempt` (1-based): base * 2^(attempt-1), at most 10 min. */
export function retryDelaySeconds(attempt: number, baseSeconds: number): number {
  return Math.min(600, baseSeconds * 2 ** Math.max(0, attempt - 1));
}

/**
 * Put a leased job back on the queue, in the caller's transaction. A video already playable from
 * its fast-first-play rendition stays ready while the job waits; any other goes back to `queued`.
 */
export async function requeueJob(
  tx: Executor,
  job: JobRow,
  changes: { runAfter: Date; error?: string; attempts?: number },
): Promise<void> {
  await tx
    .update(jobs)
    .set({ state: 'pending', runnerId: null, leaseExpiresAt: null, ...changes })
    .where(eq(jobs.id, job.id));
  if (!job.previewPublishedAt) await transitionVideo(tx, job.videoId, 'queued');
}

/**
 * Give a job back or give up on it after a failure or an expired lease, in the caller's
 * transaction. Retries are capped; the last failure fails the video with `reason`.
 */
export async function settleFailure(
  ctx: ServiceContext,
  tx: Executor,
  job: JobRow,
  failure: { reason: string; retryable: boolean },
): Promise<'retrying' | 'failed'> {
  const now = new Date();
  if (failure.retryable && job.attempts < job.maxAttempts) {
    const delay = retryDelaySeconds(job.attempts, ctx.config.jobs.retryBaseSeconds);
    await requeueJob(tx, job, { error: failure.reason, runAfter: new Date(now.getTime() + delay * 1000) });
    return 'retrying';
  }
  await tx
    .update(jobs)
    .set({ state: 'failed', leaseExpiresAt: null, error: failure.reason, finishedAt: now })
    .where(eq(jobs.id, job.id));
  // A video already playable from its preview stays ready (ready -> failed is not a transition).
  await transitionVideo(tx, job.videoId, 'failed', { error: failure.reason });
  return 'failed';
}

/**
 * Put jobs whose runner stopped heartbeating back on the queue (or fail them once out of
 * attempts). Cheap and idempotent; called once per job request and by the sweeper's timer.
 */
export async function reapExpiredLeases(ctx: ServiceContext): Promise<number> {
  let reaped = 0;
  for (;;) {
    const settled = await ctx.db.transaction(async (tx) => {
      const [job] = await tx
        .select()
        .from(jobs)
        .where(and(eq(jobs.state, 'leased'), lt(jobs.leaseExpiresAt, new Date())))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!job) return false;
      await settleFailure(ctx, tx, job, {
        reason: `The transcoder stopped responding ${job.attempts} time(s); giving up on this video`,
        retryable: true,
      });
      return true;
    });
    if (!settled) return reaped;
    reaped++;
  }
}

/** Jobs a runner could accept now, oldest first. */
export async function offerJobs(
  ctx: ServiceContext,
  limit = 5,
): Promise<Array<{ id: string; kind: string }>> {
  return ctx.db
    .select({ id: jobs.id, kind: jobs.kind })
    .from(jobs)
    .where(and(eq(jobs.state, 'pending'), lte(jobs.runAfter, new Date())))
    .orderBy(asc(jobs.runAfter), asc(jobs.createdAt))
    .limit(limit);
}

/**
 * Claim a job under a lease. `SKIP LOCKED` lets many runners race for the same offer without
 * blocking: exactly one wins, the others get undefined and ask again.
 */
export async function acceptJob(
  ctx: ServiceContext,
  jobId: string,
  runnerId: string,
): Promise<JobRow | undefined> {
  return ctx.db.transaction(async (tx) => {
    const [job] = await tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.id, jobId), eq(jobs.state, 'pending'), lte(jobs.runAfter, new Date())))
      .for('update', { skipLocked: true });
    if (!job) return undefined;
    const [leased] = await tx
      .update(jobs)
      .set({
        state: 'leased',
        runnerId,
        attempts: sql`${jobs.attempts} + 1`,
        leaseExpiresAt: new Date(Date.now() + ctx.config.jobs.leaseSeconds * 1000),
        progress: 0,
      })
      .where(eq(jobs.id, job.id))
      .returning();
    await transitionVideo(tx, job.videoId, 'transcoding', { progress: 0 });
    return leased;
  });
}

/** The job if `runnerId` holds its lease right now; otherwise undefined. */
export async function findLeasedJob(
  ctx: ServiceContext,
  jobId: string,
  runnerId: string,
): Promise<JobRow | undefined> {
  const [job] = await ctx.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.runnerId, runnerId), eq(jobs.state, 'leased')));
  return job;
}

/** Extend the lease and record progress. False when the lease is gone: the runner must stop. */
export async function heartbeat(
  ctx: ServiceContext,
  jobId: string,
  runnerId: string,
  progress: number,
): Promise<boolean> {
  const rows = await ctx.db
    .update(jobs)
    .set({
      progress: Math.round(progress),
      leaseExpiresAt: new Date(Date.now() + ctx.config.jobs.leaseSeconds * 1000),
    })
    .where(and(eq(jobs.id, jobId), eq(jobs.runnerId, runnerId), eq(jobs.state, 'leased')))
    .returning({ videoId: jobs.videoId });
  const row = rows[0];
  if (!row) return false;
  await setVideoProgress(ctx.db, row.videoId, progress);
  return true;
}

/** Jobs of these videos that are still waiting or running; used to cancel on delete. */
export async function cancelJobsOf(tx: Executor, videoIds: string[]): Promise<void> {
  if (videoIds.length === 0) return;
  await tx
    .update(jobs)
    .set({ state: 'cancelled', leaseExpiresAt: null, finishedAt: new Date() })
    .where(and(inArray(jobs.videoId, videoIds), inArray(jobs.state, ['pending', 'leased'])));
}
