import type { Logger } from 'pino';
import type { AcceptedJobOf, JobKind } from '../../../protocol/runner.js';
import type { VideoEncoder } from '../media/encoders.js';
import type { OriginClient } from '../origin-client.js';

/** The FFmpeg binaries and settings handlers that run FFmpeg use. */
export interface MediaTools {
  ffmpegPath: string;
  ffprobePath: string;
  /** x264 preset; tests use a fast one. */
  preset?: string;
  /** The H.264 encoder chosen at start-up (`TRANSCODER_ENCODER`); x264 at `preset` when absent. */
  encoder?: VideoEncoder;
}

/** What the runner hands a handler for one leased job. */
export interface JobContext<K extends JobKind> {
  job: AcceptedJobOf<K>;
  client: OriginClient;
  log: Logger;
  /** Scratch folder of this job; the runner removes it afterwards, whatever happened. */
  dir: string;
  /** Aborts when the lease is lost or the runner shuts down: stop at once. */
  signal: AbortSignal;
  /** Record progress (0-100); it goes to the origin with the next heartbeat. */
  reportProgress(percent: number): void;
  media: MediaTools;
}

/**
 * Runs one job of kind `K` to the end, including telling the origin it is done (what "done"
 * carries is the kind's business). Throw `JobRejectedError` when retrying cannot help; any other
 * error is reported as retryable.
 */
export type JobHandler<K extends JobKind> = (ctx: JobContext<K>) => Promise<void>;

/** One handler per kind this runner can run; the runner requests exactly these kinds. */
export type JobHandlers = { [K in JobKind]?: JobHandler<K> };

/** The job itself is unusable (a bad file, a kind this runner cannot run): fail it, do not retry. */
export class JobRejectedError extends Error {
  override readonly name = 'JobRejectedError';
}
