import { eq, inArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../db/schema/index.js';
import type { JobKind, JobPayload } from '../../protocol/runner.js';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/lib/logger.js';
import { watchLeases } from '../src/services/jobs/lease-watch.js';
import { enqueueJob } from '../src/services/jobs/queue.js';
import { transitionVideo } from '../src/services/videos/lifecycle.js';
import { createTestApp, DRIVERS, leases, TEST_CONFIG, type TestApp } from './harness.js';

const TRANSCODE_LEASE = 2;
const LIVE_LEASE = 1;
const ACTIVITY = { type: 'Create', id: 'https://vidra.example/activities/1' };
const LIVE_PAYLOAD = {
  sessionId: '00000000-0000-4000-8000-000000000001',
  sourceUrl: 'rtmp://ingest-1:1935/live/00000000-0000-4000-8000-000000000001',
  ladder: 'source',
} as const;

describe.each(DRIVERS)('job kinds, per-kind leases and the lease watch on %s', (driver) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp(
      driver,
      {
        jobs: {
          leaseSeconds: leases(TRANSCODE_LEASE, { live: LIVE_LEASE }),
          retryBaseSeconds: 30,
          maxAttempts: 3,
        },
      },
      { watchLeases: true },
    );
    owner = await t.signUp('kinds');
    channelId = (
      await t.call('POST', '/api/v1/channels', {
        token: owner.token,
        body: { handle: `k_${owner.userId.slice(0, 6)}`, displayName: 'K' },
      })
    ).body.id;
  });
  // Each test starts with nothing on offer, so offers and timings are its own.
  afterEach(async () => {
    await t.database.db
      .update(jobs)
      .set({ state: 'cancelled', leaseExpiresAt: null })
      .where(inArray(jobs.state, ['pending', 'leased']));
  });
  afterAll(() => t.close());

  const runner = async (name = 'r') => {
    const res = await t.call('POST', '/api/v1/runners/register', {
      body: { registrationToken: TEST_CONFIG.runnerRegistrationToken, name },
    });
    const token = res.body.runnerToken as string;
    const post = (p: string, body?: unknown) =>
      t.call('POST', `/api/v1/runners/jobs/${p}`, { token, ...(body ? { body } : {}) });
    const request = async (kinds: string[], wait = 0) =>
      (await post(`request?wait=${wait}`, { kinds })).body.jobs.map((j: { id: string }) => j.id) as string[];
    return { token, post, request };
  };

  const newVideo = async () =>
    (await t.call('POST', '/api/v1/videos', { token: owner.token, body: { channelId, title: 'kinds' } })).body
      .video.id as string;

  const queue = async <K extends JobKind>(kind: K, payload: JobPayload<K>, videoId?: string) => {
    const id = videoId ?? (await newVideo());
    const job = await t.database.db.transaction(async (tx) => {
      if (kind === 'transcode') await transitionVideo(tx, id, 'queued');
      return enqueueJob(tx, { kind, videoId: id, payload, maxAttempts: 3 });
    });
    return { jobId: job.id, videoId: id };
  };

  const jobRow = async (jobId: string) =>
    (await t.database.db.select().from(jobs).where(eq(jobs.id, jobId)))[0];

  it('queues a delivery that is about no video, offers it only to delivery runners, and keeps it off video routes', async () => {
    const job = await t.database.db.transaction((tx) =>
      enqueueJob(tx, {
        kind: 'deliver',
        videoId: null,
        payload: { inbox: 'https://peer.example/inbox', activity: ACTIVITY },
        maxAttempts: 3,
      }),
    );
    const r = await runner('deliverer');
    expect(await r.request(['transcode'])).not.toContain(job.id);
    expect(await r.request(['deliver'])).toEqual([job.id]);
    const accepted = await r.post(`${job.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      kind: 'deliver',
      inbox: 'https://peer.example/inbox',
      activity: ACTIVITY,
    });
    expect(accepted.body).not.toHaveProperty('videoId');
    const put = await t.app.request(`/api/v1/runners/jobs/${job.id}/files/hls/x.m3u8`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${r.token}` },
      body: '#EXTM3U\n',
    });
    expect(put.status).toBe(409);
    expect(((await put.json()) as { error: { code: string } }).error.code).toBe('conflict');
    const publish = await r.post(`${job.id}/complete`, {
      durationSeconds: 1,
      master: 'hls/master.m3u8',
      renditions: [{ name: 'a', bitrate: 1, playlist: 'hls/a/index.m3u8' }],
    });
    expect(publish.status).toBe(409);
  });

  it('offers a runner only the kinds it asked for', async () => {
    const transcode = await queue('transcode', {});
    const cleanup = await queue('cleanup', {});
    const deliver = await queue('deliver', { inbox: 'https://peer.example/inbox', activity: ACTIVITY });
    const r = await runner();

    expect(await r.request(['transcode'])).toEqual([transcode.jobId]);
    expect((await r.request(['deliver', 'cleanup'])).sort()).toEqual([cleanup.jobId, deliver.jobId].sort());
    expect(await r.request(['live'])).toEqual([]);
    // An offer is not a lease: the transcoder's request took nothing away from the others.
    expect((await r.request(['transcode', 'cleanup', 'deliver'])).length).toBe(3);
  });

  it('refuses a request for an unknown kind, no kinds, or no body, in the one error shape', async () => {
    const r = await runner();
    const unknown = await r.post('request?wait=0', { kinds: ['transcode', 'mine-bitcoin'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      error: { code: 'validation_failed', message: expect.any(String), requestId: expect.any(String) },
    });
    expect(unknown.body.error.fields[0].path).toMatch(/^kinds/);
    expect((await r.post('request?wait=0', { kinds: [] })).status).toBe(400);
    expect((await r.post('request?wait=0')).status).toBe(400);
  });

  it('refuses to queue an unknown kind or a malformed payload, and never offers or leases a stray row', async () => {
    const videoId = await newVideo();
    await expect(
      t.database.db.transaction((tx) =>
        enqueueJob(tx, { kind: 'bogus' as JobKind, videoId, payload: {}, maxAttempts: 3 }),
      ),
    ).rejects.toThrow();
    await expect(
      t.database.db.transaction((tx) =>
        enqueueJob(tx, {
          kind: 'deliver',
          videoId,
          payload: { inbox: 'not a url' } as never,
          maxAttempts: 3,
        }),
      ),
    ).rejects.toThrow();
    expect(await t.database.db.select().from(jobs).where(eq(jobs.videoId, videoId))).toEqual([]);

    // A row written by something else (a newer origin, a hand-made insert) stays where it is.
    const [stray] = await t.database.db.insert(jobs).values({ videoId, kind: 'bogus' }).returning();
    const r = await runner();
    expect(await r.request(['transcode', 'live', 'recording', 'cleanup', 'deliver'])).toEqual([]);
    expect((await r.post(`${stray?.id}/accept`)).status).toBe(409);
    expect((await jobRow(stray?.id as string))?.state).toBe('pending');
  });

  it('leases each kind for its own length and says so in the accepted job', async () => {
    const r = await runner();
    const transcode = await queue('transcode', {});
    const live = await queue('live', LIVE_PAYLOAD);
    const deliver = await queue('deliver', { inbox: 'https://peer.example/inbox', activity: ACTIVITY });

    const started = Date.now();
    const acceptedTranscode = (await r.post(`${transcode.jobId}/accept`)).body;
    expect(acceptedTranscode).toMatchObject({
      id: transcode.jobId,
      kind: 'transcode',
      videoId: transcode.videoId,
      leaseSeconds: TRANSCODE_LEASE,
      sourceUrl: `/api/v1/runners/jobs/${transcode.jobId}/source`,
    });
    expect((await r.post(`${live.jobId}/accept`)).body).toMatchObject({
      kind: 'live',
      videoId: live.videoId,
      leaseSeconds: LIVE_LEASE,
      filesUrl: `/api/v1/runners/jobs/${live.jobId}/files/`,
      ...LIVE_PAYLOAD,
    });
    expect((await r.post(`${deliver.jobId}/accept`)).body).toMatchObject({
      kind: 'deliver',
      leaseSeconds: TRANSCODE_LEASE,
      inbox: 'https://peer.example/inbox',
      activity: ACTIVITY,
    });
    const row = await jobRow(live.jobId);
    const leaseMs = (row?.leaseExpiresAt?.getTime() ?? 0) - started;
    expect(leaseMs).toBeGreaterThan(LIVE_LEASE * 1000 - 100);
    expect(leaseMs).toBeLessThan(LIVE_LEASE * 1000 + 1000);
  });

  it('puts a job whose runner went quiet back on offer within its lease plus a second', async () => {
    const { jobId, videoId } = await queue('transcode', {});
    const dead = await runner('dead');
    const rescuer = await runner('rescuer');
    expect((await dead.post(`${jobId}/accept`)).status).toBe(200);
    const leasedAt = Date.now();

    // One long-poll, started before the lease runs out: only the lease watch can answer it in time.
    const offered = await rescuer.request(['transcode'], 10);
    const takeoverMs = Date.now() - leasedAt;
    console.info(`[${driver}] transcode lease ${TRANSCODE_LEASE} s: back on offer after ${takeoverMs} ms`);
    expect(offered).toEqual([jobId]);
    expect(takeoverMs).toBeGreaterThanOrEqual(TRANSCODE_LEASE * 1000 - 100);
    expect(takeoverMs).toBeLessThan(TRANSCODE_LEASE * 1000 + 1000);

    // Offered at once, not after the 30 s retry backoff; the dead runner's heartbeat is refused.
    expect((await rescuer.post(`${jobId}/accept`)).body).toMatchObject({ id: jobId, attempt: 2 });
    expect((await dead.post(`${jobId}/progress`, { progress: 10 })).status).toBe(409);
    expect((await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).body.state).toBe(
      'transcoding',
    );
  });

  it('keeps a heartbeating job leased well past its lease, and takes it back once heartbeats stop', async () => {
    const { jobId } = await queue('live', LIVE_PAYLOAD);
    const holder = await runner('holder');
    const other = await runner('other');
    await holder.post(`${jobId}/accept`);
    const leasedAt = Date.now();
    const waiting = other.request(['live'], 3);
    while (Date.now() - leasedAt < LIVE_LEASE * 3000) {
      await new Promise((resolve) => setTimeout(resolve, (LIVE_LEASE * 1000) / 3));
      expect((await holder.post(`${jobId}/progress`, { progress: 5 })).status).toBe(204);
    }
    expect(await waiting).toEqual([]);
    expect(await jobRow(jobId)).toMatchObject({ state: 'leased', attempts: 1 });

    const stoppedAt = Date.now();
    expect(await other.request(['live'], 5)).toEqual([jobId]);
    expect(Date.now() - stoppedAt).toBeLessThan(LIVE_LEASE * 1000 + 1000);
  });

  it("fails a job of another kind without touching its video's state", async () => {
    const transcode = await queue('transcode', {});
    const cleanup = await queue('cleanup', {}, transcode.videoId);
    const r = await runner();
    await r.post(`${cleanup.jobId}/accept`);
    const reason = 'This runner cannot run jobs of kind "cleanup"';
    expect((await r.post(`${cleanup.jobId}/fail`, { reason, retryable: false })).body).toEqual({
      outcome: 'failed',
    });
    expect(await jobRow(cleanup.jobId)).toMatchObject({ state: 'failed', error: reason });
    expect(
      (await t.call('GET', `/api/v1/videos/${transcode.videoId}`, { token: owner.token })).body.state,
    ).toBe('queued');
  });

  it('lets another origin on the same database take back a lease this origin granted and then died with', async () => {
    const logger = createLogger('silent');
    const config = { ...TEST_CONFIG, jobs: t.services.config.jobs };
    const { app: second, services } = createApp({
      db: t.database.db,
      logger,
      config,
      storage: t.storage,
      uploadStagingDir: t.uploadStagingDir,
    });
    const secondWatch = watchLeases(services, { logger });
    // The first origin "dies": its watch stops, though the lease it granted stays in the table.
    await t.leaseWatch?.stop();
    try {
      const { jobId } = await queue('transcode', {});
      const dead = await runner('dead');
      await dead.post(`${jobId}/accept`);
      const leasedAt = Date.now();
      // Ask the second origin, which never heard of the lease: only its rescan can learn of it.
      const res = await second.request('/api/v1/runners/jobs/request?wait=10', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${(await runner('rescuer')).token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ kinds: ['transcode'] }),
      });
      expect((await res.json()).jobs.map((j: { id: string }) => j.id)).toEqual([jobId]);
      expect(Date.now() - leasedAt).toBeLessThan(TRANSCODE_LEASE * 1000 + 1000);
      expect(await jobRow(jobId)).toMatchObject({ state: 'pending', attempts: 1 });
    } finally {
      await secondWatch.stop();
    }
  });
});
