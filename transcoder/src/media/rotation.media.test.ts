/** Real FFmpeg: phone video stored landscape with a rotation matrix comes out upright. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeStreams, jpegSize, makeClip, rotateMp4 } from '../../test/clips.js';
import { isWebCompatible } from './compat.js';
import { probeMedia } from './probe.js';
import { transcodeToHls } from './transcode.js';

let dir = '';
let rotated = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vidra-rotation-'));
  const clip = await makeClip(dir, {
    name: 'coded.mp4',
    seconds: 2,
    video: { width: 426, height: 240 },
    audio: true,
  });
  rotated = await rotateMp4(clip, join(dir, 'phone.mp4'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('rotated sources', () => {
  it('probes the display size and rotation, and are not remuxed as they are', async () => {
    const probe = await probeMedia(rotated);
    expect(probe.video).toMatchObject({ width: 240, height: 426, rotation: 90 });
    expect(isWebCompatible(probe)).toBe(false);
  });

  it('are transcoded upright into portrait renditions without a rotation flag', async () => {
    const outDir = join(dir, 'out');
    const result = await transcodeToHls({ input: rotated, outDir, preset: 'ultrafast' });
    expect(result.renditions.map((r) => [r.name, r.width, r.height])).toEqual([['240p', 240, 426]]);
    const video = (await ffprobeStreams(join(outDir, '240p/index.m3u8'))).find(
      (s) => s.codec_type === 'video',
    );
    expect(video).toMatchObject({ width: 240, height: 426 });
    expect(video?.side_data_list).toBeUndefined();
    expect(await jpegSize(join(outDir, 'thumbnail.jpg'))).toEqual({ width: 240, height: 426 });
  });
});
