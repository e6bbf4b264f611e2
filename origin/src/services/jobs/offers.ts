import {
  type AcceptedJob,
  type AcceptedJobOf,
  JOB_PAYLOADS,
  type JobKind,
  type JobOffer,
} from '../../../../protocol/runner.js';
import type { ServiceContext } from '../context.js';
import { liveResumePoint } from '../live/resume.js';
import { type JobRow, offerJobs, reapExpiredLeases, videoOf } from './queue.js';

/** Longest a long-poll sleeps between looks at the table; a reap on this origin wakes it sooner. */
const POLL_INTERVAL_MS = 250;

/**
 * Long-poll: answer as soon as a job of one of `kinds` is available, or with an empty list after
 * `waitSeconds`. Polling the table keeps this correct across many origins without a broker; the
 * lease watch wakes waiters of this origin as soon as it puts a job back.
 */
export async function waitForOffers(
  ctx: ServiceContext,
  kinds: readonly JobKind[],
  waitSeconds: number,
  signal?: AbortSignal,
): Promise<JobOffer[]> {
  const deadline = Date.now() + waitSeconds * 1000;
  // Once per request, for origins that run no lease watch; the watch reaps at each expiry.
  await reapExpiredLeases(ctx);
  for (;;) {
    const offers = await offerJobs(ctx, kinds);
    if (offers.length > 0 || Date.now() >= deadline || signal?.aborted) return offers;
    await ctx.jobSignals.nextAvailable(Math.min(POLL_INTERVAL_MS, deadline - Date.now()), signal);
  }
}

const jobUrl = (job: JobRow) => `/api/v1/runners/jobs/${job.id}`;

/**
 * The accepted-job message of each kind (a table of builders, one per kind): where to read inputs
 * and where to put outputs, plus the kind's payload.
 */
const ACCEPTED_VIEWS: {
  [K in JobKind]: (job: JobRow) => Omit<AcceptedJobOf<K>, 'id' | 'attempt' | 'leaseSeconds'>;
} = {
  transcode: (job) => ({
    kind: 'transcode',
    videoId: videoOf(job),
    sourceUrl: `${jobUrl(job)}/source`,
    filesUrl: `${jobUrl(job)}/files/`,
  }),
  live: (job) => ({
    kind: 'live',
    videoId: videoOf(job),
    filesUrl: `${jobUrl(job)}/files/`,
    ...JOB_PAYLOADS.live.parse(job.payload),
  }),
  recording: (job) => ({ kind: 'recording', videoId: videoOf(job), filesUrl: `${jobUrl(job)}/files/` }),
  cleanup: (job) => ({ kind: 'cleanup', videoId: videoOf(job) }),
  deliver: (job) => ({ kind: 'deliver', ...JOB_PAYLOADS.deliver.parse(job.payload) }),
};

/**
 * What a runner gets on accept. Only jobs of known kinds are ever leased (see `acceptJob`). A
 * `live` job also gets where to continue the stream when an earlier attempt published any of it.
 */
export async function acceptedJobView(ctx: ServiceContext, job: JobRow): Promise<AcceptedJob> {
  const kind = job.kind as JobKind;
  const resume = kind === 'live' ? await liveResumePoint(ctx, videoOf(job)) : undefined;
  return {
    id: job.id,
    attempt: job.attempts,
    leaseSeconds: ctx.config.jobs.leaseSeconds[kind],
    ...ACCEPTED_VIEWS[kind](job),
    ...resume,
  } as AcceptedJob;
}
