/** Real FFmpeg: fast first play by stream copy. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeStreams, jpegSize, makeClip, walk } from '../../test/clips.js';
import { MediaRejectedError } from './errors.js';
import { probeMedia } from './probe.js';
import { isWebCompatible, remuxToHls } from './transcode.js';

let dir = '';
let h264 = '';
let mpeg4 = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vidra-remux-'));
  // A 1 s GOP so the copy has several segments to cut at the source's own keyframes.
  // biome-ignore format: an option and its value per line
  const x264 = [
    '-c:v', 'libx264', '-preset', 'superfast', '-profile:v', 'main', '-pix_fmt', 'yuv420p', '-g', '30',
  ];
  [h264, mpeg4] = await Promise.all([
    makeClip(dir, {
      name: 'web.mp4',
      seconds: 3,
      video: { width: 426, height: 240 },
      audio: true,
      videoCodec: x264,
    }),
    makeClip(dir, {
      name: 'old.avi',
      seconds: 2,
      video: { width: 320, height: 240 },
      videoCodec: ['-c:v', 'mpeg4'],
    }),
  ]);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('remuxToHls with real FFmpeg', () => {
  it('copies a web-compatible H.264/AAC file into one playable rendition with a poster', async () => {
    const probe = await probeMedia(h264);
    expect(isWebCompatible(probe)).toBe(true);
    const outDir = join(dir, 'out-web');
    const progress: number[] = [];
    const result = await remuxToHls({ input: h264, outDir, probe, onProgress: (p) => progress.push(p) });

    expect(result.renditions).toHaveLength(1);
    const [source] = result.renditions;
    expect(source).toMatchObject({ name: 'source', width: 426, height: 240, frameRate: 30 });
    expect(source?.playlist).toBe('source/index.m3u8');
    expect(source?.codecs).toMatch(/^avc1\.4d[0-9a-f]{4},mp4a\.40\.2$/);
    expect(result.thumbnail).toBe('thumbnail.jpg');
    expect(await jpegSize(join(outDir, 'thumbnail.jpg'))).toEqual({ width: 426, height: 240 });
    expect(result.storyboard).toBeUndefined();
    expect([...result.files].sort()).toEqual(await walk(outDir));
    expect(progress.at(-1)).toBe(100);

    // Stream copy: the very same H.264 stream (profile, level, size) and AAC track.
    const [input, output] = await Promise.all([
      ffprobeStreams(h264),
      ffprobeStreams(join(outDir, source?.playlist ?? '')),
    ]);
    const pick = (streams: Array<Record<string, unknown>>) =>
      streams.map((s) => [s.codec_type, s.codec_name, s.profile, s.level, s.width, s.height]);
    expect(pick(output)).toEqual(pick(input));

    const playlist = await readFile(join(outDir, 'source/index.m3u8'), 'utf8');
    expect(playlist).toContain('#EXT-X-MAP:URI="init.mp4"');
    expect(playlist.match(/#EXTINF:/g)?.length).toBeGreaterThanOrEqual(1);
    const master = await readFile(join(outDir, 'master.m3u8'), 'utf8');
    expect(master).toContain(
      `RESOLUTION=426x240,CODECS="${source?.codecs}",FRAME-RATE=30.000\nsource/index.m3u8\n`,
    );
  });

  it('refuses a source that needs transcoding, as a caller error rather than a bad upload', async () => {
    const probe = await probeMedia(mpeg4);
    expect(isWebCompatible(probe)).toBe(false);
    const run = remuxToHls({ input: mpeg4, outDir: join(dir, 'out-old'), probe });
    await expect(run).rejects.toThrow('not web compatible');
    await expect(run).rejects.not.toBeInstanceOf(MediaRejectedError);
  });
});
