import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setVideoProgress, transitionVideo } from '../../origin/src/services/videos/lifecycle.js';
import { createTestApp, DRIVERS, type TestApp } from '../../origin/test/harness.js';

/**
 * Issue 9: "SSE streams never close on a video that never gets a file, and each polls the database
 * every 500 ms". Streams now end with a final `end` event (settled, or idle past a limit), and they
 * wait on change notifications (LISTEN/NOTIFY) instead of polling.
 */

interface Sse {
  event: string;
  data: Record<string, unknown>;
  at: number;
}

/** Open the stream and collect its events as they arrive, with the time each came. */
async function openStream(t: TestApp, videoId: string, token: string) {
  const res = await t.app.request(`/api/v1/videos/${videoId}/events`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: Sse[] = [];
  let buffer = '';
  const finished = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data), at: Date.now() });
        cut = buffer.indexOf('\n\n');
      }
    }
  })();
  return { events, finished, cancel: () => reader.cancel() };
}

async function until<T>(probe: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(DRIVERS)('video event streams on %s', (driver) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp(driver, { events: { idleSeconds: 1 } });
    owner = await t.signUp('sse');
    channelId = (
      await t.call('POST', '/api/v1/channels', {
        token: owner.token,
        body: { handle: `s_${owner.userId.slice(0, 6)}`, displayName: 'S' },
      })
    ).body.id;
  });
  afterAll(() => t.close());

  const newVideo = async () =>
    (await t.call('POST', '/api/v1/videos', { token: owner.token, body: { channelId, title: 'sse' } })).body
      .video.id as string;

  it('ends a stream on a video that never gets a file with a final idle event, and stops waiting', async () => {
    const videoId = await newVideo();
    const started = Date.now();
    const stream = await openStream(t, videoId, owner.token);
    await stream.finished;
    const last = stream.events.at(-1);
    expect(last).toMatchObject({ event: 'end', data: { state: 'created', reason: 'idle' } });
    expect((last?.at ?? 0) - started).toBeGreaterThanOrEqual(900);
    expect((last?.at ?? 0) - started).toBeLessThan(5000);
    expect(t.services.videoChanges.waiting).toBe(0);
  });

  it('wakes on a committed change at once, not on a polling tick, and never for a rolled-back one', async () => {
    const videoId = await newVideo();
    await t.database.db.transaction((tx) => transitionVideo(tx, videoId, 'queued'));
    const stream = await openStream(t, videoId, owner.token);
    await until(() => stream.events.find((e) => e.event === 'progress'), 2000);
    await until(() => (t.services.videoChanges.waiting > 0 ? true : undefined), 2000);

    // A change that rolls back notifies nobody (NOTIFY is delivered on commit only).
    await t.database.db
      .transaction(async (tx) => {
        await setVideoProgress(tx, videoId, 50);
        throw new Error('roll back');
      })
      .catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stream.events.filter((e) => e.event === 'progress')).toHaveLength(1);

    const changedAt = Date.now();
    await t.database.db.transaction((tx) => transitionVideo(tx, videoId, 'transcoding', { progress: 7 }));
    const seen = await until(
      () => stream.events.find((e) => e.event === 'progress' && e.data.state === 'transcoding'),
      2000,
    );
    // The fallback check runs every 15 s; a notification-fed stream answers in well under a second.
    expect(seen.at - changedAt).toBeLessThan(1000);
    expect(seen.data).toMatchObject({ state: 'transcoding', progress: 7 });
    await stream.cancel();
  });

  it('ends with a final settled event when the video fails', async () => {
    const videoId = await newVideo();
    await t.database.db.transaction((tx) => transitionVideo(tx, videoId, 'queued'));
    const stream = await openStream(t, videoId, owner.token);
    await until(() => stream.events.find((e) => e.event === 'progress'), 2000);
    await t.database.db.transaction((tx) => transitionVideo(tx, videoId, 'failed', { error: 'not media' }));
    await stream.finished;
    expect(stream.events.at(-1)).toMatchObject({
      event: 'end',
      data: { state: 'failed', reason: 'settled' },
    });
    expect(stream.events.some((e) => e.event === 'state' && e.data.state === 'failed')).toBe(true);
  });
});
