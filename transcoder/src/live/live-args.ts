import type { LiveJobPayload } from '../../../protocol/live.js';
import { encoderDeviceArgs, liveEncoderArgs, type VideoEncoder } from '../media/encoders.js';
import { fragmentedMp4Output } from './fmp4-args.js';

/** One rendition of a live ladder, as the live FFmpeg writes it. */
export interface LiveRung {
  /** Folder of the rendition: `source`, `720p`, `360p`. */
  name: string;
  /** Target height of a transcoded rung; undefined for the source. */
  height?: number;
  /** x264 video bitrate in kbit/s of a transcoded rung. */
  videoKbps?: number;
}

const RUNGS: Record<'720p' | '360p', LiveRung> = {
  '720p': { name: '720p', height: 720, videoKbps: 2800 },
  '360p': { name: '360p', height: 360, videoKbps: 800 },
};

/** The renditions of a ladder, source first (its output is stdout, the rungs fds 3, 4, ...). */
export function liveRungs(ladder: LiveJobPayload['ladder']): LiveRung[] {
  const [, ...rest] = ladder.split('+') as ['source', ...('720p' | '360p')[]];
  return [{ name: 'source' }, ...rest.map((name) => RUNGS[name])];
}

/** The pipe a rung's fragmented MP4 goes to: stdout for the first, then fd 3, 4, ... */
export const rungPipe = (index: number): string => (index === 0 ? 'pipe:1' : `pipe:${index + 2}`);

export interface LiveArgsInput {
  sourceUrl: string;
  ladder: LiveJobPayload['ladder'];
  /** Copy the source's H.264/AAC as it is; false re-encodes it (another codec came in). */
  copySource: boolean;
  /** x264 preset of transcoded renditions; `veryfast` unless a test asks for faster. */
  preset?: string;
  /** A hardware encoder chosen at start-up (encoders.ts); x264 at `preset` when absent. */
  encoder?: VideoEncoder;
  partSeconds?: number;
}

/**
 * The one FFmpeg command of a live job: pull the stream from ingest, write each rendition as
 * fragmented MP4 on its own pipe. `-rw_timeout` makes a dead connection an exit rather than a hang
 * (the watchdog would catch it too, later).
 */
export function liveFfmpegArgs(input: LiveArgsInput): string[] {
  const encoder = input.encoder ?? { kind: 'x264', preset: input.preset ?? 'veryfast' };
  const out: string[] = [
    ...['-hide_banner', '-nostdin', '-v', 'error', ...encoderDeviceArgs(encoder)],
    // FLV from ingest may announce audio that never comes (a video-only encoder): FFmpeg's default
    // 5 s analysis would outlast the 3 s watchdog and restart forever, so analyse 1 s at most.
    ...['-analyzeduration', '1000000', '-rw_timeout', '3000000', '-i', input.sourceUrl],
  ];
  liveRungs(input.ladder).forEach((rung, index) => {
    out.push('-map', '0:v:0', '-map', '0:a:0?');
    if (rung.height === undefined && input.copySource) out.push('-c', 'copy');
    else {
      // A 1 s GOP forced on the clock, so every rung has its keyframes at the same times.
      out.push(...liveEncoderArgs(encoder, { kbps: rung.videoKbps, height: rung.height }));
      out.push('-c:a', 'aac', '-b:a', '128k');
    }
    out.push(...fragmentedMp4Output(input.partSeconds, rungPipe(index)));
  });
  return out;
}
