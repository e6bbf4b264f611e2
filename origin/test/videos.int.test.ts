import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renditions, videos } from '../../db/schema/index.js';
import { PRIVACY_LEVELS, type Privacy } from '../../protocol/video.js';
import { createTestApp, DRIVERS, randomIp, type TestApp } from './harness.js';

type Caller = 'anonymous' | 'owner' | 'other' | 'admin';
// HTTP status of GET /videos/:id without a password, per privacy level and caller.
const BY_ID: Record<Privacy, Record<Caller, number>> = {
  public: { anonymous: 200, owner: 200, other: 200, admin: 200 },
  unlisted: { anonymous: 200, owner: 200, other: 200, admin: 200 },
  internal: { anonymous: 401, owner: 200, other: 200, admin: 200 },
  private: { anonymous: 404, owner: 200, other: 404, admin: 200 },
  password: { anonymous: 403, owner: 200, other: 403, admin: 200 },
};
// Whether the video appears in GET /videos for the caller.
const IN_LIST: Record<Privacy, Record<Caller, boolean>> = {
  public: { anonymous: true, owner: true, other: true, admin: true },
  unlisted: { anonymous: false, owner: true, other: false, admin: true },
  internal: { anonymous: false, owner: true, other: true, admin: true },
  private: { anonymous: false, owner: true, other: false, admin: true },
  password: { anonymous: false, owner: true, other: false, admin: true },
};

describe.each(DRIVERS)('videos on %s', (driver) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  let other: Awaited<ReturnType<TestApp['signUp']>>;
  let admin: Awaited<ReturnType<TestApp['signUpAdmin']>>;
  let channelId: string;
  const ids = {} as Record<Privacy, string>;

  beforeAll(async () => {
    t = await createTestApp(driver);
    admin = await t.signUpAdmin();
    owner = await t.signUp('owner');
    other = await t.signUp('other');
    const channel = await t.call('POST', '/api/v1/channels', {
      token: owner.token,
      body: { handle: `chan_${owner.userId.slice(0, 6)}`, displayName: 'Owner channel' },
    });
    channelId = channel.body.id;
    for (const privacy of PRIVACY_LEVELS) {
      const res = await t.call('POST', '/api/v1/videos', {
        token: owner.token,
        body: {
          channelId,
          title: `${privacy} video`,
          privacy,
          ...(privacy === 'password' ? { password: 'open sesame' } : {}),
        },
      });
      expect(res.status).toBe(201);
      ids[privacy] = res.body.video.id;
    }
  });
  afterAll(() => t.close());

  const tokenOf = (caller: Caller) =>
    caller === 'anonymous'
      ? undefined
      : { owner: owner.token, other: other.token, admin: admin.token }[caller];

  it('creates a video in state created, with where to upload it', async () => {
    const res = await t.call('POST', '/api/v1/videos', {
      token: owner.token,
      body: { channelId, title: 'Fresh', description: 'hello' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/v1/videos/${res.body.video.id}`);
    expect(res.body.video).toMatchObject({
      state: 'created',
      progress: 0,
      privacy: { id: 1, label: 'Public' },
      privacyName: 'public',
      title: 'Fresh',
    });
    expect(res.body.video.channel).toMatchObject({ id: channelId });
    expect(res.body.upload).toEqual({
      protocol: 'tus',
      url: '/api/v1/uploads',
      metadata: { videoId: res.body.video.id },
    });
    expect(res.body.video).not.toHaveProperty('renditions');
    expect(res.body.video).not.toHaveProperty('error');
  });

  it("refuses to create a video in someone else's channel, or without a password for a password video", async () => {
    const foreign = await t.call('POST', '/api/v1/videos', {
      token: other.token,
      body: { channelId, title: 'x' },
    });
    expect(foreign.status).toBe(403);
    const anonymous = await t.call('POST', '/api/v1/videos', { body: { channelId, title: 'x' } });
    expect(anonymous.status).toBe(401);
    const noPassword = await t.call('POST', '/api/v1/videos', {
      token: owner.token,
      body: { channelId, title: 'x', privacy: 'password' },
    });
    expect(noPassword.status).toBe(400);
    expect(noPassword.body.error.fields).toEqual([
      { path: 'password', message: 'A password video needs a password' },
    ]);
    const bad = await t.call('POST', '/api/v1/videos', {
      token: owner.token,
      body: { channelId: 'nope', title: '', privacy: 'secret' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'channelId',
      'privacy',
      'title',
    ]);
  });

  for (const privacy of PRIVACY_LEVELS) {
    for (const caller of ['anonymous', 'owner', 'other', 'admin'] as const) {
      it(`${privacy} video by id for ${caller}: ${BY_ID[privacy][caller]}, listed: ${IN_LIST[privacy][caller]}`, async () => {
        const token = tokenOf(caller);
        const res = await t.call('GET', `/api/v1/videos/${ids[privacy]}`, token ? { token } : {});
        expect(res.status).toBe(BY_ID[privacy][caller]);
        if (res.status === 200)
          expect(res.body).toMatchObject({ id: ids[privacy], privacyName: privacy, state: 'created' });
        else expect(JSON.stringify(res.body)).not.toContain(`${privacy} video`);

        const list = await t.call(
          'GET',
          `/api/v1/videos?channelId=${channelId}&limit=100`,
          token ? { token } : {},
        );
        expect(list.status).toBe(200);
        const listed = list.body.data.some((v: { id: string }) => v.id === ids[privacy]);
        expect(listed).toBe(IN_LIST[privacy][caller]);
      });
    }
  }

  it('shows a password video to anyone with the right password, and throttles wrong guesses', async () => {
    const url = `/api/v1/videos/${ids.password}`;
    const right = await t.call('GET', url, { headers: { 'x-video-password': 'open sesame' } });
    expect(right.status).toBe(200);
    expect(right.body.title).toBe('password video');
    const ip = randomIp();
    for (let i = 0; i < 5; i++) {
      const wrong = await t.call('GET', url, { ip, headers: { 'x-video-password': `guess ${i}` } });
      expect(wrong.status).toBe(403);
      expect(wrong.body.error.code).toBe('wrong_password');
    }
    const locked = await t.call('GET', url, { ip, headers: { 'x-video-password': 'open sesame' } });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBeTruthy();
  });

  it('lets only the owner or an admin change or delete a video', async () => {
    const created = await t.call('POST', '/api/v1/videos', {
      token: owner.token,
      body: { channelId, title: 'Mine' },
    });
    const id = created.body.video.id;
    expect(
      (await t.call('PATCH', `/api/v1/videos/${id}`, { token: other.token, body: { title: 'Hijacked' } }))
        .status,
    ).toBe(403);
    expect((await t.call('PATCH', `/api/v1/videos/${id}`, { body: { title: 'Anon' } })).status).toBe(401);
    expect((await t.call('DELETE', `/api/v1/videos/${id}`, { token: other.token })).status).toBe(403);

    const renamed = await t.call('PATCH', `/api/v1/videos/${id}`, {
      token: owner.token,
      body: { title: 'Renamed' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.title).toBe('Renamed');
    const byAdmin = await t.call('PATCH', `/api/v1/videos/${id}`, {
      token: admin.token,
      body: { privacy: 'private' },
    });
    expect(byAdmin.body.privacyName).toBe('private');
    const toPassword = await t.call('PATCH', `/api/v1/videos/${id}`, {
      token: owner.token,
      body: { privacy: 'password' },
    });
    expect(toPassword.status).toBe(400);
    const empty = await t.call('PATCH', `/api/v1/videos/${id}`, { token: owner.token, body: {} });
    expect(empty.status).toBe(400);

    expect((await t.call('DELETE', `/api/v1/videos/${id}`, { token: admin.token })).status).toBe(204);
    expect((await t.call('GET', `/api/v1/videos/${id}`, { token: owner.token })).status).toBe(404);
    expect((await t.call('DELETE', `/api/v1/videos/${id}`, { token: owner.token })).status).toBe(404);
  });

  it('carries renditions when ready and a readable reason when failed', async () => {
    const ready = (
      await t.call('POST', '/api/v1/videos', { token: owner.token, body: { channelId, title: 'Ready' } })
    ).body.video;
    const failed = (
      await t.call('POST', '/api/v1/videos', { token: owner.token, body: { channelId, title: 'Bad' } })
    ).body.video;
    await t.database.db
      .update(videos)
      .set({ state: 'ready', progress: 100, durationSeconds: 12.5 })
      .where(eq(videos.id, ready.id));
    await t.database.db.insert(renditions).values([
      {
        videoId: ready.id,
        width: 1280,
        height: 720,
        bitrate: 2_800_000,
        codecs: 'avc1.64001f,mp4a.40.2',
        playlistKey: 'a',
      },
      { videoId: ready.id, width: 640, height: 360, bitrate: 800_000, playlistKey: 'b' },
    ]);
    await t.database.db
      .update(videos)
      .set({ state: 'failed', error: 'The file is not a video' })
      .where(eq(videos.id, failed.id));

    const r = (await t.call('GET', `/api/v1/videos/${ready.id}`)).body;
    expect(r).toMatchObject({ state: 'ready', progress: 100, durationSeconds: 12.5 });
    expect(r.renditions).toEqual([
      { width: 640, height: 360, bitrate: 800_000 },
      { width: 1280, height: 720, bitrate: 2_800_000, codecs: 'avc1.64001f,mp4a.40.2' },
    ]);
    const f = (await t.call('GET', `/api/v1/videos/${failed.id}`)).body;
    expect(f).toMatchObject({ state: 'failed', error: 'The file is not a video' });
    expect(f).not.toHaveProperty('renditions');
  });

  it('answers 404 for unknown ids and 400 for malformed ones', async () => {
    expect((await t.call('GET', '/api/v1/videos/5b0c1d1e-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await t.call('GET', '/api/v1/videos/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('id');
  });
});

describe.each(DRIVERS)('video pagination on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t.close());

  it('pages newest first without repeats or gaps while new videos are added', async () => {
    const user = await t.signUp('pager');
    const channel = await t.call('POST', '/api/v1/channels', {
      token: user.token,
      body: { handle: `pager_${user.userId.slice(0, 6)}`, displayName: 'Pager' },
    });
    const create = async (title: string) =>
      (
        await t.call('POST', '/api/v1/videos', {
          token: user.token,
          body: { channelId: channel.body.id, title },
        })
      ).body.video.id;
    const original: string[] = [];
    for (let i = 0; i < 7; i++) original.push(await create(`v${i}`));

    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const query: string = `/api/v1/videos?channelId=${channel.body.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await t.call('GET', query);
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((v: { id: string }) => v.id));
      cursor = page.body.nextCursor;
      // Insert between page fetches: the new rows are newer, so they must not shift later pages.
      if (round++ < 2) await create(`inserted-${round}`);
    } while (cursor);
    expect(seen).toEqual([...original].reverse());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('filters by channel, and rejects a forged cursor', async () => {
    const a = await t.signUp('fa');
    const chanA = (
      await t.call('POST', '/api/v1/channels', {
        token: a.token,
        body: { handle: `fa_${a.userId.slice(0, 6)}`, displayName: 'A' },
      })
    ).body;
    const chanB = (
      await t.call('POST', '/api/v1/channels', {
        token: a.token,
        body: { handle: `fb_${a.userId.slice(0, 6)}`, displayName: 'B' },
      })
    ).body;
    await t.call('POST', '/api/v1/videos', { token: a.token, body: { channelId: chanA.id, title: 'in A' } });
    await t.call('POST', '/api/v1/videos', { token: a.token, body: { channelId: chanB.id, title: 'in B' } });
    const onlyA = await t.call('GET', `/api/v1/videos?channelId=${chanA.id}`);
    expect(onlyA.body.data.map((v: { title: string }) => v.title)).toEqual(['in A']);
    expect(onlyA.body.nextCursor).toBeNull();
    const forged = await t.call('GET', '/api/v1/videos?cursor=bm9wZQ');
    expect(forged.status).toBe(400);
    expect(forged.body.error.fields).toEqual([{ path: 'cursor', message: 'This cursor is not valid' }]);
    expect((await t.call('GET', '/api/v1/videos?limit=1000')).status).toBe(400);
  });
});
