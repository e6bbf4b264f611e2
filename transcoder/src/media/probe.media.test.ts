/** Real ffprobe on tiny generated files: what we accept, and how we refuse the rest. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSize, makeClip, pseudoRandomBytes } from '../../test/clips.js';
import { buildProbeArgs, MediaRejectedError, probeMedia } from './probe.js';

let dir = '';
const clips: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vidra-probe-'));
  const specs = [
    { name: 'landscape.mp4', seconds: 2, video: { width: 320, height: 240 }, audio: true },
    {
      name: 'portrait.avi',
      seconds: 2,
      video: { width: 241, height: 427, rate: 25 },
      videoCodec: ['-c:v', 'mpeg4', '-q:v', '5'],
    },
    { name: 'vfr.mp4', seconds: 4, video: { width: 320, height: 240, vfr: true } },
    { name: 'audio.m4a', seconds: 2, audio: true },
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

async function rejectionOf(path: string): Promise<MediaRejectedError> {
  const error = await probeMedia(path).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof MediaRejectedError))
    throw new Error(`expected a MediaRejectedError, got ${String(error)}`);
  return error;
}

describe('probeMedia on real files', () => {
  it('describes a landscape H.264/AAC MP4', async () => {
    const probe = await probeMedia(clips['landscape.mp4'] ?? '');
    expect(probe.formatName).toBe('mov,mp4,m4a,3gp,3g2,mj2');
    expect(probe.durationSeconds).toBeCloseTo(2, 1);
    expect(probe.video).toMatchObject({
      index: 0,
      codec: 'h264',
      pixFmt: 'yuv420p',
      width: 320,
      height: 240,
      fps: 30,
      variableFrameRate: false,
      rotation: 0,
    });
    expect(probe.audio).toMatchObject({
      index: 1,
      codec: 'aac',
      profile: 'LC',
      channels: 1,
      sampleRate: 48000,
    });
  });

  it('describes an odd-sized portrait MPEG-4 AVI without audio', async () => {
    const probe = await probeMedia(clips['portrait.avi'] ?? '');
    expect(probe.formatName).toBe('avi');
    expect(probe.video).toMatchObject({ codec: 'mpeg4', width: 241, height: 427, fps: 25 });
    expect(probe.audio).toBeUndefined();
  });

  it('flags a variable-frame-rate file', async () => {
    const probe = await probeMedia(clips['vfr.mp4'] ?? '');
    expect(probe.video).toMatchObject({ variableFrameRate: true, fps: 22.5 });
  });

  it('describes an audio-only file', async () => {
    const probe = await probeMedia(clips['audio.m4a'] ?? '');
    expect(probe.video).toBeUndefined();
    expect(probe.audio).toMatchObject({ codec: 'aac', channels: 1 });
  });

  it('runs ffprobe confined to the one file', () => {
    expect(buildProbeArgs('/up/x')).toEqual([
      '-hide_banner',
      '-v',
      'error',
      '-protocol_whitelist',
      'file',
      '-format_whitelist',
      'mov,matroska,avi,flv,mpegts,mpeg,ogg,wav,mp3,aac,flac,asf',
      '-i',
      'file:/up/x',
      '-show_format',
      '-show_streams',
      '-of',
      'json',
    ]);
  });
});

describe('probeMedia refusals', () => {
  it('refuses an empty file', async () => {
    const path = join(dir, 'empty');
    await writeFile(path, '');
    expect(await rejectionOf(path)).toMatchObject({ code: 'empty', message: 'The file is empty' });
  });

  it('refuses a text file', async () => {
    const path = join(dir, 'notes');
    await writeFile(path, 'Dear diary, today I uploaded a text file instead of a video.\n'.repeat(20));
    expect(await rejectionOf(path)).toMatchObject({
      code: 'unreadable',
      message: 'The file is not a video or audio file we can read',
    });
  });

  it('refuses random bytes', async () => {
    const path = join(dir, 'random');
    await writeFile(path, pseudoRandomBytes(256 * 1024));
    expect(await rejectionOf(path)).toMatchObject({
      code: 'unreadable',
      message: 'The file is not a video or audio file we can read',
    });
  });

  it('refuses an MP4 cut in half before its index', async () => {
    const source = clips['landscape.mp4'] ?? '';
    const path = join(dir, 'half.mp4');
    await writeFile(path, (await readFile(source)).subarray(0, Math.floor((await fileSize(source)) / 2)));
    expect(await rejectionOf(path)).toMatchObject({
      code: 'truncated',
      message: 'The file is incomplete: it may have been cut off during upload',
    });
  });

  it('refuses playlists and concat lists with their own message', async () => {
    const m3u8 = join(dir, 'list.m3u8');
    await writeFile(m3u8, `#EXTM3U\n#EXTINF:2,\n${clips['landscape.mp4']}\n#EXT-X-ENDLIST\n`);
    const concat = join(dir, 'list.txt');
    await writeFile(concat, 'ffconcat version 1.0\nfile /etc/passwd\n');
    for (const path of [m3u8, concat]) {
      expect(await rejectionOf(path)).toMatchObject({
        code: 'playlist',
        message: 'Playlists and concat lists are not accepted as uploads',
      });
    }
  });

  it('refuses a directory, and reports a missing file as a plain error', async () => {
    const sub = join(dir, 'a-directory');
    await mkdir(sub);
    expect(await rejectionOf(sub)).toMatchObject({ code: 'unreadable' });
    await expect(probeMedia(join(dir, 'missing'))).rejects.toThrow('Input file does not exist');
  });

  it('reports a missing ffprobe as a plain error, not a rejection', async () => {
    const run = probeMedia(clips['landscape.mp4'] ?? '', { ffprobePath: '/nonexistent/ffprobe' });
    await expect(run).rejects.toThrow('/nonexistent/ffprobe is not installed');
    await expect(run).rejects.not.toBeInstanceOf(MediaRejectedError);
  });
});
