/**
 * Tiny generated media for the real-FFmpeg tests (not a test file itself). Clips come from lavfi
 * `testsrc2`/`sine` and are encoded with `ultrafast` so a whole suite generates in seconds.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { runProcess } from '../src/media/process.js';

/** A clip to generate with lavfi. */
export interface ClipSpec {
  seconds: number;
  video?: { width: number; height: number; rate?: number; vfr?: boolean };
  audio?: boolean;
  /** Output file name; its extension picks the container (default `.mp4`). */
  name: string;
  /** Video encoder options (default H.264 ultrafast). */
  videoCodec?: string[];
  faststart?: boolean;
}

/** Writes a clip into `dir` and returns its path. */
export async function makeClip(dir: string, spec: ClipSpec): Promise<string> {
  const { video, seconds } = spec;
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-y'];
  if (video) {
    // testsrc2 only makes even sizes: generate one pixel more and crop (in 4:4:4, which allows odd).
    const size = `${video.width + (video.width % 2)}x${video.height + (video.height % 2)}`;
    args.push('-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${video.rate ?? 30}:duration=${seconds}`);
  }
  if (spec.audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}:sample_rate=48000`);
  if (video) {
    const filters = [`format=yuv444p,crop=${video.width}:${video.height}:0:0`];
    // VFR: the first half keeps every other frame (half rate), the second half every frame.
    if (video.vfr) filters.push(`select='if(lt(t,${seconds / 2}),not(mod(n,2)),1)'`);
    args.push('-vf', filters.join(','), ...(video.vfr ? ['-fps_mode', 'vfr'] : []));
    args.push(...(spec.videoCodec ?? ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p']));
  }
  if (spec.audio) args.push('-c:a', 'aac', '-b:a', '96k');
  if (spec.faststart) args.push('-movflags', '+faststart');
  const output = join(dir, spec.name);
  const result = await runProcess('ffmpeg', [...args, output], { timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`could not generate ${spec.name}: ${result.stderr}`);
  return output;
}

/** Every file under `dir`, relative to it, sorted. */
export async function walk(dir: string, root = dir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name), root) : [relative(root, join(dir, entry.name))],
    ),
  );
  return nested.flat().sort();
}

/** Stream facts of a produced file as ffprobe (unrestricted, our own output) sees them. */
export async function ffprobeStreams(path: string): Promise<Array<Record<string, unknown>>> {
  const args = ['-v', 'error', '-show_streams', '-of', 'json', path];
  const result = await runProcess('ffprobe', args, { captureStdout: true, timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`ffprobe ${path}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { streams: Array<Record<string, unknown>> }).streams;
}

/**
 * Presentation times of the video keyframes of an HLS rendition, read through its playlist, i.e.
 * where each segment starts. Used to check segments line up across renditions.
 */
export async function keyframeTimes(playlist: string): Promise<number[]> {
  const args = [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'packet=pts_time,flags',
    '-of',
    'csv=p=0',
  ];
  const result = await runProcess('ffprobe', [...args, playlist], { captureStdout: true, timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`ffprobe ${playlist}: ${result.stderr}`);
  return result.stdout
    .split('\n')
    .filter((line) => line.includes('K'))
    .map((line) => Number(line.split(',')[0]));
}

/** JPEG width and height from its SOF marker, so tests can check image sizes without a decoder. */
export async function jpegSize(path: string): Promise<{ width: number; height: number }> {
  const bytes = await readFile(path);
  for (let i = 2; i + 9 < bytes.length; ) {
    if (bytes[i] !== 0xff) throw new Error('not a JPEG');
    const marker = bytes[i + 1] ?? 0;
    const length = bytes.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc3)
      return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    i += 2 + length;
  }
  throw new Error('JPEG without a frame header');
}

/** Deterministic pseudo-random bytes (xorshift), so "corrupt file" tests never flake. */
export function pseudoRandomBytes(length: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Size in bytes, for truncation fixtures. */
export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}

/** Pids of live processes whose command line mentions `text` (Linux /proc), to prove none is left. */
export async function processesMentioning(text: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const found: number[] = [];
  for (const pid of pids) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text) && Number(pid) !== process.pid) found.push(Number(pid));
  }
  return found;
}

/**
 * Copies an MP4 with its first track turned 90° clockwise, the way phones store portrait video:
 * the picture stays landscape and the track header's display matrix says how to turn it. FFmpeg
 * 5.1 has no option to write that matrix, so the tkhd box is patched (version 0 layout).
 */
export async function rotateMp4(input: string, output: string): Promise<string> {
  const bytes = Buffer.from(await readFile(input));
  const tkhd = bytes.indexOf('tkhd');
  if (tkhd < 0 || bytes[tkhd + 4] !== 0) throw new Error('no version-0 tkhd box');
  // Matrix {a, b, u, c, d, v, x, y, w} in 16.16 / 2.30 fixed point: a=0, b=1, c=-1, d=0, w=1.
  const matrix = [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000];
  matrix.forEach((value, i) => {
    bytes.writeInt32BE(value, tkhd + 4 + 40 + i * 4);
  });
  await writeFile(output, bytes);
  return output;
}
