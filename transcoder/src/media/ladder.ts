import type { AudioStreamInfo, FrameRate, ProbeResult } from './types.js';

/** Short sides of the renditions we offer, largest first. */
export const LADDER_SHORT_SIDES = [1080, 720, 480, 360, 240] as const;

/** x264 at 1080p30 gets this many bits per second; other sizes scale from it. */
export const REFERENCE_BITRATE = 4_500_000;
const REFERENCE_PIXELS = 1920 * 1080;
/** Below this the picture falls apart, so a low source bitrate does not drag rungs under it. */
export const VIDEO_BITRATE_FLOOR = 200_000;
/** Absolute minimum for any rung, however tiny the picture. */
export const MIN_VIDEO_BITRATE = 50_000;
/** A source a little smaller than a step (1920x1072, 1280x718) still gets that step at its own size. */
const STEP_TOLERANCE = 0.9;

/** A rendition carries video (with or without audio) or audio alone. */
export const RUNG_KINDS = { video: 'video', audio: 'audio' } as const;
export type RungKind = (typeof RUNG_KINDS)[keyof typeof RUNG_KINDS];

/** One video rendition; `audioBitrate` is null when the source has no audio. */
export interface VideoRung {
  kind: typeof RUNG_KINDS.video;
  name: string;
  width: number;
  height: number;
  videoBitrate: number;
  /** VBV limits: peaks up to 1.5x the target, smoothed over two seconds' worth of bits. */
  maxBitrate: number;
  bufferSize: number;
  audioBitrate: number | null;
}

/** The single rendition of an audio-only source. */
export interface AudioRung {
  kind: typeof RUNG_KINDS.audio;
  name: 'audio';
  audioBitrate: number;
}

/** One entry of the ladder; `kind` tells which. */
export type Rung = VideoRung | AudioRung;

const STANDARD_RATES: readonly FrameRate[] = [
  { num: 24000, den: 1001 },
  { num: 24, den: 1 },
  { num: 25, den: 1 },
  { num: 30000, den: 1001 },
  { num: 30, den: 1 },
  { num: 48, den: 1 },
  { num: 50, den: 1 },
  { num: 60000, den: 1001 },
  { num: 60, den: 1 },
];

/** Players and most screens top out at 60 fps; more only costs bits. */
export const MAX_FPS = 60;

/** A frame rate as frames per second. */
export const rateValue = (rate: FrameRate): number => rate.num / rate.den;

/**
 * The constant frame rate every rendition is encoded at. A fixed rate is what lets keyframes land
 * on the same frames in every rendition, including for variable-frame-rate phone footage. Rates
 * over 60 are divided (120 -> 60, 144 -> 48), near-standard rates snap (29.96 -> 30000/1001), VFR sources go
 * up to the next standard rate so motion is not thinned, and odd low rates (15, 12.5) are kept.
 */
export function chooseFrameRate(fps: number, variable: boolean): FrameRate {
  let target = Number.isFinite(fps) && fps > 0 ? fps : 30;
  // Whole divisors keep motion even (every 2nd or 3rd frame); 61-63 fps is just trimmed to 60.
  if (target > MAX_FPS * 1.05) target /= Math.ceil(target / MAX_FPS);
  target = Math.min(MAX_FPS, Math.max(1, target));
  if (variable) {
    const up = STANDARD_RATES.find((rate) => rateValue(rate) >= target * 0.97);
    if (up) return up;
  }
  const nearest = [...STANDARD_RATES].sort(
    (a, b) => Math.abs(rateValue(a) - target) - Math.abs(rateValue(b) - target),
  )[0];
  if (nearest && Math.abs(rateValue(nearest) - target) / target < 0.01) return nearest;
  return reduce(Math.round(target * 1000), 1000);
}

/**
 * The renditions for a source: every step of LADDER_SHORT_SIDES that fits inside its short side
 * (never upscaling), or the source size itself when it is smaller than the lowest step. Portrait
 * sources get portrait rungs. Sizes are even, as yuv420p needs. Audio-only sources get one audio rung.
 */
export function chooseLadder(probe: ProbeResult): Rung[] {
  const { video, audio } = probe;
  if (!video) return audio ? [{ kind: 'audio', name: 'audio', audioBitrate: audioBitrate(audio, true) }] : [];

  const portrait = video.height > video.width;
  const short = portrait ? video.width : video.height;
  const long = portrait ? video.height : video.width;
  const shorts = new Set<number>();
  for (const step of LADDER_SHORT_SIDES) {
    if (short >= step * STEP_TOLERANCE) shorts.add(Math.min(step, floorEven(short)));
  }
  if (shorts.size === 0) shorts.add(floorEven(short));

  const fps = rateValue(chooseFrameRate(video.fps, video.variableFrameRate));
  const sourceVideoBitrate = video.bitrate ?? videoShareOf(probe);
  return [...shorts].map((rungShort): VideoRung => {
    const rungLong = Math.min(Math.max(2, Math.round((long * rungShort) / short / 2) * 2), floorEven(long));
    const width = portrait ? rungShort : rungLong;
    const height = portrait ? rungLong : rungShort;
    const videoBitrate = capBitrate(targetVideoBitrate(width * height, fps), sourceVideoBitrate);
    const step = LADDER_SHORT_SIDES.find((s) => s >= rungShort && rungShort >= s * STEP_TOLERANCE);
    return {
      kind: 'video',
      name: `${step ?? rungShort}p`,
      width,
      height,
      videoBitrate,
      maxBitrate: Math.round(videoBitrate * 1.5),
      bufferSize: videoBitrate * 2,
      audioBitrate: audio ? audioBitrate(audio, rungShort >= 480) : null,
    };
  });
}

/**
 * Bits per second for a picture size and rate. Bits grow slower than pixels (exponent 0.75):
 * small pictures need more bits per pixel. Rates above 30 fps get up to 1.5x.
 */
export function targetVideoBitrate(pixels: number, fps: number): number {
  const fpsFactor = fps > 30 ? Math.min(1.5, (fps / 30) ** 0.6) : 1;
  return Math.round((REFERENCE_BITRATE * (pixels / REFERENCE_PIXELS) ** 0.75 * fpsFactor) / 1000) * 1000;
}

/**
 * Never spend more than the source had (it cannot add detail), but keep the floor; and never
 * ask x264 for almost nothing, which a thumbnail-sized source would otherwise compute.
 */
function capBitrate(target: number, source: number | null): number {
  const capped =
    source === null ? target : Math.max(Math.min(target, source), Math.min(target, VIDEO_BITRATE_FLOOR));
  return Math.max(MIN_VIDEO_BITRATE, capped);
}

/** AAC-LC bits per second: 128k stereo for big rungs and audio-only, 96k for small ones, half for mono. */
export function audioBitrate(audio: AudioStreamInfo, large: boolean): number {
  const stereo = large ? 128_000 : 96_000;
  const target = outputChannels(audio) === 1 ? stereo / 2 : stereo;
  return audio.bitrate === null ? target : Math.min(target, Math.max(audio.bitrate, 32_000));
}

/** Stereo at most: surround is downmixed, which every browser can play. */
export const outputChannels = (audio: AudioStreamInfo): number => Math.min(2, audio.channels);

/** 44.1 kHz sources stay at 44.1 kHz; everything else becomes 48 kHz. */
export const outputSampleRate = (audio: AudioStreamInfo): number =>
  audio.sampleRate === 44_100 ? 44_100 : 48_000;

function videoShareOf(probe: ProbeResult): number | null {
  if (probe.bitrate === null) return null;
  return Math.max(0, probe.bitrate - (probe.audio?.bitrate ?? 0));
}

function floorEven(n: number): number {
  return Math.max(2, Math.floor(n / 2) * 2);
}

function reduce(num: number, den: number): FrameRate {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const divisor = gcd(num, den);
  return { num: num / divisor, den: den / divisor };
}
