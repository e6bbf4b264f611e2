import { HLS_FILES, PREVIEW_RENDITION, renditionFile, SEGMENT_PATTERN } from '../../../protocol/media.js';
import { encoderDeviceArgs, encoderFrameFilter, type VideoEncoder, vodEncoderArgs } from './encoders.js';
import {
  jpegOutputArgs,
  STORYBOARD_QUALITY,
  storyboardFilter,
  THUMBNAIL_QUALITY,
  thumbnailFilter,
} from './image-args.js';
import { rateValue, type VideoRung } from './ladder.js';
import type { TranscodePlan } from './plan.js';
import { safeInputArgs } from './safe-input.js';

export { buildStoryboardArgs, buildThumbnailArgs } from './image-args.js';
export { safeInputArgs } from './safe-input.js';

/** Quiet, non-interactive, overwrite, machine-readable progress on stdout. */
export const GLOBAL_ARGS = [
  '-hide_banner',
  '-nostdin',
  '-y',
  '-loglevel',
  'error',
  '-nostats',
  '-progress',
  'pipe:1',
] as const;

/**
 * fMP4 (CMAF) HLS muxer options for VOD. Segment and init names come from protocol/media.ts, so
 * every rendition has the same layout: its media playlist, init segment and numbered segments.
 */
export function hlsOutputArgs(segmentSeconds: number, outDir: string, dir: string): string[] {
  return [
    '-f',
    'hls',
    '-hls_time',
    String(segmentSeconds),
    '-hls_playlist_type',
    'vod',
    '-hls_segment_type',
    'fmp4',
    '-hls_flags',
    'independent_segments',
    '-hls_fmp4_init_filename',
    HLS_FILES.init,
    '-start_number',
    '1',
    '-hls_segment_filename',
    `${outDir}/${renditionFile(dir, SEGMENT_PATTERN)}`,
  ];
}

/**
 * One FFmpeg process for the whole ladder: the source is decoded once, brought to one constant
 * frame rate, split, and each branch scaled and encoded. Keyframes are forced at exact multiples
 * of the segment length, with scene-cut keyframes off and a GOP that can never fire first, so
 * every rendition cuts its segments at the same instants and players can switch anywhere.
 * The poster and storyboard are extra branches of the same decode.
 */
export function buildLadderArgs(plan: TranscodePlan): string[] {
  const video = plan.rungs.filter((rung): rung is VideoRung => rung.kind === 'video');
  const audio = plan.audio
    ? ['-c:a', 'aac', '-ac', String(plan.audio.channels), '-ar', String(plan.audio.sampleRate)]
    : [];
  const encoder = planEncoder(plan);
  const args: string[] = [...GLOBAL_ARGS, ...encoderDeviceArgs(encoder), ...safeInputArgs(plan.input)];
  const streamMap: string[] = [];

  if (video.length === 0) {
    const rung = plan.rungs[0];
    if (!plan.audioInput || !rung) throw new Error('plan has neither video rungs nor audio');
    args.push('-map', plan.audioInput, ...audio, '-b:a:0', String(rung.audioBitrate));
    streamMap.push(`a:0,name:${rung.name}`);
  } else {
    args.push('-filter_complex', ladderGraph(plan, video, encoderFrameFilter(encoder)));
    for (const [i, rung] of video.entries()) {
      args.push('-map', `[v${i}]`, ...(plan.audioInput ? ['-map', plan.audioInput] : []));
      streamMap.push(`v:${i}${plan.audioInput ? `,a:${i}` : ''},name:${rung.name}`);
    }
    args.push(...videoEncodeArgs(plan, encoder, video));
    if (plan.audioInput) {
      args.push(...audio);
      for (const [i, rung] of video.entries()) args.push(`-b:a:${i}`, String(rung.audioBitrate));
    }
  }

  // Uploads carry GPS positions, device names and chapters that are nobody else's business.
  args.push('-map_metadata', '-1', '-map_chapters', '-1', '-max_muxing_queue_size', '4096');
  args.push(...hlsOutputArgs(plan.segmentSeconds, plan.outDir, '%v'));
  args.push(
    '-var_stream_map',
    streamMap.join(' '),
    `${plan.outDir}/${renditionFile('%v', HLS_FILES.mediaPlaylist)}`,
  );
  if (plan.storyboard)
    args.push(
      '-map',
      '[sb]',
      ...jpegOutputArgs(STORYBOARD_QUALITY, `${plan.outDir}/${HLS_FILES.storyboardImage}`),
    );
  if (plan.thumbnail)
    args.push('-map', '[th]', ...jpegOutputArgs(THUMBNAIL_QUALITY, `${plan.outDir}/${HLS_FILES.thumbnail}`));
  return args;
}

/**
 * `fps` comes before `split` so every branch sees the very same frames and timestamps: that is
 * what makes forced keyframes (and so segment boundaries) identical across renditions.
 */
function ladderGraph(plan: TranscodePlan, video: readonly VideoRung[], frameFilter: string): string {
  if (!plan.videoInput || !plan.frameRate) throw new Error('plan has video rungs but no video input');
  const branches = video.map((_, i) => `[s${i}]`);
  if (plan.storyboard) branches.push('[sb_in]');
  if (plan.thumbnail) branches.push('[th_in]');
  const fps = `${plan.frameRate.num}/${plan.frameRate.den}`;
  const graph = [`[${plan.videoInput}]fps=${fps},split=${branches.length}${branches.join('')}`];
  for (const [i, rung] of video.entries()) {
    graph.push(`[s${i}]scale=w=${rung.width}:h=${rung.height},setsar=1,${frameFilter}[v${i}]`);
  }
  if (plan.storyboard) graph.push(`[sb_in]${storyboardFilter(plan.storyboard)}[sb]`);
  if (plan.thumbnail) {
    const startFrame = Math.round(plan.thumbnail.startSeconds * rateValue(plan.frameRate));
    graph.push(`[th_in]${thumbnailFilter(plan.thumbnail, startFrame)}[th]`);
  }
  return graph.join(';');
}

/** The plan's encoder; a plan that names none encodes with x264 at its preset. */
const planEncoder = (plan: TranscodePlan): VideoEncoder =>
  plan.encoder ?? { kind: 'x264', preset: plan.preset };

/** Encoder settings shared by every rendition (encoders.ts), then each rendition's bitrate and VBV limits. */
function videoEncodeArgs(plan: TranscodePlan, encoder: VideoEncoder, video: readonly VideoRung[]): string[] {
  // GOP = one segment, rounded up, so the encoder's own keyframe never comes before the forced one.
  const gop = Math.ceil(rateValue(plan.frameRate ?? { num: 30, den: 1 }) * plan.segmentSeconds);
  const args = vodEncoderArgs(encoder, { gop, segmentSeconds: plan.segmentSeconds });
  for (const [i, rung] of video.entries()) {
    args.push(`-b:v:${i}`, String(rung.videoBitrate), `-maxrate:v:${i}`, String(rung.maxBitrate));
    args.push(`-bufsize:v:${i}`, String(rung.bufferSize));
  }
  return args;
}

/** What buildRemuxArgs needs: absolute paths and `0:<index>` stream selectors. */
export interface RemuxJob {
  input: string;
  outDir: string;
  videoInput: string;
  audioInput: string | null;
  segmentSeconds: number;
}

/**
 * Fast first play: copies an H.264/AAC source's streams into one fMP4 HLS rendition (PREVIEW_RENDITION)
 * without re-encoding. Segments follow the source's own keyframes, so they may be longer than
 * the target; the real ladder replaces this rendition later.
 */
export function buildRemuxArgs(job: RemuxJob): string[] {
  return [
    ...GLOBAL_ARGS,
    ...safeInputArgs(job.input),
    '-map',
    job.videoInput,
    ...(job.audioInput ? ['-map', job.audioInput] : []),
    '-c',
    'copy',
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    ...hlsOutputArgs(job.segmentSeconds, job.outDir, PREVIEW_RENDITION),
    `${job.outDir}/${renditionFile(PREVIEW_RENDITION, HLS_FILES.mediaPlaylist)}`,
  ];
}
