import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { hlsKey, isPlaylist } from '../../protocol/media.js';
import type { AcceptedJob, PublishInput } from '../../protocol/runner.js';
import { MediaRejectedError } from './media/errors.js';
import { probeMedia } from './media/probe.js';
import { isWebCompatible, remuxToHls, type TranscodeResult, transcodeToHls } from './media/transcode.js';
import type { OriginClient } from './origin-client.js';

export interface RunnerOptions {
  client: OriginClient;
  logger: Logger;
  workDir: string;
  concurrency: number;
  ffmpegPath: string;
  ffprobePath: string;
  /** x264 preset; tests use a fast one. */
  preset?: string;
  /** Seconds one long-poll waits for a job. */
  pollSeconds?: number;
}

/** Why a job's work was cut short. */
class Stopped extends Error {
  constructor(readonly why: 'lease-lost' | 'shutdown') {
    super(why);
  }
}

/** Every published file goes under the HLS folder of the video (`hlsKey`). */
export function toPublishInput(result: TranscodeResult): PublishInput {
  return {
    durationSeconds: result.durationSeconds,
    master: hlsKey(result.master),
    renditions: result.renditions.map((r) => ({
      name: r.name,
      ...(r.width ? { width: r.width } : {}),
      ...(r.height ? { height: r.height } : {}),
      bitrate: Math.max(1, Math.round(r.bitrate)),
      codecs: r.codecs,
      playlist: hlsKey(r.playlist),
    })),
    ...(result.thumbnail ? { thumbnail: hlsKey(result.thumbnail) } : {}),
    ...(result.storyboard
      ? { storyboard: { image: hlsKey(result.storyboard.image), vtt: hlsKey(result.storyboard.vtt) } }
      : {}),
  };
}

/**
 * Pulls jobs from the origin and runs them, `concurrency` at a time. A bad file fails its job with
 * a readable reason and the runner carries on; `stop()` hands running jobs back to the queue.
 */
export class Runner {
  #stopping = new AbortController();
  #slots: Promise<void>[] = [];

  constructor(private readonly options: RunnerOptions) {}

  start(): void {
    for (let i = 0; i < this.options.concurrency; i++) this.#slots.push(this.#loop(i));
  }

  /** Stop taking jobs, release the running ones, and wait until every slot has finished. */
  async stop(): Promise<void> {
    this.#stopping.abort(new Stopped('shutdown'));
    await Promise.allSettled(this.#slots);
  }

  async #loop(slot: number): Promise<void> {
    const { client, logger } = this.options;
    while (!this.#stopping.signal.aborted) {
      try {
        const offers = await client.requestJobs(this.options.pollSeconds ?? 20, this.#stopping.signal);
        for (const offer of offers) {
          if (this.#stopping.signal.aborted) break;
          const job = await client.accept(offer.id);
          if (job) {
            await this.#run(job);
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

  async #run(job: AcceptedJob): Promise<void> {
    const { client, logger } = this.options;
    const log = logger.child({ jobId: job.id, videoId: job.videoId, attempt: job.attempt });
    const work = new AbortController();
    const onStop = () => work.abort(new Stopped('shutdown'));
    this.#stopping.signal.addEventListener('abort', onStop);
    let progress = 0;
    // Heartbeats keep the lease; losing it means another runner may take over, so stop at once.
    const heartbeat = setInterval(
      () => {
        client.progress(job.id, progress).then(
          (alive) => {
            if (!alive) work.abort(new Stopped('lease-lost'));
          },
          (error: unknown) => log.warn({ err: error }, 'heartbeat failed'),
        );
      },
      Math.max(500, (job.leaseSeconds * 1000) / 3),
    );
    const dir = await mkdtemp(path.join(this.options.workDir, `job-${job.id.slice(0, 8)}-`));
    try {
      log.info('job started');
      const source = path.join(dir, 'source');
      await client.downloadSource(job, source, work.signal);
      const media = {
        ffmpegPath: this.options.ffmpegPath,
        ffprobePath: this.options.ffprobePath,
        signal: work.signal,
      };
      const probe = await probeMedia(source, media);
      const preset = this.options.preset ? { preset: this.options.preset } : {};
      if (isWebCompatible(probe)) {
        const preview = await remuxToHls({
          input: source,
          outDir: path.join(dir, 'preview'),
          probe,
          ...media,
        });
        await this.#upload(job, path.join(dir, 'preview'), preview, work.signal);
        await client.publish(job, 'preview', toPublishInput(preview));
        log.info('fast first play published');
      }
      const ladder = await transcodeToHls({
        input: source,
        outDir: path.join(dir, 'ladder'),
        probe,
        ...media,
        ...preset,
        onProgress: (percent) => {
          progress = Math.min(99, percent);
        },
      });
      await this.#upload(job, path.join(dir, 'ladder'), ladder, work.signal);
      const outcome = await client.publish(job, 'complete', toPublishInput(ladder));
      log.info({ outcome, renditions: ladder.renditions.length }, 'job complete');
    } catch (error) {
      await this.#settle(job, error, work.signal.reason, log);
    } finally {
      clearInterval(heartbeat);
      this.#stopping.signal.removeEventListener('abort', onStop);
      await rm(dir, { recursive: true, force: true });
    }
  }

  async #upload(job: AcceptedJob, dir: string, result: TranscodeResult, signal: AbortSignal): Promise<void> {
    // Playlists (and the storyboard VTT) last, so a reader never sees one naming a file not there yet.
    const files = [...result.files].sort((a, b) => Number(isPlaylist(a)) - Number(isPlaylist(b)));
    for (const file of files)
      await this.options.client.uploadFile(job, hlsKey(file), path.join(dir, file), signal);
  }

  async #settle(job: AcceptedJob, error: unknown, reason: unknown, log: Logger): Promise<void> {
    const { client } = this.options;
    try {
      if (reason instanceof Stopped && reason.why === 'lease-lost') {
        log.warn('lease lost; another runner may take the job over');
      } else if (reason instanceof Stopped) {
        log.info('shutting down; handing the job back');
        await client.release(job);
      } else if (error instanceof MediaRejectedError) {
        log.info({ reason: error.message }, 'file rejected');
        await client.fail(job, { reason: error.message, retryable: false });
      } else {
        log.error({ err: error }, 'job failed');
        const message = error instanceof Error ? error.message : String(error);
        await client.fail(job, { reason: `Processing failed: ${message.slice(0, 300)}`, retryable: true });
      }
    } catch (reportError) {
      // The lease will expire and the origin will retry; nothing is lost.
      log.error({ err: reportError }, 'could not report the outcome');
    }
  }
}
