import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSessions, videos } from '../../db/schema/index.js';
import { createTestApp, DRIVERS, TEST_CONFIG, type TestApp } from './harness.js';

const internal = { authorization: `Bearer ${TEST_CONFIG.internalApiToken}` };

describe.each(DRIVERS)('internal API for the edge on %s', (driver) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp(driver);
    owner = await t.signUp('int');
    channelId = (
      await t.call('POST', '/api/v1/channels', {
        token: owner.token,
        body: { handle: `i_${owner.userId.slice(0, 6)}`, displayName: 'I' },
      })
    ).body.id;
  });
  afterAll(() => t.close());

  const create = async (body: Record<string, unknown>) =>
    (await t.call('POST', '/api/v1/videos', { token: owner.token, body: { channelId, title: 'v', ...body } }))
      .body.video.id as string;

  it('refuses callers without the internal token', async () => {
    const id = await create({});
    expect((await t.call('GET', `/internal/v1/videos/${id}/access`)).status).toBe(401);
    expect((await t.call('GET', `/internal/v1/videos/${id}/access`, { token: owner.token })).status).toBe(
      401,
    );
  });

  it('describes privacy, owner, state and the published files relative to the video', async () => {
    const id = await create({ privacy: 'private' });
    const before = await t.call('GET', `/internal/v1/videos/${id}/access`, { headers: internal });
    expect(before.body).toEqual({
      id,
      privacy: 'private',
      ownerId: owner.userId,
      ownerSuspended: false,
      revocation: 0,
      state: 'created',
      assets: null,
      live: null,
    });
    await t.database.db
      .update(videos)
      .set({
        state: 'ready',
        assets: {
          version: 42,
          master: 'hls/master.m3u8',
          thumbnail: 'hls/thumbnail.jpg',
        },
      })
      .where(eq(videos.id, id));
    const after = await t.call('GET', `/internal/v1/videos/${id}/access`, { headers: internal });
    expect(after.body.assets).toEqual({
      version: 42,
      master: 'hls/master.m3u8',
      thumbnail: 'hls/thumbnail.jpg',
    });
    expect(
      (
        await t.call('GET', '/internal/v1/videos/6f1c5a8e-0000-4000-8000-000000000000/access', {
          headers: internal,
        })
      ).status,
    ).toBe(404);
  });

  it('says a video is on air, dated by its open live session, and stops saying so once it ends', async () => {
    const id = await create({ privacy: 'unlisted' });
    const access = async () =>
      (await t.call('GET', `/internal/v1/videos/${id}/access`, { headers: internal })).body;
    await t.database.db.update(videos).set({ state: 'live' }).where(eq(videos.id, id));
    const startedAt = new Date('2026-12-24T18:00:00.000Z');
    const [session] = await t.database.db
      .insert(liveSessions)
      .values({
        channelId,
        videoId: id,
        protocol: 'rtmp',
        node: 'ingest-1',
        pullBaseUrl: 'rtmp://ingest-1:1935/live',
        startedAt,
      })
      .returning({ id: liveSessions.id });
    expect(await access()).toMatchObject({
      state: 'live',
      privacy: 'unlisted',
      assets: null,
      live: { version: startedAt.getTime() },
    });

    await t.database.db
      .update(liveSessions)
      .set({ endedAt: new Date() })
      .where(eq(liveSessions.id, session?.id ?? ''));
    await t.database.db.update(videos).set({ state: 'ended' }).where(eq(videos.id, id));
    expect(await access()).toMatchObject({ state: 'ended', live: null });
  });

  it('checks video passwords and throttles guessing', async () => {
    const id = await create({ privacy: 'password', password: 'letmein!' });
    const check = (password: string, ip = '203.0.113.9') =>
      t.call('POST', `/internal/v1/videos/${id}/password-check`, {
        headers: internal,
        body: { password, ip },
      });
    expect((await check('letmein!')).body).toEqual({ ok: true });
    for (let i = 0; i < 5; i++) expect((await check(`nope${i}`)).body).toEqual({ ok: false });
    expect((await check('letmein!')).status).toBe(429);
    expect((await check('letmein!', '203.0.113.10')).body).toEqual({ ok: true });
  });

  it('serves published media with ranges, and nothing outside videos/', async () => {
    const id = await create({});
    await t.storage.put(`videos/${id}/hls/360p/seg_00001.m4s`, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    await t.storage.put(`sources/${id}/original`, 'secret source');
    const whole = await t.app.request(`/internal/v1/media/videos/${id}/hls/360p/seg_00001.m4s`, {
      headers: internal,
    });
    expect(whole.status).toBe(200);
    expect([...new Uint8Array(await whole.arrayBuffer())]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const part = await t.app.request(`/internal/v1/media/videos/${id}/hls/360p/seg_00001.m4s`, {
      headers: { ...internal, range: 'bytes=2-4' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 2-4/8');
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([3, 4, 5]);
    expect(
      (await t.app.request(`/internal/v1/media/sources/${id}/original`, { headers: internal })).status,
    ).toBe(404);
    expect(
      (
        await t.app.request(`/internal/v1/media/videos/${id}/../../sources/${id}/original`, {
          headers: internal,
        })
      ).status,
    ).toBe(404);
  });
});
