import { MediaRejectedError, type RejectionCode } from './errors.js';
import type { AudioStreamInfo, ProbeResult, VideoStreamInfo } from './types.js';

type Json = Record<string, unknown>;

/**
 * Refuses text uploads that FFmpeg would treat as instructions to open other files, before FFmpeg
 * sees them. The demuxer whitelist already blocks them; this only gives the uploader a clearer
 * message. Looks at the first bytes of the file.
 */
export function sniffRejectedHeader(head: Uint8Array): RejectionCode | null {
  if (head.length === 0) return 'empty';
  const text = new TextDecoder('utf-8', { fatal: false })
    .decode(head.subarray(0, 64))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^#EXTM3U/i.test(text) || /^\[playlist\]/i.test(text)) return 'playlist';
  if (/^ffconcat\s+version/i.test(text)) return 'playlist';
  return null;
}

/** Turns `ffprobe -show_format -show_streams -of json` output into a ProbeResult, or rejects the file. */
export function parseProbeOutput(output: unknown): ProbeResult {
  const root = asObject(output);
  const format = asObject(root.format);
  const streams = Array.isArray(root.streams) ? root.streams.map(asObject) : [];
  const video = streams.map(parseVideo).find((stream) => stream !== undefined);
  const audio = streams.map(parseAudio).find((stream) => stream !== undefined);
  if (!video && !audio) throw new MediaRejectedError('no-streams');

  const streamDurations = streams.map((s) => toNumber(s.duration) ?? 0);
  const durationSeconds = toNumber(format.duration) ?? Math.max(0, ...streamDurations);
  if (!(durationSeconds > 0)) throw new MediaRejectedError('unreadable', 'The file has no playable duration');

  return {
    formatName: typeof format.format_name === 'string' ? format.format_name : 'unknown',
    durationSeconds,
    bitrate: toNumber(format.bit_rate),
    ...(video ? { video } : {}),
    ...(audio ? { audio } : {}),
  };
}

function parseVideo(stream: Json): VideoStreamInfo | undefined {
  if (stream.codec_type !== 'video' || typeof stream.codec_name !== 'string') return undefined;
  // Cover art in MP3/M4A files is a one-picture "video" stream; it is not a video to transcode.
  if (asObject(stream.disposition).attached_pic === 1) return undefined;
  const codedWidth = toNumber(stream.width) ?? 0;
  const codedHeight = toNumber(stream.height) ?? 0;
  if (codedWidth <= 0 || codedHeight <= 0) return undefined;

  const sar = toRatio(stream.sample_aspect_ratio);
  const squareWidth = Math.round(sar && sar > 0 ? codedWidth * sar : codedWidth);
  const rotation = parseRotation(stream);
  const swap = rotation === 90 || rotation === 270;
  const avg = sane(toRatio(stream.avg_frame_rate));
  const base = sane(toRatio(stream.r_frame_rate));
  const fps = avg ?? base ?? 30;
  // Containers report the base rate and the average; a real gap between them means VFR.
  const variableFrameRate = avg !== null && base !== null && Math.abs(avg - base) / avg > 0.01;

  return {
    ...(typeof stream.index === 'number' ? { index: stream.index } : {}),
    codec: stream.codec_name,
    ...(typeof stream.profile === 'string' ? { profile: stream.profile } : {}),
    ...(typeof stream.pix_fmt === 'string' ? { pixFmt: stream.pix_fmt } : {}),
    width: swap ? codedHeight : squareWidth,
    height: swap ? squareWidth : codedHeight,
    fps,
    variableFrameRate,
    bitrate: toNumber(stream.bit_rate),
    rotation,
  };
}

function parseAudio(stream: Json): AudioStreamInfo | undefined {
  if (stream.codec_type !== 'audio' || typeof stream.codec_name !== 'string') return undefined;
  const channels = toNumber(stream.channels) ?? 0;
  const sampleRate = toNumber(stream.sample_rate) ?? 0;
  if (channels <= 0 || sampleRate <= 0) return undefined;
  return {
    ...(typeof stream.index === 'number' ? { index: stream.index } : {}),
    codec: stream.codec_name,
    ...(typeof stream.profile === 'string' ? { profile: stream.profile } : {}),
    channels,
    sampleRate,
    bitrate: toNumber(stream.bit_rate),
  };
}

/**
 * Clockwise rotation the player applies. ffprobe reports the display matrix angle, which is
 * counter-clockwise (-90 for a phone held upright); older files carry a clockwise `rotate` tag.
 */
function parseRotation(stream: Json): number {
  const sideData = Array.isArray(stream.side_data_list) ? stream.side_data_list.map(asObject) : [];
  const matrix = sideData.find((d) => typeof d.rotation === 'number');
  const tag = toNumber(asObject(stream.tags).rotate);
  const clockwise = matrix ? -(matrix.rotation as number) : (tag ?? 0);
  return (((Math.round(clockwise / 90) * 90) % 360) + 360) % 360;
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** ffprobe prints numbers as strings and unknowns as `N/A`. */
function toNumber(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

/** `30000/1001` or `16:9` as a number; `0/0` and `0:1` (unknown) as null. */
function toRatio(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const [num, den] = value.split(/[/:]/).map(Number);
  if (num === undefined || den === undefined || !(num > 0) || !(den > 0)) return null;
  return num / den;
}

/** Frame rates outside 0.1-1000 are timebase artefacts, not real rates. */
function sane(fps: number | null): number | null {
  return fps !== null && fps >= 0.1 && fps <= 1000 ? fps : null;
}
