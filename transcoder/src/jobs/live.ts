import { setTimeout as sleep } from 'node:timers/promises';
import { copyable, describeInit, type InitFacts, initLength } from '../live/init-codecs.js';
import { type LiveRung, liveFfmpegArgs, liveRungs } from '../live/live-args.js';
import { LivePusher, liveStateInput } from '../live/push.js';
import { LiveRendition } from '../live/rendition.js';
import { retryDelayMs, STALL_MS, STOP_GRACE_MS, StallWatchdog } from '../live/watchdog.js';
import { startProcess } from '../media/process.js';
import { OriginError } from '../origin-client.js';
import type { JobContext } from './types.js';

/** Knobs the media test turns; production uses the defaults. */
export interface LiveJobOptions {
  now?: () => number;
  stallMs?: number;
  /** How often the watchdog looks. */
  checkMs?: number;
}

/** Until a rendition has a finished segment, the playlist advertises this much (bit/s). */
const INITIAL_BANDWIDTH = { source: 3_000_000, '720p': 3_000_000, '360p': 1_000_000 } as Record<
  string,
  number
>;

interface Output {
  rung: LiveRung;
  rendition: LiveRendition;
  facts?: InitFacts;
  /** Peak bit rate of finished segments. */
  bandwidth: number;
}

/** How one FFmpeg run ended. */
type RunEnd = 'exited' | 'stalled' | 'aborted' | 'recode';

/**
 * The `live` job: pull the stream from ingest with one FFmpeg, package every rendition as LL-HLS
 * and push parts, segments and states to the origin while the session runs. It never completes on
 * its own: the origin ends it by cancelling the lease, and the runner's abort stops FFmpeg at once.
 */
export async function runLiveJob(ctx: JobContext<'live'>, options: LiveJobOptions = {}): Promise<void> {
  const { job, client, log, signal } = ctx;
  const now = options.now ?? Date.now;
  const watchdog = new StallWatchdog(now, options.stallMs ?? STALL_MS);
  const leaseGone = (error: unknown) =>
    signal.aborted || (error instanceof OriginError && (error.status === 409 || error.status === 404));
  const pusher = new LivePusher(
    {
      putFile: (rendition, file, bytes) => client.putLiveFile(job, rendition, file, bytes, signal),
      putState: (state) => client.putLiveState(job, state, signal),
    },
    {
      isFatal: leaseGone,
      onError: (error, what) => {
        if (!signal.aborted) log.warn({ err: error, what }, 'live push failed');
      },
    },
  );

  let parts = 0;
  // A re-leased job continues where the last attempt stopped: names are never reused.
  const resume =
    job.firstMediaSequence !== undefined
      ? {
          firstMediaSequence: job.firstMediaSequence,
          firstInitGeneration: job.firstInitGeneration ?? 0,
          discontinuity: true,
        }
      : {};
  const outputs: Output[] = liveRungs(job.ladder).map((rung) => {
    const output: Output = { rung, rendition: undefined as unknown as LiveRendition, bandwidth: 0 };
    output.rendition = new LiveRendition({
      ...resume,
      now,
      onInit: ({ name, bytes }) => {
        output.facts = describeInit(bytes);
        pusher.file(rung.name, name, bytes);
      },
      onPart: (part) => {
        parts++;
        watchdog.fragment();
        pusher.file(rung.name, part.name, part.bytes);
        if (part.hintedAs) pusher.file(rung.name, part.hintedAs, part.bytes);
      },
      onSegment: (segment) => {
        if (segment.durationSeconds > 0)
          output.bandwidth = Math.max(
            output.bandwidth,
            Math.ceil((segment.bytes.length * 8) / segment.durationSeconds),
          );
        pusher.file(rung.name, segment.name, segment.bytes);
      },
      onChange: () => pushState(),
    });
    return output;
  });

  const pushState = () => {
    const ready = outputs.filter((output) => output.facts);
    if (ready.length === 0) return;
    pusher.state(
      liveStateInput(
        ready.map(({ rung, rendition, facts, bandwidth }) => ({
          name: rung.name,
          bandwidth: bandwidth || (INITIAL_BANDWIDTH[rung.name] ?? 3_000_000),
          codecs: facts?.codecs,
          width: facts?.width,
          height: facts?.height,
          state: rendition.packager.state,
        })),
        // The source rung is read as the encoder sent it: its health is the stream's.
        outputs[0]?.rendition.health.health,
      ),
    );
  };

  let copySource = true;
  let failures = 0;
  while (!signal.aborted) {
    const before = parts;
    const end = await runOnce(ctx, outputs, {
      copySource,
      watchdog,
      checkMs: options.checkMs ?? 250,
      onLog: (stderr) => log.debug({ stderr }, 'live ffmpeg exited'),
    });
    if (end === 'aborted') break;
    const delivered = parts > before;
    if (end === 'recode') {
      copySource = false;
      log.info('the source is not H.264/AAC; transcoding it');
      continue;
    }
    if (end === 'stalled') {
      log.warn({ restarts: watchdog.restarted() }, 'no fragment for 3 s; FFmpeg restarted');
      failures = delivered ? 0 : failures + 1;
    } else {
      failures = delivered ? 0 : failures + 1;
      log.info({ failures }, 'live ffmpeg exited; pulling again');
    }
    await sleep(retryDelayMs(failures), undefined, { signal }).catch(() => {});
  }
  throw signal.reason instanceof Error ? signal.reason : new Error('live job stopped');
}

/** One FFmpeg process: runs until it exits, stalls, the job is aborted, or the codecs need a transcode. */
async function runOnce(
  ctx: JobContext<'live'>,
  outputs: Output[],
  run: {
    copySource: boolean;
    watchdog: StallWatchdog;
    checkMs: number;
    onLog: (stderr: string) => void;
  },
): Promise<RunEnd> {
  const { job, signal, media } = ctx;
  let settle: (end: RunEnd) => void = () => {};
  const ended = new Promise<RunEnd>((resolve) => {
    settle = resolve;
  });
  const sinks = outputs.map((output, index) =>
    index === 0 && run.copySource ? copyGate(output, () => settle('recode')) : output.rendition.startInput(),
  );
  const args = liveFfmpegArgs({
    sourceUrl: job.sourceUrl,
    ladder: job.ladder,
    copySource: run.copySource,
    ...(media.preset ? { preset: media.preset } : {}),
    ...(media.encoder ? { encoder: media.encoder } : {}),
  });
  const proc = startProcess(media.ffmpegPath, args, {
    extraOutputs: outputs.length - 1,
    onOutput: (index, chunk) => {
      try {
        sinks[index]?.(chunk);
      } catch {
        // Not fragmented MP4 (Fmp4Error): this process's output is unusable; start another.
        settle('exited');
      }
    },
  });
  run.watchdog.started();
  const check = setInterval(() => {
    if (run.watchdog.stalled()) settle('stalled');
  }, run.checkMs);
  const onAbort = () => settle('aborted');
  signal.addEventListener('abort', onAbort, { once: true });
  void proc.exited.then((result) => {
    run.onLog(result.stderr);
    settle('exited');
  });
  const end = await ended;
  clearInterval(check);
  signal.removeEventListener('abort', onAbort);
  // A lost lease stops at once; a stall gets SIGTERM first, so FFmpeg can close the connection.
  await proc.stop(end === 'stalled' ? STOP_GRACE_MS : 0);
  return end;
}

/**
 * The source rung's input when copying: holds FFmpeg's bytes until the init segment is complete,
 * and lets them through only when it is H.264 with AAC (or no audio); otherwise asks for a transcode.
 */
function copyGate(output: Output, recode: () => void): (chunk: Uint8Array) => void {
  let held: Uint8Array[] | undefined = [];
  let feed: ((chunk: Uint8Array) => void) | undefined;
  return (chunk) => {
    if (feed) return feed(chunk);
    if (!held) return;
    held.push(chunk);
    const bytes = Buffer.concat(held);
    const length = initLength(bytes);
    if (length === undefined) return;
    held = undefined;
    if (!copyable(describeInit(bytes.subarray(0, length)))) return recode();
    feed = output.rendition.startInput();
    feed(bytes);
  };
}
