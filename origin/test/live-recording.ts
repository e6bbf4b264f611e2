// A real recorded live stream for replay tests: FFmpeg writes the fragmented MP4 a live job's
// source copy is (H.264 + AAC, 200 ms fragments), the real LL-HLS packager cuts it, and the init
// and finished segments are stored where the live hub stores them.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { hlsKey, LIVE_SOURCE_RENDITION, renditionFile, videoObjectKey } from '../../protocol/media.js';
import { Fmp4Reader } from '../../transcoder/src/live/fmp4.js';
import { LlHlsPackager } from '../../transcoder/src/live/packager.js';
import type { Storage } from '../src/storage/types.js';

const run = promisify(execFile);

export interface Recording {
  inits: Array<{ name: string; bytes: Uint8Array }>;
  segments: Array<{ name: string; bytes: Uint8Array; durationSeconds: number }>;
  /** Sum of the finished segments' durations: the live's recorded length. */
  recordedSeconds: number;
}

/** A `seconds` long fMP4 stream as the live job's source copy writes it. */
export async function liveStreamBytes(seconds: number): Promise<Uint8Array> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-live-rec-'));
  const file = path.join(dir, 'stream.mp4');
  try {
    await run('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y'],
      ...['-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=25:duration=${seconds}`],
      ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25'],
      ...['-c:a', 'aac', '-b:a', '64k'],
      ...['-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_keyframe', '-frag_duration', '200000'],
      file,
    ]);
    return new Uint8Array(readFileSync(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The real packager fed `runs` (each one FFmpeg of the live job: a reconnect between them, media
 * time starting afresh), as the live job ends: the segment in progress is finished.
 */
export function packageRecording(runs: Uint8Array[]): Recording {
  const recording: Recording = { inits: [], segments: [], recordedSeconds: 0 };
  const packager = new LlHlsPackager({
    onInit: (init) => recording.inits.push(init),
    onSegment: (segment) =>
      recording.segments.push({
        name: segment.name,
        bytes: segment.bytes,
        durationSeconds: segment.durationSeconds,
      }),
  });
  runs.forEach((bytes, index) => {
    if (index > 0) packager.discontinuity();
    for (const unit of new Fmp4Reader().push(bytes)) {
      if (unit.kind === 'init') packager.pushInit(unit);
      else packager.pushFragment(unit);
    }
  });
  packager.end();
  recording.recordedSeconds = recording.segments.reduce((sum, s) => sum + s.durationSeconds, 0);
  return recording;
}

/** Store a recording where the live hub does: `<video>/hls/source/<file>`. */
export async function storeRecording(storage: Storage, videoId: string, recording: Recording) {
  for (const file of [...recording.inits, ...recording.segments])
    await storage.put(
      videoObjectKey(videoId, hlsKey(renditionFile(LIVE_SOURCE_RENDITION, file.name))),
      new Uint8Array(file.bytes),
    );
}
