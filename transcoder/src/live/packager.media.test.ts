/** Real FFmpeg: fragmented MP4 on a pipe, through the fMP4 reader and the LL-HLS packager. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMediaPlaylist } from '../../../protocol/live-hls/playlist.js';
import { runProcess } from '../media/process.js';
import { Fmp4Reader, type FragmentUnit } from './fmp4.js';
import { fragmentedMp4Output } from './fmp4-args.js';
import { LlHlsPackager, type PartOutput, type SegmentOutput } from './packager.js';
import { LiveRendition } from './rendition.js';

interface Run {
  init: Uint8Array[];
  fragments: FragmentUnit[];
  /** Milliseconds between fragments arriving on the pipe. */
  arrivals: number[];
  parts: PartOutput[];
  segments: SegmentOutput[];
  playlists: string[];
}

/** Runs FFmpeg to its end, handing each stdout chunk to `onChunk`. */
async function runFfmpeg(args: string[], onChunk: (chunk: Uint8Array) => void): Promise<void> {
  const ffmpeg = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  ffmpeg.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  ffmpeg.stdout.on('data', onChunk);
  const code = await new Promise<number | null>((resolve) => ffmpeg.on('close', resolve));
  if (code !== 0) throw new Error(`ffmpeg failed: ${stderr}`);
}

/** Runs FFmpeg on a generated source and pipes its stdout through reader and packager. */
async function packageLive(options: {
  seconds: number;
  gop: number;
  realtime: boolean;
  movflags: string;
}): Promise<Run> {
  // biome-ignore format: an option and its value per line
  const args = [
    '-hide_banner', '-nostdin', '-v', 'error',
    ...(options.realtime ? ['-re'] : []),
    '-f', 'lavfi', '-i', `testsrc=size=320x180:rate=30:duration=${options.seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
    '-g', String(options.gop), '-keyint_min', String(options.gop), '-sc_threshold', '0',
    '-f', 'mp4', '-movflags', options.movflags, '-frag_duration', '200000', 'pipe:1',
  ];
  const run: Run = { init: [], fragments: [], arrivals: [], parts: [], segments: [], playlists: [] };
  const packager = new LlHlsPackager({
    onInit: (init) => run.init.push(init.bytes),
    onPart: (part) => run.parts.push(part),
    onSegment: (segment) => run.segments.push(segment),
    onChange: (state) => run.playlists.push(renderMediaPlaylist(state)),
  });
  const reader = new Fmp4Reader();
  let last: number | undefined;
  await runFfmpeg(args, (chunk) => {
    for (const unit of reader.push(chunk)) {
      if (unit.kind === 'init') {
        packager.pushInit(unit);
        continue;
      }
      const now = performance.now();
      if (last !== undefined) run.arrivals.push(now - last);
      last = now;
      run.fragments.push(unit);
      packager.pushFragment(unit);
    }
  });
  expect(reader.pendingBytes).toBe(0);
  packager.end();
  run.playlists.push(renderMediaPlaylist(packager.state));
  return run;
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

let dir = '';
let oneSecondGop: Run;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vidra-llhls-'));
  // In real time, as a live encoder delivers, so arrival intervals mean something.
  oneSecondGop = await packageLive({
    seconds: 4,
    gop: 30,
    realtime: true,
    movflags: 'empty_moov+default_base_moof',
  });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the LL-HLS packager on real FFmpeg output', () => {
  it('reads the init once, then ~200 ms fragments arriving ~200 ms apart', () => {
    const { init, fragments, arrivals, parts } = oneSecondGop;
    expect(init).toHaveLength(1);
    expect(fragments.length).toBeGreaterThanOrEqual(18);
    const durations = parts.map((p) => p.durationSeconds * 1000);
    console.info(
      `parts: ${parts.length}, mean ${mean(durations).toFixed(1)} ms; arrival p50 ${median(arrivals).toFixed(1)} ms`,
    );
    expect(mean(durations)).toBeGreaterThanOrEqual(150);
    expect(mean(durations)).toBeLessThanOrEqual(260);
    expect(median(arrivals)).toBeGreaterThan(150);
    expect(median(arrivals)).toBeLessThan(260);
  });

  it('cuts 1 s segments that start on keyframes and hold every part', () => {
    const { segments, parts, fragments } = oneSecondGop;
    console.info(`segments: ${segments.map((s) => s.durationSeconds.toFixed(3)).join(', ')} s`);
    expect(segments).toHaveLength(4);
    for (const segment of segments) {
      expect(segment.durationSeconds).toBeCloseTo(1, 2);
      expect(segment.parts[0]?.independent).toBe(true);
      expect(segment.parts.slice(1).every((p) => !p.independent)).toBe(true);
    }
    expect(segments.flatMap((s) => s.parts).map((p) => p.name)).toEqual(parts.map((p) => p.name));
    expect(fragments.filter((f) => f.keyframe)).toHaveLength(4);
    expect(parts.filter((p) => p.hintedAs)).toHaveLength(0); // the 1 s GOP is what the hint assumes
  });

  it('renders live playlists with parts, independent parts and a preload hint', () => {
    const live = oneSecondGop.playlists[Math.floor(oneSecondGop.playlists.length / 2)] ?? '';
    expect(live).toMatch(/^#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-TARGETDURATION:1\n/);
    expect(live).toContain('#EXT-X-PART-INF:PART-TARGET=0.20000\n');
    expect(live).toMatch(/#EXT-X-PART:DURATION=0\.2\d+,URI="part_\d{5}_0\.m4s",INDEPENDENT=YES\n/);
    expect(live).toMatch(/#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_\d{5}_\d\.m4s"\n$/);
    expect(live).toMatch(/#EXT-X-PROGRAM-DATE-TIME:\d{4}-\d\d-\d\dT/);
    expect(oneSecondGop.playlists.at(-1)).toMatch(/#EXTINF:1\.00000,\nseg_00004\.m4s\n#EXT-X-ENDLIST\n$/);
  });

  it('writes segments that FFmpeg reads back behind the init: 30 frames of H.264 each', async () => {
    const { init, segments } = oneSecondGop;
    const file = join(dir, 'init-and-segment-2.mp4');
    await writeFile(file, Buffer.concat([init[0] as Uint8Array, (segments[1] as SegmentOutput).bytes]));
    const args = [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,nb_read_frames',
      '-of',
      'csv=p=0',
      file,
    ];
    const probe = await runProcess('ffprobe', args, { captureStdout: true, timeoutMs: 30_000 });
    expect(probe.code, probe.stderr).toBe(0);
    expect(probe.stdout.trim()).toBe('h264,30');
  });

  it('follows a 2 s GOP, and with frag_keyframe an odd 1.5 s one, since segments start on keyframes', async () => {
    const twoSeconds = await packageLive({
      seconds: 4,
      gop: 60,
      realtime: false,
      movflags: 'empty_moov+default_base_moof',
    });
    expect(twoSeconds.segments.map((s) => Math.round(s.durationSeconds * 10) / 10)).toEqual([2, 2]);
    expect(twoSeconds.playlists.at(-1)).toContain('#EXT-X-TARGETDURATION:2\n');
    // Without frag_keyframe a keyframe at 1.5 s lands inside a fragment and no part starts on it.
    const odd = await packageLive({
      seconds: 3,
      gop: 45,
      realtime: false,
      movflags: 'empty_moov+default_base_moof+frag_keyframe',
    });
    expect(odd.segments.map((s) => s.durationSeconds)).toEqual([1.5, 1.5]);
    expect(odd.segments.every((s) => s.parts[0]?.independent)).toBe(true);
  });

  it('survives an FFmpeg restart as a discontinuity, with a new init when the stream changed', async () => {
    const segments: SegmentOutput[] = [];
    const inits: Array<{ name: string; bytes: Uint8Array }> = [];
    const rendition = new LiveRendition({ onSegment: (s) => segments.push(s), onInit: (i) => inits.push(i) });
    // biome-ignore format: an option and its value per line
    const source = (audio: boolean) => [
      '-hide_banner', '-nostdin', '-v', 'error',
      '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=30:duration=2',
      ...(audio ? ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2:sample_rate=48000', '-c:a', 'aac'] : []),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
      '-g', '30', '-keyint_min', '30', '-sc_threshold', '0',
      ...fragmentedMp4Output(),
    ];
    await runFfmpeg(source(false), rendition.startInput());
    const blocked = rendition.waiters.wait({ msn: 3, part: 0, skip: false }, 10_000);
    await runFfmpeg(source(true), rendition.startInput());
    // Released by the first part after the restart.
    expect(await blocked).toMatchObject({ current: { msn: 3, discontinuity: true } });
    rendition.end();
    expect(inits.map((i) => i.name)).toEqual(['init.mp4', 'init_1.mp4']);
    expect(segments.map((s) => [s.msn, s.discontinuity, s.init])).toEqual([
      [1, false, 'init.mp4'],
      [2, false, 'init.mp4'],
      [3, true, 'init_1.mp4'],
      [4, false, 'init_1.mp4'],
    ]);
    const text = renderMediaPlaylist(rendition.packager.state);
    expect(text).toContain('seg_00002.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init_1.mp4"\n');

    // The segment after the restart plays behind its own init: H.264 and AAC.
    const file = join(dir, 'after-restart.mp4');
    await writeFile(file, Buffer.concat([inits[1]?.bytes as Uint8Array, segments[2]?.bytes as Uint8Array]));
    const args = ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', file];
    const probe = await runProcess('ffprobe', args, { captureStdout: true, timeoutMs: 30_000 });
    expect(probe.stdout.trim().split('\n').sort()).toEqual(['aac', 'h264']);
  });
});
