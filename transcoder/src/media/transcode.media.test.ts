/** Real FFmpeg: ladders from tiny generated clips, checked with ffprobe. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLadder, expectCodecMatches } from '../../test/checks.js';
import { ffprobeStreams, jpegSize, keyframeTimes, makeClip } from '../../test/clips.js';
import { parseMediaPlaylist } from './hls-playlist.js';
import { transcodeToHls } from './transcode.js';

let dir = '';
const clips: Record<string, string> = {};
const fast = { preset: 'ultrafast', segmentSeconds: 1 } as const;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vidra-transcode-'));
  const specs = [
    { name: 'landscape.mp4', seconds: 4, video: { width: 640, height: 360 }, audio: true },
    { name: 'silent.mkv', seconds: 3, video: { width: 426, height: 240 } },
    { name: 'audio.m4a', seconds: 3, audio: true },
    {
      name: 'portrait.avi',
      seconds: 3,
      video: { width: 241, height: 427, rate: 25 },
      videoCodec: ['-c:v', 'mpeg4', '-q:v', '5'],
    },
    { name: 'vfr.mp4', seconds: 4, video: { width: 640, height: 360, vfr: true }, audio: true },
  ];
  await Promise.all(
    specs.map(async (spec) => {
      clips[spec.name] = await makeClip(dir, spec);
    }),
  );
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const clip = (name: string) => clips[name] ?? '';

describe('transcodeToHls with real FFmpeg', () => {
  it('turns a landscape clip with audio into an aligned fMP4 ladder with poster and storyboard', async () => {
    const outDir = join(dir, 'out-landscape');
    const progress: number[] = [];
    const result = await transcodeToHls({
      input: clip('landscape.mp4'),
      outDir,
      ...fast,
      onProgress: (p) => progress.push(p),
    });

    expect(result.renditions.map((r) => [r.name, r.width, r.height, r.frameRate, r.playlist])).toEqual([
      ['360p', 640, 360, 30, '360p/index.m3u8'],
      ['240p', 426, 240, 30, '240p/index.m3u8'],
    ]);
    expect(result.durationSeconds).toBeCloseTo(4, 1);
    for (const rendition of result.renditions) {
      const streams = await ffprobeStreams(join(outDir, rendition.playlist));
      const video = streams.find((s) => s.codec_type === 'video') ?? {};
      expect(video).toMatchObject({ codec_name: 'h264', width: rendition.width, height: rendition.height });
      expect(video).toMatchObject({ pix_fmt: 'yuv420p', avg_frame_rate: '30/1' });
      expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({
        codec_name: 'aac',
        profile: 'LC',
      });
      expectCodecMatches(rendition.codecs, video);
      expect(rendition.codecs).toMatch(/,mp4a\.40\.2$/);
    }

    // Same segment boundaries everywhere: identical EXTINF lists and keyframes at whole seconds.
    const [top, bottom] = await Promise.all(
      result.renditions.map(async (r) =>
        parseMediaPlaylist(await readFile(join(outDir, r.playlist), 'utf8')),
      ),
    );
    expect(top?.segments.length).toBe(4);
    expect(top?.segments.map((s) => s.durationSeconds)).toEqual(
      bottom?.segments.map((s) => s.durationSeconds),
    );
    const keyframes = await Promise.all(
      result.renditions.map((r) => keyframeTimes(join(outDir, r.playlist))),
    );
    expect(keyframes[0]).toEqual(keyframes[1]);
    const first = keyframes[0]?.[0] ?? 0;
    expect(keyframes[0]?.map((t) => Math.round((t - first) * 1000) / 1000)).toEqual([0, 1, 2, 3]);

    expect(result.thumbnail).toBe('thumbnail.jpg');
    expect(await jpegSize(join(outDir, 'thumbnail.jpg'))).toEqual({ width: 640, height: 360 });
    expect(result.storyboard).toEqual({ image: 'storyboard.jpg', vtt: 'storyboard.vtt' });
    expect(await jpegSize(join(outDir, 'storyboard.jpg'))).toEqual({ width: 640, height: 90 });
    const vtt = await readFile(join(outDir, 'storyboard.vtt'), 'utf8');
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    const cues = [
      ...vtt.matchAll(
        /(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\nstoryboard\.jpg#xywh=(\d+),(\d+),(\d+),(\d+)/g,
      ),
    ];
    expect(cues.map((c) => [c[1], Number(c[3]), Number(c[4]), Number(c[5]), Number(c[6])])).toEqual([
      ['00:00:00.000', 0, 0, 160, 90],
      ['00:00:01.000', 160, 0, 160, 90],
      ['00:00:02.000', 320, 0, 160, 90],
      ['00:00:03.000', 480, 0, 160, 90],
    ]);

    expect(progress.at(-1)).toBe(100);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    await checkLadder(outDir, result);
  });

  it('writes an audio-only rendition for an audio-only source', async () => {
    const outDir = join(dir, 'out-audio');
    const result = await transcodeToHls({ input: clip('audio.m4a'), outDir, ...fast });
    expect(result.renditions).toHaveLength(1);
    expect(result.renditions[0]).toMatchObject({
      name: 'audio',
      codecs: 'mp4a.40.2',
      playlist: 'audio/index.m3u8',
    });
    expect(result.renditions[0]?.width).toBeUndefined();
    expect(result.thumbnail).toBeUndefined();
    expect(result.storyboard).toBeUndefined();
    const streams = await ffprobeStreams(join(outDir, 'audio/index.m3u8'));
    expect(streams.map((s) => s.codec_type)).toEqual(['audio']);
    const master = await readFile(join(outDir, 'master.m3u8'), 'utf8');
    expect(master).not.toContain('RESOLUTION=');
    expect(master).toContain('CODECS="mp4a.40.2"\naudio/index.m3u8\n');
    await checkLadder(outDir, result);
  });

  it('writes video-only renditions for a silent source', async () => {
    const outDir = join(dir, 'out-silent');
    const result = await transcodeToHls({ input: clip('silent.mkv'), outDir, ...fast });
    expect(result.renditions.map((r) => [r.name, r.width, r.height])).toEqual([['240p', 426, 240]]);
    expect(result.renditions[0]?.codecs).toMatch(/^avc1\.[0-9a-f]{6}$/);
    const streams = await ffprobeStreams(join(outDir, '240p/index.m3u8'));
    expect(streams.map((s) => s.codec_type)).toEqual(['video']);
    await checkLadder(outDir, result);
  });

  it('gives an odd-sized portrait source even, portrait renditions', async () => {
    const outDir = join(dir, 'out-portrait');
    const result = await transcodeToHls({ input: clip('portrait.avi'), outDir, ...fast });
    expect(result.renditions.map((r) => [r.name, r.width, r.height, r.frameRate])).toEqual([
      ['240p', 240, 426, 25],
    ]);
    const [video] = await ffprobeStreams(join(outDir, '240p/index.m3u8'));
    expect(video).toMatchObject({ codec_name: 'h264', width: 240, height: 426, pix_fmt: 'yuv420p' });
    expect(await jpegSize(join(outDir, 'thumbnail.jpg'))).toEqual({ width: 240, height: 426 });
    await checkLadder(outDir, result);
  });

  it('encodes a variable-frame-rate source at a constant rate with aligned segments', async () => {
    const outDir = join(dir, 'out-vfr');
    const result = await transcodeToHls({ input: clip('vfr.mp4'), outDir, ...fast });
    expect(result.renditions.map((r) => [r.name, r.frameRate])).toEqual([
      ['360p', 23.976],
      ['240p', 23.976],
    ]);
    const keyframes = await Promise.all(
      result.renditions.map((r) => keyframeTimes(join(outDir, r.playlist))),
    );
    expect(keyframes[0]).toEqual(keyframes[1]);
    const first = keyframes[0]?.[0] ?? 0;
    // 24000/1001 fps with a 1 s target: keyframes every 24 frames, i.e. every 1.001 s.
    expect(keyframes[0]?.map((t) => Math.round((t - first) * 1000) / 1000)).toEqual([0, 1.001, 2.002, 3.003]);
    const streams = await ffprobeStreams(join(outDir, '360p/index.m3u8'));
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ avg_frame_rate: '24000/1001' });
    await checkLadder(outDir, result);
  });
});
