import type { AcceptedJob } from '../../../../protocol/runner.js';
import type { ServiceContext } from '../context.js';
import { type JobRow, offerJobs, reapExpiredLeases } from './queue.js';

const POLL_INTERVAL_MS = 250;

/**
 * Long-poll: answer as soon as a job is available, or with an empty list after `waitSeconds`.
 * Polling the table keeps this correct across many origins without a broker.
 */
export async function waitForOffers(
  ctx: ServiceContext,
  waitSeconds: number,
  signal?: AbortSignal,
): Promise<Array<{ id: string; kind: string }>> {
  const deadline = Date.now() + waitSeconds * 1000;
  // Once per request, not per poll: leases that expire during the wait are caught by the next
  // request or the sweeper, and the poll loop stays a single cheap SELECT.
  await reapExpiredLeases(ctx);
  for (;;) {
    const offers = await offerJobs(ctx);
    if (offers.length > 0 || Date.now() >= deadline || signal?.aborted) return offers;
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_INTERVAL_MS, deadline - Date.now())));
  }
}

/** What a runner gets on accept: where to read the source and where to put the outputs. */
export function acceptedJobView(ctx: ServiceContext, job: JobRow): AcceptedJob {
  return {
    id: job.id,
    kind: job.kind,
    videoId: job.videoId,
    attempt: job.attempts,
    leaseSeconds: ctx.config.jobs.leaseSeconds,
    sourceUrl: `/api/v1/runners/jobs/${job.id}/source`,
    filesUrl: `/api/v1/runners/jobs/${job.id}/files/`,
  };
}
