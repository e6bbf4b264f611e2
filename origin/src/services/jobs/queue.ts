import { and, asc, eq, inArray, lt, lte, min, ne, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { jobs, videos } from '../../../../db/schema/index.js';
import {
  JOB_KINDS,
  JOB_PAYLOADS,
  JOB_STATES,
  type JobKind,
  JobKindSchema,
  type JobOffer,
  type JobPayload,
} from '../../../../protocol/runner.js';
import { ConflictError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { recordVideoFailed } from '../videos/domain-events.js';
import { setVideoProgress, transitionVideo } from '../videos/lifecycle.js';
import { removePartialOutputs } from './partial-outputs.js';

export type JobRow = typeof jobs.$inferSelect;

/** Every kind the protocol knows; rows of any other kind are never offered or leased. */
const KNOWN_KINDS = Object.values(JOB_KINDS);

/** How many attempts' reasons a job keeps (the latest): a retry schedule has about six. */
const KEPT_ATTEMPT_FAILURES = 20;

/** Only transcode jobs move their video through queued -> transcoding -> ready | failed. */
const drivesVideoState = (kind: string) => kind === JOB_KINDS.transcode;

/**
 * The video a job works on. Every kind but `deliver` has one; asking for the video of a job that has
 * none is a conflict (a runner calling a video route with a delivery job), never a crash.
 */
export function videoOf(job: Pick<JobRow, 'videoId' | 'kind'>): string {
  if (!job.videoId) throw new ConflictError(`A ${job.kind} job is not about a video`);
  return job.videoId;
}

/**
 * A job may run unless it works on a deleted video: only the `cleanup` of a deleted video does.
 * Deleting cancels such jobs, so this is the backstop for a row that slipped past (a job queued by a
 * transaction racing the delete): it is never offered nor leased.
 */
const notOfDeletedVideo = sql`(${jobs.kind} = ${JOB_KINDS.cleanup} or not exists (select 1 from ${videos} where ${videos.id} = ${jobs.videoId} and ${videos.state} = 'deleted'))`;

/** When a lease of this kind taken now runs out. */
export function leaseExpiry(ctx: ServiceContext, kind: JobKind): Date {
  return new Date(Date.now() + ctx.config.jobs.leaseSeconds[kind] * 1000);
}

/**
 * Queue a job, in the caller's transaction. The kind and its payload are checked against the
 * protocol first: an unknown kind or a malformed payload throws and nothing is queued.
 */
export async function enqueueJob<K extends JobKind>(
  tx: Executor,
  input: { kind: K; videoId: string | null; payload: JobPayload<K>; maxAttempts: number },
): Promise<JobRow> {
  const kind = JobKindSchema.parse(input.kind);
  const payload = JOB_PAYLOADS[kind].parse(input.payload);
  const [job] = await tx
    .insert(jobs)
    .values({ videoId: input.videoId, kind, payload, maxAttempts: input.maxAttempts })
    .returning();
  return job as JobRow;
}

/** Queue a transcode of the video's source. Call inside the transaction that queues the video. */
export async function enqueueTranscode(tx: Executor, videoId: string, maxAttempts: number): Promise<JobRow> {
  return enqueueJob(tx, { kind: JOB_KINDS.transcode, videoId, payload: {}, maxAttempts });
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
    .set({ state: JOB_STATES.pending, runnerId: null, leaseExpiresAt: null, ...changes })
    .where(eq(jobs.id, job.id));
  if (drivesVideoState(job.kind) && !job.previewPublishedAt)
    await transitionVideo(tx, videoOf(job), 'queued');
}

/**
 * Give a job back or give up on it after a failure or an expired lease, in the caller's
 * transaction. Retries are capped; the last failure fails the video with `reason`. `backoff: false`
 * offers the job again at once (its runner vanished: another one should take over now).
 */
export async function settleFailure(
  ctx: ServiceContext,
  tx: Executor,
  job: JobRow,
  failure: { reason: string; retryable: boolean; backoff?: boolean },
): Promise<'retrying' | 'failed'> {
  if (drivesVideoState(job.kind)) await removeOutputsOfFailedAttempt(ctx, videoOf(job));
  const now = new Date();
  const attemptFailure = { attempt: job.attempts, reason: failure.reason, at: now.toISOString() };
  await tx
    .update(jobs)
    .set({ attemptFailures: [...job.attemptFailures, attemptFailure].slice(-KEPT_ATTEMPT_FAILURES) })
    .where(eq(jobs.id, job.id));
  if (failure.retryable && job.attempts < job.maxAttempts) {
    const delay =
      failure.backoff === false ? 0 : retryDelaySeconds(job.attempts, ctx.config.jobs.retryBaseSeconds);
    await requeueJob(tx, job, { error: failure.reason, runAfter: new Date(now.getTime() + delay * 1000) });
    return 'retrying';
  }
  await tx
    .update(jobs)
    .set({ state: JOB_STATES.failed, leaseExpiresAt: null, error: failure.reason, finishedAt: now })
    .where(eq(jobs.id, job.id));
  if (!drivesVideoState(job.kind)) return 'failed';
  // A video already playable from its preview stays ready (ready -> failed is not a transition);
  // its ladder shows as failed (processing.stage) and the owner is told all the same.
  if (await transitionVideo(tx, videoOf(job), 'failed', { error: failure.reason }))
    await recordVideoFailed(tx, videoOf(job), failure.reason);
  else if (job.previewPublishedAt)
    await recordVideoFailed(tx, videoOf(job), `The full ladder could not be encoded: ${failure.reason}`);
  return 'failed';
}

/**
 * Partial outputs go before the job is given back, while its row is locked, so that the next
 * attempt's uploads are never among them. Storage that refuses deletes (read-only, the very fault
 * the attempt died of) keeps them: the next attempt writes the same names, and deleting the video
 * removes its whole prefix.
 */
async function removeOutputsOfFailedAttempt(ctx: ServiceContext, videoId: string): Promise<void> {
  try {
    await removePartialOutputs(ctx.storage, videoId);
  } catch {
    // See above: the attempt's own reason is what the owner needs to read, not this one.
  }
}

/**
 * Why a job whose runner vanished is back on the queue, or failed: it says which it is, since the
 * owner reads it while the job retries (it once said "giving up" on every requeue).
 */
export function lostRunnerReason(job: Pick<JobRow, 'kind' | 'attempts' | 'maxAttempts'>): string {
  const who = drivesVideoState(job.kind) ? 'The transcoder' : `The runner of this ${job.kind} job`;
  const lost = `${who} stopped responding during attempt ${job.attempts} of ${job.maxAttempts}`;
  return job.attempts < job.maxAttempts ? `${lost}; another one is taking over` : `${lost}; giving up`;
}

/**
 * Put jobs whose runner stopped heartbeating back on the queue (or fail them once out of
 * attempts), offered again without backoff. Cheap, idempotent and safe with many origins at once
 * (`SKIP LOCKED`); run by the lease watch at each earliest expiry and once per job request.
 */
export async function reapExpiredLeases(ctx: ServiceContext): Promise<number> {
  let reaped = 0;
  for (;;) {
    const settled = await ctx.db.transaction(async (tx) => {
      const [job] = await tx
        .select()
        .from(jobs)
        .where(and(eq(jobs.state, JOB_STATES.leased), lt(jobs.leaseExpiresAt, new Date())))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!job) return false;
      const reason = lostRunnerReason(job);
      await settleFailure(ctx, tx, job, {
        reason,
        retryable: true,
        backoff: false,
      });
      return true;
    });
    if (!settled) return reaped;
    reaped++;
  }
}

/** When the earliest lease of any origin runs out, or undefined when no job is leased. */
export async function earliestLeaseExpiry(ctx: ServiceContext): Promise<Date | undefined> {
  const [row] = await ctx.db
    .select({ at: min(jobs.leaseExpiresAt) })
    .from(jobs)
    .where(eq(jobs.state, JOB_STATES.leased));
  return row?.at ?? undefined;
}

/** Jobs of the given kinds a runner could accept now, oldest first. Unknown kinds are never offered. */
export async function offerJobs(
  ctx: ServiceContext,
  kinds: readonly JobKind[],
  limit = 5,
): Promise<JobOffer[]> {
  const wanted = KNOWN_KINDS.filter((kind) => kinds.includes(kind));
  if (wanted.length === 0) return [];
  const rows = await ctx.db
    .select({ id: jobs.id, kind: jobs.kind })
    .from(jobs)
    .where(
      and(
        eq(jobs.state, JOB_STATES.pending),
        lte(jobs.runAfter, new Date()),
        inArray(jobs.kind, wanted),
        notOfDeletedVideo,
      ),
    )
    .orderBy(asc(jobs.runAfter), asc(jobs.createdAt))
    .limit(limit);
  return rows as JobOffer[];
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
  return claimJob(ctx, eq(jobs.id, jobId), runnerId);
}

/**
 * Lease the oldest due job matching `which` (one more attempt, a lease of its kind's length), or
 * undefined. `runnerId` null is a job the origin runs itself (`recording`): no runner can
 * heartbeat or finish it, and the lease watch takes it back if that origin dies.
 */
export async function claimJob(
  ctx: ServiceContext,
  which: SQL | undefined,
  runnerId: string | null,
): Promise<JobRow | undefined> {
  const job = await ctx.db.transaction(async (tx) => {
    const [job] = await tx
      .select()
      .from(jobs)
      .where(
        and(
          which,
          eq(jobs.state, JOB_STATES.pending),
          lte(jobs.runAfter, new Date()),
          inArray(jobs.kind, KNOWN_KINDS),
          notOfDeletedVideo,
        ),
      )
      .orderBy(asc(jobs.createdAt))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!job) return undefined;
    const [leased] = await tx
      .update(jobs)
      .set({
        state: JOB_STATES.leased,
        runnerId,
        attempts: sql`${jobs.attempts} + 1`,
        leaseExpiresAt: leaseExpiry(ctx, job.kind as JobKind),
        progress: 0,
      })
      .where(eq(jobs.id, job.id))
      .returning();
    if (drivesVideoState(job.kind)) await transitionVideo(tx, videoOf(job), 'transcoding', { progress: 0 });
    return leased;
  });
  if (job?.leaseExpiresAt) ctx.jobSignals.leased(job.leaseExpiresAt);
  return job;
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
    .where(and(eq(jobs.id, jobId), eq(jobs.runnerId, runnerId), eq(jobs.state, JOB_STATES.leased)));
  return job;
}

/**
 * Extend the lease by its kind's length and record progress. False when the lease is gone: the
 * runner must stop. The update re-checks the holder, so a lease lost in between is not revived.
 */
export async function heartbeat(
  ctx: ServiceContext,
  jobId: string,
  runnerId: string,
  progress: number,
): Promise<boolean> {
  const held = await findLeasedJob(ctx, jobId, runnerId);
  if (!held) return false;
  const leaseExpiresAt = leaseExpiry(ctx, held.kind as JobKind);
  const rows = await ctx.db
    .update(jobs)
    .set({ progress: Math.round(progress), leaseExpiresAt })
    .where(and(eq(jobs.id, jobId), eq(jobs.runnerId, runnerId), eq(jobs.state, JOB_STATES.leased)))
    .returning({ videoId: jobs.videoId, kind: jobs.kind });
  const row = rows[0];
  if (!row) return false;
  ctx.jobSignals.leased(leaseExpiresAt);
  if (drivesVideoState(row.kind)) await setVideoProgress(ctx.db, videoOf(row), progress);
  return true;
}

/**
 * Cancel the jobs of these videos that are still waiting or running, in the caller's transaction
 * (deleting a video). A runner holding one learns it at its next heartbeat (the lease is gone) and
 * its `complete`, `preview` and file uploads are refused. `cleanup` jobs are spared: they are what
 * a deletion queues. Returns how many were cancelled.
 */
export async function cancelJobsOf(tx: Executor, videoIds: string[]): Promise<number> {
  if (videoIds.length === 0) return 0;
  const cancelled = await tx
    .update(jobs)
    .set({ state: JOB_STATES.cancelled, leaseExpiresAt: null, finishedAt: new Date() })
    .where(
      and(
        inArray(jobs.videoId, videoIds),
        inArray(jobs.state, [JOB_STATES.pending, JOB_STATES.leased]),
        ne(jobs.kind, JOB_KINDS.cleanup),
      ),
    )
    .returning({ id: jobs.id });
  return cancelled.length;
}

/**
 * Finish a job that publishes nothing (a `cleanup`): true when `runnerId` held its lease and it is
 * now `succeeded`, false when the lease was lost meanwhile (the work will be redone, so it must be
 * idempotent).
 */
export async function succeedJob(ctx: ServiceContext, jobId: string, runnerId: string): Promise<boolean> {
  const rows = await ctx.db
    .update(jobs)
    .set({
      state: JOB_STATES.succeeded,
      progress: 100,
      leaseExpiresAt: null,
      finishedAt: new Date(),
      error: null,
    })
    .where(and(eq(jobs.id, jobId), eq(jobs.runnerId, runnerId), eq(jobs.state, JOB_STATES.leased)))
    .returning({ id: jobs.id });
  return rows.length > 0;
}
