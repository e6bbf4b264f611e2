import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { jobs, runners } from '../../../../db/schema/index.js';
import { type FailInput, FailInputSchema } from '../../../../protocol/runner.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { transitionVideo } from '../videos/lifecycle.js';
import { settleFailure } from './queue.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest();

function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/** Exchange the shared registration token for a runner identity and a runner token. */
export async function registerRunner(
  ctx: ServiceContext,
  input: { registrationToken: string; name: string },
): Promise<{ runnerId: string; runnerToken: string }> {
  if (!sameSecret(input.registrationToken, ctx.config.runnerRegistrationToken)) {
    throw new ForbiddenError('The registration token is wrong');
  }
  const secret = randomBytes(32).toString('base64url');
  const [runner] = await ctx.db
    .insert(runners)
    .values({ name: input.name, tokenHash: sha256(secret).toString('base64url') })
    .returning({ id: runners.id });
  const runnerId = runner?.id as string;
  return { runnerId, runnerToken: `${runnerId}.${secret}` };
}

/** The runner a `<id>.<secret>` token belongs to. */
export async function authenticateRunner(ctx: ServiceContext, token: string): Promise<{ runnerId: string }> {
  const match = /^([0-9a-f-]{36})\.([\w-]{43})$/.exec(token);
  if (!match) throw new UnauthorizedError('The runner token is not valid');
  const [runner] = await ctx.db
    .select()
    .from(runners)
    .where(eq(runners.id, match[1] as string));
  if (!runner || !timingSafeEqual(sha256(match[2] as string), Buffer.from(runner.tokenHash, 'base64url'))) {
    throw new UnauthorizedError('The runner token is not valid');
  }
  if (Date.now() - runner.lastSeenAt.getTime() > 30_000) {
    await ctx.db.update(runners).set({ lastSeenAt: new Date() }).where(eq(runners.id, runner.id));
  }
  return { runnerId: runner.id };
}

/**
 * A runner reports that it cannot finish. Retryable failures go back on the queue with backoff
 * until attempts run out; others (the file is not media) fail the video at once with the reason.
 */
export async function failJob(
  ctx: ServiceContext,
  input: { jobId: string; runnerId: string; failure: FailInput },
): Promise<'retrying' | 'failed' | 'duplicate'> {
  const failure = FailInputSchema.parse(input.failure);
  return ctx.db.transaction(async (tx) => {
    const [job] = await tx.select().from(jobs).where(eq(jobs.id, input.jobId)).for('update');
    if (!job) throw new NotFoundError('Job');
    if (job.state === 'failed' || job.state === 'succeeded' || job.state === 'cancelled') return 'duplicate';
    if (job.state !== 'leased' || job.runnerId !== input.runnerId) {
      throw new ConflictError('This runner no longer holds the job');
    }
    return settleFailure(ctx, tx, job, failure);
  });
}

/** Hand a job back untouched (the runner is shutting down); the attempt does not count. */
export async function releaseJob(
  ctx: ServiceContext,
  input: { jobId: string; runnerId: string },
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [job] = await tx.select().from(jobs).where(eq(jobs.id, input.jobId)).for('update');
    if (job?.state !== 'leased' || job.runnerId !== input.runnerId) return;
    await tx
      .update(jobs)
      .set({
        state: 'pending',
        runnerId: null,
        leaseExpiresAt: null,
        attempts: Math.max(0, job.attempts - 1),
        runAfter: new Date(),
      })
      .where(eq(jobs.id, job.id));
    if (!job.previewPublishedAt) await transitionVideo(tx, job.videoId, 'queued');
  });
}
