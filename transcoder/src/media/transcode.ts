import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HLS_FILES, PREVIEW_RENDITION } from '../../../protocol/media.js';
import { isWebCompatible } from './compat.js';
import type { VideoEncoder } from './encoders.js';
import { explainFfmpegFailure, MediaRejectedError } from './errors.js';
import { buildLadderArgs, buildRemuxArgs, buildThumbnailArgs } from './ffmpeg-args.js';
import { argsFor } from './ffmpeg-compat.js';
import { rateValue } from './ladder.js';
import { aacCodecString } from './master-playlist.js';
import {
  type FinishedRendition,
  finishRendition,
  hasFile,
  type RenditionSpec,
  writeMaster,
} from './outputs.js';
import {
  checkPaths,
  DEFAULT_SEGMENT_SECONDS,
  parsePreset,
  planThumbnail,
  planTranscode,
  type TranscodePlan,
} from './plan.js';
import { probeMedia } from './probe.js';
import { runProcess } from './process.js';
import { createProgressParser } from './progress.js';
import { buildProgressiveLadderArgs } from './progressive-args.js';
import { renderStoryboardVtt } from './storyboard.js';
import type { ProbeResult, TranscodeResult } from './types.js';

export { isWebCompatible } from './compat.js';
export type { RenditionSpec } from './outputs.js';
export type { RenditionResult, TranscodeResult } from './types.js';

/** Options shared by transcodeToHls and remuxToHls. */
export interface TranscodeOptions {
  input: string;
  /** Created if missing; should be empty (leftovers are neither removed nor listed). */
  outDir: string;
  ffmpegPath?: string;
  ffprobePath?: string;
  signal?: AbortSignal;
  onProgress?: (percent: number) => void;
  /** Skip probing when the caller has already probed the input. */
  probe?: ProbeResult;
  /** x264 preset, one of X264_PRESETS; tests pass `ultrafast`, production keeps the default. */
  preset?: string;
  /** The encoder chosen at start-up (encoders.ts); x264 at `preset` when absent. */
  encoder?: VideoEncoder;
  segmentSeconds?: number;
  /** Kill FFmpeg after this long; no limit by default (the runner's signal decides). */
  timeoutMs?: number;
  /**
   * Progressive publish (transcodeToHls only): FFmpeg writes EVENT playlists as segments finish,
   * and the watcher is told which renditions just before FFmpeg starts, then stopped (awaited)
   * as soon as FFmpeg exits, before any file is renamed. A watcher whose `stop` throws makes the
   * transcode fail with that error. The finished playlists are VOD all the same.
   */
  watcher?: LadderWatcher;
}

/** Looks at a ladder's output folder while FFmpeg writes it (jobs/progressive.ts publishes it). */
export interface LadderWatcher {
  start(renditions: readonly RenditionSpec[]): void;
  stop(): Promise<void>;
}

/**
 * Transcodes a file into an fMP4 HLS ladder (one FFmpeg process, one decode), with a poster,
 * a storyboard sprite with its WebVTT, and our own master playlist. Rejects with a
 * MediaRejectedError when the file itself is the problem (corrupt, truncated, not media); other
 * errors (abort, timeout, full disk, missing FFmpeg) are thrown as they are.
 */
export async function transcodeToHls(opts: TranscodeOptions): Promise<TranscodeResult> {
  const input = resolve(opts.input);
  const outDir = resolve(opts.outDir);
  checkPaths(input, outDir);
  const probe = opts.probe ?? (await probeMedia(input, probeOptions(opts)));
  const plan = planTranscode(probe, {
    input,
    outDir,
    ...(opts.preset ? { preset: parsePreset(opts.preset) } : {}),
    ...(opts.encoder ? { encoder: opts.encoder } : {}),
    ...(opts.segmentSeconds ? { segmentSeconds: opts.segmentSeconds } : {}),
  });
  if (plan.rungs.length === 0) throw new MediaRejectedError('no-streams');
  await Promise.all(plan.rungs.map((rung) => mkdir(join(outDir, rung.name), { recursive: true })));
  const specs = renditionSpecs(plan);
  const watcher = opts.watcher;
  const args = watcher ? buildProgressiveLadderArgs(plan) : buildLadderArgs(plan);
  watcher?.start(specs);
  let stderr: string;
  try {
    stderr = await runFfmpeg(opts, args, probe.durationSeconds);
  } finally {
    await watcher?.stop();
  }

  const finished: FinishedRendition[] = [];
  for (const spec of specs) finished.push(await finishRendition(outDir, spec));
  assertComplete(probe, finished, stderr);

  const result = await writeMaster(outDir, probe, finished);
  if (plan.thumbnail && (await hasFile(join(outDir, HLS_FILES.thumbnail)))) {
    result.thumbnail = HLS_FILES.thumbnail;
    result.files.push(HLS_FILES.thumbnail);
  }
  if (plan.storyboard && (await hasFile(join(outDir, HLS_FILES.storyboardImage)))) {
    await writeFile(
      join(outDir, HLS_FILES.storyboardVtt),
      renderStoryboardVtt(plan.storyboard, probe.durationSeconds),
    );
    result.storyboard = { image: HLS_FILES.storyboardImage, vtt: HLS_FILES.storyboardVtt };
    result.files.push(HLS_FILES.storyboardImage, HLS_FILES.storyboardVtt);
  }
  opts.onProgress?.(100);
  return result;
}

/** What the ladder's renditions are, as planned: names, sizes, frame rate and audio codec. */
function renditionSpecs(plan: TranscodePlan): RenditionSpec[] {
  const audioCodec = plan.audio ? aacCodecString('LC') : null;
  const frameRate = plan.frameRate ? Math.round(rateValue(plan.frameRate) * 1000) / 1000 : undefined;
  return plan.rungs.map((rung) =>
    rung.kind === 'video'
      ? {
          name: rung.name,
          width: rung.width,
          height: rung.height,
          hasVideo: true,
          audioCodec,
          ...(frameRate ? { frameRate } : {}),
        }
      : { name: rung.name, hasVideo: false, audioCodec },
  );
}

/**
 * Fast first play for web-compatible sources (see isWebCompatible): copies the streams into one
 * PREVIEW_RENDITION rendition without re-encoding, plus a poster. Seconds instead of minutes; run the full
 * ladder afterwards. Throws a plain Error when called for a source that needs transcoding.
 */
export async function remuxToHls(opts: TranscodeOptions): Promise<TranscodeResult> {
  const input = resolve(opts.input);
  const outDir = resolve(opts.outDir);
  checkPaths(input, outDir);
  const probe = opts.probe ?? (await probeMedia(input, probeOptions(opts)));
  const { video, audio } = probe;
  if (!video || !isWebCompatible(probe)) throw new Error('source is not web compatible: use transcodeToHls');
  const videoInput = video.index === undefined ? '0:v:0' : `0:${video.index}`;
  const audioInput = audio ? (audio.index === undefined ? '0:a:0' : `0:${audio.index}`) : null;
  await mkdir(join(outDir, PREVIEW_RENDITION), { recursive: true });
  const segmentSeconds = opts.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS;
  const remux = buildRemuxArgs({ input, outDir, videoInput, audioInput, segmentSeconds });
  const stderr = await runFfmpeg(opts, remux, probe.durationSeconds);

  const spec = {
    name: PREVIEW_RENDITION,
    width: video.width,
    height: video.height,
    frameRate: Math.round(video.fps * 1000) / 1000,
    hasVideo: true,
    audioCodec: audio ? aacCodecString(audio.profile) : null,
  };
  const finished = [await finishRendition(outDir, spec)];
  assertComplete(probe, finished, stderr);
  const result = await writeMaster(outDir, probe, finished);

  const thumbnail = planThumbnail(probe.durationSeconds, video.width, video.height);
  const output = join(outDir, HLS_FILES.thumbnail);
  const thumbArgs = buildThumbnailArgs({ input, videoInput, output, thumbnail });
  const ffmpeg = opts.ffmpegPath ?? 'ffmpeg';
  const run = await runProcess(ffmpeg, (await argsFor(ffmpeg, thumbArgs)).args, processOptions(opts));
  if (run.code === 0 && (await hasFile(output))) {
    result.thumbnail = HLS_FILES.thumbnail;
    result.files.push(HLS_FILES.thumbnail);
  }
  opts.onProgress?.(100);
  return result;
}

/** Runs FFmpeg with progress; a failure becomes a MediaRejectedError when the file is to blame. */
async function runFfmpeg(opts: TranscodeOptions, args: string[], durationSeconds: number): Promise<string> {
  const onStdout = opts.onProgress ? createProgressParser(durationSeconds, opts.onProgress) : undefined;
  const ffmpeg = opts.ffmpegPath ?? 'ffmpeg';
  const legacy = await argsFor(ffmpeg, args);
  const result = await runProcess(ffmpeg, legacy.args, {
    ...processOptions(opts),
    ...(onStdout ? { onStdout } : {}),
  });
  if (result.code === 0) {
    for (const { from, to } of legacy.renames) await rename(from, to);
    return result.stderr;
  }
  const failure = explainFfmpegFailure(result.stderr);
  if (result.code === null || !failure.mediaFault) {
    throw new Error(`ffmpeg failed (${result.signal ?? `exit ${result.code}`}): ${failure.message}`);
  }
  throw new MediaRejectedError(failure.code, failure.message);
}

/**
 * FFmpeg exits 0 on a file that ends early (an MP4 whose data was cut off after its index), so
 * a much shorter output that came with read errors is reported as a truncated upload.
 */
function assertComplete(probe: ProbeResult, finished: FinishedRendition[], stderr: string): void {
  const produced = Math.min(...finished.map((f) => f.durationSeconds));
  const missing = probe.durationSeconds - produced;
  if (stderr.trim() !== '' && missing > 1 && produced < probe.durationSeconds * 0.9) {
    throw new MediaRejectedError(
      'truncated',
      `The file is incomplete: only ${produced.toFixed(1)} of ${probe.durationSeconds.toFixed(1)} seconds could be read`,
    );
  }
}

function probeOptions(opts: TranscodeOptions) {
  return {
    ...(opts.ffprobePath ? { ffprobePath: opts.ffprobePath } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
}

function processOptions(opts: TranscodeOptions) {
  return {
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  };
}
