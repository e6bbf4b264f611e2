import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs, outboxEvents, renditions, videoEvents, videos } from '../../db/schema/index.js';
import { createLogger } from '../../origin/src/lib/logger.js';
import { startCleanupWorker } from '../../origin/src/services/cleanup/worker.js';
import { enqueueTranscode } from '../../origin/src/services/jobs/queue.js';
import { finalizeUpload, startUpload } from '../../origin/src/services/uploads/lifecycle.js';
import { usedQuotaBytes } from '../../origin/src/services/uploads/policy.js';
import { createTestApp, type TestApp } from '../../origin/test/harness.js';
import { ONE_RUNG_OUTPUTS, queuedTestVideo, registerTestRunner } from '../../origin/test/runner-client.js';
import { sourceKey, sourcePrefix, videoObjectKey, videoPrefix } from '../../protocol/media.js';
import { expectErrorShape } from './helpers.js';

// Defends (issue 9, item 1): a deleted video kept its jobs (a pending one was still accepted and
// published onto it), no file was ever removed, and the quota was given back at once.
const TRANSCODER = { kinds: ['transcode'] };

describe('deletion that deletes on postgres', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp('postgres');
    owner = await t.signUp('deleter');
    channelId = (
      await t.call('POST', '/api/v1/channels', {
        token: owner.token,
        body: { handle: `d_${owner.userId.slice(0, 6)}`, displayName: 'D' },
      })
    ).body.id;
  });
  afterAll(() => t.close());

  const del = (videoId: string) => t.call('DELETE', `/api/v1/videos/${videoId}`, { token: owner.token });
  const jobOf = async (jobId: string) =>
    (await t.database.db.select().from(jobs).where(eq(jobs.id, jobId)))[0];
  const cleanupOf = async (videoId: string) =>
    (
      await t.database.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.videoId, videoId), eq(jobs.kind, 'cleanup')))
    )[0];
  const videoRow = async (videoId: string) =>
    (await t.database.db.select().from(videos).where(eq(videos.id, videoId)))[0];
  /** Run the origin's cleanup worker until the video's cleanup job has succeeded. */
  async function runCleanup(videoId: string) {
    const worker = startCleanupWorker(t.services, { logger: createLogger('silent'), pollMs: 50 });
    try {
      for (let i = 0; i < 200 && (await cleanupOf(videoId))?.state !== 'succeeded'; i++)
        await new Promise((resolve) => setTimeout(resolve, 25));
    } finally {
      await worker.stop();
    }
    expect((await cleanupOf(videoId))?.state).toBe('succeeded');
  }
  async function putOutputs(token: string, jobId: string) {
    for (const file of [
      'hls/master.m3u8',
      'hls/240p/index.m3u8',
      'hls/thumbnail.jpg',
      'hls/storyboard.jpg',
      'hls/storyboard.vtt',
    ])
      expect((await putFile(token, jobId, file)).status).toBe(204);
  }
  const putFile = (token: string, jobId: string, file: string) =>
    t.app.request(`/api/v1/runners/jobs/${jobId}/files/${file}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}` },
      body: '#EXTM3U\n',
    });

  it('goes through the state machine: an event row, the outbox event and a queued cleanup, in one go', async () => {
    const { videoId, jobId } = await queuedTestVideo(t, owner.token, channelId);
    expect((await del(videoId)).status).toBe(204);
    const events = await t.database.db.select().from(videoEvents).where(eq(videoEvents.videoId, videoId));
    expect(events.at(-1)).toMatchObject({ state: 'deleted', detail: { from: 'queued' } });
    const outbox = await t.database.db
      .select()
      .from(outboxEvents)
      .where(eq(outboxEvents.type, 'video.deleted'));
    expect(outbox.map((e) => (e.payload as { videoId: string }).videoId)).toContain(videoId);
    expect((await videoRow(videoId))?.deletedAt).toBeInstanceOf(Date);
    expect((await jobOf(jobId))?.state).toBe('cancelled');
    expect(await cleanupOf(videoId)).toMatchObject({ state: 'pending', attempts: 0 });
    // Gone for its owner too, and a second delete changes nothing.
    expect((await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).status).toBe(404);
    expect((await del(videoId)).status).toBe(404);
  });

  it('never offers nor leases a pending job of a deleted video, even one that slipped past the cancel', async () => {
    const r = await registerTestRunner(t, 'pending');
    const { videoId, jobId } = await queuedTestVideo(t, owner.token, channelId);
    expect((await del(videoId)).status).toBe(204);
    // As if queued by a transaction that raced the delete.
    const stray = await t.database.db.transaction((tx) => enqueueTranscode(tx, videoId, 2));
    const offered = (await r.post('request?wait=0', TRANSCODER)).body.jobs.map((j: { id: string }) => j.id);
    expect(offered).not.toContain(jobId);
    expect(offered).not.toContain(stray.id);
    for (const id of [jobId, stray.id]) {
      const accept = await r.post(`${id}/accept`);
      expect(accept.status).toBe(409);
      expectErrorShape(accept.body, 'conflict');
    }
    expect((await videoRow(videoId))?.state).toBe('deleted');
  });

  it('takes the lease from a runner holding a job: its heartbeat answers lease-lost', async () => {
    const r = await registerTestRunner(t, 'leased');
    const { videoId, jobId } = await queuedTestVideo(t, owner.token, channelId);
    expect((await r.post(`${jobId}/accept`)).status).toBe(200);
    expect((await r.post(`${jobId}/progress`, { progress: 10 })).status).toBe(204);
    expect((await del(videoId)).status).toBe(204);
    const beat = await r.post(`${jobId}/progress`, { progress: 20 });
    expect(beat.status).toBe(409);
    expectErrorShape(beat.body, 'lease_gone');
    expect(beat.body.error.message).toMatch(/lease on this job is gone/);
    expect((await jobOf(jobId))?.state).toBe('cancelled');
    const source = await t.app.request(`/api/v1/runners/jobs/${jobId}/source`, {
      headers: { authorization: `Bearer ${r.token}` },
    });
    expect(source.status).toBe(409);
  });

  it('refuses complete, preview and file uploads after the delete (409) and publishes nothing', async () => {
    const r = await registerTestRunner(t, 'publisher');
    const { videoId, jobId } = await queuedTestVideo(t, owner.token, channelId);
    expect((await r.post(`${jobId}/accept`)).status).toBe(200);
    // Every output is uploaded before the delete, so only the deletion can refuse the publish.
    await putOutputs(r.token, jobId);
    expect((await del(videoId)).status).toBe(204);

    for (const stage of ['preview', 'complete']) {
      const res = await r.post(`${jobId}/${stage}`, ONE_RUNG_OUTPUTS);
      expect(res.status).toBe(409);
      expectErrorShape(res.body, 'lease_gone');
    }
    const put = await putFile(r.token, jobId, 'hls/240p/seg_00001.m4s');
    expect(put.status).toBe(409);
    expectErrorShape(await put.json(), 'lease_gone');
    expect(await t.storage.exists(videoObjectKey(videoId, 'hls/240p/seg_00001.m4s'))).toBe(false);

    const video = await videoRow(videoId);
    expect(video).toMatchObject({ state: 'deleted', assets: null });
    expect(await t.database.db.select().from(renditions).where(eq(renditions.videoId, videoId))).toEqual([]);
    const states = (
      await t.database.db.select().from(videoEvents).where(eq(videoEvents.videoId, videoId))
    ).map((e) => e.state);
    expect(states).not.toContain('ready');
  });

  it('removes the source and every published file of the video, and nothing of another video', async () => {
    const r = await registerTestRunner(t, 'cleanup');
    const { videoId, jobId } = await queuedTestVideo(t, owner.token, channelId);
    const kept = await queuedTestVideo(t, owner.token, channelId);
    for (const id of [videoId, kept.videoId]) await t.storage.put(sourceKey(id), 'source bytes');
    await t.storage.put(videoObjectKey(kept.videoId, 'hls/master.m3u8'), '#EXTM3U\n');
    expect((await r.post(`${jobId}/accept`)).status).toBe(200);
    await putOutputs(r.token, jobId);
    expect((await r.post(`${jobId}/complete`, ONE_RUNG_OUTPUTS)).body.outcome).toBe('published');
    expect((await t.storage.list(videoPrefix(videoId))).length).toBe(5);

    expect((await del(videoId)).status).toBe(204);
    await runCleanup(videoId);
    expect(await t.storage.list(sourcePrefix(videoId))).toEqual([]);
    expect(await t.storage.list(videoPrefix(videoId))).toEqual([]);
    expect(await t.storage.list(sourcePrefix(kept.videoId))).toHaveLength(1);
    expect(await t.storage.list(videoPrefix(kept.videoId))).toHaveLength(1);
  });

  it('gives the quota back only once the cleanup has removed the files', async () => {
    const user = await t.signUp('quota');
    const chan = (
      await t.call('POST', '/api/v1/channels', {
        token: user.token,
        body: { handle: `q_${user.userId.slice(0, 6)}`, displayName: 'Q' },
      })
    ).body.id;
    const videoId = (
      await t.call('POST', '/api/v1/videos', { token: user.token, body: { channelId: chan, title: 'q' } })
    ).body.video.id as string;
    const uploadId = `up-${videoId}`;
    await startUpload(t.services, { uploadId, videoId, userId: user.userId, size: 1000 });
    mkdirSync(t.uploadStagingDir, { recursive: true });
    const staged = path.join(t.uploadStagingDir, uploadId);
    writeFileSync(staged, Buffer.alloc(1000));
    expect(await finalizeUpload(t.services, uploadId, staged)).toBe(true);
    expect(await usedQuotaBytes(t.services, user.userId)).toBe(1000);

    expect((await t.call('DELETE', `/api/v1/videos/${videoId}`, { token: user.token })).status).toBe(204);
    expect(await usedQuotaBytes(t.services, user.userId)).toBe(1000);
    await runCleanup(videoId);
    expect(await t.storage.exists(sourceKey(videoId))).toBe(false);
    expect(await usedQuotaBytes(t.services, user.userId)).toBe(0);
  });

  it('lists pending cleanups to admins only', async () => {
    const admin = await t.signUpAdmin();
    const stranger = await t.signUp('nosy');
    const { videoId } = await queuedTestVideo(t, owner.token, channelId);
    expect((await del(videoId)).status).toBe(204);

    const list = await t.call('GET', '/api/v1/admin/cleanup?limit=100', { token: admin.token });
    expect(list.status).toBe(200);
    const item = list.body.items.find((i: { videoId: string }) => i.videoId === videoId);
    expect(item).toMatchObject({
      videoId,
      state: 'pending',
      attempts: 0,
      lastError: null,
      deletedAt: expect.any(String),
      nextAttemptAt: expect.any(String),
    });

    const refused = await t.call('GET', '/api/v1/admin/cleanup', { token: stranger.token });
    expect(refused.status).toBe(403);
    expectErrorShape(refused.body, 'forbidden');
    const anonymous = await t.call('GET', '/api/v1/admin/cleanup');
    expect(anonymous.status).toBe(401);
    expectErrorShape(anonymous.body, 'unauthorized');
  });
});
