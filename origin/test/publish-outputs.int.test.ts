import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { videoObjectKey } from '../../protocol/media.js';
import { createTestApp, leases, type TestApp } from './harness.js';
import { queuedTestVideo, registerTestRunner } from './runner-client.js';

const TRANSCODER = { kinds: ['transcode'] };
const MEDIA = (segments: string[]) =>
  [
    '#EXTM3U',
    '#EXT-X-TARGETDURATION:4',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-MAP:URI="init.mp4"',
    ...segments.flatMap((s) => ['#EXTINF:4.000000,', s]),
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');
const MASTER = (variants: string[]) =>
  ['#EXTM3U', ...variants.flatMap((v) => ['#EXT-X-STREAM-INF:BANDWIDTH=400000', v]), ''].join('\n');

/**
 * Issue 16, storage: a publish is atomic for readers (a playlist is stored only once every file
 * it names is, so the new master appears only after all of its files exist), and a failed attempt
 * leaves no partial outputs behind, except what the stored master names, which viewers may be playing.
 */
describe('publishing outputs (PostgreSQL, local storage)', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp('postgres', {
      jobs: { leaseSeconds: leases(30), retryBaseSeconds: 0, maxAttempts: 3 },
    });
    owner = await t.signUp('outputs');
    channelId = (
      await t.call('POST', '/api/v1/channels', {
        token: owner.token,
        body: { handle: `o_${owner.userId.slice(0, 6)}`, displayName: 'O' },
      })
    ).body.id;
  });
  afterAll(() => t.close());

  async function leased() {
    const { videoId, jobId } = await queuedTestVideo(t, owner.token, channelId);
    const runner = await registerTestRunner(t);
    await runner.post('request?wait=0', TRANSCODER);
    expect((await runner.post(`${jobId}/accept`)).status).toBe(200);
    const put = async (file: string, body = 'bytes') => {
      const res = await t.app.request(`/api/v1/runners/jobs/${jobId}/files/${file}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${runner.token}`, 'content-length': String(body.length) },
        body,
      });
      return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
    };
    const stored = (key: string) => t.storage.exists(videoObjectKey(videoId, key));
    return { videoId, jobId, runner, put, stored };
  }

  it('stores a master only after every playlist it names, and a playlist only after its files', async () => {
    const { put, stored } = await leased();
    // The master first: refused, and nothing is stored, so no player ever gets it early.
    const early = await put('hls/master.m3u8', MASTER(['720p/index.m3u8']));
    expect(early.status).toBe(409);
    expect(early.body.error.fields).toEqual([{ path: 'files', message: '720p/index.m3u8 is missing' }]);
    expect(await stored('hls/master.m3u8')).toBe(false);
    // A media playlist before its init and segments: refused, naming what is missing.
    expect((await put('hls/720p/seg_00001.m4s')).status).toBe(204);
    const playlist = MEDIA(['seg_00001.m4s', 'seg_00002.m4s']);
    const partial = await put('hls/720p/index.m3u8', playlist);
    expect(partial.status).toBe(409);
    expect(partial.body.error.fields.map((f: { message: string }) => f.message)).toEqual([
      'init.mp4 is missing',
      'seg_00002.m4s is missing',
    ]);
    // In order, everything is accepted.
    for (const file of ['hls/720p/init.mp4', 'hls/720p/seg_00002.m4s'])
      expect((await put(file)).status).toBe(204);
    expect((await put('hls/720p/index.m3u8', playlist)).status).toBe(204);
    expect((await put('hls/master.m3u8', MASTER(['720p/index.m3u8']))).status).toBe(204);
    const master = await t.storage.get(videoObjectKey((await leased()).videoId, 'hls/master.m3u8'));
    expect(master).toBeUndefined(); // another video's folder is untouched
  });

  it('refuses a playlist naming anything outside its video', async () => {
    const { put } = await leased();
    for (const uri of ['../../other/hls/master.m3u8', 'https://elsewhere.example/a.m4s', '/etc/passwd']) {
      const res = await put('hls/master.m3u8', MASTER([uri]));
      expect(res.status).toBe(409);
      expect(res.body.error.fields[0].message).toBe(`${uri} is missing`);
    }
  });

  it('removes a failed attempt’s files when nothing was published', async () => {
    const { jobId, runner, put, stored } = await leased();
    for (const file of ['hls/720p/init.mp4', 'hls/720p/seg_00001.m4s', 'hls/thumbnail.jpg'])
      expect((await put(file)).status).toBe(204);
    const failed = await runner.post(`${jobId}/fail`, { reason: 'The storage is full', retryable: true });
    expect(failed.body).toEqual({ outcome: 'retrying' });
    for (const file of ['hls/720p/init.mp4', 'hls/720p/seg_00001.m4s', 'hls/thumbnail.jpg'])
      expect(await stored(file)).toBe(false);
  });

  it('keeps what the stored master names (a playing preview) and removes the half-uploaded ladder', async () => {
    const { jobId, runner, put, stored, videoId } = await leased();
    const preview = ['hls/source/init.mp4', 'hls/source/seg_00001.m4s'];
    for (const file of preview) expect((await put(file)).status).toBe(204);
    expect((await put('hls/source/index.m3u8', MEDIA(['seg_00001.m4s']))).status).toBe(204);
    expect((await put('hls/master.m3u8', MASTER(['source/index.m3u8']))).status).toBe(204);
    const outputs = {
      durationSeconds: 4,
      master: 'hls/master.m3u8',
      renditions: [{ name: 'source', bitrate: 1000, playlist: 'hls/source/index.m3u8' }],
    };
    expect((await runner.post(`${jobId}/preview`, outputs)).body).toEqual({ outcome: 'published' });
    // The ladder dies half-way through its upload.
    const ladder = ['hls/720p/init.mp4', 'hls/720p/seg_00001.m4s', 'hls/360p/init.mp4'];
    for (const file of ladder) expect((await put(file)).status).toBe(204);
    expect((await runner.post(`${jobId}/fail`, { reason: 'boom', retryable: true })).body).toEqual({
      outcome: 'retrying',
    });
    for (const file of ladder) expect(await stored(file)).toBe(false);
    for (const file of [...preview, 'hls/source/index.m3u8', 'hls/master.m3u8'])
      expect(await stored(file)).toBe(true);
    const video = (await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).body;
    expect(video.state).toBe('ready');
  });
});
