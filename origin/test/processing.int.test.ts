import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../db/schema/index.js';
import { createTestApp, DRIVERS, type TestApp } from './harness.js';
import { ONE_RUNG_OUTPUTS, queuedTestVideo, registerTestRunner } from './runner-client.js';

/** Progress events of `GET /events`, read until `until` holds for one or the stream ends. */
async function progressEvents(
  t: TestApp,
  videoId: string,
  token: string,
  until: (data: { processing: unknown }) => boolean = () => false,
) {
  const res = await t.app.request(`/api/v1/videos/${videoId}/events`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const seen: Array<{ state: string; progress: number; processing: unknown }> = [];
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { seen, ended: true };
    buffer += decoder.decode(value, { stream: true });
    for (const match of buffer.matchAll(/event: progress\ndata: (.+)\n/g))
      seen.push(JSON.parse(match[1] ?? ''));
    buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
    const last = seen.at(-1);
    if (last && until(last)) {
      await reader.cancel();
      return { seen, ended: false };
    }
  }
}

describe.each(DRIVERS)('a ready video still encoding its ladder, on %s', (driver) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp(driver);
    owner = await t.signUp('ladder');
    channelId = (
      await t.call('POST', '/api/v1/channels', {
        token: owner.token,
        body: { handle: `l_${owner.userId.slice(0, 6)}`, displayName: 'L' },
      })
    ).body.id;
  });
  afterAll(() => t.close());

  it('says which stage runs and how far it got, until the ladder lands', async () => {
    const { videoId, jobId } = await queuedTestVideo(t, owner.token, channelId);
    const r = await registerTestRunner(t);
    const video = async () => (await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).body;
    expect((await r.post(`${jobId}/accept`)).status).toBe(200);
    expect((await video()).processing).toBeUndefined(); // transcoding: state and progress say it all
    await r.putOutputs(jobId);
    expect((await r.post(`${jobId}/preview`, ONE_RUNG_OUTPUTS)).body).toEqual({ outcome: 'published' });
    expect(await video()).toMatchObject({ state: 'ready', processing: { stage: 'ladder', progress: 0 } });

    expect((await r.post(`${jobId}/progress`, { progress: 20 })).status).toBe(204);
    expect((await video()).processing).toEqual({ stage: 'ladder', progress: 20 });
    expect((await r.post(`${jobId}/progress`, { progress: 60 })).status).toBe(204);
    const listed = await t.call('GET', `/api/v1/videos?channelId=${channelId}`, { token: owner.token });
    expect(listed.body.data[0]).toMatchObject({
      id: videoId,
      processing: { stage: 'ladder', progress: 60 },
    });
    const live = await progressEvents(t, videoId, owner.token, (d) => d.processing !== null);
    expect(live.seen.at(-1)).toEqual({
      state: 'ready',
      progress: 60,
      processing: { stage: 'ladder', progress: 60 },
    });

    expect((await r.post(`${jobId}/complete`, ONE_RUNG_OUTPUTS)).body).toEqual({ outcome: 'published' });
    const done = await video();
    expect(done).toMatchObject({ state: 'ready', progress: 100 });
    expect(done).not.toHaveProperty('processing');
    const final = await progressEvents(t, videoId, owner.token);
    expect(final.ended).toBe(true);
    expect(final.seen.at(-1)).toEqual({ state: 'ready', progress: 100, processing: null });
  });

  it('shows a ladder that gave up after fast first play, tells the owner, and an admin retry resumes it', async () => {
    const { videoId, jobId } = await queuedTestVideo(t, owner.token, channelId);
    const r = await registerTestRunner(t);
    const video = async () => (await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).body;
    expect((await r.post(`${jobId}/accept`)).status).toBe(200);
    await r.putOutputs(jobId);
    await r.post(`${jobId}/preview`, ONE_RUNG_OUTPUTS);
    const reason = 'The storage is read-only (while storing seg_00003.m4s)';
    expect((await r.post(`${jobId}/fail`, { reason, retryable: false })).body).toEqual({ outcome: 'failed' });
    // Still playable, but the owner sees the ladder failed and why.
    expect(await video()).toMatchObject({ state: 'ready', processing: { stage: 'failed', error: reason } });
    const events = await t.database.db.select().from(outboxEvents).orderBy(asc(outboxEvents.id));
    expect(events.filter((e) => e.type === 'video.failed').map((e) => e.payload)).toContainEqual({
      videoId,
      channelId,
      reason: `The full ladder could not be encoded: ${reason}`,
    });

    // (This suite's first account, the owner, is the instance admin; anyone else is refused.)
    const bystander = await t.signUp('bystander');
    expect((await t.call('POST', `/api/v1/videos/${videoId}/retry`, { token: bystander.token })).status).toBe(
      403,
    );
    const admin = await t.signUpAdmin();
    const retried = await t.call('POST', `/api/v1/videos/${videoId}/retry`, { token: admin.token });
    expect(retried).toMatchObject({ status: 202, body: { videoId, jobId, state: 'pending' } });
    expect(await video()).toMatchObject({ state: 'ready', processing: { stage: 'ladder' } });
    expect((await t.call('POST', `/api/v1/videos/${videoId}/retry`, { token: admin.token })).status).toBe(
      409,
    );
  });

  it('shows each failed attempt with its reason, the attempt count and the next try, until it succeeds', async () => {
    const { videoId, jobId } = await queuedTestVideo(t, owner.token, channelId);
    const r = await registerTestRunner(t);
    const video = async () => (await t.call('GET', `/api/v1/videos/${videoId}`, { token: owner.token })).body;
    expect((await video()).retries).toBeUndefined();
    expect((await r.post(`${jobId}/accept`)).status).toBe(200);
    const before = Date.now();
    const full = 'The storage is full (while storing seg_00001.m4s)';
    expect((await r.post(`${jobId}/fail`, { reason: full, retryable: true })).body).toEqual({
      outcome: 'retrying',
    });
    const waiting = await video();
    expect(waiting).toMatchObject({
      state: 'queued',
      retries: { attempt: 1, maxAttempts: 2, failures: [{ attempt: 1, reason: full }] },
    });
    // The next try is the backoff away from the failure (the test config's base may be 0 s).
    expect(Date.parse(waiting.retries.nextAttemptAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(waiting.retries.failures[0].at)).toBeGreaterThanOrEqual(before - 1000);

    await new Promise((resolve) =>
      setTimeout(resolve, Date.parse(waiting.retries.nextAttemptAt) - Date.now()),
    );
    expect((await r.post(`${jobId}/accept`)).status).toBe(200);
    expect((await video()).retries).toMatchObject({ attempt: 2, nextAttemptAt: null });
    await r.putOutputs(jobId);
    expect((await r.post(`${jobId}/complete`, ONE_RUNG_OUTPUTS)).body).toEqual({ outcome: 'published' });
    expect(await video()).not.toHaveProperty('retries');
  });

  it('records video.published for the preview, then a republish when the ladder lands', async () => {
    const { videoId, jobId } = await queuedTestVideo(t, owner.token, channelId);
    const r = await registerTestRunner(t);
    await r.post(`${jobId}/accept`);
    await r.putOutputs(jobId);
    await r.post(`${jobId}/preview`, ONE_RUNG_OUTPUTS);
    await r.post(`${jobId}/preview`, ONE_RUNG_OUTPUTS); // duplicate: publishes nothing
    await r.post(`${jobId}/complete`, ONE_RUNG_OUTPUTS);
    await r.post(`${jobId}/complete`, ONE_RUNG_OUTPUTS);
    const events = (await t.database.db.select().from(outboxEvents).orderBy(asc(outboxEvents.seq)))
      .map((e) => ({ type: e.type, payload: e.payload as Record<string, unknown> }))
      .filter((e) => e.payload.videoId === videoId);
    expect(events).toMatchObject([
      {
        type: 'video.published',
        payload: { channelId, privacy: 'public', stage: 'preview', republished: false },
      },
      { type: 'video.published', payload: { stage: 'final', republished: true } },
    ]);
  });
});
