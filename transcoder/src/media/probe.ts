import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { explainFfmpegFailure, MediaRejectedError } from './errors.js';
import { parseProbeOutput, sniffRejectedHeader } from './probe-parse.js';
import { runProcess } from './process.js';
import { safeInputArgs } from './safe-input.js';
import type { ProbeResult } from './types.js';

export { MediaRejectedError, REJECTION_CODES, type RejectionCode } from './errors.js';
export type { AudioStreamInfo, ProbeResult, VideoStreamInfo } from './types.js';

/** Options for probeMedia. */
export interface ProbeOptions {
  ffprobePath?: string;
  signal?: AbortSignal;
  /** ffprobe only reads headers; a minute means it is stuck on a hostile file. */
  timeoutMs?: number;
}

/** ffprobe arguments for `input`, with the same file/demuxer confinement as the transcode. */
export function buildProbeArgs(input: string): string[] {
  return [
    '-hide_banner',
    '-v',
    'error',
    ...safeInputArgs(input),
    '-show_format',
    '-show_streams',
    '-of',
    'json',
  ];
}

/**
 * Describes an uploaded file, or rejects it with a MediaRejectedError whose message can be shown
 * to the uploader (empty, not media, a playlist, no streams, truncated...). Other errors (ffprobe
 * missing, abort, timeout) are the machine's problem and are thrown as they are.
 */
export async function probeMedia(input: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const path = resolve(input);
  const head = await readHead(path);
  const sniffed = sniffRejectedHeader(head);
  if (sniffed) throw new MediaRejectedError(sniffed);

  const result = await runProcess(opts.ffprobePath ?? 'ffprobe', buildProbeArgs(path), {
    captureStdout: true,
    timeoutMs: opts.timeoutMs ?? 60_000,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (result.code !== 0) {
    const failure = explainFfmpegFailure(result.stderr);
    if (!failure.mediaFault) throw new Error(`ffprobe failed: ${failure.message}`);
    throw new MediaRejectedError(failure.code, failure.message);
  }
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    throw new Error('ffprobe printed something that is not JSON');
  }
  return parseProbeOutput(json);
}

/** The first bytes of the file; also refuses directories and other non-files with a clear reason. */
async function readHead(path: string): Promise<Uint8Array> {
  // O_NONBLOCK so a FIFO passed as input cannot hang the worker in open().
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new Error(`Input file does not exist: ${path}`);
      throw error;
    },
  );
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new MediaRejectedError('unreadable');
    const buffer = new Uint8Array(64);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
