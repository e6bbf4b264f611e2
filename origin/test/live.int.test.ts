import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs, liveEndpoints, liveSessions, outboxEvents, videos } from '../../db/schema/index.js';
import { LiveAuthorizeResultSchema, LiveEndpointSchema, LiveJobPayloadSchema } from '../../protocol/live.js';
import { hashSecret } from '../src/auth/opaque-tokens.js';
import { createTestApp, DRIVERS, TEST_CONFIG, type TestApp } from './harness.js';

const RECONNECT_SECONDS = 3;
const INTERNAL = { authorization: `Bearer ${TEST_CONFIG.internalApiToken}` };
const SRT_PORTS = { first: 9500, last: 9599 };

describe.each(DRIVERS)('live API and ingest sessions on %s', (driver) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(driver, {
      live: { ...TEST_CONFIG.live, srtPorts: SRT_PORTS, reconnectSeconds: RECONNECT_SECONDS },
    });
  });
  afterAll(() => t.close());

  let handles = 0;
  /** A signed-up owner and a channel of theirs. */
  async function ownerWithChannel() {
    const owner = await t.signUp('live');
    const handle = `live_${owner.userId.slice(0, 6)}_${handles++}`;
    const channel = await t.call('POST', '/api/v1/channels', {
      token: owner.token,
      body: { handle, displayName: 'Live channel' },
    });
    expect(channel.status).toBe(201);
    return { owner, handle, channelId: channel.body.id as string };
  }

  async function withKey() {
    const setup = await ownerWithChannel();
    const res = await t.call('POST', `/api/v1/channels/${setup.handle}/live`, { token: setup.owner.token });
    expect(res.status).toBe(201);
    return { ...setup, ingest: res.body.ingest as { rtmpUrl: string; streamKey: string; srtUrl: string } };
  }

  const authorize = (streamKey: string, extra: Record<string, string> = {}) =>
    t.call('POST', '/internal/v1/live/authorize', {
      headers: INTERNAL,
      body: {
        protocol: 'rtmp',
        streamKey,
        pullBaseUrl: 'rtmp://ingest-1:1935/live',
        node: 'ingest-1',
        ...extra,
      },
    });
  const disconnected = (sessionId: string, body: Record<string, unknown> = { node: 'ingest-1' }) =>
    t.call('POST', `/internal/v1/live/sessions/${sessionId}/disconnected`, { headers: INTERNAL, body });

  const listenerOf = async (channelId: string) => {
    const res = await t.call('GET', '/internal/v1/live/srt-listeners', { headers: INTERNAL });
    expect(res.status).toBe(200);
    return (res.body.listeners as Array<{ channelId: string; port: number; passphrase: string }>).find(
      (l) => l.channelId === channelId,
    );
  };
  const liveJobsOf = (videoId: string) =>
    t.database.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.videoId, videoId), eq(jobs.kind, 'live')));
  const eventsOf = async (type: string, sessionId: string) =>
    (await t.database.db.select().from(outboxEvents).where(eq(outboxEvents.type, type))).filter(
      (e) => (e.payload as { streamId: string }).streamId === sessionId,
    );
  const sessionsOf = (channelId: string) =>
    t.database.db.select().from(liveSessions).where(eq(liveSessions.channelId, channelId));

  it('gives the owner a key, an RTMP URL and a complete SRT URL once, and stores only hashes', async () => {
    const { owner, handle, channelId, ingest } = await withKey();
    expect(ingest.rtmpUrl).toBe('rtmp://127.0.0.1:1935/live');
    expect(ingest.streamKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const srt = new URL(ingest.srtUrl);
    expect(srt.protocol).toBe('srt:');
    expect(srt.hostname).toBe('127.0.0.1');
    const port = Number(srt.port);
    expect(port).toBeGreaterThanOrEqual(SRT_PORTS.first);
    expect(port).toBeLessThanOrEqual(SRT_PORTS.last);
    const passphrase = srt.searchParams.get('passphrase') as string;
    expect(passphrase.length).toBeGreaterThanOrEqual(10);

    const [row] = await t.database.db
      .select()
      .from(liveEndpoints)
      .where(eq(liveEndpoints.channelId, channelId));
    expect(row?.keyHash).toBe(hashSecret(ingest.streamKey));
    expect(row?.srtPassphraseHash).toBe(hashSecret(passphrase));
    expect(row?.srtPort).toBe(port);
    expect(JSON.stringify(row)).not.toContain(ingest.streamKey);
    expect(JSON.stringify(row)).not.toContain(passphrase);

    // Ingest learns the listener it must run for this channel; the passphrase is not stored.
    expect(await listenerOf(channelId)).toEqual({ channelId, port, passphrase });
    expect((await t.call('GET', '/internal/v1/live/srt-listeners')).status).toBe(401);

    // GET shows state and settings, never a secret.
    const got = await t.call('GET', `/api/v1/channels/${handle}/live`, { token: owner.token });
    expect(got.status).toBe(200);
    expect(LiveEndpointSchema.parse(got.body)).toMatchObject({
      state: 'idle',
      videoId: null,
      settings: { ladder: 'source', record: true, dvrWindowSeconds: 1800 },
      srtPort: port,
    });
    expect(JSON.stringify(got.body)).not.toContain(ingest.streamKey);
    expect(JSON.stringify(got.body)).not.toContain(passphrase);

    // Creating again does not rotate: 409, and the key still works.
    const again = await t.call('POST', `/api/v1/channels/${handle}/live`, { token: owner.token });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    expect((await authorize(ingest.streamKey)).status).toBe(200);
  });

  it('answers 404 to anyone but the owner, admins included, exactly as for an unknown channel, and 401 anonymously', async () => {
    const { handle } = await withKey();
    const stranger = await t.signUp('stranger');
    const admin = await t.signUpAdmin();
    const unknown = await t.call('GET', '/api/v1/channels/no_such_channel_x/live', { token: stranger.token });
    expect(unknown.status).toBe(404);
    for (const who of [stranger, admin]) {
      for (const [method, path, body] of [
        ['GET', `/api/v1/channels/${handle}/live`, undefined],
        ['POST', `/api/v1/channels/${handle}/live`, undefined],
        ['POST', `/api/v1/channels/${handle}/live/key`, undefined],
        ['PATCH', `/api/v1/channels/${handle}/live`, { record: false }],
      ] as const) {
        const res = await t.call(method, path, { token: who.token, ...(body ? { body } : {}) });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.error.code).toBe('not_found');
        expect(res.body.error.message).toBe(unknown.body.error.message);
      }
    }
    expect((await t.call('GET', `/api/v1/channels/${handle}/live`)).status).toBe(401);
  });

  it('updates settings with validation, and 404s GET and PATCH before a key exists', async () => {
    const { owner, handle } = await ownerWithChannel();
    expect((await t.call('GET', `/api/v1/channels/${handle}/live`, { token: owner.token })).status).toBe(404);
    await t.call('POST', `/api/v1/channels/${handle}/live`, { token: owner.token });
    const patched = await t.call('PATCH', `/api/v1/channels/${handle}/live`, {
      token: owner.token,
      body: { ladder: 'source+720p', dvrWindowSeconds: 600 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.settings).toEqual({ ladder: 'source+720p', record: true, dvrWindowSeconds: 600 });
    for (const body of [{}, { ladder: '4k' }, { dvrWindowSeconds: 5 }, { record: 'yes' }]) {
      const bad = await t.call('PATCH', `/api/v1/channels/${handle}/live`, { token: owner.token, body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
    }
    const got = await t.call('GET', `/api/v1/channels/${handle}/live`, { token: owner.token });
    expect(got.body.settings.ladder).toBe('source+720p');
  });

  it('starts a session on a good key: a live video, a live job with the pull URL, live.started', async () => {
    const { owner, handle, channelId, ingest } = await withKey();
    await t.call('PATCH', `/api/v1/channels/${handle}/live`, {
      token: owner.token,
      body: { ladder: 'source+720p' },
    });
    const res = await authorize(ingest.streamKey);
    expect(res.status).toBe(200);
    const result = LiveAuthorizeResultSchema.parse(res.body);
    expect(result).toMatchObject({ channelId, resumed: false, publisher: 1, streamName: result.sessionId });
    expect(result.streamName).not.toContain(ingest.streamKey);

    const video = await t.call('GET', `/api/v1/videos/${result.videoId}`, { token: owner.token });
    expect(video.status).toBe(200);
    expect(video.body.state).toBe('live');
    expect(video.body.channel.id).toBe(channelId);

    const [job, ...more] = await liveJobsOf(result.videoId);
    expect(more).toEqual([]);
    expect(job?.state).toBe('pending');
    expect(LiveJobPayloadSchema.parse(job?.payload)).toEqual({
      sessionId: result.sessionId,
      sourceUrl: `rtmp://ingest-1:1935/live/${result.sessionId}`,
      ladder: 'source+720p',
    });
    const started = await eventsOf('live.started', result.sessionId);
    expect(started.map((e) => e.payload)).toEqual([
      { videoId: result.videoId, channelId, streamId: result.sessionId },
    ]);

    const got = await t.call('GET', `/api/v1/channels/${handle}/live`, { token: owner.token });
    expect(got.body).toMatchObject({ state: 'live', videoId: result.videoId });
  });

  it('refuses a wrong or unknown key with 403 in the one error shape, and starts nothing', async () => {
    const { channelId, ingest } = await withKey();
    for (const key of [`${ingest.streamKey.slice(0, -1)}x`, 'nope', ingest.streamKey.toUpperCase()]) {
      const res = await authorize(key);
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden', requestId: expect.any(String) });
    }
    // The SRT passphrase is not an RTMP key, nor the other way round.
    const passphrase = new URL(ingest.srtUrl).searchParams.get('passphrase') as string;
    expect((await authorize(passphrase)).status).toBe(403);
    expect((await authorize(ingest.streamKey, { protocol: 'srt' })).status).toBe(403);
    expect(await sessionsOf(channelId)).toEqual([]);
    const channelVideos = await t.database.db.select().from(videos).where(eq(videos.channelId, channelId));
    expect(channelVideos).toEqual([]);
    // Without the internal token: 401.
    const anonymous = await t.call('POST', '/internal/v1/live/authorize', {
      body: { protocol: 'rtmp', streamKey: ingest.streamKey, pullBaseUrl: 'rtmp://x/live', node: 'x' },
    });
    expect(anonymous.status).toBe(401);
  });

  it('authorizes SRT by its passphrase', async () => {
    const { channelId, ingest } = await withKey();
    const passphrase = new URL(ingest.srtUrl).searchParams.get('passphrase') as string;
    const res = await authorize(passphrase, { protocol: 'srt', pullBaseUrl: 'srt://ingest-1:9500' });
    expect(res.status).toBe(200);
    expect(res.body.channelId).toBe(channelId);
  });

  it('refuses the old key and passphrase after a rotation; the new ones work, the SRT port stays', async () => {
    const { owner, handle, channelId, ingest } = await withKey();
    const rotated = await t.call('POST', `/api/v1/channels/${handle}/live/key`, { token: owner.token });
    expect(rotated.status).toBe(201);
    const fresh = rotated.body.ingest;
    expect(fresh.streamKey).not.toBe(ingest.streamKey);
    expect(new URL(fresh.srtUrl).port).toBe(new URL(ingest.srtUrl).port);
    const oldPassphrase = new URL(ingest.srtUrl).searchParams.get('passphrase') as string;
    expect((await authorize(ingest.streamKey)).status).toBe(403);
    expect((await authorize(oldPassphrase, { protocol: 'srt' })).status).toBe(403);
    expect((await authorize(fresh.streamKey)).status).toBe(200);
    const freshPassphrase = new URL(fresh.srtUrl).searchParams.get('passphrase') as string;
    expect(freshPassphrase).not.toBe(oldPassphrase);
    expect((await listenerOf(channelId))?.passphrase).toBe(freshPassphrase);
    expect((await authorize(freshPassphrase, { protocol: 'srt' })).status).toBe(200);
    // Rotating before a key exists: 404.
    const bare = await ownerWithChannel();
    const none = await t.call('POST', `/api/v1/channels/${bare.handle}/live/key`, {
      token: bare.owner.token,
    });
    expect(none.status).toBe(404);
  });

  it('lets the newest publisher take over the session, and ignores the superseded one going away', async () => {
    const { channelId, ingest } = await withKey();
    const first = (await authorize(ingest.streamKey)).body;
    const second = (
      await authorize(ingest.streamKey, { node: 'ingest-2', pullBaseUrl: 'rtmp://ingest-2:1935/live' })
    ).body;
    expect(second).toMatchObject({
      sessionId: first.sessionId,
      videoId: first.videoId,
      resumed: true,
      publisher: 2,
    });
    expect(await sessionsOf(channelId)).toHaveLength(1);
    const [job, ...more] = await liveJobsOf(first.videoId);
    expect(more).toEqual([]);
    // The job follows the stream to its new node.
    expect(LiveJobPayloadSchema.parse(job?.payload).sourceUrl).toBe(
      `rtmp://ingest-2:1935/live/${first.sessionId}`,
    );
    // The first publisher's connection closing does not start the window.
    const stale = await disconnected(first.sessionId, { node: 'ingest-1', publisher: first.publisher });
    expect(stale.body).toEqual({ outcome: 'superseded' });
    const [session] = await sessionsOf(channelId);
    expect(session?.reconnectDeadline).toBeNull();
    expect(await eventsOf('live.started', first.sessionId)).toHaveLength(1);
  });

  it('continues the same session on a reconnect within the window, then ends it once a window passes', async () => {
    const { owner, handle, channelId, ingest } = await withKey();
    const first = (await authorize(ingest.streamKey)).body;
    const gone = await disconnected(first.sessionId, { node: 'ingest-1', publisher: first.publisher });
    expect(gone.status).toBe(200);
    expect(gone.body.outcome).toBe('reconnect_window');
    const endsAt = Date.parse(gone.body.endsAt);
    expect(endsAt - Date.now()).toBeGreaterThan((RECONNECT_SECONDS - 1) * 1000);

    const back = (await authorize(ingest.streamKey)).body;
    expect(back).toMatchObject({
      sessionId: first.sessionId,
      videoId: first.videoId,
      resumed: true,
      publisher: 2,
    });
    expect(await liveJobsOf(first.videoId)).toHaveLength(1);

    // Gone again, and this time for good.
    expect((await disconnected(first.sessionId, { node: 'ingest-1', publisher: 2 })).body.outcome).toBe(
      'reconnect_window',
    );
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_SECONDS * 1000 + 400));
    // The origin's reconnect timer ended it, with no request needed.
    const [session] = await sessionsOf(channelId);
    expect(session?.endedAt).not.toBeNull();
    const video = await t.call('GET', `/api/v1/videos/${first.videoId}`, { token: owner.token });
    expect(video.body.state).toBe('ended');
    const [job] = await liveJobsOf(first.videoId);
    expect(job?.state).toBe('cancelled');
    expect((await eventsOf('live.ended', first.sessionId)).map((e) => e.payload)).toEqual([
      { videoId: first.videoId, channelId, streamId: first.sessionId },
    ]);
    const got = await t.call('GET', `/api/v1/channels/${handle}/live`, { token: owner.token });
    expect(got.body).toMatchObject({ state: 'idle', videoId: null });
    expect((await disconnected(first.sessionId)).body).toEqual({ outcome: 'ended' });

    // The next publish is a new session with a new video.
    const next = (await authorize(ingest.streamKey)).body;
    expect(next.resumed).toBe(false);
    expect(next.sessionId).not.toBe(first.sessionId);
    expect(next.videoId).not.toBe(first.videoId);
  });

  it('ends an expired session on the next authorize even when no timer fired (another origin saw the drop)', async () => {
    const { channelId, ingest } = await withKey();
    const first = (await authorize(ingest.streamKey)).body;
    // As if another origin had recorded the disconnect and died before its timer fired.
    await t.database.db
      .update(liveSessions)
      .set({ disconnectedAt: new Date(Date.now() - 10_000), reconnectDeadline: new Date(Date.now() - 1000) })
      .where(eq(liveSessions.id, first.sessionId));
    const next = (await authorize(ingest.streamKey)).body;
    expect(next.resumed).toBe(false);
    expect(next.sessionId).not.toBe(first.sessionId);
    const sessions = await sessionsOf(channelId);
    expect(sessions.filter((s) => s.endedAt === null).map((s) => s.id)).toEqual([next.sessionId]);
    expect(await eventsOf('live.ended', first.sessionId)).toHaveLength(1);
  });

  it('gives each channel its own SRT port from the range and answers 503 once it is exhausted', async () => {
    // An origin of its own with a range of two ports, so exhaustion is cheap to reach.
    const small = await createTestApp(driver, {
      live: { ...TEST_CONFIG.live, srtPorts: { first: 9700, last: 9701 } },
    });
    try {
      const newChannel = async () => {
        const owner = await small.signUp('srt');
        const handle = `srt_${owner.userId.slice(0, 8)}`;
        const channel = await small.call('POST', '/api/v1/channels', {
          token: owner.token,
          body: { handle, displayName: 'SRT' },
        });
        return { owner, handle, channelId: channel.body.id as string };
      };
      const ports: number[] = [];
      for (let i = 0; i < 2; i++) {
        const { owner, handle } = await newChannel();
        const res = await small.call('POST', `/api/v1/channels/${handle}/live`, { token: owner.token });
        expect(res.status).toBe(201);
        ports.push(Number(new URL(res.body.ingest.srtUrl).port));
      }
      expect(ports).toEqual([9700, 9701]);
      const late = await newChannel();
      const res = await small.call('POST', `/api/v1/channels/${late.handle}/live`, {
        token: late.owner.token,
      });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('unavailable');
      const rows = await small.database.db
        .select()
        .from(liveEndpoints)
        .where(eq(liveEndpoints.channelId, late.channelId));
      expect(rows).toEqual([]);
    } finally {
      await small.close();
    }
  });
});
