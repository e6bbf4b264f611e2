/**
 * Real FFmpeg against crafted uploads: playlists and concat lists must be refused by FFmpeg's own
 * whitelists (not only by our header sniffing) and must never make it open what they point at.
 * Each check has a positive control showing that, without our options, FFmpeg would do it.
 */
import { closeSync, constants, openSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../../test/clips.js';
import { MediaRejectedError } from './errors.js';
import { buildProbeArgs, probeMedia } from './probe.js';
import { runProcess } from './process.js';
import { transcodeToHls } from './transcode.js';
import type { ProbeResult } from './types.js';

let dir = '';
let media = '';
let fifo = '';
let server: Server;
const hits: string[] = [];
const uploads: Record<string, string> = {};

/** What the runner would pass if it skipped probing: FFmpeg alone must still refuse. */
const fakeProbe: ProbeResult = {
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  durationSeconds: 2,
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

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vidra-security-'));
  // Index first (faststart): HLS reads segments front to back, so this is a video it can play.
  const spec = {
    name: 'clip.mp4',
    seconds: 2,
    video: { width: 320, height: 240 },
    audio: true,
    faststart: true,
  };
  media = await makeClip(dir, spec);
  fifo = join(dir, 'pipe.mp4');
  if ((await runProcess('mkfifo', [fifo])).code !== 0) throw new Error('mkfifo failed');
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/secret.ts`;
  const hls = (target: string) => `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n${target}\n#EXT-X-ENDLIST\n`;
  const contents = {
    'hls-media': hls(media),
    'hls-fifo': hls(fifo),
    'hls-http': hls(url),
    'concat-passwd': 'ffconcat version 1.0\nfile /etc/passwd\n',
    'concat-fifo': 'ffconcat version 1.0\nfile pipe.mp4\n',
    text: 'name,email\nalice,alice@example.com\n'.repeat(50),
  };
  // Stored without extensions, as uploads are, so nothing but the content can identify them.
  for (const [name, content] of Object.entries(contents)) {
    uploads[name] = join(dir, `upload-${name}`);
    await writeFile(uploads[name], content);
  }
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

const upload = (name: string) => uploads[name] ?? '';

/** Counts how often something opens the FIFO for reading while `work` runs. */
async function fifoOpensDuring(work: () => Promise<unknown>): Promise<number> {
  let opens = 0;
  const timer = setInterval(() => {
    try {
      // Succeeds only while a reader has the FIFO open (or is blocked opening it); ENXIO otherwise.
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      opens++;
    } catch {}
  }, 2);
  try {
    await work().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    clearInterval(timer);
  }
  return opens;
}

async function refusal(run: Promise<unknown>): Promise<MediaRejectedError> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof MediaRejectedError))
    throw new Error(`expected a MediaRejectedError, got ${String(error)}`);
  return error;
}

/** Probe, then transcode with a fake probe so FFmpeg's whitelist (not our sniffing) is what refuses. */
async function expectRefused(name: string, code: string, message: string): Promise<void> {
  expect(await refusal(probeMedia(upload(name)))).toMatchObject({ code, message });
  const outDir = join(dir, `out-${name}`);
  const direct = await refusal(
    transcodeToHls({ input: upload(name), outDir, probe: fakeProbe, preset: 'ultrafast' }),
  );
  expect(direct.code).toBe(code);
  expect((await readdir(outDir, { recursive: true })).filter((f) => f.endsWith('.m3u8'))).toEqual([]);
  const ffprobe = await runProcess('ffprobe', buildProbeArgs(upload(name)), { timeoutMs: 10_000 });
  expect(ffprobe.code).not.toBe(0);
  expect(ffprobe.stderr).toContain('not on whitelist');
}

const PLAYLIST = 'Playlists and concat lists are not accepted as uploads';

describe('crafted uploads', () => {
  it('refuses an HLS playlist that points at a local video FFmpeg would otherwise transcode', async () => {
    const control = join(dir, 'control.mp4');
    const unsafe = await runProcess('ffmpeg', [
      '-v',
      'error',
      '-i',
      upload('hls-media'),
      '-c',
      'copy',
      control,
    ]);
    expect(unsafe.code).toBe(0);
    expect((await probeMedia(control)).durationSeconds).toBeGreaterThan(1.5);

    await expectRefused('hls-media', 'playlist', PLAYLIST);
  });

  it('never opens the file an HLS playlist or concat list points at', async () => {
    // Positive control: plain ffprobe follows both lists into the FIFO.
    expect(
      await fifoOpensDuring(() => runProcess('ffprobe', ['-v', 'error', upload('hls-fifo')])),
    ).toBeGreaterThan(0);
    expect(
      await fifoOpensDuring(() => runProcess('ffprobe', ['-v', 'error', upload('concat-fifo')])),
    ).toBeGreaterThan(0);

    for (const name of ['hls-fifo', 'concat-fifo']) {
      expect(await fifoOpensDuring(() => expectRefused(name, 'playlist', PLAYLIST))).toBe(0);
    }
  });

  it('never fetches the URL an HLS playlist points at', async () => {
    const permissive = ['-v', 'error', '-protocol_whitelist', 'file,http,tcp', upload('hls-http')];
    await runProcess('ffprobe', permissive, { timeoutMs: 10_000 });
    expect(hits).toEqual(['/secret.ts']);

    hits.length = 0;
    await expectRefused('hls-http', 'playlist', PLAYLIST);
    expect(hits).toEqual([]);
  });

  it('refuses a concat list naming /etc/passwd', async () => {
    await expectRefused('concat-passwd', 'playlist', PLAYLIST);
  });

  it('refuses a text file', async () => {
    expect(await refusal(probeMedia(upload('text')))).toMatchObject({
      code: 'unreadable',
      message: 'The file is not a video or audio file we can read',
    });
    const outDir = join(dir, 'out-text');
    const direct = await refusal(transcodeToHls({ input: upload('text'), outDir, probe: fakeProbe }));
    expect(direct.code).toBe('unreadable');
  });
});
