import type { ThumbnailPlan } from './plan.js';
import { safeInputArgs } from './safe-input.js';
import type { StoryboardLayout } from './storyboard.js';

/** JPEG quality (2 best - 31 worst): posters are looked at, tiles are glanced at. */
export const THUMBNAIL_QUALITY = 3;
export const STORYBOARD_QUALITY = 5;

/**
 * Filter chain that turns a video into one sprite: a frame every interval, at most `count` of them
 * (trim, so the tile filter emits exactly one image, padding a partial last row at the end).
 */
export function storyboardFilter(layout: StoryboardLayout): string {
  return [
    `fps=1/${layout.intervalSeconds}`,
    `trim=end_frame=${layout.count}`,
    `scale=w=${layout.tileWidth}:h=${layout.tileHeight}`,
    'setsar=1',
    `tile=${layout.columns}x${layout.rows}`,
  ].join(',');
}

/**
 * Filter chain for the poster. With `startFrame` it first keeps only the window to choose from
 * (inside the ladder graph, where frames are numbered at the constant output rate); without it
 * the caller seeks with `-ss` instead.
 */
export function thumbnailFilter(thumbnail: ThumbnailPlan, startFrame?: number): string {
  return [
    ...(startFrame === undefined
      ? []
      : [`trim=start_frame=${startFrame}:end_frame=${startFrame + thumbnail.frames}`]),
    `thumbnail=${thumbnail.frames}`,
    `scale=w=${thumbnail.width}:h=${thumbnail.height}`,
    'setsar=1',
  ].join(',');
}

/**
 * Output options for one JPEG. `-update 1` writes a single image to a plain file name, and
 * passthrough stops FFmpeg from "filling" the time before the frame with duplicate writes.
 */
export function jpegOutputArgs(quality: number, output: string): string[] {
  return [
    '-fps_mode',
    'passthrough',
    '-c:v',
    'mjpeg',
    '-q:v',
    String(quality),
    '-f',
    'image2',
    '-update',
    '1',
    output,
  ];
}

/** Input, video stream and output of a standalone image job; paths absolute. */
export interface ImageJob {
  input: string;
  /** `0:<index>` of the video stream. */
  videoInput: string;
  output: string;
}

/**
 * Standalone poster: seeks close to the start (input `-ss` decodes from the keyframe before it,
 * not the whole file) and lets `thumbnail` choose among the next frames. Cheap enough to run
 * right after a remux, before the full ladder exists.
 */
export function buildThumbnailArgs(job: ImageJob & { thumbnail: ThumbnailPlan }): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-ss',
    String(job.thumbnail.startSeconds),
    ...safeInputArgs(job.input),
    '-map',
    job.videoInput,
    '-vf',
    thumbnailFilter(job.thumbnail),
    '-frames:v',
    '1',
    ...jpegOutputArgs(THUMBNAIL_QUALITY, job.output),
  ];
}

/**
 * Standalone storyboard (e.g. to regenerate one). It decodes the whole source; the ladder
 * transcode produces the same sprite from its own decode instead of running this.
 */
export function buildStoryboardArgs(job: ImageJob & { layout: StoryboardLayout }): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    ...safeInputArgs(job.input),
    '-map',
    job.videoInput,
    '-vf',
    storyboardFilter(job.layout),
    ...jpegOutputArgs(STORYBOARD_QUALITY, job.output),
  ];
}
