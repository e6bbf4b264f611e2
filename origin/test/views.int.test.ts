import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { videos } from '../../db/schema/index.js';
import { createTestApp, DRIVERS, type TestApp } from './harness.js';

const REDIS_URL = process.env.REDIS_URL_TEST ?? 'redis://127.0.0.1:6379';
const STORES = ['memory', 'redis'] as const;
const WINDOW_SECONDS = 0.6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(DRIVERS.flatMap((driver) => STORES.map((store) => [driver, store] as const)))(
  'views and history on %s with the %s store',
  (driver, store) => {
    let t: TestApp;
    let owner: Awaited<ReturnType<TestApp['signUp']>>;
    let viewer: Awaited<ReturnType<TestApp['signUp']>>;
    let channelId: string;

    async function newVideo(body: Record<string, unknown> = {}) {
      const res = await t.call('POST', '/api/v1/videos', {
        token: owner.token,
        body: { channelId, title: 'Watched', ...body },
      });
      return res.body.video.id as string;
    }
    const storedViews = async (id: string) =>
      (await t.database.db.select({ views: videos.views }).from(videos).where(eq(videos.id, id)))[0]?.views;
    const view = (id: string, options: { token?: string; ip?: string; body?: unknown } = {}) =>
      t.call('POST', `/api/v1/videos/${id}/views`, { body: {}, ...options });

    beforeAll(async () => {
      t = await createTestApp(driver, {
        views: {
          windowSeconds: WINDOW_SECONDS,
          flushSeconds: 3600, // flushed by hand below, so the test sees exactly when the writes happen
          ...(store === 'redis'
            ? { redisUrl: REDIS_URL, redisPrefix: `vidra-test:views:${randomUUID()}:` }
            : {}),
        },
      });
      owner = await t.signUp('owner');
      viewer = await t.signUp('viewer');
      const channel = await t.call('POST', '/api/v1/channels', {
        token: owner.token,
        body: { handle: `views_${owner.userId.slice(0, 6)}`, displayName: 'Views' },
      });
      channelId = channel.body.id;
    });
    afterAll(async () => {
      await t.services.views.stop();
      await t.close();
    });

    it('counts a viewer once per window, two viewers twice, and the same viewer again after the window', async () => {
      const id = await newVideo();
      expect((await view(id, { ip: '198.51.100.7' })).status).toBe(204);
      expect((await view(id, { ip: '198.51.100.7' })).status).toBe(204);
      await t.services.views.flush();
      expect(await storedViews(id)).toBe(1);
      await view(id, { token: viewer.token });
      await view(id, { token: viewer.token, ip: '198.51.100.99' }); // a signed-in viewer is one viewer anywhere
      await t.services.views.flush();
      expect(await storedViews(id)).toBe(2);
      await sleep(WINDOW_SECONDS * 1000 + 200);
      await view(id, { ip: '198.51.100.7' });
      await t.services.views.flush();
      expect(await storedViews(id)).toBe(3);
      expect((await t.call('GET', `/api/v1/videos/${id}`)).body.views).toBe(3);
    });

    it('writes nothing to the database per view: counts land in one batch at the flush', async () => {
      const [a, b] = [await newVideo(), await newVideo()];
      for (let i = 0; i < 5; i += 1) await view(a, { ip: `203.0.113.${i + 1}` });
      for (let i = 0; i < 3; i += 1) await view(b, { ip: `203.0.113.${i + 1}` });
      expect(await storedViews(a)).toBe(0);
      expect(await storedViews(b)).toBe(0);
      expect(await t.services.views.flush()).toMatchObject({ videos: 2 });
      expect(await storedViews(a)).toBe(5);
      expect(await storedViews(b)).toBe(3);
      expect(await t.services.views.flush()).toEqual({ videos: 0, history: 0 });
      expect(await storedViews(a)).toBe(5);
    });

    it("refuses a view of someone else's private video as 404, of an internal one anonymously as 401", async () => {
      const hidden = await newVideo({ privacy: 'private' });
      expect((await view(hidden, { token: viewer.token })).status).toBe(404);
      expect((await view(hidden, { token: owner.token })).status).toBe(204);
      const internal = await newVideo({ privacy: 'internal' });
      expect((await view(internal)).status).toBe(401);
      expect((await view(randomUUID())).status).toBe(404);
      expect((await view(hidden, { token: owner.token, body: { currentTime: -1 } })).status).toBe(400);
    });

    it('keeps a history with where playback was, last watched first; pauses and clears it', async () => {
      const user = await t.signUp('history');
      const [first, second] = [await newVideo({ title: 'First' }), await newVideo({ title: 'Second' })];
      await view(first, { token: user.token, body: { currentTime: 12 } });
      await sleep(5);
      await view(second, { token: user.token, body: { currentTime: 3 } });
      await t.services.views.flush();
      const history = await t.call('GET', '/api/v1/users/me/history/videos', { token: user.token });
      expect(history.status).toBe(200);
      expect(history.body).toMatchObject({ total: 2, nextCursor: null, videosHistoryEnabled: true });
      expect(history.body.data.map((v: { title: string }) => v.title)).toEqual(['Second', 'First']);
      expect(history.body.data[1].userHistory).toEqual({ currentTime: 12 });

      expect(
        (
          await t.call('PUT', '/api/v1/users/me', {
            token: user.token,
            body: { videosHistoryEnabled: false },
          })
        ).status,
      ).toBe(204);
      const third = await newVideo({ title: 'Third' });
      await view(third, { token: user.token, body: { currentTime: 1 } });
      await t.services.views.flush();
      const paused = await t.call('GET', '/api/v1/users/me/history/videos', { token: user.token });
      expect(paused.body).toMatchObject({ total: 2, videosHistoryEnabled: false });
      expect(await storedViews(third)).toBe(1); // a paused history still counts the view

      await t.call('PUT', '/api/v1/users/me', { token: user.token, body: { videosHistoryEnabled: true } });
      await view(third, { token: user.token, body: { currentTime: 2 } });
      expect((await t.call('DELETE', '/api/v1/users/me/history/videos', { token: user.token })).status).toBe(
        204,
      );
      const cleared = await t.call('GET', '/api/v1/users/me/history/videos', { token: user.token });
      expect(cleared.body).toMatchObject({ total: 0, data: [], videosHistoryEnabled: true });
    });

    it("removes one video, or what was watched before a date (PeerTube's remove)", async () => {
      const user = await t.signUp('history');
      const [a, b] = [await newVideo({ title: 'A' }), await newVideo({ title: 'B' })];
      await view(a, { token: user.token });
      await view(b, { token: user.token });
      await t.services.views.flush();
      const list = async () =>
        (await t.call('GET', '/api/v1/users/me/history/videos', { token: user.token })).body.data.map(
          (v: { title: string }) => v.title,
        );
      expect((await list()).sort()).toEqual(['A', 'B']);
      expect(
        (await t.call('DELETE', `/api/v1/users/me/history/videos/${a}`, { token: user.token })).status,
      ).toBe(204);
      expect(await list()).toEqual(['B']);
      const before = { beforeDate: '2000-01-01T00:00:00.000Z' };
      await t.call('POST', '/api/v1/users/me/history/videos/remove', { token: user.token, body: before });
      expect(await list()).toEqual(['B']);
      expect(
        (await t.call('POST', '/api/v1/users/me/history/videos/remove', { token: user.token })).status,
      ).toBe(204);
      expect(await list()).toEqual([]);
    });

    it('hides a video that became private from the history, and refuses anonymous callers', async () => {
      const user = await t.signUp('history');
      const id = await newVideo({ title: 'Soon private' });
      await view(id, { token: user.token });
      await t.services.views.flush();
      await t.call('PATCH', `/api/v1/videos/${id}`, { token: owner.token, body: { privacy: 'private' } });
      const history = await t.call('GET', '/api/v1/users/me/history/videos', { token: user.token });
      expect(history.body).toMatchObject({ total: 0, data: [] });
      expect((await t.call('GET', '/api/v1/users/me/history/videos')).status).toBe(401);
      expect((await t.call('DELETE', '/api/v1/users/me/history/videos')).status).toBe(401);
      expect(
        (await t.call('PUT', '/api/v1/users/me', { body: { videosHistoryEnabled: false } })).status,
      ).toBe(401);
      expect(
        (await t.call('PUT', '/api/v1/users/me', { token: user.token, body: { videosHistoryEnabled: 'no' } }))
          .status,
      ).toBe(400);
    });
  },
);

describe('views with Redis unreachable', () => {
  it('still answers 204 to the viewer, and reports the lost view', async () => {
    const t = await createTestApp('pglite', {
      views: { windowSeconds: 60, flushSeconds: 3600, redisUrl: 'redis://127.0.0.1:1' },
    });
    const lost: unknown[] = [];
    t.services.views.onError = (error) => lost.push(error);
    try {
      const owner = await t.signUp('owner');
      const channel = await t.call('POST', '/api/v1/channels', {
        token: owner.token,
        body: { handle: `down_${owner.userId.slice(0, 6)}`, displayName: 'Down' },
      });
      const created = await t.call('POST', '/api/v1/videos', {
        token: owner.token,
        body: { channelId: channel.body.id, title: 'Unlucky' },
      });
      const id = created.body.video.id;
      expect((await t.call('POST', `/api/v1/videos/${id}/views`, { body: {} })).status).toBe(204);
      const started = Date.now();
      expect((await t.call('POST', `/api/v1/videos/${id}/views`, { body: {} })).status).toBe(204);
      expect(Date.now() - started).toBeLessThan(1000); // after the first wait, it fails fast
      expect(lost).toHaveLength(2);
    } finally {
      await t.services.views.stop();
      await t.close();
    }
  });
});
