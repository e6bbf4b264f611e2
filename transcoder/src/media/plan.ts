import { isAbsolute } from 'node:path';
import type { VideoEncoder } from './encoders.js';
import { chooseFrameRate, chooseLadder, outputChannels, outputSampleRate, type Rung } from './ladder.js';
import { planStoryboard, type StoryboardLayout } from './storyboard.js';
import type { FrameRate, ProbeResult } from './types.js';

/** x264 speed/quality presets, fastest first. */
export const X264_PRESETS = {
  ultrafast: 'ultrafast',
  superfast: 'superfast',
  veryfast: 'veryfast',
  faster: 'faster',
  fast: 'fast',
  medium: 'medium',
  slow: 'slow',
} as const;
export type X264Preset = (typeof X264_PRESETS)[keyof typeof X264_PRESETS];

/** The preset named by a config value; an unknown name is a configuration error, not a media one. */
export function parsePreset(value: string): X264Preset {
  const preset = Object.values(X264_PRESETS).find((known) => known === value);
  if (!preset)
    throw new Error(`unknown x264 preset "${value}"; use one of ${Object.values(X264_PRESETS).join(', ')}`);
  return preset;
}

/** Production preset: the usual choice for VOD on small servers (PeerTube's default too). */
export const DEFAULT_PRESET: X264Preset = 'veryfast';
/** HLS segment length; keyframes are forced on these boundaries in every rendition. */
export const DEFAULT_SEGMENT_SECONDS = 4;
/** Posters come from the top rung but are capped: a 4K JPEG is wasted on a poster. */
const THUMBNAIL_MAX_SHORT_SIDE = 720;

/** A poster frame chosen by FFmpeg's `thumbnail` filter among `frames` frames from `startSeconds`. */
export interface ThumbnailPlan {
  startSeconds: number;
  frames: number;
  width: number;
  height: number;
}

/** Everything buildLadderArgs needs; pure data so the arguments can be tested exactly. */
export interface TranscodePlan {
  /** Absolute input path. */
  input: string;
  /** Absolute output directory; renditions go to `<outDir>/<rung.name>/`. */
  outDir: string;
  preset: X264Preset;
  /** The H.264 encoder (encoders.ts); absent means x264 at `preset`. */
  encoder?: VideoEncoder;
  segmentSeconds: number;
  /** `0:<index>` selectors for the streams to read, null when absent. */
  videoInput: string | null;
  audioInput: string | null;
  /** Output rate for video; null for audio-only plans. */
  frameRate: FrameRate | null;
  rungs: Rung[];
  audio: { channels: number; sampleRate: number } | null;
  thumbnail: ThumbnailPlan | null;
  storyboard: StoryboardLayout | null;
}

/** Paths (absolute) and encoder choices for planTranscode. */
export interface PlanOptions {
  input: string;
  outDir: string;
  preset?: X264Preset;
  /** A hardware encoder chosen at start-up; x264 at `preset` when absent. */
  encoder?: VideoEncoder;
  segmentSeconds?: number;
  /** Add the poster and storyboard outputs (default true). */
  images?: boolean;
}

/** Refuses paths FFmpeg would misread; a programming error, so a plain Error. */
export function checkPaths(input: string, outDir: string): void {
  if (!isAbsolute(input) || !isAbsolute(outDir)) throw new Error('input and outDir must be absolute');
  // FFmpeg expands % in output names (%v, %05d): a stray % in the directory would scatter files.
  if (outDir.includes('%')) throw new Error('outDir must not contain %');
}

/** Decides the whole transcode from the probe: rungs, rates, stream selection and image outputs. */
export function planTranscode(probe: ProbeResult, opts: PlanOptions): TranscodePlan {
  checkPaths(opts.input, opts.outDir);
  const { video, audio } = probe;
  const rungs = chooseLadder(probe);
  const top = rungs[0]?.kind === 'video' ? rungs[0] : undefined;
  const images = (opts.images ?? true) && top !== undefined;
  return {
    input: opts.input,
    outDir: opts.outDir,
    preset: opts.preset ?? DEFAULT_PRESET,
    ...(opts.encoder && opts.encoder.kind !== 'x264' ? { encoder: opts.encoder } : {}),
    segmentSeconds: opts.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS,
    videoInput: video ? (video.index === undefined ? '0:v:0' : `0:${video.index}`) : null,
    audioInput: audio ? (audio.index === undefined ? '0:a:0' : `0:${audio.index}`) : null,
    frameRate: video ? chooseFrameRate(video.fps, video.variableFrameRate) : null,
    rungs,
    audio: audio ? { channels: outputChannels(audio), sampleRate: outputSampleRate(audio) } : null,
    thumbnail: images && top ? planThumbnail(probe.durationSeconds, top.width, top.height) : null,
    storyboard: images && top ? planStoryboard(probe.durationSeconds, top.width, top.height) : null,
  };
}

/**
 * Looks for the poster in the second after 10% of the video: past fades from black and title
 * cards, and the `thumbnail` filter then picks the most representative of those frames.
 */
export function planThumbnail(durationSeconds: number, width: number, height: number): ThumbnailPlan {
  const short = Math.min(width, height);
  const scale = short > THUMBNAIL_MAX_SHORT_SIDE ? THUMBNAIL_MAX_SHORT_SIDE / short : 1;
  return {
    startSeconds: Math.round(durationSeconds * 0.1 * 1000) / 1000,
    frames: 25,
    width: Math.round((width * scale) / 2) * 2,
    height: Math.round((height * scale) / 2) * 2,
  };
}
