import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateClip } from '../../../test/support/stack.js';
import { locateFfmpeg } from '../ffmpeg.js';
import { legacyArgs, supportsFpsMode } from './ffmpeg-compat.js';
import { transcodeToHls } from './transcode.js';

describe('legacyArgs', () => {
  it('turns per-output -fps_mode into one global -vsync and numbers the variant folders', () => {
    const args = [
      '-i',
      'file:/in.mp4',
      '-var_stream_map',
      'v:0,a:0,name:360p v:1,a:1,name:240p',
      '/out/%v/index.m3u8',
    ];
    args.push('-map', '[th]', '-fps_mode', 'passthrough', '/out/thumbnail.jpg');
    expect(legacyArgs(args)).toEqual({
      args: [
        '-vsync',
        'passthrough',
        '-i',
        'file:/in.mp4',
        '-var_stream_map',
        'v:0,a:0 v:1,a:1',
        '/out/%v/index.m3u8',
        '-map',
        '[th]',
        '/out/thumbnail.jpg',
      ],
      renames: [
        { from: '/out/0', to: '/out/360p' },
        { from: '/out/1', to: '/out/240p' },
      ],
    });
  });

  it('leaves lists without those options alone', () => {
    expect(legacyArgs(['-i', 'a', 'b.mp4'])).toEqual({ args: ['-i', 'a', 'b.mp4'], renames: [] });
  });
});

describe('the npm-shipped FFmpeg fallback', () => {
  const require = createRequire(import.meta.url);
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-fallback-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is installed with the optional packages and found when asked for', async () => {
    const shipped = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    const found = await locateFfmpeg({ ffmpeg: shipped });
    expect(found.ffmpeg.probe.ok).toBe(true);
    expect(await supportsFpsMode('ffmpeg')).toBe(true);
  });

  it('produces a named ladder even though it predates -fps_mode', async () => {
    const ffmpegPath = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    const ffprobePath = (require('@ffprobe-installer/ffprobe') as { path: string }).path;
    const locate = await locateFfmpeg({ ffmpeg: ffmpegPath, ffprobe: ffprobePath });
    expect(locate.ffmpeg.probe.ok && locate.ffprobe.probe.ok).toBe(true);
    const input = path.join(dir, 'in.mp4');
    await generateClip(input, { width: 640, height: 360, seconds: 3, codec: 'mpeg4' });
    const result = await transcodeToHls({
      input,
      outDir: path.join(dir, 'out'),
      preset: 'ultrafast',
      ffmpegPath,
      ffprobePath,
    });
    expect(result.renditions.map((r) => r.name)).toEqual(['360p', '240p']);
    expect(result.files).toContain('360p/index.m3u8');
    expect(result.files).toContain('thumbnail.jpg');
  }, 60_000);
});
