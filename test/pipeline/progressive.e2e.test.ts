/**
 * Progressive publish (issue 16, speed): a source that cannot be stream-copied (VP9 here) plays
 * through the edge (workerd serve) within 10 s of its upload completing, from the ladder's first
 * segments, while its ladder job is still leased; the final `complete` turns the EVENT playlists
 * into VOD ones, which a player already watching sees too (the edge keeps a growing playlist 2 s).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../db/schema/index.js';
import { leases, TEST_CONFIG } from '../../origin/test/harness.js';
import { apiUser } from '../support/platform.js';
import { ffprobeJson, killGroup, spawnTranscoder, startOriginServer, waitFor } from '../support/stack.js';
import { startEdgeTier } from '../support/tiers.js';
import { uploadWhole } from '../support/tus.js';

const run = promisify(execFile);
/** What users are promised: playable this soon after the upload completes. */
const FIRST_PLAY_BOUND_MS = 10_000;
/** The acceptance asks for a ladder of at least this long, so the first play is not the ladder's end. */
const LADDER_AT_LEAST_MS = 30_000;
const CLIP_SECONDS = 180;

/** A VP9 + Opus WebM: not web compatible, so there is no stream-copied fast first play. */
async function vp9Clip(file: string): Promise<Buffer> {
  // biome-ignore format: an option and its value per line
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=30:duration=${CLIP_SECONDS}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${CLIP_SECONDS}`,
    '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-b:v', '1M',
    '-c:a', 'libopus', '-b:a', '64k', file,
  ]);
  return readFileSync(file);
}

/** Frames FFmpeg decodes from an fMP4 init segment followed by media segments. */
async function decodedFrames(file: string): Promise<number> {
  const probe = await ffprobeJson(file, ['-count_frames', '-select_streams', 'v:0']);
  expect(probe.streams[0].codec_name).toBe('h264');
  return Number(probe.streams[0].nb_read_frames);
}

const segmentsOf = (playlist: string) =>
  [...playlist.matchAll(/^(seg_\d+\.m4s)$/gm)].map((m) => m[1] as string);

describe('progressive publish of a VP9 upload, through the edge', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vidra-progressive-'));
  let origin: Awaited<ReturnType<typeof startOriginServer>>;
  let edge: Awaited<ReturnType<typeof startEdgeTier>>;
  let transcoder: ReturnType<typeof spawnTranscoder>;
  let clip: Buffer;

  beforeAll(async () => {
    origin = await startOriginServer('postgres', {
      jobs: { leaseSeconds: leases(10), retryBaseSeconds: 0, maxAttempts: 2 },
    });
    [edge, clip] = await Promise.all([
      startEdgeTier(origin.url, path.join(dir, 'edge'), TEST_CONFIG.internalApiToken),
      vp9Clip(path.join(dir, 'clip.webm')),
    ]);
    // ultrafast keeps the first segments quick on a loaded CI machine; 180 s of 720p keeps the ladder long.
    transcoder = spawnTranscoder(origin.url, 'progressive', { X264_PRESET: 'ultrafast' });
  }, 180_000);

  afterAll(async () => {
    if (transcoder) await killGroup(transcoder.child);
    if (edge) await killGroup(edge.edge.child);
    await origin?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plays within 10 s of upload completion while the ladder job is leased, then ends as VOD', async () => {
    const user = await apiUser(edge.url, 'uploader');
    const channel = await user.call('POST', '/api/v1/channels', { handle: 'progressive', displayName: 'P' });
    const { video } = await user.call('POST', '/api/v1/videos', { channelId: channel.id, title: 'VP9' });
    const videoId = video.id as string;
    const debug = () => `${transcoder.output()}\n${edge.edge.output()}`;
    await uploadWhole(clip, { endpoint: `${origin.url}/api/v1/uploads`, token: user.token, videoId });
    const uploaded = Date.now();

    // Poll like a player whose page is open: ask for playback until the video is playable, then
    // fetch the master, a media playlist, its init and first segment through the edge and decode.
    const first = await waitFor(
      async () => {
        const res = await fetch(`${edge.url}/api/v1/videos/${videoId}/playback`, {
          method: 'POST',
          headers: { authorization: `Bearer ${user.token}` },
        });
        if (res.status !== 200) return undefined;
        const { hls } = (await res.json()) as { hls: string };
        const base = hls.replace(/master\.m3u8$/, '').replace(/^https?:\/\/[^/]+/, edge.url);
        const master = await (await fetch(`${base}master.m3u8`)).text();
        const variant = master.split('\n').find((line) => line.endsWith('/index.m3u8')) as string;
        const media = await fetch(`${base}${variant}`);
        const playlist = await media.text();
        const folder = `${base}${variant.replace(/index\.m3u8$/, '')}`;
        const init = Buffer.from(await (await fetch(`${folder}init.mp4`)).arrayBuffer());
        const segment = Buffer.from(await (await fetch(`${folder}${segmentsOf(playlist)[0]}`)).arrayBuffer());
        // A player has what it needs now; our own decode check below is not part of the wait.
        const at = Date.now() - uploaded;
        const joined = path.join(dir, 'first.mp4');
        writeFileSync(joined, Buffer.concat([init, segment]));
        const frames = await decodedFrames(joined);
        return {
          at,
          hls,
          base,
          variant,
          playlist,
          frames,
          cacheControl: media.headers.get('cache-control'),
        };
      },
      60_000,
      debug,
    );
    const [job] = await origin.database.db.select().from(jobs).where(eq(jobs.videoId, videoId));
    const during = await user.call('GET', `/api/v1/videos/${videoId}`);
    const previewMs = (job?.previewPublishedAt?.getTime() ?? 0) - uploaded;
    console.log(`progressive: published ${previewMs} ms, first play ${first.at} ms after upload completion`);

    expect(first.at).toBeLessThan(FIRST_PLAY_BOUND_MS);
    expect(first.frames).toBeGreaterThan(30); // a whole 4 s segment of 30 fps decodes
    expect(job?.state).toBe('leased');
    expect(job?.previewPublishedAt).not.toBeNull();
    expect(during.state).toBe('ready');
    expect(during.processing).toMatchObject({ stage: 'ladder' });
    // A growing EVENT playlist, cached by the edge for seconds only.
    expect(first.playlist).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(first.playlist).not.toContain('#EXT-X-ENDLIST');
    expect(first.cacheControl).toBe('public, max-age=2');

    // It grows while the ladder encodes: the same URL lists more segments a few seconds later.
    const grown = await waitFor(
      async () => {
        const text = await (await fetch(`${first.base}${first.variant}`)).text();
        return segmentsOf(text).length > segmentsOf(first.playlist).length ? text : undefined;
      },
      30_000,
      debug,
    );
    expect(grown.startsWith(first.playlist.replace(/\n$/, ''))).toBe(true);

    const done = await waitFor(
      async () => {
        const v = await user.call('GET', `/api/v1/videos/${videoId}`);
        return v.progress === 100 && v.processing === undefined ? v : undefined;
      },
      240_000,
      debug,
    );
    const [finished] = await origin.database.db.select().from(jobs).where(eq(jobs.videoId, videoId));
    const ladderMs = (finished?.finishedAt?.getTime() ?? 0) - uploaded;
    console.log(`progressive: ladder complete ${ladderMs} ms after upload completion`);
    expect(finished?.state).toBe('succeeded');
    expect(ladderMs).toBeGreaterThanOrEqual(LADDER_AT_LEAST_MS);
    expect(done.renditions.length).toBe(4);

    // The player that started on the growing playlist sees it end (after the edge's 2 s).
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const ended = await (await fetch(`${first.base}${first.variant}`)).text();
    expect(ended).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(ended).toContain('#EXT-X-ENDLIST');
    expect(segmentsOf(ended).length).toBe(Math.ceil(CLIP_SECONDS / 4));
    // A new token (a new version) gets the final master and VOD playlists, cached for a day.
    const again = await user.call('POST', `/api/v1/videos/${videoId}/playback`);
    expect(again.hls).not.toBe(first.hls);
    const finalMedia = await fetch(
      `${again.hls.replace(/master\.m3u8$/, '').replace(/^https?:\/\/[^/]+/, edge.url)}${first.variant}`,
    );
    expect(await finalMedia.text()).toContain('#EXT-X-ENDLIST');
    expect(finalMedia.headers.get('cache-control')).toBe('public, max-age=86400');
  }, 360_000);
});
