import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs, videoEvents } from '../../db/schema/index.js';
import { leases } from '../../origin/test/harness.js';
import {
  ffprobeJson,
  generateClip,
  killGroup,
  spawnTranscoder,
  startOriginServer,
  waitFor,
} from '../support/stack.js';
import { uploadInterrupted } from '../support/tus.js';

type Stack = Awaited<ReturnType<typeof startOriginServer>>;

/** Parse `#EXT-X-STREAM-INF` attribute lists of a master playlist. */
function variants(master: string) {
  const lines = master.split('\n');
  return lines.flatMap((line, i) => {
    if (!line.startsWith('#EXT-X-STREAM-INF:')) return [];
    const attrs = Object.fromEntries(
      [...line.slice(18).matchAll(/([A-Z-]+)=("[^"]*"|[^,]*)/g)].map((m) => [
        m[1],
        (m[2] as string).replace(/"/g, ''),
      ]),
    );
    return [{ attrs, uri: lines[i + 1]?.trim() as string }];
  });
}

/** Segment start times from a media playlist's EXTINF durations. */
function boundaries(playlist: string): number[] {
  const durations = [...playlist.matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Number(m[1]));
  let t = 0;
  return durations.map((d) => {
    const start = t;
    t += d;
    return Math.round(start * 1000) / 1000;
  });
}

describe('VOD pipeline end to end (PostgreSQL, real FFmpeg, transcoder processes)', () => {
  let stack: Stack;
  let dir: string;
  let user: Awaited<ReturnType<Stack['signUp']>>;
  let channelId: string;
  const transcoders: Array<ReturnType<typeof spawnTranscoder>> = [];

  beforeAll(async () => {
    stack = await startOriginServer('postgres', {
      jobs: { leaseSeconds: leases(3), retryBaseSeconds: 0, maxAttempts: 3 },
    });
    dir = await mkdtemp(path.join(tmpdir(), 'vidra-e2e-'));
    user = await stack.signUp('e2e');
    const channel = await stack.call('POST', '/api/v1/channels', {
      token: user.token,
      body: { handle: `e2e_${user.userId.slice(0, 6)}`, displayName: 'E2E' },
    });
    channelId = channel.body.id;
  });
  afterAll(async () => {
    for (const t of transcoders) await killGroup(t.child);
    await stack.close();
    await rm(dir, { recursive: true, force: true });
  });

  const newVideo = async (title: string) =>
    (await stack.call('POST', '/api/v1/videos', { token: user.token, body: { channelId, title } })).body.video
      .id as string;
  const video = async (id: string) =>
    (await stack.call('GET', `/api/v1/videos/${id}`, { token: user.token })).body;
  const settled = (id: string, timeoutMs = 90_000) =>
    waitFor(
      async () => {
        const v = await video(id);
        return v.state === 'failed' || (v.state === 'ready' && v.progress === 100) ? v : undefined;
      },
      timeoutMs,
      () => transcoders.map((t) => t.output()).join('\n'),
    );
  const stored = async (key: string) => {
    const object = await stack.storage.get(key);
    if (!object) throw new Error(`missing ${key}`);
    return Buffer.from(await new Response(object.body).arrayBuffer());
  };

  it('uploads in interrupted chunks, transcodes to an aligned fMP4 ladder, and streams progress', async () => {
    transcoders.push(spawnTranscoder(stack.url, 'main'));
    const clip = await generateClip(path.join(dir, 'landscape.mp4'), { width: 640, height: 360, seconds: 9 });
    const videoId = await newVideo('Landscape');
    const file = readFileSync(clip);
    const upload = await uploadInterrupted(
      file,
      { endpoint: `${stack.url}/api/v1/uploads`, token: user.token, videoId },
      file.length / 3,
    );
    expect(upload.completed).toBe(true);
    expect(upload.offsetAfterInterruption).toBeGreaterThan(0);
    expect(upload.offsetAfterInterruption).toBeLessThan(file.length);

    // Server-sent events report each state change until the video is fully ready.
    const events = await fetch(`${stack.url}/api/v1/videos/${videoId}/events`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const ready = await settled(videoId);
    const streamed = await events.text();
    const states = [...streamed.matchAll(/event: state\ndata: (.*)\nid: \d+/g)].map(
      (m) => JSON.parse(m[1] as string).state,
    );
    expect(states).toEqual(['uploading', 'queued', 'transcoding', 'ready']);
    expect(streamed).toContain('event: progress');

    expect(ready.state).toBe('ready');
    expect(ready.durationSeconds).toBeCloseTo(9, 0);
    expect(ready.renditions.map((r: { height: number }) => r.height)).toEqual([240, 360]);

    const master = (await stored(`videos/${videoId}/hls/master.m3u8`)).toString();
    expect(master.startsWith('#EXTM3U')).toBe(true);
    const ladder = variants(master);
    expect(ladder).toHaveLength(2);
    const bounds: number[][] = [];
    for (const { attrs, uri } of ladder) {
      for (const key of ['BANDWIDTH', 'AVERAGE-BANDWIDTH', 'RESOLUTION', 'CODECS', 'FRAME-RATE'])
        expect(attrs).toHaveProperty(key);
      expect(attrs.CODECS).toMatch(/^avc1\.[0-9a-f]{6},mp4a\.40\.2$/);
      const playlistKey = `videos/${videoId}/hls/${uri}`;
      const playlist = (await stored(playlistKey)).toString();
      expect(playlist).toContain('#EXT-X-MAP:URI="init.mp4"');
      expect(playlist).toContain('#EXT-X-ENDLIST');
      bounds.push(boundaries(playlist));

      // Reassemble init + segments and let ffprobe check what a player will decode.
      const folder = path.posix.dirname(playlistKey);
      const segments = [...playlist.matchAll(/^(seg_\d+\.m4s)$/gm)].map((m) => m[1] as string);
      const joined = Buffer.concat([
        await stored(`${folder}/init.mp4`),
        ...(await Promise.all(segments.map((s) => stored(`${folder}/${s}`)))),
      ]);
      const local = path.join(dir, `${path.posix.basename(folder)}.mp4`);
      writeFileSync(local, joined);
      const probe = await ffprobeJson(local);
      const v = probe.streams.find((s: { codec_type: string }) => s.codec_type === 'video');
      const a = probe.streams.find((s: { codec_type: string }) => s.codec_type === 'audio');
      expect(v.codec_name).toBe('h264');
      expect(`${v.width}x${v.height}`).toBe(attrs.RESOLUTION);
      expect(a.codec_name).toBe('aac');
      // Every segment starts on a keyframe at the same instant in every rendition.
      const keyframes = await ffprobeJson(local, [
        '-select_streams',
        'v',
        '-skip_frame',
        'nokey',
        '-show_entries',
        'frame=pts_time',
      ]);
      const keyTimes = new Set(
        keyframes.frames.map((f: { pts_time: string }) => Math.round(Number(f.pts_time) * 10) / 10),
      );
      for (const start of boundaries(playlist)) expect(keyTimes).toContain(Math.round(start * 10) / 10);
    }
    expect(bounds[0]).toEqual(bounds[1]);
    expect((bounds[0] as number[]).length).toBeGreaterThanOrEqual(2);
    expect(await stack.storage.exists(`videos/${videoId}/hls/thumbnail.jpg`)).toBe(true);
    const vtt = (await stored(`videos/${videoId}/hls/storyboard.vtt`)).toString();
    expect(vtt).toMatch(/^WEBVTT/);
    expect(vtt).toMatch(/storyboard\.jpg#xywh=\d+,\d+,\d+,\d+/);
  });

  it('survives a transcoder killed mid-job: another takes the job over, and the video is ready exactly once', async () => {
    for (const t of transcoders.splice(0)) await killGroup(t.child);
    const victim = spawnTranscoder(stack.url, 'victim');
    transcoders.push(victim);
    const clip = await generateClip(path.join(dir, 'long.mp4'), {
      width: 640,
      height: 360,
      seconds: 20,
      codec: 'mpeg4',
    });
    const videoId = await newVideo('Killed');
    const file = readFileSync(clip);
    await uploadInterrupted(
      file,
      { endpoint: `${stack.url}/api/v1/uploads`, token: user.token, videoId },
      64 * 1024,
    );

    await waitFor(
      async () => ((await video(videoId)).state === 'transcoding' ? true : undefined),
      60_000,
      victim.output,
    );
    await killGroup(victim.child, 'SIGKILL');
    const [leased] = await stack.database.db.select().from(jobs).where(eq(jobs.videoId, videoId));
    expect(leased?.state).toBe('leased');

    const rescuer = spawnTranscoder(stack.url, 'rescuer');
    transcoders.push(rescuer);
    const done = await settled(videoId, 120_000);
    expect(done.state).toBe('ready');
    const [job] = await stack.database.db.select().from(jobs).where(eq(jobs.videoId, videoId));
    expect(job).toMatchObject({ state: 'succeeded', attempts: 2 });
    const history = await stack.database.db
      .select()
      .from(videoEvents)
      .where(eq(videoEvents.videoId, videoId));
    expect(history.filter((e) => e.state === 'ready')).toHaveLength(1);
  });

  it('fails corrupt, truncated, empty, non-media and crafted inputs with a readable reason, and keeps serving', async () => {
    for (const t of transcoders.splice(0)) await killGroup(t.child);
    const worker = spawnTranscoder(stack.url, 'steady');
    transcoders.push(worker);
    const good = readFileSync(
      await generateClip(path.join(dir, 'good.mp4'), { width: 320, height: 240, seconds: 3 }),
    );
    writeFileSync(path.join(dir, 'secret.mp4'), good);
    const inputs: Record<string, Buffer> = {
      corrupt: Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251)),
      truncated: good.subarray(0, Math.floor(good.length / 2)),
      empty: Buffer.alloc(0),
      text: Buffer.from('This is a plain text file, not a video.\n'.repeat(50)),
      playlist: Buffer.from(
        `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile://${dir}/secret.mp4\n#EXTINF:10,\nhttp://127.0.0.1:9/x.ts\n#EXT-X-ENDLIST\n`,
      ),
      concat: Buffer.from(`ffconcat version 1.0\nfile '${dir}/secret.mp4'\nfile '/etc/passwd'\n`),
    };
    const ids: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(inputs)) {
      ids[name] = await newVideo(name);
      const created = await fetch(`${stack.url}/api/v1/uploads`, {
        method: 'POST',
        headers: {
          'tus-resumable': '1.0.0',
          'upload-length': String(bytes.length),
          'upload-metadata': `videoId ${Buffer.from(ids[name] as string).toString('base64')}`,
          'content-type': 'application/offset+octet-stream',
          authorization: `Bearer ${user.token}`,
        },
        body: new Uint8Array(bytes),
      });
      expect(created.status).toBe(201);
    }
    const goodId = await newVideo('after the bad ones');
    await uploadInterrupted(
      good,
      { endpoint: `${stack.url}/api/v1/uploads`, token: user.token, videoId: goodId },
      64 * 1024,
    );

    for (const [name, id] of Object.entries(ids)) {
      const result = await settled(id);
      expect(result.state, name).toBe('failed');
      // A sentence for a person: no FFmpeg log dump, no stack trace.
      expect(result.error, name).toMatch(/^[A-Z][^\n]{10,200}$/);
      expect(result.error, name).not.toMatch(/ffmpeg version|Error:|at \//);
    }
    expect((await settled(goodId)).state).toBe('ready');
    expect(worker.child.exitCode).toBeNull();
    // Nothing published for the crafted inputs: FFmpeg never read the file they point at.
    for (const name of ['playlist', 'concat'])
      expect(await stack.storage.list(`videos/${ids[name]}/`)).toEqual([]);
  });

  it('hands the job back on SIGTERM, stops FFmpeg, and leaves no temp files', async () => {
    for (const t of transcoders.splice(0)) await killGroup(t.child);
    const polite = spawnTranscoder(stack.url, 'polite');
    transcoders.push(polite);
    const clip = await generateClip(path.join(dir, 'sigterm.mp4'), {
      width: 640,
      height: 360,
      seconds: 20,
      codec: 'mpeg4',
    });
    const videoId = await newVideo('Interrupted politely');
    await uploadInterrupted(
      readFileSync(clip),
      { endpoint: `${stack.url}/api/v1/uploads`, token: user.token, videoId },
      64 * 1024,
    );
    await waitFor(
      async () => ((await video(videoId)).state === 'transcoding' ? true : undefined),
      60_000,
      polite.output,
    );

    const exited = new Promise((resolve) => polite.child.once('exit', (code) => resolve(code)));
    polite.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const [job] = await stack.database.db.select().from(jobs).where(eq(jobs.videoId, videoId));
    expect(job).toMatchObject({ state: 'pending', attempts: 0, runnerId: null });
    expect((await video(videoId)).state).toBe('queued');
    expect(readdirSync(polite.workDir)).toEqual([]);
  });
});
