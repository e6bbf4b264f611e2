import { isAbsolute, resolve } from 'node:path';

/**
 * Demuxers an upload may be opened with: real media containers only. Each name matches FFmpeg's
 * demuxer name list (`mov` covers mov/mp4/m4a/3gp, `matroska` covers webm). Left out on purpose:
 * `hls`, `concat`, `image2`/image pipes, `lavfi`, `data`, `tee`, `tty`, `bin` and every other
 * format that reads other files, URLs or generates content, so a crafted "video" cannot make
 * FFmpeg open /etc/passwd or fetch an internal URL (CVE-2016-1897 style SSRF/LFI).
 */
export const ALLOWED_DEMUXERS = [
  'mov',
  'matroska',
  'avi',
  'flv',
  'mpegts',
  'mpeg',
  'ogg',
  'wav',
  'mp3',
  'aac',
  'flac',
  'asf',
] as const;

/** Only local files: no http, tcp, data, concat, subfile, crypto... even if a demuxer asks. */
export const ALLOWED_PROTOCOLS = ['file'] as const;

/**
 * The `file:` URL FFmpeg opens for `input`. The prefix stops a name like `concat:a|b` or
 * `http://x` being read as a protocol, and an absolute path stops relative-path surprises.
 */
export function toFileInput(input: string): string {
  return `file:${isAbsolute(input) ? input : resolve(input)}`;
}

/**
 * Input options for FFmpeg and ffprobe that confine reading to the one uploaded file. Put them
 * right before the input: the whitelists are per-input options and also bind nested opens.
 */
export function safeInputArgs(input: string): string[] {
  return [
    '-protocol_whitelist',
    ALLOWED_PROTOCOLS.join(','),
    '-format_whitelist',
    ALLOWED_DEMUXERS.join(','),
    '-i',
    toFileInput(input),
  ];
}
