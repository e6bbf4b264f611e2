import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs, renditions, uploads, videoEvents, videos } from '../../db/schema/index.js';
import { retryDelaySeconds } from '../src/services/jobs/queue.js';
import { startUpload } from '../src/services/uploads/lifecycle.js';
import { sweep } from '../src/services/uploads/sweeper.js';
import { createTestApp, DRIVERS, leases, type TestApp } from './harness.js';
import { ONE_RUNG_OUTPUTS, putTestOutputs, queuedTestVideo, registerTestRunner } from './runner-client.js';

/** What a transcoder asks for. */
const TRANSCODER = { kinds: ['transcode'] };

const OUTPUTS = ONE_RUNG_OUTPUTS;

describe.each(DRIVERS)('job queue and runner protocol on %s', (driver) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp(driver, {
      jobs: { leaseSeconds: leases(1), retryBaseSeconds: 0, maxAttempts: 2 },
    });
    owner = await t.signUp('jobs');
    channelId = (
      await t.call('POST', '/api/v1/channels', {
        token: owner.token,
        body: { handle: `j_${owner.userId.slice(0, 6)}`, displayName: 'J' },
      })
    ).body.id;
  });
  afterAll(() => t.close());

  const runner = (name = 'r') => registerTestRunner(t, name);
  /** A video with a queued transcode job, as after a completed upload. */
  const queuedVideo = () => queuedTestVideo(t, owner.token, channelId);
  const putOutputs = (token: string, jobId: string) => putTestOutputs(t, token, jobId);

  it('refuses a wrong registration token and calls without a runner token', async () => {
    const res = await t.call('POST', '/api/v1/runners/register', {
      body: { registrationToken: 'wrong', name: 'x' },
    });
    expect(res.status).toBe(403);
    expect((await t.call('POST', '/api/v1/runners/jobs/request?wait=0')).status).toBe(401);
    expect((await t.call('POST', '/api/v1/runners/jobs/request?wait=0', { token: owner.token })).status).toBe(
      401,
    );
  });

  it('lets exactly one of two racing runners accept a job', async () => {
    const { jobId, videoId } = await queuedVideo();
    const [a, b] = [await runner('a'), await runner('b')];
    const offers = await a.post('request?wait=0', TRANSCODER);
    expect(offers.body.jobs.map((j: { id: string }) => j.id)).toContain(jobId);
    const results = await Promise.all([a.post(`${jobId}/accept`), b.post(`${jobId}/accept`)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)?.body;
    expect(winner).toMatchObject({
      id: jobId,
      videoId,
      attempt: 1,
      sourceUrl: `/api/v1/runners/jobs/${jobId}/source`,
    });
    expect((await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).body.state).toBe(
      'transcoding',
    );
  });

  it('long-polls: a request waits and answers as soon as a job appears', async () => {
    const r = await runner();
    // Drain whatever earlier tests left claimable.
    for (const offer of (await r.post('request?wait=0', TRANSCODER)).body.jobs)
      await r.post(`${offer.id}/accept`);
    const started = Date.now();
    const pending = r.post('request?wait=10', TRANSCODER);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const { jobId } = await queuedVideo();
    const res = await pending;
    expect(res.body.jobs.map((j: { id: string }) => j.id)).toContain(jobId);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('puts a job back when its lease expires, and fails the video after the last attempt', async () => {
    const { jobId, videoId } = await queuedVideo();
    const r = await runner();
    expect((await r.post(`${jobId}/accept`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    // The next request reaps the expired lease; the dead runner's heartbeat is refused.
    await r.post('request?wait=0', TRANSCODER);
    expect((await r.post(`${jobId}/progress`, { progress: 50 })).status).toBe(409);
    const [requeued] = await t.database.db.select().from(jobs).where(eq(jobs.id, jobId));
    expect(requeued).toMatchObject({ state: 'pending', attempts: 1, runnerId: null });
    expect((await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).body.state).toBe(
      'queued',
    );

    expect((await r.post(`${jobId}/accept`)).body.attempt).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await r.post('request?wait=0', TRANSCODER);
    const video = (await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).body;
    expect(video.state).toBe('failed');
    expect(video.error).toMatch(/stopped responding/);
  });

  it('keeps a job alive with heartbeats and records progress on the video', async () => {
    const { jobId, videoId } = await queuedVideo();
    const r = await runner();
    await r.post(`${jobId}/accept`);
    for (let i = 1; i <= 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await r.post(`${jobId}/progress`, { progress: i * 20 })).status).toBe(204);
      await r.post('request?wait=0', TRANSCODER);
    }
    expect((await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).body).toMatchObject({
      state: 'transcoding',
      progress: 60,
    });
  });

  it('publishes once: a duplicate completion changes nothing, and a stranger runner cannot complete', async () => {
    const { jobId, videoId } = await queuedVideo();
    const r = await runner();
    const other = await runner('other');
    await r.post(`${jobId}/accept`);
    const early = await r.post(`${jobId}/complete`, OUTPUTS);
    expect(early.status).toBe(400);
    expect(early.body.error.fields[0].message).toMatch(/was not uploaded/);
    await putOutputs(r.token, jobId);
    expect((await other.post(`${jobId}/complete`, OUTPUTS)).status).toBe(409);
    expect((await r.post(`${jobId}/complete`, OUTPUTS)).body).toEqual({ outcome: 'published' });
    expect((await r.post(`${jobId}/complete`, OUTPUTS)).body).toEqual({ outcome: 'duplicate' });
    expect((await other.post(`${jobId}/complete`, OUTPUTS)).body).toEqual({ outcome: 'duplicate' });

    const video = (await t.call('GET', `/api/v1/videos/${videoId}`)).body;
    expect(video).toMatchObject({ state: 'ready', progress: 100, durationSeconds: 4 });
    expect(video.renditions).toEqual([
      { width: 426, height: 240, bitrate: 400_000, codecs: 'avc1.64000d,mp4a.40.2' },
    ]);
    // Stored relative to the video, as the runner named them; the storyboard image is left out (its VTT names it).
    const [row] = await t.database.db.select().from(videos).where(eq(videos.id, videoId));
    expect(row?.assets).toEqual({
      version: expect.any(Number),
      master: 'hls/master.m3u8',
      thumbnail: 'hls/thumbnail.jpg',
      storyboardVtt: 'hls/storyboard.vtt',
    });
    const ladder = await t.database.db.select().from(renditions).where(eq(renditions.videoId, videoId));
    expect(ladder.map((r) => r.playlistKey)).toEqual(['hls/240p/index.m3u8']);
    const ready = await t.database.db.select().from(videoEvents).where(eq(videoEvents.videoId, videoId));
    expect(ready.filter((e) => e.state === 'ready')).toHaveLength(1);
  });

  it('fails a rejected file at once with its reason, and retries a transient failure with backoff', async () => {
    const r = await runner();
    const bad = await queuedVideo();
    await r.post(`${bad.jobId}/accept`);
    const reason = 'The file is not a video or audio file we can read';
    expect((await r.post(`${bad.jobId}/fail`, { reason, retryable: false })).body).toEqual({
      outcome: 'failed',
    });
    expect((await t.call('GET', `/api/v1/videos/${bad.videoId}`, { token: owner.token })).body).toMatchObject(
      { state: 'failed', error: reason },
    );

    const flaky = await queuedVideo();
    await r.post(`${flaky.jobId}/accept`);
    expect((await r.post(`${flaky.jobId}/fail`, { reason: 'disk full', retryable: true })).body).toEqual({
      outcome: 'retrying',
    });
    await r.post(`${flaky.jobId}/accept`);
    expect(
      (await r.post(`${flaky.jobId}/fail`, { reason: 'disk full again', retryable: true })).body,
    ).toEqual({ outcome: 'failed' });
    expect((await t.call('GET', `/api/v1/videos/${flaky.videoId}`, { token: owner.token })).body.error).toBe(
      'disk full again',
    );
  });

  it('releases a job on shutdown without using an attempt', async () => {
    const { jobId } = await queuedVideo();
    const r = await runner();
    await r.post(`${jobId}/accept`);
    expect((await r.post(`${jobId}/release`)).status).toBe(204);
    const [job] = await t.database.db.select().from(jobs).where(eq(jobs.id, jobId));
    expect(job).toMatchObject({ state: 'pending', attempts: 0 });
  });

  it('lets only the lease holder download the source or upload outputs, and only to safe paths', async () => {
    const { jobId } = await queuedVideo();
    const r = await runner();
    const other = await runner('other');
    await r.post(`${jobId}/accept`);
    const put = (token: string, file: string) =>
      t.app.request(`/api/v1/runners/jobs/${jobId}/files/${file}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}` },
        body: 'x',
      });
    expect((await put(other.token, 'hls/a.m3u8')).status).toBe(409);
    expect((await put(r.token, 'hls/..%2F..%2Fetc')).status).toBe(400);
    expect((await put(r.token, 'hls/.hidden')).status).toBe(400);
    const source = await t.app.request(`/api/v1/runners/jobs/${jobId}/source`, {
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(source.status).toBe(409);
  });

  it('grows retry delays exponentially and caps them', () => {
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(n, 10))).toEqual([10, 20, 40, 80]);
    expect(retryDelaySeconds(20, 10)).toBe(600);
  });

  it('finalizes an upload whose bytes all arrived before the origin died, and expires abandoned ones', async () => {
    const make = async () =>
      (await t.call('POST', '/api/v1/videos', { token: owner.token, body: { channelId, title: 's' } })).body
        .video.id;
    const complete = await make();
    const abandoned = await make();
    mkdirSync(t.uploadStagingDir, { recursive: true });
    await startUpload(t.services, {
      uploadId: 'crashed0001',
      videoId: complete,
      userId: owner.userId,
      size: 4,
    });
    writeFileSync(path.join(t.uploadStagingDir, 'crashed0001'), 'abcd');
    await startUpload(t.services, {
      uploadId: 'abandoned01',
      videoId: abandoned,
      userId: owner.userId,
      size: 10,
    });
    writeFileSync(path.join(t.uploadStagingDir, 'abandoned01'), 'abc');
    await t.database.db
      .update(uploads)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(uploads.id, 'abandoned01'));

    const result = await sweep(t.services, t.uploadStagingDir);
    expect(result).toMatchObject({ finalized: 1, expired: 1 });
    const [v1] = await t.database.db.select().from(videos).where(eq(videos.id, complete));
    const [v2] = await t.database.db.select().from(videos).where(eq(videos.id, abandoned));
    expect(v1?.state).toBe('queued');
    expect(v2?.state).toBe('created');
    expect(await t.storage.exists(`sources/${complete}/original`)).toBe(true);
    const again = await sweep(t.services, t.uploadStagingDir);
    expect(again.finalized).toBe(0);
  });
});
