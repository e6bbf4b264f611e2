/** Real FFmpeg: broken uploads are refused with a readable reason; cancelled runs leave nothing behind. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip, processesMentioning, pseudoRandomBytes } from '../../test/clips.js';
import { MediaRejectedError } from './errors.js';
import { ProcessTimeoutError } from './process.js';
import { transcodeToHls } from './transcode.js';
import type { ProbeResult } from './types.js';

let dir = '';
let clip = '';
let faststart = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vidra-errors-'));
  [clip, faststart] = await Promise.all([
    makeClip(dir, { name: 'clip.mp4', seconds: 4, video: { width: 640, height: 360 }, audio: true }),
    makeClip(dir, {
      name: 'fs.mp4',
      seconds: 4,
      video: { width: 320, height: 240 },
      audio: true,
      faststart: true,
    }),
  ]);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A plausible probe, for running FFmpeg on inputs the prober would have refused first. */
const fakeProbe: ProbeResult = {
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  durationSeconds: 4,
  bitrate: null,
  video: {
    codec: 'h264',
    width: 320,
    height: 240,
    fps: 30,
    variableFrameRate: false,
    bitrate: null,
    rotation: 0,
  },
};

async function rejection(run: Promise<unknown>): Promise<MediaRejectedError> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof MediaRejectedError))
    throw new Error(`expected a MediaRejectedError, got ${String(error)}`);
  expect(error.message).not.toContain('\n');
  expect(error.message).not.toContain(dir);
  return error;
}

async function upload(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('transcodeToHls refuses broken uploads', () => {
  it('refuses a zero-byte file', async () => {
    const input = await upload('zero', '');
    const error = await rejection(
      transcodeToHls({ input, outDir: join(dir, 'o-zero'), preset: 'ultrafast' }),
    );
    expect(error).toMatchObject({ code: 'empty', message: 'The file is empty' });
  });

  it('refuses a text file', async () => {
    const input = await upload('text', 'This is not a video.\n'.repeat(40));
    const error = await rejection(
      transcodeToHls({ input, outDir: join(dir, 'o-text'), preset: 'ultrafast' }),
    );
    expect(error).toMatchObject({
      code: 'unreadable',
      message: 'The file is not a video or audio file we can read',
    });
  });

  it('refuses random bytes, in ffprobe and in FFmpeg itself', async () => {
    const input = await upload('random', pseudoRandomBytes(300_000, 7));
    const probed = await rejection(
      transcodeToHls({ input, outDir: join(dir, 'o-rand'), preset: 'ultrafast' }),
    );
    expect(probed.code).toBe('unreadable');
    const direct = transcodeToHls({
      input,
      outDir: join(dir, 'o-rand2'),
      preset: 'ultrafast',
      probe: fakeProbe,
    });
    expect(await rejection(direct)).toMatchObject({ code: 'unreadable' });
  });

  it('refuses an MP4 cut in half before its index', async () => {
    const bytes = await readFile(clip);
    const input = await upload('half', bytes.subarray(0, bytes.length >> 1));
    const error = await rejection(
      transcodeToHls({ input, outDir: join(dir, 'o-half'), preset: 'ultrafast' }),
    );
    expect(error).toMatchObject({
      code: 'truncated',
      message: 'The file is incomplete: it may have been cut off during upload',
    });
  });

  it('refuses a fast-start MP4 whose media data was cut in half, which FFmpeg alone would accept', async () => {
    const bytes = await readFile(faststart);
    const input = await upload('half-fs', bytes.subarray(0, bytes.length >> 1));
    const error = await rejection(
      transcodeToHls({ input, outDir: join(dir, 'o-half-fs'), preset: 'ultrafast' }),
    );
    expect(error.code).toBe('truncated');
    expect(error.message).toMatch(/^The file is incomplete: only \d\.\d of 4\.0 seconds could be read$/);
  });
});

describe('transcodeToHls cancellation', () => {
  it('kills FFmpeg when the signal aborts and leaves no process behind', async () => {
    const outDir = join(dir, 'o-abort');
    const controller = new AbortController();
    const run = transcodeToHls({ input: clip, outDir, preset: 'slow', signal: controller.signal });
    // Abort once FFmpeg is certainly running (its command line names outDir).
    for (let i = 0; i < 200 && (await processesMentioning(outDir)).length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect((await processesMentioning(outDir)).length).toBe(1);
    controller.abort();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(await processesMentioning(outDir)).toEqual([]);
  });

  it('kills FFmpeg on timeout', async () => {
    const outDir = join(dir, 'o-timeout');
    const run = transcodeToHls({ input: clip, outDir, preset: 'slow', timeoutMs: 150 });
    await expect(run).rejects.toBeInstanceOf(ProcessTimeoutError);
    expect(await processesMentioning(outDir)).toEqual([]);
  });

  it('reports a missing input as a plain error even when the probe is skipped', async () => {
    const run = transcodeToHls({
      input: join(dir, 'gone.mp4'),
      outDir: join(dir, 'o-gone'),
      probe: fakeProbe,
    });
    await expect(run).rejects.toThrow('No such file or directory');
    await expect(run).rejects.not.toBeInstanceOf(MediaRejectedError);
  });

  it('reports a missing FFmpeg as a plain error', async () => {
    const run = transcodeToHls({
      input: clip,
      outDir: join(dir, 'o-missing'),
      ffmpegPath: '/nonexistent/ffmpeg',
    });
    await expect(run).rejects.toThrow('/nonexistent/ffmpeg is not installed');
    await expect(run).rejects.not.toBeInstanceOf(MediaRejectedError);
  });
});
