import { eq } from 'drizzle-orm';
import { jobs, runners } from '../../../../db/schema/index.js';
import { type FailInput, FailInputSchema } from '../../../../protocol/runner.js';
import {
  hashSecret,
  newSecret,
  parseOpaqueToken,
  sameSecret,
  secretMatches,
} from '../../auth/opaque-tokens.js';
import { ForbiddenError, LeaseGoneError, NotFoundError, UnauthorizedError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { requeueJob, settleFailure } from './queue.js';

/** Exchange the shared registration token for a runner identity and a runner token. */
export async function registerRunner(
  ctx: ServiceContext,
  input: { registrationToken: string; name: string },
): Promise<{ runnerId: string; runnerToken: string }> {
  if (!sameSecret(input.registrationToken, ctx.config.runnerRegistrationToken)) {
    throw new ForbiddenError('The registration token is wrong');
  }
  const secret = newSecret();
  const [runner] = await ctx.db
    .insert(runners)
    .values({ name: input.name, tokenHash: hashSecret(secret) })
    .returning({ id: runners.id });
  const runnerId = runner?.id as string;
  return { runnerId, runnerToken: `${runnerId}.${secret}` };
}

/** The runner a `<id>.<secret>` token belongs to. */
export async function authenticateRunner(ctx: ServiceContext, token: string): Promise<{ runnerId: string }> {
  const parsed = parseOpaqueToken(token);
  if (!parsed) throw new UnauthorizedError('The runner token is not valid');
  const [runner] = await ctx.db.select().from(runners).where(eq(runners.id, parsed.id));
  if (!runner || !secretMatches(parsed.secret, runner.tokenHash)) {
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
      throw new LeaseGoneError('This runner no longer holds the job');
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
    await requeueJob(tx, job, { runAfter: new Date(), attempts: Math.max(0, job.attempts - 1) });
  });
}
