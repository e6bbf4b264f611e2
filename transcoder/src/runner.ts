import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { AcceptedJobEnvelope } from '../../protocol/runner.js';
import { dispatch, handledKinds, JOB_HANDLERS, type JobHandlers, JobRejectedError } from './jobs/index.js';
import type { VideoEncoder } from './media/encoders.js';
import { LeaseLostError, type OriginClient, OriginError } from './origin-client.js';
import { reclaimScratch, scratchPrefix } from './scratch.js';

/** How often leftovers in WORK_DIR are looked for after the start-up pass. */
const RECLAIM_INTERVAL_MS = 10 * 60 * 1000;

export interface RunnerOptions {
  client: OriginClient;
  logger: Logger;
  workDir: string;
  concurrency: number;
  ffmpegPath: string;
  ffprobePath: string;
  /** x264 preset; tests use a fast one. */
  preset?: string;
  /** The H.264 encoder chosen at start-up; x264 at `preset` when absent. */
  encoder?: VideoEncoder;
  /** Seconds one long-poll waits for a job. */
  pollSeconds?: number;
  /** What this runner can run; it requests exactly these kinds. Defaults to `JOB_HANDLERS`. */
  handlers?: JobHandlers;
}

/**
 * The reason a person reads for a failed attempt: the origin's own sentence when it refused an
 * output ("The storage is full: writing …/seg_00001.m4s"), else the error's message.
 */
export function failureReason(error: unknown): string {
  if (error instanceof OriginError && error.reason && error.status >= 500) {
    const file = /\/files\/(.+)$/.exec(error.message.split(':')[0] ?? '')?.[1];
    return `${error.reason}${file ? ` (while storing ${file.split('/').pop()})` : ''}`.slice(0, 300);
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Processing failed: ${message.slice(0, 300)}`;
}

/** Why a job's work was cut short. */
class Stopped extends Error {
  constructor(readonly why: 'lease-lost' | 'shutdown') {
    super(why);
  }
}

/** Heartbeat at a third of the lease, so one lost heartbeat does not cost the job. */
export const heartbeatIntervalMs = (leaseSeconds: number) => Math.max(250, (leaseSeconds * 1000) / 3);

/**
 * Pulls jobs of the kinds it has handlers for and runs them, `concurrency` at a time: request ->
 * accept -> heartbeat while the kind's handler runs -> complete | fail | release. A bad job fails
 * with a readable reason and the runner carries on; `stop()` hands running jobs back to the queue.
 */
export class Runner {
  #stopping = new AbortController();
  #slots: Promise<void>[] = [];
  /** Scratch folders of the jobs running now, which reclaiming must leave alone. */
  readonly #scratch = new Set<string>();
  #reclaimTimer: NodeJS.Timeout | undefined;
  readonly #handlers: JobHandlers;

  constructor(private readonly options: RunnerOptions) {
    this.#handlers = options.handlers ?? JOB_HANDLERS;
    if (handledKinds(this.#handlers).length === 0)
      throw new Error('A runner needs a handler for at least one kind');
  }

  /** Scratch folders in use right now. */
  get scratchInUse(): ReadonlySet<string> {
    return this.#scratch;
  }

  start(): void {
    for (let i = 0; i < this.options.concurrency; i++) this.#slots.push(this.#loop(i));
    this.#reclaimTimer = setInterval(() => void this.reclaimScratch(), RECLAIM_INTERVAL_MS);
    this.#reclaimTimer.unref();
  }

  /**
   * Remove scratch folders a dead transcoder left in WORK_DIR (kill -9 runs no `finally`), and any
   * past their age; run at start-up and every 10 minutes. Never throws.
   */
  async reclaimScratch(): Promise<string[]> {
    try {
      const removed = await reclaimScratch(this.options.workDir, { inUse: this.#scratch });
      if (removed.length) this.options.logger.info({ removed }, 'reclaimed leftover scratch folders');
      return removed;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not reclaim scratch folders');
      return [];
    }
  }

  /** Stop taking jobs, release the running ones, and wait until every slot has finished. */
  async stop(): Promise<void> {
    this.#stopping.abort(new Stopped('shutdown'));
    clearInterval(this.#reclaimTimer);
    await Promise.allSettled(this.#slots);
  }

  async #loop(slot: number): Promise<void> {
    const { client, logger } = this.options;
    const kinds = handledKinds(this.#handlers);
    while (!this.#stopping.signal.aborted) {
      try {
        const offers = await client.requestJobs(kinds, this.options.pollSeconds ?? 20, this.#stopping.signal);
        for (const offer of offers) {
          if (this.#stopping.signal.aborted) break;
          const job = await client.accept(offer.id);
          if (job) {
            await this.run(job);
            break;
          }
        }
      } catch (error) {
        if (this.#stopping.signal.aborted) return;
        logger.warn({ slot, err: error }, 'could not get a job; retrying shortly');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** Run one accepted job through its kind's handler and report how it ended. */
  async run(accepted: AcceptedJobEnvelope): Promise<void> {
    const { client, logger } = this.options;
    const log = logger.child({ jobId: accepted.id, kind: accepted.kind, attempt: accepted.attempt });
    const dispatched = dispatch(this.#handlers, accepted);
    if ('rejected' in dispatched) {
      log.warn({ reason: dispatched.rejected }, 'job refused');
      await this.#settle(accepted, new JobRejectedError(dispatched.rejected), undefined, log);
      return;
    }
    const work = new AbortController();
    const onStop = () => work.abort(new Stopped('shutdown'));
    this.#stopping.signal.addEventListener('abort', onStop);
    let progress = 0;
    // Heartbeats keep the lease; losing it means another runner may take over, so stop at once.
    const heartbeat = setInterval(() => {
      client.progress(accepted.id, progress).then(
        (alive) => {
          if (!alive) work.abort(new Stopped('lease-lost'));
        },
        (error: unknown) => log.warn({ err: error }, 'heartbeat failed'),
      );
    }, heartbeatIntervalMs(accepted.leaseSeconds));
    const dir = await mkdtemp(path.join(this.options.workDir, scratchPrefix(accepted.id)));
    this.#scratch.add(dir);
    try {
      log.info('job started');
      await dispatched.run({
        client,
        log,
        dir,
        signal: work.signal,
        reportProgress: (percent) => {
          progress = percent;
        },
        media: {
          ffmpegPath: this.options.ffmpegPath,
          ffprobePath: this.options.ffprobePath,
          ...(this.options.preset ? { preset: this.options.preset } : {}),
          ...(this.options.encoder ? { encoder: this.options.encoder } : {}),
        },
      });
    } catch (error) {
      // A refused upload means the lease is gone as surely as a refused heartbeat does. Either way,
      // abort the work so no FFmpeg of this job outlives it.
      if (!work.signal.aborted) {
        work.abort(error instanceof LeaseLostError ? new Stopped('lease-lost') : error);
      }
      await this.#settle(accepted, error, work.signal.reason, log);
    } finally {
      clearInterval(heartbeat);
      this.#stopping.signal.removeEventListener('abort', onStop);
      await rm(dir, { recursive: true, force: true });
      this.#scratch.delete(dir);
    }
  }

  async #settle(job: AcceptedJobEnvelope, error: unknown, reason: unknown, log: Logger): Promise<void> {
    const { client } = this.options;
    try {
      if (reason instanceof Stopped && reason.why === 'lease-lost') {
        log.warn('lease lost; another runner may take the job over');
      } else if (reason instanceof Stopped) {
        log.info('shutting down; handing the job back');
        await client.release(job);
      } else if (error instanceof JobRejectedError) {
        log.info({ reason: error.message }, 'job rejected');
        await client.fail(job, { reason: error.message, retryable: false });
      } else {
        log.error({ err: error }, 'job failed');
        await client.fail(job, { reason: failureReason(error), retryable: true });
      }
    } catch (reportError) {
      // The lease will expire and the origin will retry; nothing is lost.
      log.error({ err: reportError }, 'could not report the outcome');
    }
  }
}
