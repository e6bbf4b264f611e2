import { randomUUID } from 'node:crypto';
import { JOB_KINDS } from '../../../../protocol/runner.js';
import type { Logger } from '../../lib/logger.js';
import type { ServiceContext } from '../context.js';
import { acceptJob, heartbeat, type JobRow, offerJobs, succeedJob, videoOf } from '../jobs/queue.js';
import { failJob } from '../jobs/runners.js';
import { removeVideoFiles } from './queue.js';

export interface CleanupWorker {
  /** Stop claiming jobs and wait for the one in progress, so the database can close after it. */
  stop(): Promise<void>;
}

/**
 * Runs `cleanup` jobs inside the origin, which holds the storage: a runner like any other, through
 * the same queue calls (offer -> accept under the kind's lease -> heartbeat -> succeed | fail), so
 * leases, retries with backoff and several origins racing for one job behave as for transcoders.
 * It wakes when this origin queues a job (`jobSignals.available`) and polls every `pollMs` for
 * retries coming due and jobs queued by other origins.
 */
export function startCleanupWorker(
  ctx: ServiceContext,
  options: { logger: Logger; pollMs?: number },
): CleanupWorker {
  const { logger } = options;
  const pollMs = options.pollMs ?? 5000;
  const runnerId = `origin-cleanup:${randomUUID()}`;
  const stopping = new AbortController();

  async function run(job: JobRow): Promise<void> {
    const videoId = videoOf(job);
    const leaseMs = ctx.config.jobs.leaseSeconds.cleanup * 1000;
    const beat = setInterval(
      () => {
        heartbeat(ctx, job.id, runnerId, 0).catch((error: unknown) =>
          logger.warn({ err: error, jobId: job.id }, 'cleanup heartbeat failed'),
        );
      },
      Math.max(250, leaseMs / 3),
    );
    try {
      const removed = await removeVideoFiles(ctx.storage, videoId);
      if (await succeedJob(ctx, job.id, runnerId)) logger.info({ videoId, removed }, 'video files removed');
    } catch (error) {
      const reason = `Could not remove the files: ${error instanceof Error ? error.message : String(error)}`;
      logger.warn({ videoId, attempt: job.attempts, err: error }, 'cleanup failed; will retry');
      await failJob(ctx, {
        jobId: job.id,
        runnerId,
        failure: { reason: reason.slice(0, 500), retryable: true },
      });
    } finally {
      clearInterval(beat);
    }
  }

  async function loop(): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        let ran = false;
        for (const offer of await offerJobs(ctx, [JOB_KINDS.cleanup])) {
          if (stopping.signal.aborted) break;
          const job = await acceptJob(ctx, offer.id, runnerId);
          if (job) {
            await run(job);
            ran = true;
          }
        }
        if (!ran) await ctx.jobSignals.nextAvailable(pollMs, stopping.signal);
      } catch (error) {
        if (stopping.signal.aborted) return;
        logger.error({ err: error }, 'cleanup worker failed; trying again shortly');
        await ctx.jobSignals.nextAvailable(pollMs, stopping.signal);
      }
    }
  }

  const running = loop();
  return {
    async stop() {
      stopping.abort();
      await running;
    },
  };
}
